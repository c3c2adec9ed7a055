// Gives a session-only profile its key (or token) again after a restart; main checks it with the server first.
import { useState, type FormEvent, type ReactElement } from 'react';
import type { ConnectionCheck, ProfileView } from '../../../common/api';
import { Button, Dialog, ErrorNote, Field } from '../../ui/controls';
import { Icon } from '../../ui/icons';
import { profileActions } from '../../stores/profiles';
import { fieldErrorOf, type FieldErrors } from '../../ui/fieldErrors';
import { secretWord } from './labels';
import { SecretInput } from './SecretInput';

export function EnterKeyDialog({
  profile,
  open,
  onClose,
}: {
  profile: ProfileView;
  open: boolean;
  onClose: () => void;
}): ReactElement {
  const what = secretWord(profile.authKind);
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<FieldErrors<'secret'>>({});
  const [busy, setBusy] = useState(false);
  const [check, setCheck] = useState<ConnectionCheck | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!secret.trim()) {
      setErrors({ secret: `Paste the ${what} of “${profile.name}”.` });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      setCheck(await profileActions.provideSecret(profile.id, secret.trim()));
      setSecret('');
    } catch (error) {
      setErrors(fieldErrorOf(error, { secret: 'secret' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title={`Enter the ${what}`} onClose={onClose}>
      {check ? (
        <div className="saved-view">
          <div className={`check-result ${check.ok ? 'ok' : 'warn'}`}>
            <span className="check-result-icon">
              <Icon name={check.ok ? 'check' : 'alert'} size={20} />
            </span>
            <div>
              <strong>“{profile.name}” is ready for this session.</strong>
              <p>{check.summary}</p>
            </div>
          </div>
          <div className="form-footer">
            <Button variant="primary" onClick={onClose} autoFocus>
              Done
            </Button>
          </div>
        </div>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate className="add-profile">
          <p className="muted">
            “{profile.name}” keeps its {what} for one session only, and this session does not have it yet. It stays in
            memory until Convoy quits.
          </p>
          <Field
            label={what === 'API key' ? 'API key' : 'Upload token'}
            error={errors.secret}
            hint={`It must end in ${profile.keyHint.replace(/^•+/, '')}.`}
          >
            {(props) => (
              <SecretInput
                {...props}
                what={what}
                value={secret}
                onChange={setSecret}
                data-autofocus
                data-testid="enter-key-secret"
              />
            )}
          </Field>
          {errors[''] ? (
            <div className="form-error">
              <ErrorNote message={errors['']} testId="enter-key-error" />
            </div>
          ) : null}
          <div className="form-footer">
            <p className="form-status" aria-live="polite">
              {busy ? (
                <>
                  <span className="spinner" aria-hidden="true" /> Checking with {profile.environment.label}…
                </>
              ) : null}
            </p>
            <Button variant="ghost" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" busy={busy}>
              Check and use
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
