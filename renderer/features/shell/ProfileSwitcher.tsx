// The active profile, always in sight in the top bar, with a menu to switch to another one.
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { Icon } from '../../ui/icons';
import { useApp } from '../../stores/app';
import { useActiveProfile, useProfiles } from '../../stores/profiles';
import type { ProfileView } from '../../../preload/api';
import { messageOf } from '../../ui/fieldErrors';

const envTone: Record<string, string> = { local: 'env-local', sandbox: 'env-sandbox', production: 'env-production', custom: 'env-custom' };

/** The environment under the profile's name; its host when the name already says the environment. */
function environmentLine(profile: ProfileView): string {
  if (profile.environment.label !== profile.name) return profile.environment.label;
  try {
    return new URL(profile.environment.baseUrl).host;
  } catch {
    return profile.environment.label;
  }
}

export function ProfileSwitcher(): ReactElement {
  const profiles = useProfiles((s) => s.profiles);
  const active = useActiveProfile();
  const activeId = active?.id ?? null;
  const [open, setOpen] = useState(false);
  const setView = useApp((s) => s.setView);
  const rootRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);

  // An open menu closes on Escape (wherever focus is) and on a click anywhere outside it, as menus do.
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      triggerRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const choose = async (id: string) => {
    setOpen(false);
    await window.convoy.profiles.activate({ id }).catch((error: Error) =>
      useApp.getState().notify({ level: 'error', message: messageOf(error) }));
  };

  return (
    <div className="profile-switcher" ref={rootRef}>
      <button ref={triggerRef} type="button" className="profile-current" aria-haspopup="menu" aria-expanded={open}
        onClick={() => setOpen(!open)} data-testid="active-profile">
        <span className={`env-dot ${active ? envTone[active.environment.kind] : ''}`} aria-hidden="true" />
        <span className="profile-current-text">
          <strong>{active?.name ?? 'No profile'}</strong>
          <small>{active ? environmentLine(active) : 'Add one to start'}</small>
        </span>
        <Icon name="chevron" />
      </button>
      {open ? (
        <div className="menu" role="menu">
          {profiles.map((p) => (
            <button key={p.id} type="button" role="menuitemradio" aria-checked={p.id === activeId} className="menu-item"
              onClick={() => void choose(p.id)}>
              <span className={`env-dot ${envTone[p.environment.kind]}`} aria-hidden="true" />
              <span className="menu-item-text"><strong>{p.name}</strong><small>{p.environment.label} · {p.keyHint}</small></span>
              {p.id === activeId ? <Icon name="check" /> : null}
            </button>
          ))}
          <div className="menu-sep" />
          <button type="button" role="menuitem" className="menu-item" onClick={() => { setOpen(false); setView('profiles'); }}>
            <Icon name="settings" /> <span className="menu-item-text">Manage profiles…</span>
          </button>
        </div>
      ) : null}
    </div>
  );
}
