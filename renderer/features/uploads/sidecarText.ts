// How the captions, chapters and thumbnail found beside a video read to a person: each one's label, its state in
// words with an icon (never colour alone), why it was not sent, whether it can still be dropped, and a summary.
import type { SidecarView, SidecarViewState } from '../../../common/api';
import type { Tone } from '../../ui/controls';
import type { IconName } from '../../ui/icons';
import { fileName } from './rowText';

/** What api.video answers an upload token that tries to send one: the row says it too when the engine gave no words. */
export const SIDECARS_NEED_KEY =
  'Captions, chapters and thumbnails need the API key: an upload token can only upload videos. Add an API-key profile of the same account to send them.';

interface StateLook {
  /** A word or two, shown beside the icon. */
  label: string;
  icon: IconName;
  tone: Tone;
  /** Said when the engine gave no reason of its own. */
  meaning: string;
}

const looks: Record<SidecarViewState, StateLook> = {
  waiting: { label: 'Waiting', icon: 'clock', tone: 'neutral', meaning: 'Sent once the video’s upload is complete.' },
  invalid: {
    label: 'Not sent',
    icon: 'alert',
    tone: 'warning',
    meaning: 'It cannot be sent as it is; the video uploads regardless.',
  },
  pending: { label: 'Queued', icon: 'clock', tone: 'neutral', meaning: 'Next to be sent, after the video.' },
  sending: { label: 'Sending', icon: 'upload', tone: 'info', meaning: 'Being sent to the video now.' },
  done: { label: 'Sent', icon: 'check', tone: 'success', meaning: 'On the video on the server.' },
  failed: { label: 'Failed', icon: 'alert', tone: 'danger', meaning: 'The file or the server refused it.' },
  'needs-key': { label: 'Needs API key', icon: 'tokens', tone: 'warning', meaning: SIDECARS_NEED_KEY },
};

export function sidecarLook(state: SidecarViewState): StateLook {
  return looks[state];
}

/** "en" -> "EN", "pt-BR" -> "PT-BR": the tag as written in file names, in capitals so it reads as a code. */
function languageCode(language: string | undefined): string {
  return (language ?? '').toUpperCase();
}

/** "EN captions (default)", "FR captions", "Chapters EN", "Thumbnail"; a file not understood: its name. */
export function sidecarLabel(sidecar: Pick<SidecarView, 'kind' | 'language' | 'isDefault' | 'path'>): string {
  const lang = languageCode(sidecar.language);
  switch (sidecar.kind) {
    case 'caption':
      return `${lang ? `${lang} captions` : 'Captions'}${sidecar.isDefault ? ' (default)' : ''}`;
    case 'chapters':
      return lang ? `Chapters ${lang}` : 'Chapters';
    case 'thumbnail':
      return 'Thumbnail';
    default:
      return fileName(sidecar.path);
  }
}

/**
 * Why it is in its state, in words: the engine's reason (what was done to it, or why it was not sent), else, for
 * one that will not reach the video, what its state means (an upload token's refusal always says what to do). ''
 * for one on its way with nothing to add: the list says once that they are sent after the video.
 */
export function sidecarExplanation(sidecar: Pick<SidecarView, 'state' | 'reason'>): string {
  const reason = sidecar.reason?.trim();
  if (sidecar.state === 'needs-key') return reason || SIDECARS_NEED_KEY;
  return reason || (isSidecarProblem(sidecar.state) ? looks[sidecar.state].meaning : '');
}

/** Whether any is still to be sent: the list then says when that happens. */
export function anyAwaitingVideo(sidecars: readonly SidecarView[]): boolean {
  return sidecars.some((s) => s.state === 'waiting' || s.state === 'pending');
}

/** Before it leaves (checked, queued, or refused by the check) a sidecar can still be dropped; after, it stays. */
export function canDropSidecar(state: SidecarViewState): boolean {
  return state === 'waiting' || state === 'pending' || state === 'invalid';
}

/** A sidecar that will not reach the video (or has not, for want of a key): the row flags these. */
export function isSidecarProblem(state: SidecarViewState): boolean {
  return state === 'invalid' || state === 'failed' || state === 'needs-key';
}

/**
 * What goes with the video, in a few words: "Captions EN, FR · Chapters EN · Thumbnail" (the default caption
 * first). Those that will not be sent (`invalid`) are left out: `problemCount` tells them. '' when none.
 */
export function sidecarSummary(sidecars: readonly SidecarView[] | undefined): string {
  const sent = (sidecars ?? []).filter((s) => s.state !== 'invalid');
  const captions = sent
    .filter((s) => s.kind === 'caption')
    .sort((a, b) => Number(Boolean(b.isDefault)) - Number(Boolean(a.isDefault)))
    .map((s) => languageCode(s.language) || '?');
  const chapters = sent.filter((s) => s.kind === 'chapters').map((s) => languageCode(s.language) || '?');
  const parts = [
    captions.length ? `Captions ${captions.join(', ')}` : '',
    chapters.length ? `Chapters ${chapters.join(', ')}` : '',
    sent.some((s) => s.kind === 'thumbnail') ? 'Thumbnail' : '',
  ];
  return parts.filter(Boolean).join(' · ');
}

/** How many will not reach the video as things stand: invalid, failed, or waiting for a key. */
export function problemCount(sidecars: readonly SidecarView[] | undefined): number {
  return (sidecars ?? []).filter((s) => isSidecarProblem(s.state)).length;
}

/** "1 not sent", "2 not sent": the flag beside a summary; '' when every one is fine. */
export function problemText(sidecars: readonly SidecarView[] | undefined): string {
  const n = problemCount(sidecars);
  return n > 0 ? `${n} not sent` : '';
}

/** One line per sidecar, for a tooltip or a screen reader: "EN captions (default): Sent. FR captions: Failed: …". */
export function sidecarListText(sidecars: readonly SidecarView[] | undefined): string {
  return (sidecars ?? [])
    .map((s) => {
      const look = looks[s.state];
      const why = s.state === 'done' || s.state === 'waiting' || s.state === 'pending' ? '' : s.reason?.trim();
      const words = s.state === 'needs-key' && !why ? SIDECARS_NEED_KEY : why;
      return `${sidecarLabel(s)}: ${look.label}${words ? ` (${words})` : ''}.`;
    })
    .join(' ');
}
