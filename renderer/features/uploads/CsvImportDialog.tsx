// Importing titles, descriptions and tags from a CSV (filename,title,description,tags): the page reads the file,
// main matches its rows to queued files without changing anything, the dialog shows that preview, and only
// "Apply to N files" writes the details.
import { useMemo, useState, type ChangeEvent, type ReactElement } from 'react';
import { appActions } from '../../stores/app';
import { queueActions, useQueue } from '../../stores/queue';
import { Banner, Button, Dialog, Field } from '../../ui/controls';
import { messageOf } from '../../ui/fieldErrors';
import { useDetailsReach } from './detailsReach';

const filesText = (n: number) => (n === 1 ? '1 file' : `${n} files`);

function matchedFiles(result: { matches: { jobIds: string[] }[] }): number {
  return result.matches.reduce((n, m) => n + m.jobIds.length, 0);
}

function CsvPreview({ fileName }: { fileName: string }): ReactElement | null {
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
        <strong>Preview of {fileName}</strong> — nothing is changed yet. {result.matches.length}{' '}
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
              <th>Row</th>
              <th>Filename</th>
              <th>Will update</th>
            </tr>
          </thead>
          <tbody>
            {result.matches.map((m) => (
              <tr key={`m${m.row}`} data-csv-row={m.row} data-matched="true">
                <td>{m.row}</td>
                <td>
                  <code>{m.filename}</code>
                </td>
                <td className="csv-ok">{m.jobIds.map((id) => jobs.get(id)?.name ?? id).join(', ')}</td>
              </tr>
            ))}
            {result.unmatched.map((u) => (
              <tr key={`u${u.row}`} data-csv-row={u.row} data-matched="false">
                <td>{u.row}</td>
                <td>
                  <code>{u.filename}</code>
                </td>
                <td className="csv-miss">No file in the queue has this name</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function CsvImportDialog({ open, onClose }: { open: boolean; onClose: () => void }): ReactElement {
  const [busy, setBusy] = useState<'reading' | 'applying' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<{ name: string; csv: string } | null>(null);
  const result = useQueue((s) => s.csvResult);
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
      <Field label="CSV file" error={error} hint="You see which files each row matches before anything changes.">
        {(p) => (
          <input
            {...p}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => void onFile(e)}
            disabled={busy !== null}
            data-testid="csv-input"
          />
        )}
      </Field>
      {busy === 'reading' ? (
        <p className="muted">
          <span className="spinner" /> Reading…
        </p>
      ) : picked ? (
        <CsvPreview fileName={picked.name} />
      ) : null}
    </Dialog>
  );
}
