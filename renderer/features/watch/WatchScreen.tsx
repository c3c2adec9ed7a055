// The Watch folders screen: folders Convoy keeps uploading from, each with its state (watching, waiting for files to
// settle, unavailable, paused), what it uploaded today, pause and remove; and the form that adds one (folder,
// filters, details of its videos, and whether the files already there upload too).
import { useState, type FormEvent, type ReactElement } from 'react';
import type { WatchState, WatchView } from '../../../common/api';
import { appActions, useApp } from '../../stores/app';
import { useActiveProfile, useProfiles } from '../../stores/profiles';
import { useWatch, watchActions } from '../../stores/watch';
import {
  Badge,
  Banner,
  Button,
  ConfirmDialog,
  EmptyState,
  Field,
  PageHeader,
  TextField,
  type Tone,
} from '../../ui/controls';
import { fieldErrorOf, messageOf, type FieldErrors } from '../../ui/fieldErrors';
import { Icon } from '../../ui/icons';
import { splitGlobs } from '../uploads/AddPanel';
import { detailsReach } from '../uploads/detailsReach';
import { SendSidecarsCheckbox } from '../uploads/SendSidecarsCheckbox';
import './watch.css';

const stateLabels: Record<WatchState, { label: string; tone: Tone }> = {
  watching: { label: 'Watching', tone: 'success' },
  settling: { label: 'Waiting for files to settle', tone: 'info' },
  unavailable: { label: 'Unavailable', tone: 'warning' },
  paused: { label: 'Paused', tone: 'neutral' },
};

type FormField = 'path' | 'name' | 'include' | 'exclude' | 'settleSeconds' | 'tags' | 'description';

function AddWatchCard(): ReactElement {
  const nativeDialogs = useApp((s) => s.info?.nativeDialogs ?? false);
  const reach = detailsReach(useActiveProfile());
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [include, setInclude] = useState('');
  const [exclude, setExclude] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState('');
  const [makePrivate, setMakePrivate] = useState(false);
  const [existing, setExisting] = useState(false);
  const [polling, setPolling] = useState(false);
  const [sendSidecars, setSendSidecars] = useState(true);
  const [uploadUnrecognised, setUploadUnrecognised] = useState(false);
  const [settle, setSettle] = useState('5');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors<FormField>>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const seconds = Number(settle);
    if (!(seconds >= 0.5 && seconds <= 3600)) {
      setErrors({ settleSeconds: 'Give a number of seconds from 0.5 to 3600.' });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const includeGlobs = splitGlobs(include);
      const excludeGlobs = splitGlobs(exclude);
      const tagList = splitGlobs(tags);
      await watchActions.add({
        path: path.trim(),
        existing,
        settleSeconds: seconds,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(includeGlobs.length ? { include: includeGlobs } : {}),
        ...(excludeGlobs.length ? { exclude: excludeGlobs } : {}),
        ...(polling ? { polling: true } : {}),
        ...(sendSidecars ? {} : { noSidecars: true }),
        ...(uploadUnrecognised ? { uploadUnrecognised: true } : {}),
        defaults: {
          ...(description.trim() ? { description: description.trim() } : {}),
          ...(tagList.length ? { tags: tagList } : {}),
          ...(makePrivate && reach.canSet ? { public: false } : {}),
        },
      });
      setPath('');
      setName('');
    } catch (error) {
      setErrors(
        fieldErrorOf<FormField>(error, {
          path: 'path',
          name: 'name',
          include: 'include',
          exclude: 'exclude',
          settleSeconds: 'settleSeconds',
          'defaults.tags': 'tags',
          'defaults.description': 'description',
        }),
      );
    } finally {
      setBusy(false);
    }
  };

  const choose = async () => {
    try {
      const [picked] = await appActions.pickPaths('folder');
      if (picked) setPath(picked);
    } catch (error) {
      setErrors({ '': messageOf(error) });
    }
  };

  return (
    <section className="card card-pad watch-add" aria-label="Watch a folder">
      <form onSubmit={(e) => void submit(e)}>
        <h2 className="watch-add-title">Watch a folder</h2>
        <div className="watch-path">
          <Field label="Folder" error={errors.path} hint="The full path of the folder on this computer.">
            {(props) => (
              <input
                {...props}
                type="text"
                className="mono"
                value={path}
                placeholder="/home/me/Exports"
                onChange={(e) => setPath(e.target.value)}
              />
            )}
          </Field>
          {nativeDialogs ? (
            <Button icon="folder" onClick={() => void choose()}>
              Choose…
            </Button>
          ) : null}
        </div>
        <div className="watch-grid">
          <TextField
            label="Name"
            error={errors.name}
            hint="Shown in the list and on the files it adds."
            value={name}
            placeholder="The folder's name"
            onChange={setName}
          />
          <Field
            label="Settle time (seconds)"
            error={errors.settleSeconds}
            hint="A file uploads once its size and time have not changed for this long."
          >
            {(props) => (
              <input
                {...props}
                type="number"
                min={0.5}
                step={0.5}
                value={settle}
                onChange={(e) => setSettle(e.target.value)}
              />
            )}
          </Field>
          <TextField
            label="Only these files"
            error={errors.include}
            hint="Name patterns, separated by commas."
            value={include}
            placeholder="*.mp4, *.mov"
            onChange={setInclude}
          />
          <TextField
            label="Leave out"
            error={errors.exclude}
            hint="Name patterns, separated by commas."
            value={exclude}
            placeholder="**/drafts/**"
            onChange={setExclude}
          />
          <TextField label="Description" error={errors.description} value={description} onChange={setDescription} />
          <Field label="Tags" error={errors.tags} hint="Separated by commas.">
            {(props) => <input {...props} type="text" value={tags} onChange={(e) => setTags(e.target.value)} />}
          </Field>
        </div>
        <div className="watch-checks">
          <label className="check-label">
            <input type="checkbox" checked={existing} onChange={(e) => setExisting(e.target.checked)} />
            Upload the files already in the folder too
          </label>
          <label className="check-label" title={reach.canSet ? undefined : (reach.note ?? undefined)}>
            <input
              type="checkbox"
              checked={makePrivate && reach.canSet}
              disabled={!reach.canSet}
              onChange={(e) => setMakePrivate(e.target.checked)}
            />
            Private videos
          </label>
          <label className="check-label">
            <input type="checkbox" checked={polling} onChange={(e) => setPolling(e.target.checked)} />
            Network share (look for changes every 2 s)
          </label>
          <SendSidecarsCheckbox checked={sendSidecars} onChange={setSendSidecars} watched />
          <label
            className="check-label"
            title="A file Convoy cannot tell is a video is skipped with a reason; with this on it uploads as it is (the row's Upload anyway, for every such file)."
          >
            <input
              type="checkbox"
              checked={uploadUnrecognised}
              onChange={(e) => setUploadUnrecognised(e.target.checked)}
            />
            Upload files Convoy does not recognise as video too
          </label>
        </div>
        {errors[''] ? (
          <p className="field-error" role="alert">
            <Icon name="alert" size={14} /> {errors['']}
          </p>
        ) : null}
        <div className="watch-submit">
          <Button type="submit" variant="primary" icon="plus" busy={busy} disabled={!path.trim()}>
            Start watching
          </Button>
        </div>
      </form>
    </section>
  );
}

function WatchRow({ watch }: { watch: WatchView }): ReactElement {
  const profileName = useProfiles((s) => s.profiles.find((p) => p.id === watch.profileId)?.name);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const { label, tone } = stateLabels[watch.state];
  const paused = watch.state === 'paused';
  const toggle = async () => {
    setBusy(true);
    try {
      await watchActions.setPaused(watch.id, !paused);
    } catch (error) {
      appActions.notifyError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="card card-pad watch-row" data-testid="watch-row" data-state={watch.state}>
      <div className="watch-main">
        <div className="watch-head">
          <Icon name="folder" size={18} />
          <strong className="watch-name">{watch.name}</strong>
          <Badge tone={tone}>
            {label}
            {watch.state === 'settling' ? ` (${watch.settling})` : ''}
          </Badge>
        </div>
        <code className="watch-folder" title={watch.path}>
          {watch.path}
        </code>
        {watch.reason ? (
          <p className="watch-reason" role="status">
            <Icon name="alert" size={13} /> {watch.reason}
          </p>
        ) : null}
        <p className="watch-facts subtle">
          <span data-testid="watch-today">{watch.uploadedToday} uploaded today</span>
          {watch.inQueue ? <span>{watch.inQueue} in the queue</span> : null}
          <span>settles {watch.settleSeconds} s</span>
          {watch.polling ? <span>polled</span> : null}
          {watch.noSidecars ? <span>videos alone (no captions or thumbnails)</span> : null}
          {watch.uploadUnrecognised ? <span>unrecognised files upload too</span> : null}
          {profileName ? <span>as {profileName}</span> : null}
          {watch.include.length ? <span>only {watch.include.join(', ')}</span> : null}
          {watch.exclude.length ? <span>not {watch.exclude.join(', ')}</span> : null}
        </p>
      </div>
      <div className="watch-actions">
        <Button icon={paused ? 'play' : 'pause'} busy={busy} onClick={() => void toggle()}>
          {paused ? 'Resume' : 'Pause'}
        </Button>
        <Button icon="trash" variant="ghost" onClick={() => setConfirming(true)}>
          Remove
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Stop watching this folder?"
        message={`${watch.path} is no longer watched. Its files stay where they are, and what it already added stays in the queue.`}
        confirmLabel="Stop watching"
        onConfirm={() => watchActions.remove(watch.id)}
        onCancel={() => setConfirming(false)}
      />
    </li>
  );
}

/**
 * Once a folder is watched, the desktop app offers to start with the computer, so watches keep going after a
 * restart; off by default, and said again only while it is off.
 */
export function LoginItemOffer(): ReactElement | null {
  const loginItem = useWatch((s) => s.loginItem);
  const watching = useWatch((s) => s.watches.length > 0);
  const [busy, setBusy] = useState(false);
  if (!loginItem?.supported || !watching || loginItem.openAtLogin) return null;
  const turnOn = async () => {
    setBusy(true);
    await watchActions.setOpenAtLogin(true).finally(() => setBusy(false));
  };
  return (
    <div data-testid="login-item-offer">
      <Banner
        tone="info"
        icon="settings"
        action={
          <Button variant="secondary" busy={busy} onClick={() => void turnOn()}>
            Start with my computer
          </Button>
        }
      >
        Watches run while Convoy runs. Start Convoy when you log in, so new files upload after a restart too? You can
        turn this off again from the tray menu.
      </Banner>
    </div>
  );
}

export function WatchScreen(): ReactElement {
  const { watches, loaded, loadError } = useWatch();
  return (
    <div className="watch-screen" data-testid="watch-screen">
      <PageHeader
        title="Watch folders"
        subtitle="Folders Convoy keeps uploading from: each new or changed video uploads by itself once it has finished arriving."
      />
      {loadError ? (
        <Banner tone="danger" icon="alert">
          The watch folders could not be loaded: {loadError}
        </Banner>
      ) : null}
      <AddWatchCard />
      <LoginItemOffer />
      {loaded && watches.length === 0 ? (
        <EmptyState icon="folder" title="No folder is watched">
          Add one above: an export folder, a card-ingest folder. Renamed or moved files are not uploaded twice.
        </EmptyState>
      ) : (
        <ul className="watch-list" aria-label="Watched folders">
          {watches.map((watch) => (
            <WatchRow key={watch.id} watch={watch} />
          ))}
        </ul>
      )}
    </div>
  );
}
