// How the captions, chapters and thumbnail beside a video read on its row and in Results: each one's label, its
// state in words and an icon (never colour alone), why, whether it can still be dropped, and the summary.
import { describe, expect, it } from 'vitest';
import { sidecarViewStates, type SidecarView } from '../../../common/api';
import { fileName } from '../../../renderer/features/uploads/rowText';
import {
  canDropSidecar,
  problemCount,
  problemText,
  SIDECARS_NEED_KEY,
  sidecarExplanation,
  sidecarLabel,
  sidecarListText,
  sidecarLook,
  sidecarSummary,
} from '../../../renderer/features/uploads/sidecarText';

const caption = (language: string, extra: Partial<SidecarView> = {}): SidecarView => ({
  key: `caption:${language}`,
  kind: 'caption',
  path: `/v/talk.${language}.vtt`,
  language,
  state: 'waiting',
  ...extra,
});
const thumbnail: SidecarView = { key: 'thumbnail', kind: 'thumbnail', path: '/v/talk.jpg', state: 'waiting' };
const chapters: SidecarView = {
  key: 'chapters:en',
  kind: 'chapters',
  path: '/v/talk.chapters.vtt',
  language: 'en',
  state: 'waiting',
};

describe('sidecar text', () => {
  it('labels each kind as people say it, the default caption marked', () => {
    expect(sidecarLabel(caption('en', { isDefault: true }))).toBe('EN captions (default)');
    expect(sidecarLabel(caption('fr'))).toBe('FR captions');
    expect(sidecarLabel(caption('pt-BR'))).toBe('PT-BR captions');
    expect(sidecarLabel(chapters)).toBe('Chapters EN');
    expect(sidecarLabel(thumbnail)).toBe('Thumbnail');
    expect(sidecarLabel({ kind: 'unknown', path: 'C:\\v\\talk.english-subs.vtt' })).toBe('talk.english-subs.vtt');
  });

  it('says every state in words with an icon of its own where the tone alone would differ', () => {
    const looks = sidecarViewStates.map((state) => sidecarLook(state));
    expect(new Set(looks.map((l) => l.label)).size).toBe(sidecarViewStates.length);
    for (const look of looks) expect(look.label.length).toBeGreaterThan(0);
    // States that share a colour are told apart by their icon and words.
    expect(sidecarLook('invalid').icon).not.toBe(sidecarLook('needs-key').icon);
    expect(sidecarLook('done').icon).toBe('check');
  });

  it('can drop one only before it leaves', () => {
    expect(sidecarViewStates.filter(canDropSidecar)).toEqual(['waiting', 'invalid', 'pending']);
  });

  it('gives the reason, the engine’s words first, and tells an upload token what to do', () => {
    const bad = caption('de', { state: 'invalid', reason: 'line 3 has a timing that does not parse: "00:01 --> x"' });
    expect(sidecarExplanation(bad)).toBe(bad.reason);
    expect(sidecarExplanation(caption('en', { state: 'needs-key' }))).toBe(SIDECARS_NEED_KEY);
    expect(SIDECARS_NEED_KEY).toMatch(/need the API key: an upload token can only upload videos/);
    expect(sidecarExplanation(caption('de', { state: 'failed' }))).toBe('The file or the server refused it.');
    // One on its way says nothing more (the list says once when they are sent); what was done to it, if anything.
    expect(sidecarExplanation(caption('en', { state: 'waiting' }))).toBe('');
    expect(sidecarExplanation(caption('fr', { state: 'done', reason: 'Sent as WebVTT (converted from SRT)' }))).toBe(
      'Sent as WebVTT (converted from SRT)',
    );
  });

  it('summarises what goes with the video, the default caption first, the ones not sent counted apart', () => {
    const all = [
      caption('fr'),
      caption('en', { isDefault: true, state: 'done' }),
      caption('de', { state: 'invalid', key: 'file:talk.de.vtt', reason: 'no cue' }),
      chapters,
      thumbnail,
    ];
    expect(sidecarSummary(all)).toBe('Captions EN, FR · Chapters EN · Thumbnail');
    expect(sidecarSummary([thumbnail])).toBe('Thumbnail');
    expect(sidecarSummary([])).toBe('');
    expect(sidecarSummary(undefined)).toBe('');
    expect(problemCount(all)).toBe(1);
    expect(problemText(all)).toBe('1 not sent');
    expect(problemText([caption('en', { state: 'failed' }), { ...thumbnail, state: 'needs-key' }])).toBe('2 not sent');
    expect(problemText([thumbnail])).toBe('');
  });

  it('lists each one with its state for a tooltip and screen readers', () => {
    expect(
      sidecarListText([
        caption('en', { isDefault: true, state: 'done', reason: 'Sent as WebVTT (converted from SRT)' }),
        caption('de', { state: 'failed', reason: 'The server refused it.' }),
        { ...thumbnail, state: 'needs-key' },
      ]),
    ).toBe(
      `EN captions (default): Sent. DE captions: Failed (The server refused it.). Thumbnail: Needs API key (${SIDECARS_NEED_KEY}).`,
    );
  });

  it('takes the file name from a path in either separator', () => {
    expect(fileName('/v/talk.en.vtt')).toBe('talk.en.vtt');
    expect(fileName('C:\\v\\talk.jpg')).toBe('talk.jpg');
    expect(fileName('talk.jpg')).toBe('talk.jpg');
  });
});
