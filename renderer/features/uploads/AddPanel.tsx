// Adding files: a drop zone for files and folders, native pickers (Electron), an "Add by path" box (browser
// mode), include/exclude filters, whether to send the captions, chapters and thumbnails beside the videos, and a
// summary of what the scan added and what it skipped, with reasons.
import {
  useEffect,
  useMemo,
  useState,
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import { appActions, useApp } from '../../stores/app';
import { useActiveProfile } from '../../stores/profiles';
import { lastAddJobs, queueActions, useQueue } from '../../stores/queue';
import { Banner, Button, Field, IconButton, TextField } from '../../ui/controls';
import { Icon } from '../../ui/icons';
import { messageOf } from '../../ui/fieldErrors';
import { addOutcome } from './addOutcome';
import { detailsReach, type DetailsReach } from './detailsReach';
import { FolderBrowserDialog } from './FolderBrowserDialog';
import { SendSidecarsCheckbox } from './SendSidecarsCheckbox';

/** "*.mp4, *.mov" or one per line -> ['*.mp4', '*.mov']. */
export function splitGlobs(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((g) => g.trim())
    .filter(Boolean);
}

/** One absolute path per line; blank lines and surrounding quotes ignored. */
export function splitPaths(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((p) => p.trim().replace(/^["']|["']$/g, ''))
    .filter(Boolean);
}

/**
 * After an add the panel folds into a bar and the field that had focus is gone: focus goes to the queue's row (its
 * one tab stop) once the new rows are there, or back to the path field when nothing was added.
 */
function focusAfterAdd(added: number): void {
  let frames = 30;
  const tryFocus = () => {
    const target = document.querySelector<HTMLElement>(
      added > 0 ? '.queue-canvas > [role="row"][tabindex="0"]' : '[aria-label="Add by path"]',
    );
    if (target) target.focus();
    else if (--frames > 0) requestAnimationFrame(tryFocus);
  };
  requestAnimationFrame(tryFocus);
}

/** A clean add (everything added, nothing skipped) says so briefly, then gives its room back to the queue. */
const CLEAN_ADD_SHOWN_MS = 8000;

function AddSummary(): ReactElement | null {
  const result = useQueue((s) => s.lastAdd);
  // Told from the added files as they are now: files found uploaded before turn "Added" into what happened.
  const jobsRev = useQueue((s) => s.jobsRev);
  const outcome = useMemo(
    () => (result ? addOutcome(result, lastAddJobs(useQueue.getState())) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- jobsRev is the signal that the mutable job map changed.
    [result, jobsRev],
  );
  const clean = outcome?.clean ?? false;
  useEffect(() => {
    if (!clean) return;
    const timer = setTimeout(queueActions.dismissAddResult, CLEAN_ADD_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [clean, result]);
  if (!result || !outcome) return null;
  const { added, skipped } = result;
  const { tone, headline } = outcome;
  return (
    <Banner
      tone={tone}
      icon={tone === 'success' ? 'check' : tone === 'info' ? 'file' : 'alert'}
      action={<IconButton icon="close" label="Dismiss scan summary" onClick={queueActions.dismissAddResult} />}
    >
      <div className="add-summary" data-testid="add-summary" data-tone={tone}>
        <strong>{headline}</strong>
        {skipped.length > 0 ? (
          // When nothing was added, the reasons are the whole answer: shown open.
          <details key={String(added === 0)} open={added === 0}>
            <summary>What was skipped, and why</summary>
            <ul className="skip-list">
              {skipped.slice(0, 200).map((s) => (
                <li key={s.path}>
                  <code>{s.path}</code> — {s.reason}
                </li>
              ))}
              {skipped.length > 200 ? <li>…and {skipped.length - 200} more</li> : null}
            </ul>
          </details>
        ) : null}
      </div>
    </Banner>
  );
}

function PrivateByDefault({
  checked,
  onChange,
  reach,
}: {
  checked: boolean;
  onChange: (on: boolean) => void;
  reach: DetailsReach;
}): ReactElement {
  return (
    <div className="private-default">
      <label className="check-label" title={reach.canSet ? undefined : (reach.note ?? undefined)}>
        <input
          type="checkbox"
          checked={checked && reach.canSet}
          disabled={!reach.canSet}
          onChange={(e) => onChange(e.target.checked)}
        />
        Private by default
      </label>
      {reach.note ? (
        <p className={`details-reach ${reach.canSet ? '' : 'blocked'}`} data-testid="details-reach">
          <Icon name={reach.canSet ? 'profiles' : 'alert'} size={13} /> {reach.note}
        </p>
      ) : null}
    </div>
  );
}

export function AddPanel({ compact }: { compact: boolean }): ReactElement {
  const nativeDialogs = useApp((s) => s.info?.nativeDialogs ?? false);
  // The typed path lives in the queue store, so it is still there after a visit to another screen.
  const pathsText = useQueue((s) => s.addPathText);
  // An error about what was typed stops being true once the text changes: it leaves with the edit.
  const setPathsText = (text: string) => {
    queueActions.setAddPathText(text);
    setError(null);
  };
  const [include, setInclude] = useState('');
  const [exclude, setExclude] = useState('');
  const [makePrivate, setMakePrivate] = useState(false);
  const [sendSidecars, setSendSidecars] = useState(true);
  const reach = detailsReach(useActiveProfile());
  const canSetDetails = reach.canSet;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dropHint, setDropHint] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [showByPath, setShowByPath] = useState(pathsText !== '');
  const [showFilters, setShowFilters] = useState(false);
  const [browsing, setBrowsing] = useState(false);

  const add = async (paths: string[]) => {
    if (paths.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      const includeGlobs = splitGlobs(include);
      const excludeGlobs = splitGlobs(exclude);
      const result = await queueActions.add({
        paths,
        ...(includeGlobs.length ? { include: includeGlobs } : {}),
        ...(excludeGlobs.length ? { exclude: excludeGlobs } : {}),
        ...(makePrivate && canSetDetails ? { defaults: { public: false } } : {}),
        ...(sendSidecars ? {} : { noSidecars: true }),
      });
      // Keep what was typed when nothing came of it, so a typo can be fixed instead of retyped.
      if (result.added > 0) setPathsText('');
      setDropHint(null);
      focusAfterAdd(result.added);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const pick = async (kind: 'files' | 'folder') => {
    try {
      await add(await appActions.pickPaths(kind));
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files];
    if (files.length === 0) return;
    const paths = files.map((f) => appActions.pathForFile(f));
    if (paths.some((p) => p === null)) {
      setShowByPath(true);
      setDropHint(
        `This browser does not tell Convoy where dropped files live on disk (${files.length === 1 ? files[0]!.name : `${files.length} items`}). Paste their full paths into "Add by path" below, one per line.`,
      );
      return;
    }
    void add(paths as string[]);
  };

  const submitPaths = () => {
    const paths = splitPaths(pathsText);
    const relative = paths.filter((p) => !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p));
    if (relative.length > 0) {
      setError(`"${relative[0]}" is not an absolute path. Use the full path, such as /home/me/Videos or C:\\Videos.`);
      return;
    }
    void add(paths);
  };

  const byPathVisible = !nativeDialogs || showByPath;
  const onPathKeys = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter adds in the one-line box; Ctrl/Cmd+Enter adds from the multi-line one.
    if (e.key === 'Enter' && (compact ? !e.shiftKey : e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submitPaths();
    }
  };
  const addButton = (
    <Button type="submit" variant="primary" icon="plus" busy={busy} disabled={!pathsText.trim()}>
      Add to queue
    </Button>
  );
  const errorLine = error ? (
    <p className="field-error" role="alert">
      <Icon name="alert" size={14} /> {error}
    </p>
  ) : null;

  return (
    <section className={`add-panel card ${compact ? 'compact' : ''}`} aria-label="Add videos">
      <form
        className="add-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          submitPaths();
        }}
      >
        <div
          className={`drop-zone ${dragging ? 'dragging' : ''}`}
          data-testid="drop-zone"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <span className="drop-icon">
            <Icon name="upload" size={compact ? 18 : 24} />
          </span>
          {compact && byPathVisible ? (
            <textarea
              aria-label="Add by path"
              rows={1}
              value={pathsText}
              className="mono path-inline"
              onKeyDown={onPathKeys}
              placeholder="Folder or file path, then Enter"
              onChange={(e) => setPathsText(e.target.value)}
            />
          ) : (
            <div className="drop-text">
              {nativeDialogs ? (
                <>
                  <strong>Drop video files or whole folders here</strong>
                  {compact ? null : <span className="subtle">Folders are scanned with everything inside them.</span>}
                </>
              ) : (
                <>
                  <strong>Choose a folder, or type its path below</strong>
                  {compact ? null : (
                    <span className="subtle" data-testid="no-drop-note">
                      This browser tab cannot take dropped files: a browser does not tell where a file is on disk.
                    </span>
                  )}
                </>
              )}
            </div>
          )}
          <div className="drop-actions">
            {nativeDialogs ? (
              <>
                <Button icon="file" onClick={() => void pick('files')} disabled={busy}>
                  Add files
                </Button>
                <Button icon="folder" onClick={() => void pick('folder')} disabled={busy}>
                  Add folder
                </Button>
                <Button variant="ghost" onClick={() => setShowByPath((v) => !v)} aria-expanded={showByPath}>
                  Add by path
                </Button>
              </>
            ) : null}
            {nativeDialogs ? null : (
              <Button icon="folder" onClick={() => setBrowsing(true)} disabled={busy}>
                Choose folder…
              </Button>
            )}
            {compact && byPathVisible ? addButton : null}
            {compact ? (
              <Button
                variant="ghost"
                icon="chevron"
                onClick={() => setShowFilters((v) => !v)}
                aria-expanded={showFilters}
              >
                Filters
              </Button>
            ) : null}
          </div>
        </div>
        {dropHint ? (
          <Banner
            tone="info"
            icon="alert"
            action={<IconButton icon="close" label="Dismiss" onClick={() => setDropHint(null)} />}
          >
            {dropHint}
          </Banner>
        ) : null}
        {!compact && byPathVisible ? (
          <Field
            label="Add by path"
            error={error}
            hint="Full paths to files or folders on this computer, one per line."
          >
            {(props) => (
              <textarea
                {...props}
                rows={2}
                value={pathsText}
                placeholder="/home/me/Videos/holiday"
                className="mono"
                onChange={(e) => setPathsText(e.target.value)}
                onKeyDown={onPathKeys}
              />
            )}
          </Field>
        ) : (
          errorLine
        )}
        {!compact || showFilters ? (
          <div className="add-options">
            <TextField
              label="Only these files"
              hint="Name patterns, separated by commas: *.mp4, *.mov takes only those. Empty: every video."
              value={include}
              placeholder="*.mp4, *.mov"
              onChange={setInclude}
            />
            <TextField
              label="Leave out"
              hint="Name patterns, separated by commas: **/drafts/** skips every drafts folder."
              value={exclude}
              placeholder="**/drafts/**"
              onChange={setExclude}
            />
            <PrivateByDefault checked={makePrivate} onChange={setMakePrivate} reach={reach} />
            <SendSidecarsCheckbox checked={sendSidecars} onChange={setSendSidecars} />
            {!compact && byPathVisible ? addButton : null}
          </div>
        ) : null}
      </form>
      <AddSummary />
      <FolderBrowserDialog
        open={browsing}
        onClose={() => setBrowsing(false)}
        onChoose={(path) => {
          setBrowsing(false);
          void add([path]);
        }}
      />
    </section>
  );
}
