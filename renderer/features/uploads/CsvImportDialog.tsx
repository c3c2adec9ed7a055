// Importing details from a CSV (filename,title,description,tags and the media columns): the page reads the file,
// main matches its rows to queued files without changing anything, the dialog previews what each row will set and
// why a row matched nothing, and only "Apply to N files" writes the details.
import { useId, useMemo, useRef, useState, type ChangeEvent, type ReactElement } from 'react';
import { appActions } from '../../stores/app';
import type { CsvRowValues } from '../../../common/api';
import { queueActions, useQueue } from '../../stores/queue';
import { Banner, Button, Dialog, ErrorNote } from '../../ui/controls';
import { messageOf } from '../../ui/fieldErrors';
import { rowValues } from './csvPreview';
import { useDetailsReach } from './detailsReach';

const filesText = (n: number) => (n === 1 ? '1 file' : `${n} files`);

function matchedFiles(result: { matches: { jobIds: string[] }[] }): number {
  return result.matches.reduce((n, m) => n + m.jobIds.length, 0);
}

function CsvPreview(): ReactElement | null {
  const result = useQueue((s) => s.csvResult);
  const jobs = useQueue((s) => s.jobs);
  const matchedIds = useMemo(() => (result ? result.matches.flatMap((m) => m.jobIds) : []), [result]);
  const { blocked } = useDetailsReach(matchedIds);
  if (!result) return null;
  const matched = matchedFiles(result);
  const problems = result.unmatched.length + result.errors.length;
  return (
    <div className="csv-result" data-testid="csv-result">
      <Banner tone={problems ? 'warning' : 'info'} icon={problems ? 'alert' : 'file'}>
        <strong>Preview</strong> — nothing is changed yet. {result.matches.length}{' '}
        {result.matches.length === 1 ? 'row matches' : 'rows match'} {filesText(matched)}
        {result.unmatched.length
          ? ` · ${result.unmatched.length} ${result.unmatched.length === 1 ? 'row matches' : 'rows match'} no file`
          : ''}
        {result.errors.length
          ? ` · ${result.errors.length} ${result.errors.length === 1 ? 'problem' : 'problems'}`
          : ''}
      </Banner>
      {blocked > 0 ? (
        <p className="field-warning" role="status" data-testid="csv-token-only">
          Of these, {filesText(blocked)} {blocked === 1 ? 'goes' : 'go'} up with an upload token alone: their details
          stay in Convoy only (the server keeps the file name as title and the video public). To set them, add an
          API-key profile of the same account.
        </p>
      ) : null}
      {result.errors.length ? (
        <ul className="csv-errors">
          {result.errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
      <div className="csv-table-wrap">
        <table className="table csv-table">
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">File</th>
              <th scope="col">Will set</th>
            </tr>
          </thead>
          <tbody>
            {result.matches.map((m) => (
              <tr key={`m${m.row}`} data-csv-row={m.row} data-matched="true">
                <td>{m.row}</td>
                <td>
                  <code>{m.filename}</code>
                  <MatchedFiles filename={m.filename} names={m.jobIds.map((id) => jobs.get(id)?.name ?? id)} />
                </td>
                <td>
                  <RowValues sets={m.sets} />
                </td>
              </tr>
            ))}
            {result.unmatched.map((u) => (
              <tr key={`u${u.row}`} data-csv-row={u.row} data-matched="false">
                <td>{u.row}</td>
                <td>
                  <code>{u.filename}</code>
                </td>
                <td className="csv-miss">{u.why}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The files a row matched, named only where that says more than the row's own cell (several, or another name). */
function MatchedFiles({ filename, names }: { filename: string; names: string[] }): ReactElement | null {
  const cell = filename.trim().replace(/\\/g, '/').split('/').at(-1)?.toLowerCase();
  if (names.length === 1 && names[0]!.toLowerCase() === cell) return null;
  return (
    <span className="csv-matched subtle">
      {names.length === 1
        ? names[0]
        : `${names.length} files: ${names.slice(0, 3).join(', ')}${names.length > 3 ? '…' : ''}`}
    </span>
  );
}

/** What the row sets, as a list of label and value; "Nothing to set" for a row of file names alone. */
function RowValues({ sets }: { sets: CsvRowValues }): ReactElement {
  const values = rowValues(sets);
  if (values.length === 0) return <span className="subtle">Nothing: the row names the file alone</span>;
  return (
    <dl className="csv-values">
      {values.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function CsvImportDialog({ open, onClose }: { open: boolean; onClose: () => void }): ReactElement {
  const [busy, setBusy] = useState<'reading' | 'applying' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<{ name: string; csv: string } | null>(null);
  const result = useQueue((s) => s.csvResult);
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const toApply = picked && result ? matchedFiles(result) : 0;

  const close = () => {
    setPicked(null);
    setError(null);
    queueActions.dismissCsvResult();
    onClose();
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setBusy('reading');
    setError(null);
    setPicked(null);
    queueActions.dismissCsvResult();
    try {
      const csv = await file.text();
      await queueActions.importCsv(csv, false);
      setPicked({ name: file.name, csv });
    } catch (e) {
      setError(`${file.name}: ${messageOf(e)}`);
    } finally {
      setBusy(null);
    }
  };

  const apply = async () => {
    if (!picked) return;
    setBusy('applying');
    setError(null);
    try {
      const applied = matchedFiles(await queueActions.importCsv(picked.csv, true));
      appActions.notify({ level: 'info', message: `Details from ${picked.name} applied to ${filesText(applied)}.` });
      close();
    } catch (e) {
      setError(`${picked.name}: ${messageOf(e)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Dialog
      open={open}
      title="Import details from CSV"
      onClose={close}
      wide
      footer={
        <>
          <Button variant="ghost" onClick={close}>
            Cancel
          </Button>
          <Button
            variant="primary"
            onClick={() => void apply()}
            disabled={toApply === 0}
            busy={busy === 'applying'}
            data-testid="csv-apply"
          >
            {toApply > 0 ? `Apply to ${filesText(toApply)}` : 'Apply'}
          </Button>
        </>
      }
    >
      <p className="muted">
        One row per file, under a header row <code>filename,title,description,tags</code>. A row matches a queued file
        by its path below the folder you added (<code>day1/clip.mp4</code>), or by its name. Separate tags with commas,{' '}
        <code>;</code> or <code>|</code>, as in the details dialog (put a cell with commas in quotes). Optional columns
        for the media: <code>captionDefault</code>, <code>chaptersLanguage</code>, <code>thumbnail</code>,{' '}
        <code>thumbnailTimecode</code>, <code>playerId</code>, <code>watermarkId</code>.
      </p>
      {/* A button of our own instead of the browser's file control: no "No file chosen" beside a preview. */}
      <div className={`field csv-file ${error ? 'field-invalid' : ''}`}>
        <span className="field-label" id={`${id}-label`}>
          CSV file
        </span>
        <div className="csv-file-row">
          <Button
            icon="file"
            onClick={() => inputRef.current?.click()}
            disabled={busy !== null}
            aria-describedby={`${id}-label ${error ? `${id}-error` : `${id}-hint`}`}
            data-testid="csv-choose"
          >
            {picked ? 'Choose another file…' : 'Choose a CSV file…'}
          </Button>
          {picked ? (
            <span className="csv-file-name" data-testid="csv-file-name">
              {picked.name}
            </span>
          ) : null}
        </div>
        <input
          ref={inputRef}
          type="file"
          accept=".csv,text/csv"
          hidden
          tabIndex={-1}
          onChange={(e) => void onFile(e)}
          data-testid="csv-input"
        />
        {error ? (
          <ErrorNote id={`${id}-error`} message={error} />
        ) : picked ? null : (
          <p className="field-hint" id={`${id}-hint`}>
            You see what each row will set, and on which files, before anything changes.
          </p>
        )}
      </div>
      {busy === 'reading' ? (
        <p className="muted">
          <span className="spinner" /> Reading…
        </p>
      ) : picked ? (
        <CsvPreview />
      ) : null}
    </Dialog>
  );
}
