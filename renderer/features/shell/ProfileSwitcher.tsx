// The active profile, always in sight in the top bar, with a menu to switch to another one.
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { Icon } from '../../ui/icons';
import { appActions } from '../../stores/app';
import { profileActions, useActiveProfile, useProfiles } from '../../stores/profiles';
import { envDotClass } from '../profiles/labels';

export function ProfileSwitcher(): ReactElement {
  const profiles = useProfiles((s) => s.profiles);
  const active = useActiveProfile();
  const activeId = active?.id ?? null;
  const [open, setOpen] = useState(false);
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
    await profileActions.activate(id).catch(appActions.notifyError);
  };

  return (
    <div className="profile-switcher" ref={rootRef}>
      <button
        ref={triggerRef}
        type="button"
        className="profile-current"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid="active-profile"
      >
        <span className={active ? envDotClass(active.environment.kind) : 'env-dot'} aria-hidden="true" />
        <span className="profile-current-text">
          <strong>{active?.name ?? 'No profile'}</strong>
          <small>{active ? active.environment.label : 'Add one to start'}</small>
        </span>
        <Icon name="chevron" />
      </button>
      {open ? (
        <div className="menu" role="menu">
          {profiles.map((p) => (
            <button
              key={p.id}
              type="button"
              role="menuitemradio"
              aria-checked={p.id === activeId}
              className="menu-item"
              onClick={() => void choose(p.id)}
            >
              <span className={envDotClass(p.environment.kind)} aria-hidden="true" />
              <span className="menu-item-text">
                <strong>{p.name}</strong>
                <small>
                  {p.environment.label} · {p.keyHint}
                </small>
              </span>
              {p.id === activeId ? <Icon name="check" /> : null}
            </button>
          ))}
          <div className="menu-sep" />
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={() => {
              setOpen(false);
              appActions.setView('profiles');
            }}
          >
            <Icon name="settings" /> <span className="menu-item-text">Manage profiles…</span>
          </button>
        </div>
      ) : null}
    </div>
  );
}
