// @vitest-environment jsdom
// The storage banner: absent while the state directory can be written; otherwise an alert (announced) naming
// the directory and the cause, and saying uploads go on by themselves. Fed through the store as main would.
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageBanner } from '../../../renderer/features/uploads/StorageBanner';
import { useQueue } from '../../../renderer/stores/queue';

const message = 'The state directory /data/uploads is read-only (read-only file system).';
let host: HTMLElement;
let root: Root;

beforeEach(() => {
  Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });
  useQueue.setState({ storage: { writable: true } });
  host = document.body.appendChild(document.createElement('div'));
  root = createRoot(host);
  act(() => root.render(<StorageBanner />));
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

describe('StorageBanner', () => {
  it('shows nothing while the state directory can be written', () => {
    expect(host.innerHTML).toBe('');
  });

  it('alerts with the directory, the cause and what happens next, and goes when writing works again', () => {
    act(() => useQueue.setState({ storage: { writable: false, dir: '/data/uploads', message } }));
    const alert = host.querySelector('[role="alert"]');
    expect(alert).not.toBeNull();
    expect(alert!.querySelector('strong')?.textContent).toBe(message);
    expect(alert!.textContent?.replace(/\s+/g, ' ')).toContain(
      'Uploads are paused; they go on by themselves once Convoy can write there again. ' +
        "Free some space or fix the folder's permissions.",
    );
    // The icon is decoration: the alert's accessible text is the words alone.
    expect(alert!.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');

    act(() => useQueue.setState({ storage: { writable: true } }));
    expect(host.querySelector('[role="alert"]')).toBeNull();
  });
});
