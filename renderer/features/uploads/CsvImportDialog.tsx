// Importing titles, descriptions and tags from a CSV (filename,title,description,tags): the page reads the file,
// main matches rows to queued files, and the dialog shows which rows matched which files and which did not.
import { useState, type ChangeEvent, type ReactElement } from 'react';
import { importCsv, useQueue } from '../../stores/queue';
import { Banner, Button, Dialog, Field } from '../../ui/controls';
import { messageOf } from '../../ui/fieldErrors';

function CsvResultView(): ReactElement | null {
  const result = useQueue((s) => s.csvResult);
  const jobs = useQueue((s) => s.jobs);
  if (!result) return null;
  const matchedFiles = result.matches.reduce((n, m) => n + m.jobIds.length, 0);
  return (
    <div className="csv-result" data-testid="csv-result">
      <Banner tone={result.unmatched.length || result.errors.length ? 'warning' : 'success'} icon={result.unmatched.length ? 'alert' : 'check'}>
        {result.matches.length} {result.matches.length === 1 ? 'row' : 'rows'} matched {matchedFiles} {matchedFiles === 1 ? 'file' : 'files'}
        {result.unmatched.length ? ` · ${result.unmatched.length} did not match any file` : ''}
        {result.errors.length ? ` · ${result.errors.length} ${result.errors.length === 1 ? 'problem' : 'problems'}` : ''}
      </Banner>
      {result.errors.length ? (
        <ul className="csv-errors">{result.errors.map((e) => <li key={e}>{e}</li>)}</ul>
      ) : null}
      <div className="csv-table-wrap">
        <table className="table csv-table">
          <thead><tr><th>Row</th><th>Filename</th><th>Matched</th></tr></thead>
          <tbody>
            {result.matches.map((m) => (
              <tr key={`m${m.row}`} data-csv-row={m.row} data-matched="true">
                <td>{m.row}</td>
                <td><code>{m.filename}</code></td>
                <td className="csv-ok">{m.jobIds.map((id) => jobs.get(id)?.name ?? id).join(', ')}</td>
              </tr>
            ))}
            {result.unmatched.map((u) => (
              <tr key={`u${u.row}`} data-csv-row={u.row} data-matched="false">
                <td>{u.row}</td>
                <td><code>{u.filename}</code></td>
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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      await importCsv(await file.text());
    } catch (e) {
      setError(`${file.name}: ${messageOf(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title="Import details from CSV" onClose={onClose}
      footer={<Button variant="primary" onClick={onClose}>Done</Button>}>
      <p className="muted">
        One row per file with a header row <code>filename,title,description,tags</code>. Tags are separated by <code>;</code> or <code>|</code>.
        Rows are matched to queued files by file name.
      </p>
      <Field label="CSV file" error={error}>
        {(p) => <input {...p} type="file" accept=".csv,text/csv" onChange={(e) => void onFile(e)} disabled={busy} data-testid="csv-input" />}
      </Field>
      {busy ? <p className="muted"><span className="spinner" /> Reading…</p> : <CsvResultView />}
    </Dialog>
  );
}
