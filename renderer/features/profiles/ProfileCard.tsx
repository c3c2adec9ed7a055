// One profile in the list: environment, credential, where its secret lives, whether it is active; and its
// actions (use, check, rename inline, enter key, remove). Errors show on the card they belong to; a token profile
// says which API-key profile of its account sets the videos' details.
import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import type { ProfileView } from '../../../common/api';
import { Badge, Button, IconButton } from '../../ui/controls';
import { Icon } from '../../ui/icons';
import { profileActions, useProfiles, type CheckState } from '../../stores/profiles';
import { authLabel, envDotClass } from './labels';
import { messageOf } from '../../ui/fieldErrors';
import { formatCountdown, formatDate } from '../../ui/format';
import { useNow } from '../../ui/useNow';

export function ProfileCard({
  profile,
  active,
  onRemove,
  onEnterKey,
}: {
  profile: ProfileView;
  active: boolean;
  onRemove: () => void;
  onEnterKey: () => void;
}): ReactElement {
  const check = useProfiles((s) => s.checks[profile.id]);
  const [renaming, setRenaming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [activating, setActivating] = useState(false);
  const renameButton = useRef<HTMLButtonElement>(null);

  const activate = async () => {
    setActivating(true);
    setError(null);
    try {
      await profileActions.activate(profile.id);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setActivating(false);
    }
  };

  const refocus = useRef(false);
  useEffect(() => {
    // Back from the inline rename: focus returns to the Rename button (now enabled again).
    if (!renaming && refocus.current) renameButton.current?.focus();
    refocus.current = renaming;
  }, [renaming]);
  const endRename = () => setRenaming(false);

  return (
    <li
      className={`card profile-card ${active ? 'is-active' : ''} ${profile.hasSecret ? '' : 'needs-key'}`}
      data-testid="profile-card"
      data-profile-name={profile.name}
      aria-current={active ? 'true' : undefined}
    >
      <span className={`${envDotClass(profile.environment.kind)} profile-dot`} aria-hidden="true" />
      <div className="profile-main">
        {renaming ? (
          <RenameForm profile={profile} onDone={endRename} />
        ) : (
          <div className="profile-title">
            <h2 data-testid="profile-name-text">{profile.name}</h2>
            {active ? (
              <Badge tone="info">
                <Icon name="check" size={12} /> Active
              </Badge>
            ) : null}
          </div>
        )}
        <p className="profile-env">
          {profile.environment.label}
          {profile.environment.baseUrl ? <span className="subtle mono">{profile.environment.baseUrl}</span> : null}
        </p>
        {profile.environment.insecureHttp ? (
          <p className="field-warning" data-testid="insecure-http-warning">
            <Icon name="alert" size={14} />
            <span>
              Unencrypted: plain http:// to another machine. The key and videos cross the network readable by anyone on
              the way.
            </span>
          </p>
        ) : null}
        <div className="profile-meta">
          <Badge>{authLabel(profile.authKind)}</Badge>
          <span className="key-hint mono" aria-label={`Key ending in ${profile.keyHint.replace(/^•+/, '')}`}>
            {profile.keyHint}
          </span>
          <StorageBadge profile={profile} />
          {profile.authKind === 'uploadToken' ? <TokenExpiry profile={profile} /> : null}
          {profile.hasSecret ? null : <Badge tone="danger">Key needed</Badge>}
        </div>
        {profile.authKind === 'uploadToken' ? <AccountKeyLine profile={profile} /> : null}
        <CheckLine check={check} />
        {error ? (
          <p className="field-error" role="alert">
            <Icon name="alert" size={14} /> {error}
          </p>
        ) : null}
      </div>
      <div className="profile-actions">
        {profile.hasSecret ? null : (
          <Button variant="primary" icon="tokens" onClick={onEnterKey} data-testid="enter-key">
            Enter key
          </Button>
        )}
        {active ? null : (
          <Button onClick={() => void activate()} busy={activating} data-testid="activate-profile">
            Use
          </Button>
        )}
        <Button
          variant="ghost"
          icon="retry"
          onClick={() => void profileActions.check(profile.id)}
          disabled={!profile.hasSecret || check?.status === 'checking'}
          aria-label={`Check the connection of ${profile.name}`}
        >
          Check
        </Button>
        <button
          type="button"
          className="btn btn-ghost"
          ref={renameButton}
          onClick={() => setRenaming(true)}
          disabled={renaming}
          aria-label={`Rename ${profile.name}`}
          data-testid="rename-profile"
        >
          <span>Rename</span>
        </button>
        <IconButton icon="trash" label={`Remove ${profile.name}`} onClick={onRemove} data-testid="remove-profile" />
      </div>
    </li>
  );
}

/** An upload token's expiry: when uploads with it must have started (and finish within 24 hours after). */
function TokenExpiry({ profile }: { profile: ProfileView }): ReactElement {
  const at = profile.tokenExpiresAt ? Date.parse(profile.tokenExpiresAt) : null;
  const now = useNow(at !== null);
  const from =
    profile.tokenExpirySource === 'user'
      ? 'The date is the one you entered.'
      : 'The date is the one the server reported.';
  let badge: ReactElement;
  let title: string;
  if (profile.tokenExpiresAt === undefined) {
    badge = <Badge>Token expiry unknown</Badge>;
    title =
      'Convoy could not look this token up (no API-key profile on the same server knows it). Uploads work; the resume window is not shown.';
  } else if (at === null) {
    badge = <Badge tone="success">Token never expires</Badge>;
    title = `This token has no expiry. ${from}`;
  } else {
    const left = at - now;
    badge = (
      <Badge tone={left <= 0 ? 'danger' : left < 86_400_000 ? 'warning' : 'neutral'}>
        {left <= 0
          ? `Token expired ${formatDate(at)}`
          : left < 7 * 86_400_000
            ? `Token expires ${formatDate(at)} · ${formatCountdown(at, now)}`
            : `Token expires ${formatDate(at)}`}
      </Badge>
    );
    title = `${left <= 0 ? 'New uploads need a new token; uploads already started may finish within 24 hours of the expiry.' : 'Uploads must start before this moment and finish within 24 hours after it.'} ${from}`;
  }
  return (
    <span title={title} data-testid="token-expiry">
      {badge}
    </span>
  );
}

function StorageBadge({ profile }: { profile: ProfileView }): ReactElement {
  if (profile.builtIn) return <Badge tone="info">Built in · key from the embedded sandbox</Badge>;
  return profile.secretStorage === 'encrypted' ? (
    <Badge tone="success">Encrypted</Badge>
  ) : (
    <Badge tone="warning">This session only</Badge>
  );
}

/** A token profile: whose API key sets the video's details, or what is missing without one. */
function AccountKeyLine({ profile }: { profile: ProfileView }): ReactElement {
  const via = profile.accountKeyProfile;
  if (via && !via.hasSecret) {
    return (
      <p className="account-line missing" data-testid="account-key-line">
        <Icon name="alert" size={14} />{' '}
        <span>Title, privacy and encoding via “{via.name}”, once its key is entered again</span>
      </p>
    );
  }
  return via ? (
    <p className="account-line" data-testid="account-key-line">
      <Icon name="tokens" size={14} /> <span>Title, privacy and encoding via “{via.name}”</span>
    </p>
  ) : (
    <p className="account-line missing" data-testid="account-key-line">
      <Icon name="alert" size={14} />
      <span>
        An upload token alone cannot set a title or privacy: videos keep their file name and stay public. Adding an
        API-key profile of the same account fixes that.
      </span>
    </p>
  );
}

function CheckLine({ check }: { check: CheckState | undefined }): ReactElement | null {
  if (!check) return null;
  if (check.status === 'checking') {
    return (
      <p className="check-line" aria-live="polite">
        <span className="spinner" aria-hidden="true" /> Checking the connection…
      </p>
    );
  }
  const ok = check.status === 'done' && check.check.ok;
  const text = check.status === 'done' ? check.check.summary : check.message;
  return (
    <p className={`check-line ${ok ? 'ok' : 'bad'}`} aria-live="polite" data-testid="check-line">
      <Icon name={ok ? 'check' : 'alert'} size={14} /> {text}
    </p>
  );
}

function RenameForm({ profile, onDone }: { profile: ProfileView; onDone: () => void }): ReactElement {
  const [name, setName] = useState(profile.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const next = name.trim();
    if (!next) return setError('A profile needs a name.');
    if (next === profile.name) return onDone();
    setBusy(true);
    try {
      await profileActions.rename(profile.id, next);
      // A shown check result is about the profile as it was: check again so the card never shows a stale line.
      if (useProfiles.getState().checks[profile.id]) void profileActions.check(profile.id);
      onDone();
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };

  return (
    <form className="rename-form" onSubmit={(e) => void save(e)} noValidate>
      <div className="row">
        <input
          type="text"
          value={name}
          maxLength={80}
          autoFocus
          aria-label={`New name for ${profile.name}`}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setName(e.target.value)}
          data-testid="rename-input"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              onDone();
            }
          }}
          onFocus={(e) => e.target.select()}
        />
        <Button type="submit" variant="primary" busy={busy}>
          Save
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          <Icon name="alert" size={14} /> {error}
        </p>
      ) : null}
    </form>
  );
}
