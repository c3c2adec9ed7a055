// The Upload tokens screen: the active profile's upload tokens. Create (preset or custom lifetime),
// list with sorting and paging, live countdowns, copy, details with the upload URL, delete with confirmation.
import { useEffect, useState, type ReactElement } from 'react';
import type { ProfileView, UploadTokenView } from '../../../common/api';
import { Banner, Button, ConfirmDialog, EmptyState, PageHeader } from '../../ui/controls';
import { Icon } from '../../ui/icons';
import { appActions } from '../../stores/app';
import { profileActions, useActiveProfile, useProfiles } from '../../stores/profiles';
import { tokenActions, useTokens } from '../../stores/tokens';
import { EnterKeyDialog } from '../profiles/EnterKeyDialog';
import { messageOf } from '../../ui/fieldErrors';
import { envDotClass } from '../profiles/labels';
import { CreateTokenCard } from './CreateTokenCard';
import { Pager } from './Pager';
import { TokenDetailsDialog } from './TokenDetailsDialog';
import { TokenTable } from './TokenTable';
import { useLifetimeOrder } from './useLifetimeOrder';
import './tokens.css';

export function TokensScreen(): ReactElement {
  const profile = useActiveProfile();
  const loaded = useProfiles((s) => s.loaded);
  return (
    <div className="tokens-screen" data-testid="tokens-screen">
      <PageHeader
        title="Upload tokens"
        subtitle={
          profile && profile.authKind !== 'uploadToken' ? (
            <>
              Tokens of <ProfileTag profile={profile} />: each lets someone upload videos into this account without your
              API key.
            </>
          ) : (
            'An upload token lets someone upload videos into an account without its API key.'
          )
        }
      />
      {!loaded ? (
        <div className="tokens-loading">
          <span className="spinner" aria-hidden="true" /> Loading profiles…
        </div>
      ) : !profile ? (
        <NoProfile />
      ) : profile.authKind === 'uploadToken' ? (
        <TokenProfile profile={profile} />
      ) : !profile.hasSecret ? (
        <NeedsKey profile={profile} />
      ) : (
        <TokensManager profile={profile} />
      )}
    </div>
  );
}

function ProfileTag({ profile }: { profile: ProfileView }): ReactElement {
  return (
    <span className="profile-tag">
      <span className={envDotClass(profile.environment.kind)} aria-hidden="true" />
      <strong>{profile.name}</strong>
      {profile.name === profile.environment.label ? null : (
        <span className="subtle">({profile.environment.label})</span>
      )}
    </span>
  );
}

function TokensManager({ profile }: { profile: ProfileView }): ReactElement {
  const { query, status, error, items, pagination } = useTokens();
  const ownList = useTokens((s) => s.profileId === profile.id);
  const [details, setDetails] = useState<UploadTokenView | null>(null);
  const [deleting, setDeleting] = useState<UploadTokenView | null>(null);

  useEffect(() => {
    void tokenActions.load(profile.id);
  }, [profile.id]);

  const reload = () => void tokenActions.load(profile.id);
  const firstLoad = !ownList || (status === 'loading' && pagination === null);
  const rows = useLifetimeOrder(profile.id, query, items, pagination);

  return (
    <div className="stack tokens-body">
      <CreateTokenCard profileId={profile.id} onShowDetails={setDetails} />

      <section className="card token-list" aria-labelledby="token-list-title" aria-busy={status === 'loading'}>
        <header className="token-list-head">
          <h2 id="token-list-title">Active tokens</h2>
          {status === 'loading' && !firstLoad ? <span className="spinner" aria-label="Refreshing" /> : null}
          <Button
            variant="ghost"
            icon="retry"
            onClick={reload}
            disabled={status === 'loading'}
            className="token-refresh"
          >
            Refresh
          </Button>
        </header>
        {status === 'error' ? (
          <div className="token-list-error">
            <Banner tone="danger" icon="alert" action={<Button onClick={reload}>Try again</Button>}>
              <strong>Could not load the tokens.</strong> <span data-testid="tokens-error">{error}</span>
            </Banner>
          </div>
        ) : firstLoad ? (
          <SkeletonRows />
        ) : items.length === 0 ? (
          <EmptyState icon="tokens" title="No active tokens">
            Create one above and hand it, or its upload URL, to whoever should upload. Expired tokens are not listed.
          </EmptyState>
        ) : (
          <TokenTable items={rows} onDetails={setDetails} onDelete={setDeleting} />
        )}
        {pagination && pagination.itemsTotal > 0 && status !== 'error' ? (
          <footer className="token-list-foot">
            <Pager
              pagination={pagination}
              pageSize={query.pageSize}
              busy={status === 'loading'}
              noun={['token', 'tokens']}
              onPage={(page) => void tokenActions.changeQuery({ currentPage: page })}
              onPageSize={(size) => void tokenActions.changeQuery({ pageSize: size, currentPage: 1 })}
            />
          </footer>
        ) : null}
      </section>

      <TokenDetailsDialog
        token={details}
        baseUrl={profile.environment.baseUrl}
        onClose={() => setDetails(null)}
        onDelete={(t) => {
          setDetails(null);
          setDeleting(t);
        }}
      />
      <DeleteTokenDialog profileId={profile.id} token={deleting} onDone={() => setDeleting(null)} />
    </div>
  );
}

function SkeletonRows(): ReactElement {
  return (
    <div className="token-skeleton" aria-label="Loading tokens" role="status">
      {[0, 1, 2].map((i) => (
        <div key={i} className="skeleton-row" aria-hidden="true" />
      ))}
    </div>
  );
}

function DeleteTokenDialog({
  profileId,
  token,
  onDone,
}: {
  profileId: string;
  token: UploadTokenView | null;
  onDone: () => void;
}): ReactElement {
  return (
    <ConfirmDialog
      open={token !== null}
      title="Delete this upload token?"
      confirmLabel="Delete token"
      onConfirm={async () => {
        if (!token) return;
        await tokenActions.remove(profileId, token.token);
        appActions.notify({ level: 'info', message: `Deleted the upload token ${token.token}.` });
      }}
      onCancel={onDone}
      message={
        <>
          <code>{token?.token}</code> stops working at once: nobody can start an upload with it any more. Videos already
          uploaded with it stay.
        </>
      }
    />
  );
}

function NoProfile(): ReactElement {
  return (
    <div className="card">
      <EmptyState
        icon="profiles"
        title="No active profile"
        action={
          <Button variant="primary" onClick={() => appActions.setView('profiles')}>
            Go to Profiles
          </Button>
        }
      >
        Upload tokens belong to an api.video account. Add a profile with an API key, or pick one, to manage its tokens.
      </EmptyState>
    </div>
  );
}

function NeedsKey({ profile }: { profile: ProfileView }): ReactElement {
  const [open, setOpen] = useState(false);
  return (
    <div className="card">
      <EmptyState
        icon="tokens"
        title="This profile needs its key again"
        action={
          <Button variant="primary" onClick={() => setOpen(true)}>
            Enter key
          </Button>
        }
      >
        “{profile.name}” keeps its API key for one session only, and this session does not have it yet. Enter it to list
        and create upload tokens.
      </EmptyState>
      {open ? <EnterKeyDialog profile={profile} open onClose={() => setOpen(false)} /> : null}
    </div>
  );
}

/** A profile that signs in with an upload token cannot manage tokens: say why, and offer the way out. */
function TokenProfile({ profile }: { profile: ProfileView }): ReactElement {
  const profiles = useProfiles((s) => s.profiles); // select the array itself: a filtered copy would re-render forever
  // The API-key profile of this token's account comes first: its tokens are the ones this token is among.
  const own = profile.accountKeyProfile?.id;
  const keyProfiles = profiles
    .filter((p) => p.authKind !== 'uploadToken' && p.hasSecret)
    .sort((a, b) => Number(b.id === own) - Number(a.id === own));
  const [error, setError] = useState<string | null>(null);
  const switchTo = async (id: string) => {
    try {
      await profileActions.activate(id);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <div className="card token-profile-note" data-testid="token-profile-note">
      <div className="note-icon">
        <Icon name="tokens" size={26} />
      </div>
      <div className="note-body">
        <h2>Tokens are managed with an API key</h2>
        <p>
          “{profile.name}” signs in with an upload token ({profile.keyHint}). Such a token can upload videos, but
          api.video does not let it create, list or delete tokens. That takes the account's API key.
        </p>
        <ul className="note-points">
          <li>
            <Icon name="check" size={14} /> Uploading with this profile works as usual.
          </li>
          <li>
            <Icon name="check" size={14} /> To manage tokens, switch to a profile that uses an API key.
          </li>
        </ul>
        {error ? (
          <p className="field-error" role="alert">
            <Icon name="alert" size={14} /> {error}
          </p>
        ) : null}
        <div className="row note-actions">
          {keyProfiles.slice(0, 2).map((p) => (
            <Button
              key={p.id}
              variant={p === keyProfiles[0] ? 'primary' : 'secondary'}
              onClick={() => void switchTo(p.id)}
              data-testid="switch-to-key-profile"
            >
              <span className={envDotClass(p.environment.kind)} aria-hidden="true" /> Switch to {p.name}
            </Button>
          ))}
          <Button variant={keyProfiles.length > 0 ? 'ghost' : 'primary'} onClick={() => appActions.setView('profiles')}>
            {keyProfiles.length > 0 ? 'Manage profiles' : 'Add a profile with an API key'}
          </Button>
        </div>
      </div>
    </div>
  );
}
