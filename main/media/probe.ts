// One file's preflight, in whatever thread runs it: open, sniff the first bytes, hand the file to the parser of
// its container, and turn every refusal or read error into a reason that names the file.
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { describeReadError } from '../lib/read-error';
import { readAvi } from './avi';
import { BoundedReader } from './bounded-reader';
import { readIsoBmff } from './isobmff';
import { readMatroska } from './matroska';
import type { MediaFacts, PreflightResult } from './media-facts';
import { Refusal } from './media-facts';
import { readWithMediaInfo } from './mediainfo-fallback';
import { SNIFF_BYTES, sniff } from './sniff';

export async function probeFile(path: string): Promise<PreflightResult> {
  const name = basename(path);
  let handle;
  try {
    // Looked at before opening: opening a named pipe would wait for a writer, holding a disk thread for good.
    if (!(await stat(path)).isFile()) return { ok: false, code: 'not-video', reason: `${name} is not a regular file` };
    handle = await open(path, 'r');
  } catch (error) {
    return { ok: false, code: 'unreadable', reason: describeReadError(error as NodeJS.ErrnoException, name) };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, code: 'not-video', reason: `${name} is not a regular file` };
    if (info.size === 0) return { ok: false, code: 'not-video', reason: `${name} is not a video: it is empty` };
    const reader = new BoundedReader(handle, info.size);
    return { ok: true, facts: await readFacts(reader) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, code: error.code, reason: `${name} ${error.why}` };
    if (typeof (error as NodeJS.ErrnoException)?.code === 'string')
      return { ok: false, code: 'unreadable', reason: describeReadError(error as NodeJS.ErrnoException, name) };
    // A parser tripping over bytes it did not expect (a RangeError on a damaged box): the file is not understood.
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, code: 'unknown', reason: `${name} could not be understood as a video (${detail})` };
  } finally {
    await handle.close().catch(() => {});
  }
}

async function readFacts(reader: BoundedReader): Promise<MediaFacts> {
  const head = await reader.read(0, SNIFF_BYTES);
  const found = sniff(head);
  switch (found.kind) {
    case 'isobmff':
      return readIsoBmff(reader);
    case 'matroska':
      return readMatroska(reader);
    case 'avi':
      return readAvi(reader);
    case 'mpeg-ts':
      return readWithMediaInfo(reader, 'mpeg-ts');
    case 'other-video':
      return readWithMediaInfo(reader, found.name ?? 'unknown');
    case 'not-video':
      throw new Refusal('not-video', `is not a video: it starts like ${found.what}`);
    case 'unknown':
      throw new Refusal('unknown', 'is not a video Convoy recognises: its first bytes match no video format');
  }
}
