// "New upload token": pick a lifetime (a preset or a custom number + unit) and create; the new token is shown
// right away with a copy button. A refused lifetime is reported next to the lifetime choice.
import { useId, useState, type FormEvent, type ReactElement } from 'react';
import type { UploadTokenView } from '../../../common/api';
import { Button, ErrorNote, IconButton } from '../../ui/controls';
import { Icon } from '../../ui/icons';
import { tokenActions } from '../../stores/tokens';
import { fieldErrorOf, type FieldErrors } from '../../ui/fieldErrors';
import { CopyButton } from './CopyButton';
import { describeTtl, parseCustomTtl, ttlPresets, ttlUnits, type TtlUnit } from './ttl';

const CUSTOM = 'custom';

export function CreateTokenCard({
  profileId,
  onShowDetails,
}: {
  profileId: string;
  onShowDetails: (token: UploadTokenView) => void;
}): ReactElement {
  const [choice, setChoice] = useState<string>('1h');
  const [amount, setAmount] = useState('30');
  const [unit, setUnit] = useState<TtlUnit>('min');
  const [errors, setErrors] = useState<FieldErrors<'ttl'>>({});
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<UploadTokenView | null>(null);
  const ids = useId();

  const ttlSeconds = (): { seconds: number } | { error: string } => {
    if (choice === CUSTOM) return parseCustomTtl(amount, unit);
    return { seconds: ttlPresets.find((p) => p.id === choice)?.seconds ?? 0 };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ttl = ttlSeconds();
    if ('error' in ttl) {
      setErrors({ ttl: ttl.error });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      setCreated(await tokenActions.create(profileId, ttl.seconds));
    } catch (error) {
      setErrors(fieldErrorOf(error, { ttl: 'ttl' }));
    } finally {
      setBusy(false);
    }
  };

  const ttlError = errors.ttl;
  return (
    <section className="card card-pad create-token" aria-labelledby={`${ids}-title`}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="create-token-form">
        <div className="create-token-head">
          <h2 id={`${ids}-title`}>New upload token</h2>
          <p className="subtle">
            Anyone holding the token can upload into this account until it expires or you delete it.
          </p>
        </div>
        <fieldset className="ttl-choices" aria-describedby={ttlError ? `${ids}-ttl-error` : `${ids}-ttl-hint`}>
          <legend>Expires after</legend>
          <div className="chip-row">
            {[...ttlPresets, { id: CUSTOM, label: 'Custom…', seconds: -1 }].map((preset) => (
              <label key={preset.id} className={`chip ${choice === preset.id ? 'selected' : ''}`}>
                <input
                  type="radio"
                  name={`${ids}-ttl`}
                  value={preset.id}
                  checked={choice === preset.id}
                  onChange={() => {
                    setChoice(preset.id);
                    setErrors({});
                  }}
                  data-testid={`ttl-${preset.id}`}
                />
                {preset.label}
              </label>
            ))}
          </div>
          {choice === CUSTOM ? (
            <div className="custom-ttl">
              <input
                type="number"
                min={0}
                step={1}
                inputMode="numeric"
                value={amount}
                aria-label="Custom lifetime"
                aria-invalid={ttlError ? true : undefined}
                onChange={(e) => setAmount(e.target.value)}
                data-testid="ttl-amount"
              />
              <select
                value={unit}
                onChange={(e) => setUnit(e.target.value as TtlUnit)}
                aria-label="Unit"
                data-testid="ttl-unit"
              >
                {ttlUnits.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.label}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {ttlError ? (
            <ErrorNote id={`${ids}-ttl-error`} message={ttlError} testId="ttl-error" />
          ) : (
            <p className="field-hint" id={`${ids}-ttl-hint`}>
              {hintFor(ttlSeconds())}
            </p>
          )}
        </fieldset>
        <div className="create-token-actions">
          <Button type="submit" variant="primary" icon="plus" busy={busy} data-testid="create-token">
            Create token
          </Button>
        </div>
        {errors[''] ? <ErrorNote message={errors['']} testId="create-token-error" /> : null}
      </form>
      {created ? (
        <div className="created-token" role="status" data-testid="created-token">
          <Icon name="check" size={16} />
          <span>
            Created <code>{created.token}</code> · {describeTtl(created.ttl)}
          </span>
          <CopyButton text={created.token} label={`Copy token ${created.token}`} testId="copy-created-token" />
          <Button variant="ghost" onClick={() => onShowDetails(created)}>
            Details
          </Button>
          <IconButton icon="close" label="Dismiss" onClick={() => setCreated(null)} />
        </div>
      ) : null}
    </section>
  );
}

function hintFor(ttl: { seconds: number } | { error: string }): string {
  if ('error' in ttl) return 'Between 0 and 2,147,483,647 seconds; 0 means it never expires.';
  if (ttl.seconds === 0) return 'The token works until you delete it.';
  return `The token can start uploads for ${describeTtl(ttl.seconds)}; an upload it started may finish up to 24 h later.`;
}
