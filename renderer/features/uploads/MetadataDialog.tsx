// Editing title, description, tags and visibility: for one file (every field) or a selection (only the fields
// the user changes are sent, the rest stay as they are). Says when the server will not get them (upload token alone).
import { useState, type FormEvent, type ReactElement } from 'react';
import type { JobMetadata, RequestInput } from '../../../common/api';
import { splitTags } from '../../../common/tags';
import { appActions } from '../../stores/app';
import { queueActions, useQueue } from '../../stores/queue';
import { Banner, Button, Dialog, ErrorNote, Field } from '../../ui/controls';
import { DETAILS_NOT_ON_SERVER } from './jobStatus';
import { TOKEN_ONLY_NOTE, useDetailsReach } from './detailsReach';

type Patch = RequestInput<'queue.updateMetadata'>['patch'];
type Visibility = 'keep' | 'public' | 'private';

function initialFields(job: JobMetadata | undefined) {
  return {
    title: job?.title ?? '',
    description: job?.description ?? '',
    tags: job?.tags.join(', ') ?? '',
    visibility: (job ? (job.public ? 'public' : 'private') : 'keep') as Visibility,
  };
}

function MetadataForm({ ids, onClose }: { ids: string[]; onClose: () => void }): ReactElement {
  const single = ids.length === 1 ? useQueue.getState().jobs.get(ids[0]!) : undefined;
  const [fields, setFields] = useState(() => initialFields(single));
  const [touched, setTouched] = useState<Set<keyof typeof fields>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);

  const set = (key: keyof typeof fields, value: string) => {
    setFields((f) => ({ ...f, [key]: value }));
    setTouched((t) => new Set(t).add(key));
    // An error about what is being edited (or about the whole save) no longer stands once it changes.
    setError((shown) => (shown && (!shown.field || shown.field === key) ? null : shown));
  };

  const buildPatch = (): Patch => {
    const patch: Patch = {};
    const changed = (k: keyof typeof fields) => single !== undefined || touched.has(k);
    if (changed('title') && fields.title.trim()) patch.title = fields.title.trim();
    if (changed('description')) patch.description = fields.description;
    if (changed('tags')) patch.tags = splitTags(fields.tags);
    if (fields.visibility !== 'keep') patch.public = fields.visibility === 'public';
    return patch;
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (single && !fields.title.trim()) {
      setError({ field: 'title', message: 'A title is needed. It defaults to the file name.' });
      return;
    }
    const patch = buildPatch();
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    setBusy(true);
    try {
      const updated = await queueActions.updateMetadata({ ids, patch });
      appActions.notify({
        level: 'info',
        message: `Saved details for ${updated} ${updated === 1 ? 'file' : 'files'}.`,
      });
      onClose();
    } catch (e) {
      const err = e as Error & { field?: string };
      setError({ ...(err.field ? { field: err.field.replace(/^patch\./, '') } : {}), message: err.message });
    } finally {
      setBusy(false);
    }
  };

  // A field's error sits on the field; one about the whole save (or a field not shown), beside the Save button.
  const bulk = !single;
  const titleShown = !bulk || touched.has('title') || fields.title !== '';
  const onField = (f: string | undefined) =>
    (f === 'title' && titleShown) || f === 'description' || f === 'tags' ? f : undefined;
  const errorFor = (f: string) => (error && onField(error.field) === f ? error.message : null);
  const reach = useDetailsReach(ids);
  const allBlocked = reach.blocked === ids.length;

  return (
    <form className="metadata-form" onSubmit={onSubmit} data-testid="metadata-form">
      {single?.reason ? (
        <Banner tone={single.state === 'failed' ? 'danger' : 'info'} icon="alert">
          {single.reason}
        </Banner>
      ) : null}
      {reach.blocked > 0 ? (
        <Banner tone="warning" icon="alert">
          <span data-testid="details-blocked">
            {allBlocked ? '' : `${reach.blocked} of the ${ids.length} selected files: `}
            {TOKEN_ONLY_NOTE}
          </span>
        </Banner>
      ) : single?.detailsProblem ? (
        <Banner tone="warning" icon="alert">
          <strong>{DETAILS_NOT_ON_SERVER}.</strong> {single.detailsProblem}
        </Banner>
      ) : null}
      {reach.via.map((note) => (
        <p key={note} className="details-reach">
          {note}
        </p>
      ))}
      <fieldset className="metadata-fields" disabled={allBlocked}>
        {bulk ? (
          <p className="muted">Only the fields you change are applied to the {ids.length} selected files.</p>
        ) : null}
        {titleShown ? (
          <Field
            label="Title"
            error={errorFor('title')}
            hint={bulk ? 'Every selected file gets this title.' : 'Defaults to the file name.'}
          >
            {(p) => (
              <input
                {...p}
                type="text"
                value={fields.title}
                onChange={(e) => set('title', e.target.value)}
                maxLength={256}
              />
            )}
          </Field>
        ) : (
          <Button variant="ghost" icon="plus" onClick={() => set('title', '')} className="reveal-title">
            Set one title for all…
          </Button>
        )}
        <Field label="Description" error={errorFor('description')}>
          {(p) => (
            <textarea
              {...p}
              rows={3}
              value={fields.description}
              onChange={(e) => set('description', e.target.value)}
              maxLength={5000}
              placeholder={bulk ? 'Unchanged' : ''}
            />
          )}
        </Field>
        <Field label="Tags" error={errorFor('tags')} hint="Separated by commas (; and | work too).">
          {(p) => (
            <input
              {...p}
              type="text"
              value={fields.tags}
              onChange={(e) => set('tags', e.target.value)}
              placeholder={bulk ? 'Unchanged' : 'travel, 2024'}
            />
          )}
        </Field>
        <fieldset className="visibility">
          <legend>Visibility</legend>
          {bulk ? (
            <label>
              <input
                type="radio"
                name="visibility"
                checked={fields.visibility === 'keep'}
                onChange={() => set('visibility', 'keep')}
              />{' '}
              Unchanged
            </label>
          ) : null}
          <label>
            <input
              type="radio"
              name="visibility"
              checked={fields.visibility === 'public'}
              onChange={() => set('visibility', 'public')}
            />{' '}
            Public
          </label>
          <label>
            <input
              type="radio"
              name="visibility"
              checked={fields.visibility === 'private'}
              onChange={() => set('visibility', 'private')}
            />{' '}
            Private <span className="subtle">(links carry a private token)</span>
          </label>
        </fieldset>
      </fieldset>
      {error && !onField(error.field) ? (
        <div className="form-error">
          <ErrorNote message={error.message} testId="metadata-error" />
        </div>
      ) : null}
      <div className="dialog-footer inline">
        <Button variant="ghost" onClick={onClose}>
          {allBlocked ? 'Close' : 'Cancel'}
        </Button>
        <Button type="submit" variant="primary" busy={busy} disabled={allBlocked}>
          Save{bulk ? ` for ${ids.length} files` : ''}
        </Button>
      </div>
    </form>
  );
}

export function MetadataDialog({ ids, onClose }: { ids: string[] | null; onClose: () => void }): ReactElement {
  const single = ids && ids.length === 1 ? useQueue.getState().jobs.get(ids[0]!) : undefined;
  const title = !ids ? 'Details' : single ? `Details of ${single.name}` : `Details of ${ids.length} files`;
  return (
    <Dialog open={ids !== null} title={title} onClose={onClose}>
      {ids ? <MetadataForm key={ids.join(',')} ids={ids} onClose={onClose} /> : null}
    </Dialog>
  );
}
