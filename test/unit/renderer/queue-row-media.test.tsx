// @vitest-environment jsdom
// A queue row with what the preflight read and the files found beside the video: the length, picture and codec
// under the title, a summary of the sidecars that opens their chips (state in words and an icon, why, Drop while
// not yet sent), reached by Tab only from the row that holds the keyboard; a file the preflight refused says what
// it is, with "Upload anyway" only where no parser recognised it. Fed through the store as main would.
import { act } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { JobView, QueueSnapshot } from '../../../common/api';
import { QueueRow } from '../../../renderer/features/uploads/QueueRow';
import { queueActions } from '../../../renderer/stores/queue';
import { jobView, queueTotals } from '../../support/queue-views';
import { mountEachTest } from './mounted';

const talk: JobView = jobView('talk', {
  path: '/v/talk.mp4',
  name: 'talk.mp4',
  media: { container: 'mp4', durationSec: 125, width: 1920, height: 1080, fps: 25, videoCodec: 'h264' },
  sidecars: [
    { key: 'caption:en', kind: 'caption', path: '/v/talk.en.vtt', language: 'en', isDefault: true, state: 'waiting' },
    { key: 'caption:fr', kind: 'caption', path: '/v/talk.fr.srt', language: 'fr', state: 'done' },
    { key: 'thumbnail', kind: 'thumbnail', path: '/v/talk.jpg', state: 'pending' },
    {
      key: 'file:talk.de.vtt',
      kind: 'caption',
      path: '/v/talk.de.vtt',
      language: 'de',
      state: 'invalid',
      reason: 'talk.de.vtt is not WebVTT: its first line is not "WEBVTT"',
    },
  ],
});

function load(jobs: JobView[]): void {
  const snapshot: QueueSnapshot = {
    jobs,
    totals: queueTotals(),
    settings: { concurrency: 4, bandwidthLimit: null, chunkSize: 'adaptive', waitForPlayable: false },
    network: { online: true, message: 'Connected.' },
  };
  act(() => queueActions.applySnapshot(snapshot));
}

const pdf = jobView('report', {
  state: 'skipped',
  refused: 'not-video',
  reason: 'report.mp4 is not a video: it starts like a PDF document.',
});
const odd = jobView('odd', {
  state: 'skipped',
  refused: 'unknown',
  reason: 'odd.mp4: no parser recognised it. If it is a video, choose "Upload anyway".',
});
const duplicate = jobView('again', { state: 'skipped', reason: 'Already uploaded with this profile.' });
beforeEach(() => load([talk, { ...talk, id: 'other' }, jobView('plain'), pdf, odd, duplicate]));
const rowProps = { index: 0, top: 0, root: '/v', onEdit: () => {}, onCancel: () => {}, onFocusRow: () => {} };
const view = mountEachTest(() => (
  <>
    <QueueRow id="talk" focused {...rowProps} />
    <QueueRow id="other" focused={false} {...rowProps} />
    <QueueRow id="plain" focused={false} {...rowProps} />
    <QueueRow id="report" focused={false} {...rowProps} />
    <QueueRow id="odd" focused {...rowProps} />
    <QueueRow id="again" focused={false} {...rowProps} />
  </>
));
const row = (id: string) => view.host.querySelector<HTMLElement>(`[data-job-id="${id}"]`)!;
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim();

describe('a queue row with media facts and sidecars', () => {
  it('says the length, picture and codec under the title, and everything read in its tooltip', () => {
    const facts = row('talk').querySelector('[data-testid="row-media"]');
    expect(text(facts)).toBe('2:05 · 1920×1080 · h264');
    expect(facts?.getAttribute('title')).toBe('MP4, 2 min 5 s, 1920×1080 at 25 fps, video h264');
    expect(row('plain').querySelector('[data-testid="row-media"]')).toBeNull();
  });

  it('sums up the sidecars on the row, flagging the one not sent, and names the file for screen readers', () => {
    const trigger = row('talk').querySelector<HTMLButtonElement>('[data-testid="row-sidecars"]')!;
    expect(text(trigger)).toBe('Files beside talk.mp4: Captions EN, FR · Thumbnail, 1 not sent');
    expect(text(trigger.querySelector('.sc-problems'))).toBe(', 1 not sent');
    expect(trigger.getAttribute('title')).toMatch(
      /^EN captions \(default\): Waiting\. .* DE captions: Not sent \(talk\.de\.vtt is/,
    );
    expect(trigger.getAttribute('popovertarget')).toBe(row('talk').querySelector('[popover]')?.id);
    expect(row('plain').querySelector('[data-testid="row-sidecars"]')).toBeNull();
  });

  it('lists each as a chip with its state in words, why, and Drop only while it has not left', () => {
    const chips = [...row('talk').querySelectorAll<HTMLElement>('.sidecar-chip')];
    const said = (chip: HTMLElement) => {
      const head = chip.querySelector('.sc-head')!.cloneNode(true) as HTMLElement;
      const drop = head.querySelector('.sc-drop');
      drop?.remove();
      return `${text(head)}${drop ? ` [${text(drop)}]` : ''}`;
    };
    expect(chips.map(said)).toEqual([
      'EN captions (default): Waiting [Drop]',
      'FR captions: Sent',
      'Thumbnail: Queued [Drop]',
      'DE captions: Not sent [Drop]',
    ]);
    const invalid = chips[3]!;
    const drop = invalid.querySelector<HTMLButtonElement>('.sc-drop')!;
    expect(drop.getAttribute('aria-label')).toBe('Drop DE captions of talk.mp4');
    // The reason is the button's description, and in view: never in a tooltip alone.
    expect(text(document.getElementById(drop.getAttribute('aria-describedby')!))).toBe(
      'talk.de.vtt — talk.de.vtt is not WebVTT: its first line is not "WEBVTT"',
    );
    for (const chip of chips) expect(chip.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');
  });

  it('is reached by Tab from the row holding the keyboard, and from no other', () => {
    const trigger = (id: string) => row(id).querySelector<HTMLButtonElement>('[data-testid="row-sidecars"]')!;
    expect(trigger('talk').tabIndex).toBe(0);
    expect(trigger('other').tabIndex).toBe(-1);
  });

  it('says what a refused file is, and offers "Upload anyway" only for one no parser recognised', () => {
    const badge = (id: string) => text(row(id).querySelector('.q-state .badge'));
    expect(badge('report')).toBe('Not a video');
    expect(badge('odd')).toBe('Not recognised');
    expect(badge('again')).toBe('Skipped: duplicate');
    expect(text(row('report').querySelector('.q-reason'))).toBe(pdf.reason);
    expect(row('report').querySelector('.row-anyway')).toBeNull();
    expect(row('again').querySelector('.row-anyway')).toBeNull();
    const anyway = row('odd').querySelector<HTMLButtonElement>('.row-anyway')!;
    expect(anyway.getAttribute('aria-label')).toBe('Upload anyway: odd.mp4');
    expect(anyway.tabIndex).toBe(0);
  });
});
