// @vitest-environment jsdom
// The journal banner: absent without a notice; otherwise an alert (announced) with what was found and, when token
// uploads wait for the user's word, why and "Upload N anyway"; else "OK". Its button asks main (through the store)
// and the banner goes once main has answered. Fed through the store and a fake transport as main would.
import { act } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BridgeTransport, JournalNotice } from '../../../common/api';
import { buildApi } from '../../../common/api';
import { JournalBanner } from '../../../renderer/features/uploads/JournalBanner';
import { useQueue } from '../../../renderer/stores/queue';
import { mountEachTest } from './mounted';

const message = 'The upload journal in /data/uploads was lost (every snapshot is gone).';
const notice = (holding: number): JournalNotice => ({ kind: 'lost', message, holding });
let asked: string[];
let answer: (value: { resumed: number }) => void;

beforeEach(() => {
  asked = [];
  const transport: BridgeTransport = {
    kind: 'websocket',
    invoke: (channel) => {
      asked.push(channel);
      return new Promise((resolve) => (answer = (value) => resolve({ ok: true, value })));
    },
    subscribe: () => () => {},
    pathForFile: () => null,
  };
  Object.assign(window, { convoy: buildApi(transport) });
  useQueue.setState({ journal: null });
});
const view = mountEachTest(() => <JournalBanner />);

const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim();

describe('JournalBanner', () => {
  it('shows nothing without a notice', () => {
    expect(view.host.innerHTML).toBe('');
  });

  it('with one file held: says why it waits and offers "Upload 1 anyway", which asks main and then goes', async () => {
    act(() => useQueue.setState({ journal: notice(1) }));
    const alert = view.host.querySelector('[role="alert"]');
    expect(alert).not.toBeNull();
    expect(text(alert!.querySelector('strong'))).toBe(message);
    expect(text(alert)).toContain(
      'With an upload token alone Convoy cannot tell whether this 1 file already arrived, so it waits for your word. ' +
        'Uploading it anyway may create a second video of a file that is already there.',
    );
    // The icon is decoration: the alert's accessible text is the words alone.
    expect(alert!.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');

    const button = alert!.querySelector('button')!;
    expect(text(button)).toBe('Upload 1 anyway');
    expect(button.getAttribute('type')).toBe('button');
    button.focus();
    expect(document.activeElement).toBe(button); // reachable from the keyboard
    act(() => button.click());
    expect(asked).toEqual(['queue.acknowledgeJournal']);
    // While main answers, the button says so and cannot be pressed twice.
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(button.disabled).toBe(true);
    expect(view.host.querySelector('[role="alert"]')).not.toBeNull();

    await act(async () => answer({ resumed: 1 }));
    expect(view.host.querySelector('[role="alert"]')).toBeNull();
  });

  it('with several files held: counts them', () => {
    act(() => useQueue.setState({ journal: notice(3) }));
    const alert = view.host.querySelector('[role="alert"]');
    expect(text(alert)).toContain(
      'With an upload token alone Convoy cannot tell whether these 3 files already arrived, so they wait for your ' +
        'word. Uploading them anyway may create a second video of files that are already there.',
    );
    expect(text(alert!.querySelector('button'))).toBe('Upload 3 anyway');
  });

  it('with nothing held: says uploads continue, and "OK" acknowledges', async () => {
    act(() => useQueue.setState({ journal: notice(0) }));
    const alert = view.host.querySelector('[role="alert"]');
    expect(text(alert!.querySelector('.banner-body'))).toBe(
      `${message} Files already on the server are found there; unfinished uploads continue.`,
    );
    expect(text(alert!.querySelector('button'))).toBe('OK');
    act(() => alert!.querySelector('button')!.click());
    expect(asked).toEqual(['queue.acknowledgeJournal']);
    await act(async () => answer({ resumed: 0 }));
    expect(view.host.innerHTML).toBe('');
  });

  it('goes when main says the notice was acknowledged elsewhere', () => {
    act(() => useQueue.setState({ journal: notice(2) }));
    expect(view.host.querySelector('[role="alert"]')).not.toBeNull();
    act(() => useQueue.setState({ journal: null }));
    expect(view.host.innerHTML).toBe('');
  });
});
