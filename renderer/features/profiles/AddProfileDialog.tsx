// The "Add profile" dialog: name, environment, credential; main checks the credential with the server before
// saving, and the dialog shows what the server answered or puts the error next to the field that caused it.
import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import type { AuthKind, ConnectionCheck, EnvironmentKind, ProfileView } from '../../../common/api';
import { needsInsecureHttpConsent } from '../../../common/api';
import { Button, Dialog, ErrorNote, Field } from '../../ui/controls';
import { Icon } from '../../ui/icons';
import { useApp } from '../../stores/app';
import { profileActions, useProfiles, type NewProfile } from '../../stores/profiles';
import { environmentChoices, envDotClass, secretWord } from './labels';
import { profileWithSameKey } from './sameKey';
import { fieldErrorOf, type FieldErrors, messageOf } from '../../ui/fieldErrors';
import { SecretInput } from './SecretInput';

type FormField = 'name' | 'environment' | 'baseUrl' | 'insecure' | 'auth' | 'secret' | 'expiresAt' | 'secretStorage';
type Credential = 'apiKey' | 'uploadToken';

/** Request fields (as main names them) -> the form field that shows their error. */
const errorRoutes: Partial<Record<string, FormField>> = {
  name: 'name',
  environment: 'environment',
  'environment.baseUrl': 'baseUrl',
  'environment.allowInsecureHttp': 'insecure',
  auth: 'secret',
  'auth.kind': 'auth',
  'auth.expiresAt': 'expiresAt',
  secretStorage: 'secretStorage',
};

interface Saved {
  profile: ProfileView;
  check: ConnectionCheck;
}

export function AddProfileDialog({ open, onClose }: { open: boolean; onClose: () => void }): ReactElement {
  const [saved, setSaved] = useState<Saved | null>(null);
  return (
    <Dialog open={open} title={saved ? 'Profile added' : 'Add a profile'} onClose={onClose}>
      {saved ? <SavedView saved={saved} onClose={onClose} /> : <AddProfileForm onSaved={setSaved} onCancel={onClose} />}
    </Dialog>
  );
}

function AddProfileForm({
  onSaved,
  onCancel,
}: {
  onSaved: (saved: Saved) => void;
  onCancel: () => void;
}): ReactElement {
  const secretStorageInfo = useApp((s) => s.info?.secretStorage);
  const canEncrypt = secretStorageInfo?.encrypted ?? true;
  const [name, setName] = useState('');
  const [environment, setEnvironment] = useState<EnvironmentKind>('local');
  const [baseUrl, setBaseUrl] = useState('');
  const [allowInsecure, setAllowInsecure] = useState(false);
  const [credential, setCredential] = useState<Credential>('apiKey');
  const [scheme, setScheme] = useState<'bearer' | 'basic'>('bearer');
  const [secret, setSecret] = useState('');
  /** <input type="datetime-local"> value (local time, no zone), or '' when the user does not know. */
  const [expiresAt, setExpiresAt] = useState('');
  const [sessionOnly, setSessionOnly] = useState(!canEncrypt);
  const [errors, setErrors] = useState<FieldErrors<FormField>>({});
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  /** Errors land where the eye is: the first field in error is scrolled into view and focused, once rendered. */
  const [errorsShown, setErrorsShown] = useState(0);
  const showErrors = (found: FieldErrors<FormField>) => {
    setErrors(found);
    setErrorsShown((n) => n + 1);
  };
  useEffect(() => {
    if (errorsShown === 0) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    invalid?.scrollIntoView({ block: 'center' });
    invalid?.focus();
  }, [errorsShown]);
  // An error stops being true once what it was about changes: a field's own error leaves when the field is edited,
  // and the server's answer (no field's) when anything it was given changes.
  const values: Partial<Record<FormField, unknown>> = {
    name,
    environment,
    baseUrl,
    insecure: allowInsecure,
    auth: `${credential} ${scheme}`,
    secret,
    expiresAt,
    secretStorage: sessionOnly,
  };
  const snapshot = JSON.stringify(values);
  const previous = useRef(snapshot);
  useEffect(() => {
    const before = JSON.parse(previous.current) as Record<string, unknown>;
    const now = JSON.parse(snapshot) as Record<string, unknown>;
    previous.current = snapshot;
    const changed = Object.keys(now).filter((field) => now[field] !== before[field]);
    if (changed.length === 0) return;
    setErrors((shown) => {
      const stale = ['', ...changed].filter((field) => field in shown);
      if (stale.length === 0) return shown;
      return Object.fromEntries(Object.entries(shown).filter(([field]) => !stale.includes(field)));
    });
  }, [snapshot]);
  const fieldErrorCount = Object.entries(errors).filter(([field, message]) => field !== '' && message).length;

  const profiles = useProfiles((s) => s.profiles);
  const insecure = environment === 'custom' && needsInsecureHttpConsent(baseUrl);
  const envChoice = environmentChoices.find((c) => c.kind === environment);
  const what = secretWord(credential === 'uploadToken' ? 'uploadToken' : scheme);
  const sameKey = profileWithSameKey(profiles, { environment, baseUrl, credential, secret });
  /** A new key makes the server's verdict on the old one moot. */
  const changeSecret = (next: string) => {
    setSecret(next);
    if (errors.secret) setErrors(({ secret: _gone, ...rest }) => rest);
  };

  const localErrors = (): FieldErrors<FormField> => {
    const found: FieldErrors<FormField> = {};
    if (!name.trim()) found.name = 'Give the profile a name, for example "Marketing – Production".';
    if (environment === 'custom' && !baseUrl.trim())
      found.baseUrl = 'Enter the server address, for example https://videos.example.com.';
    if (!secret.trim()) found.secret = `Paste the ${what} for this profile.`;
    if (credential === 'uploadToken' && expiresAt && Number.isNaN(new Date(expiresAt).getTime())) {
      found.expiresAt = 'Enter a full date and time, or leave it empty.';
    }
    return found;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = localErrors();
    showErrors(found);
    if (Object.keys(found).length > 0) return;
    const auth: NewProfile['auth'] =
      credential === 'uploadToken'
        ? {
            kind: 'uploadToken',
            token: secret.trim(),
            ...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
          }
        : { kind: scheme satisfies AuthKind, apiKey: secret.trim() };
    setBusy(true);
    try {
      onSaved(
        await profileActions.add({
          name: name.trim(),
          environment:
            environment === 'custom'
              ? {
                  kind: 'custom',
                  baseUrl: baseUrl.trim(),
                  ...(allowInsecure && insecure ? { allowInsecureHttp: true as const } : {}),
                }
              : { kind: environment },
          auth,
          secretStorage: sessionOnly ? 'session' : 'encrypted',
        }),
      );
    } catch (error) {
      showErrors(fieldErrorOf(error, errorRoutes));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={formRef}
      className="add-profile"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid="add-profile-form"
    >
      <div className="add-profile-fields">
        <Field label="Name" error={errors.name}>
          {(props) => (
            <input
              {...props}
              data-autofocus
              type="text"
              value={name}
              maxLength={80}
              placeholder="e.g. Marketing – Production"
              onChange={(e) => setName(e.target.value)}
              data-testid="profile-name"
            />
          )}
        </Field>

        <fieldset className="choice-group" aria-describedby={errors.environment ? 'env-error' : undefined}>
          <legend>Environment</legend>
          <div className="env-choices">
            {environmentChoices.map((choice) => (
              <label key={choice.kind} className={`env-choice ${environment === choice.kind ? 'selected' : ''}`}>
                <input
                  type="radio"
                  name="environment"
                  value={choice.kind}
                  checked={environment === choice.kind}
                  onChange={() => setEnvironment(choice.kind)}
                  data-testid={`env-${choice.kind}`}
                />
                <span className="env-choice-text">
                  <span className="env-choice-title">
                    <span className={envDotClass(choice.kind)} aria-hidden="true" />
                    {choice.label}
                  </span>
                  <small>{choice.description}</small>
                </span>
              </label>
            ))}
          </div>
          {errors.environment ? (
            <p className="field-error" id="env-error" role="alert">
              <Icon name="alert" size={14} /> {errors.environment}
            </p>
          ) : null}
        </fieldset>

        {environment === 'custom' ? (
          <Field
            label="Server address"
            hint="The API's base URL, without a path to an endpoint."
            error={errors.baseUrl}
          >
            {(props) => (
              <input
                {...props}
                type="url"
                value={baseUrl}
                placeholder="https://videos.example.com"
                spellCheck={false}
                onChange={(e) => setBaseUrl(e.target.value)}
                data-testid="profile-base-url"
              />
            )}
          </Field>
        ) : null}
        {insecure ? (
          <div className="insecure-consent" data-testid="insecure-consent">
            <p className="field-warning" id="insecure-why">
              <Icon name="alert" size={14} />
              <span>
                Plain http:// to another machine: the key and your videos cross the network unencrypted, readable and
                changeable by anyone on the way. Use https:// if the server offers it.
              </span>
            </p>
            <label className="check-row">
              <input
                type="checkbox"
                checked={allowInsecure}
                onChange={(e) => setAllowInsecure(e.target.checked)}
                aria-describedby="insecure-why"
                aria-invalid={errors.insecure ? true : undefined}
                data-testid="allow-insecure-http"
              />
              <span>I accept an unencrypted connection to this server</span>
            </label>
            {errors.insecure ? <ErrorNote message={errors.insecure} /> : null}
          </div>
        ) : null}

        <fieldset className="choice-group">
          <legend>Sign in with</legend>
          <div className="segmented" role="radiogroup" aria-label="Sign in with">
            <label className={credential === 'apiKey' ? 'selected' : ''}>
              <input
                type="radio"
                name="credential"
                checked={credential === 'apiKey'}
                onChange={() => setCredential('apiKey')}
                data-testid="auth-api-key"
              />
              API key
            </label>
            <label className={credential === 'uploadToken' ? 'selected' : ''}>
              <input
                type="radio"
                name="credential"
                checked={credential === 'uploadToken'}
                onChange={() => setCredential('uploadToken')}
                data-testid="auth-upload-token"
              />
              Upload token (from someone's account)
            </label>
          </div>
          <p className="field-hint" data-testid="credential-hint">
            {credential === 'apiKey'
              ? 'The key of your own api.video account: uploads with titles and privacy, and manages upload tokens.'
              : 'A token someone made in their api.video account so you can upload into it. It can only send files.'}
          </p>
          {errors.auth ? (
            <p className="field-error" role="alert">
              <Icon name="alert" size={14} /> {errors.auth}
            </p>
          ) : null}
        </fieldset>

        <Field
          label={credential === 'uploadToken' ? 'Upload token' : 'API key'}
          error={errors.secret}
          hint={secretHint(credential, environment)}
        >
          {(props) => (
            <SecretInput
              {...props}
              what={what}
              value={secret}
              onChange={changeSecret}
              data-testid="profile-secret"
              placeholder={credential === 'uploadToken' ? 'to…' : 'Paste the key'}
            />
          )}
        </Field>
        {sameKey ? (
          <p className="field-warning" role="status" data-testid="same-key-warning">
            <Icon name="alert" size={14} />
            <span>
              Same key as “{sameKey.name}”: same environment, same last four characters. You can still save it, but both
              profiles then share one account and its limits.
            </span>
          </p>
        ) : null}

        {credential === 'uploadToken' ? (
          <Field
            label="Token expires (optional)"
            error={errors.expiresAt}
            hint="Leave empty if you do not know: Convoy asks the server with an API-key profile on the same server, if you have one. The expiry shows how long an upload can still resume."
          >
            {(props) => (
              <input
                {...props}
                type="datetime-local"
                value={expiresAt}
                onChange={(e) => setExpiresAt(e.target.value)}
                data-testid="profile-token-expires"
              />
            )}
          </Field>
        ) : null}

        {credential === 'apiKey' ? (
          <details className="advanced" data-testid="advanced-auth">
            <summary>Advanced</summary>
            <div className="scheme-choices" role="radiogroup" aria-label="How the key is sent">
              <label>
                <input
                  type="radio"
                  name="scheme"
                  checked={scheme === 'bearer'}
                  onChange={() => setScheme('bearer')}
                  data-testid="scheme-bearer"
                />
                <span>
                  <strong>Bearer</strong>{' '}
                  <span className="muted">(recommended): the key is exchanged for short-lived access tokens</span>
                </span>
              </label>
              <label>
                <input
                  type="radio"
                  name="scheme"
                  checked={scheme === 'basic'}
                  onChange={() => setScheme('basic')}
                  data-testid="scheme-basic"
                />
                <span>
                  <strong>Basic</strong>
                  <span className="muted">: the key itself goes with every request</span>
                </span>
              </label>
            </div>
          </details>
        ) : null}

        {!canEncrypt ? (
          <div className="storage-warning" role="group" aria-label="Where the key is kept">
            <p className="storage-warning-text">
              <Icon name="alert" size={16} />
              <span>This computer cannot encrypt saved keys (see the note on the Profiles page).</span>
            </p>
            <label className="check-row">
              <input
                type="checkbox"
                checked={sessionOnly}
                onChange={(e) => setSessionOnly(e.target.checked)}
                data-testid="session-only"
              />
              <span>Keep the {what} for this session only</span>
            </label>
            {errors.secretStorage ? (
              <p className="field-error" role="alert">
                <Icon name="alert" size={14} /> {errors.secretStorage}
              </p>
            ) : null}
          </div>
        ) : null}
      </div>

      {/* Beside the button that caused it: an error that belongs to no field, or a pointer to the field in error. */}
      {errors[''] ? (
        <div className="form-error">
          <ErrorNote message={errors['']} testId="add-profile-error" />
        </div>
      ) : null}
      <div className="form-footer">
        <p className="form-status" aria-live="polite">
          {busy ? (
            <>
              <span className="spinner" aria-hidden="true" /> Checking the {what} with{' '}
              {envChoice?.label ?? 'the server'}…
            </>
          ) : fieldErrorCount > 0 ? (
            <span className="form-status-error" data-testid="add-profile-not-saved">
              Not saved: {fieldErrorCount === 1 ? 'one field needs' : `${fieldErrorCount} fields need`} a change (shown
              above).
            </span>
          ) : null}
        </p>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={busy} data-testid="add-profile-submit">
          Check and save
        </Button>
      </div>
    </form>
  );
}

function SavedView({ saved, onClose }: { saved: Saved; onClose: () => void }): ReactElement {
  const activeId = useProfiles((s) => s.activeId);
  const [error, setError] = useState<string | null>(null);
  const isActive = activeId === saved.profile.id;
  const activate = async () => {
    try {
      await profileActions.activate(saved.profile.id);
      onClose();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <div className="saved-view" data-testid="add-profile-result">
      <div className={`check-result ${saved.check.ok ? 'ok' : 'warn'}`}>
        <span className="check-result-icon">
          <Icon name={saved.check.ok ? 'check' : 'alert'} size={20} />
        </span>
        <div>
          <strong>“{saved.profile.name}” is saved.</strong>
          <p>
            <span data-testid="check-message">{saved.check.summary}</span>
          </p>
        </div>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          <Icon name="alert" size={14} /> {error}
        </p>
      ) : null}
      <div className="form-footer">
        <Button variant={isActive ? 'primary' : 'ghost'} onClick={onClose} autoFocus={isActive}>
          Done
        </Button>
        {isActive ? null : (
          <Button variant="primary" onClick={() => void activate()} autoFocus data-testid="use-new-profile">
            Use this profile
          </Button>
        )}
      </div>
    </div>
  );
}

const builtInKey = "Convoy's built-in profile already uses this sandbox's key";
const dashboardKeys = 'Keys for api.video Sandbox and Production are in the api.video dashboard, under API keys';

/** Where a new user finds the secret for this environment. */
function secretHint(credential: Credential, environment: EnvironmentKind): string {
  const kept = 'Convoy keeps only its last four characters in view.';
  if (credential === 'uploadToken') {
    return `Starts with "to". The account's owner creates it in Convoy's Upload tokens screen or the api.video dashboard. ${kept}`;
  }
  if (environment === 'local') return `${builtInKey}, so you rarely need another. ${dashboardKeys}. ${kept}`;
  if (environment === 'custom') return `The API key your server's operator gave you. ${kept}`;
  return `In the api.video dashboard, under API keys: copy the ${environment === 'sandbox' ? 'sandbox' : 'production'} key. ${kept}`;
}
