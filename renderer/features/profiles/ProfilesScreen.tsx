// The Profiles screen: every profile with its environment, credential and secret storage; add, switch,
// rename, check, give a session-only profile its key again, and remove (with confirmation).
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { ProfileView } from '../../../common/api';
import { Banner, Button, ConfirmDialog, EmptyState, PageHeader } from '../../ui/controls';
import { Icon } from '../../ui/icons';
import { useApp } from '../../stores/app';
import { profileActions, useProfiles } from '../../stores/profiles';
import { AddProfileDialog } from './AddProfileDialog';
import { EnterKeyDialog } from './EnterKeyDialog';
import { ProfileCard } from './ProfileCard';
import './profiles.css';

/**
 * The remove confirmation closed: focus went back to the card's Remove button, unless the card is gone with the
 * profile; then it goes to the screen's heading, not to the page.
 */
function useFocusAfterRemoval(asking: boolean): void {
  const asked = useRef(false);
  useEffect(() => {
    if (asking) {
      asked.current = true;
      return;
    }
    if (!asked.current) return;
    asked.current = false;
    const active = document.activeElement;
    if (!active || active === document.body) document.querySelector<HTMLElement>('#content h1')?.focus();
  }, [asking]);
}

export function ProfilesScreen(): ReactElement {
  const { profiles, activeId, loaded } = useProfiles();
  const secretStorage = useApp((s) => s.info?.secretStorage);
  const [adding, setAdding] = useState(0); // 0 = closed; each opening gets a fresh form
  const [addOpen, setAddOpen] = useState(false);
  const [keyFor, setKeyFor] = useState<ProfileView | null>(null);
  const [removing, setRemoving] = useState<ProfileView | null>(null);

  useFocusAfterRemoval(removing !== null);

  const openAdd = () => {
    setAdding((n) => n + 1);
    setAddOpen(true);
  };

  return (
    <div className="profiles-screen" data-testid="profiles-screen">
      <PageHeader
        title="Profiles"
        subtitle="Who uploads, and where. Keys stay with Convoy's engine; this screen only ever sees their last four characters."
        actions={
          <Button variant="primary" icon="plus" onClick={openAdd} data-testid="add-profile">
            Add profile
          </Button>
        }
      />

      {secretStorage && !secretStorage.encrypted ? (
        <div className="profiles-banner">
          <Banner tone="warning" icon="alert">
            <strong>Keys cannot be encrypted on this computer.</strong>{' '}
            {secretStorage.warning ?? 'The system keychain is not available.'} New profiles can keep their key for this
            session only.
          </Banner>
        </div>
      ) : null}

      {!loaded ? (
        <ul className="profile-list" aria-busy="true" aria-label="Loading profiles">
          {[0, 1].map((i) => (
            <li key={i} className="card profile-card skeleton" aria-hidden="true" />
          ))}
        </ul>
      ) : profiles.length === 0 ? (
        <div className="card">
          <EmptyState
            icon="profiles"
            title="No profiles yet"
            action={
              <Button variant="primary" icon="plus" onClick={openAdd}>
                Add a profile
              </Button>
            }
          >
            A profile is an api.video environment plus the key that uploads to it. Start with the built-in Local sandbox
            to try Convoy without an account, or paste an API key from your api.video dashboard.
          </EmptyState>
        </div>
      ) : (
        <ul className="profile-list" aria-label="Profiles">
          {profiles.map((p) => (
            <ProfileCard
              key={p.id}
              profile={p}
              active={p.id === activeId}
              onRemove={() => setRemoving(p)}
              onEnterKey={() => setKeyFor(p)}
            />
          ))}
        </ul>
      )}

      {loaded && profiles.length > 0 ? (
        <p className="profiles-foot subtle">
          <Icon name="tokens" size={14} /> The active profile is the one uploads and upload tokens use; switch it here
          or from the top bar.
        </p>
      ) : null}

      <AddProfileDialog key={adding} open={addOpen} onClose={() => setAddOpen(false)} />
      {keyFor ? <EnterKeyDialog key={keyFor.id} profile={keyFor} open onClose={() => setKeyFor(null)} /> : null}
      <RemoveDialog profile={removing} onDone={() => setRemoving(null)} />
    </div>
  );
}

function RemoveDialog({ profile, onDone }: { profile: ProfileView | null; onDone: () => void }): ReactElement {
  return (
    <ConfirmDialog
      open={profile !== null}
      title="Remove this profile?"
      confirmLabel="Remove profile"
      onConfirm={async () => {
        if (profile) await profileActions.remove(profile.id);
      }}
      onCancel={onDone}
      message={
        <>
          Convoy forgets <strong>{profile?.name}</strong> and deletes its{' '}
          {profile?.authKind === 'uploadToken' ? 'token' : 'key'} from this computer. Videos already uploaded stay in
          api.video.
        </>
      }
    />
  );
}
