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

  // An open menu takes the focus (on the active profile) and the arrow keys, Home and End; it closes on Escape
  // (wherever focus is), on Tab and on a click anywhere outside it, as menus do.
  useEffect(() => {
    if (!open) return;
    const items = () => [...(rootRef.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];
    (items().find((el) => el.getAttribute('aria-checked') === 'true') ?? items()[0])?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      const all = items();
      const at = all.indexOf(document.activeElement as HTMLElement);
      const go = (index: number) => {
        event.preventDefault();
        all[(index + all.length) % all.length]?.focus();
      };
      if (event.key === 'ArrowDown') go(at + 1);
      else if (event.key === 'ArrowUp') go(at < 0 ? -1 : at - 1);
      else if (event.key === 'Home') go(0);
      else if (event.key === 'End') go(-1);
      else if (event.key === 'Tab') setOpen(false);
      else if (event.key === 'Escape') {
        // Handled: the toast, if one shows, leaves this press to the menu.
        event.preventDefault();
        setOpen(false);
        triggerRef.current?.focus();
      }
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
    triggerRef.current?.focus();
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
              tabIndex={-1}
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
          <div className="menu-sep" role="separator" />
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
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
