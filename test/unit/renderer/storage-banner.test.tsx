// @vitest-environment jsdom
// The storage banner: absent while the state directory can be written; otherwise an alert (announced) naming
// the directory and the cause, and saying uploads go on by themselves. Fed through the store as main would.
import { act } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { StorageBanner } from '../../../renderer/features/uploads/StorageBanner';
import { useQueue } from '../../../renderer/stores/queue';
import { mountEachTest } from './mounted';

const message = 'The state directory /data/uploads is read-only (read-only file system).';
beforeEach(() => {
  useQueue.setState({ storage: { writable: true } });
});
const view = mountEachTest(() => <StorageBanner />);

describe('StorageBanner', () => {
  it('shows nothing while the state directory can be written', () => {
    expect(view.host.innerHTML).toBe('');
  });

  it('alerts with the directory, the cause and what happens next, and goes when writing works again', () => {
    act(() => useQueue.setState({ storage: { writable: false, dir: '/data/uploads', message } }));
    const alert = view.host.querySelector('[role="alert"]');
    expect(alert).not.toBeNull();
    expect(alert!.querySelector('strong')?.textContent).toBe(message);
    expect(alert!.textContent?.replace(/\s+/g, ' ')).toContain(
      'Uploads are paused; they go on by themselves once Convoy can write there again. ' +
        "Free some space or fix the folder's permissions.",
    );
    // The icon is decoration: the alert's accessible text is the words alone.
    expect(alert!.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');

    act(() => useQueue.setState({ storage: { writable: true } }));
    expect(view.host.querySelector('[role="alert"]')).toBeNull();
  });
});
