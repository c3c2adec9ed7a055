// Transient notices in the corner: what just happened, errors that belong to no single field.
import type { ReactElement } from 'react';
import { appActions, useApp } from '../../stores/app';
import { IconButton } from '../../ui/controls';
import { Icon } from '../../ui/icons';

export function Notices(): ReactElement {
  const notices = useApp((s) => s.notices);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.level}`} role={n.level === 'error' ? 'alert' : 'status'}>
          <Icon name={n.level === 'info' ? 'check' : 'alert'} />
          <span>{n.message}</span>
          <IconButton icon="close" label="Dismiss" onClick={() => appActions.dismiss(n.id)} />
        </div>
      ))}
    </div>
  );
}
