// What a preflight learns about one file (container, duration, picture, codecs) or why the file is refused: the
// types, and the helpers the parsers share. Free of zod on purpose: the preflight worker loads this, and zod alone
// added 90-270 ms to the worker's start, which every run waits for. The runtime checks: media-facts-schema.ts.
import type { MediaFactsView } from '../../common/contract/queue';

/**
 * What a parser read of a video: the queue's own view of it (the contract's `MediaFactsView`), every field but the
 * container left out when it could not be read.
 */
export type MediaFacts = MediaFactsView;

/**
 * Why a file was refused: 'not-video' (it is something else, or holds no picture), 'truncated' (cut short),
 * 'unreadable' (the OS refused or the file vanished), 'unknown' (no parser recognised it: the case an override
 * is for).
 */
export const refusalCodes = ['not-video', 'truncated', 'unreadable', 'unknown'] as const;
export type RefusalCode = (typeof refusalCodes)[number];

/** A file's preflight: its facts, or the refusal in plain words (the reason names the file). */
export type PreflightResult = { ok: true; facts: MediaFacts } | { ok: false; code: RefusalCode; reason: string };

/** Thrown by a parser that has read enough to refuse the file; the worker turns it into a PreflightResult. */
export class Refusal extends Error {
  override readonly name = 'Refusal';
  constructor(
    readonly code: RefusalCode,
    /** The reason without the file's name: "is cut short: its index is missing (the copy may be unfinished)". */
    readonly why: string,
  ) {
    super(why);
  }
}

/** Drops the fields a parser could not read, and values that make no sense (0 fps, NaN seconds). */
export function cleanFacts(facts: { container: string } & Partial<Record<keyof MediaFacts, unknown>>): MediaFacts {
  const out: MediaFacts = { container: facts.container };
  const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (positive(facts.durationSec)) out.durationSec = Math.round(facts.durationSec * 1000) / 1000;
  if (positive(facts.width) && positive(facts.height)) {
    out.width = Math.round(facts.width);
    out.height = Math.round(facts.height);
  }
  if (positive(facts.fps) && facts.fps < 1000) out.fps = Math.round(facts.fps * 1000) / 1000;
  if (typeof facts.videoCodec === 'string' && facts.videoCodec) out.videoCodec = facts.videoCodec;
  if (typeof facts.audioCodec === 'string' && facts.audioCodec) out.audioCodec = facts.audioCodec;
  return out;
}
