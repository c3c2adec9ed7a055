// The chunk protocol's state machine (NOTES.md §7.5, §7.7): validates one chunk against a video's upload
// state in the documented order, and applies an accepted chunk. Pure functions, no I/O.
import { ApiProblem } from '../problems';
import type { UploadState, VideoRecord } from '../state';
import type { ContentRange } from './content-range';

export const MIN_CHUNK_BYTES = 5 * 1024 * 1024;
export const MAX_CHUNK_BYTES = 200 * 1024 * 1024;
export const MAX_PARTS = 10_000;
export const MAX_TOTAL_BYTES = 52_428_800_000;

/** The committed chunk this request becomes: its storage key and whether it completes the source. */
export interface ChunkPlan {
  key: string;
  completes: boolean;
}

/** 400 when the source can no longer receive bytes. */
export function checkSourceOpen(video: VideoRecord): void {
  if (video.sourceKind === 'copied') throw new ApiProblem('video-source-already-copied', 'file');
  if (video.sourceKind === 'downloaded') throw new ApiProblem('video-source-already-downloaded', 'file');
  if (video.upload.completedAt !== null) throw new ApiProblem('video-source-already-uploaded', 'file');
}

function checkMode(upload: UploadState, range: ContentRange): void {
  if (range.kind === 'none' && (upload.mode === 'bytes' || upload.mode === 'part'))
    throw new ApiProblem('video-content-range-already-initiated', 'Content-Range');
  if (range.kind === 'bytes' && upload.mode === 'part')
    throw new ApiProblem('video-content-range-started-with-part', 'Content-Range');
  if (range.kind === 'part' && upload.mode === 'bytes')
    throw new ApiProblem('video-content-range-started-with-bytes', 'Content-Range');
}

function coveredBytes(upload: UploadState): number {
  return upload.ranges.reduce((sum, range) => sum + (range.to - range.from + 1), 0);
}

function checkBytesHeader(upload: UploadState, range: Extract<ContentRange, { kind: 'bytes' }>): void {
  const name = 'Content-Range';
  if (range.total === 0) throw new ApiProblem('video-content-range-by-bytes-total-bytes-zero', name);
  if (range.total > MAX_TOTAL_BYTES)
    throw new ApiProblem(
      'video-content-range-by-bytes-total-bytes-too-high',
      name,
      `The maximum is ${MAX_TOTAL_BYTES}.`,
    );
  if (range.from > range.to) throw new ApiProblem('video-content-range-by-bytes-from-byte-too-high', name);
  if (range.to > MAX_TOTAL_BYTES - 1)
    throw new ApiProblem(
      'video-content-range-by-bytes-to-byte-too-high-allowed',
      name,
      `The maximum is ${MAX_TOTAL_BYTES - 1}.`,
    );
  const highest = Math.max(-1, ...upload.ranges.map((r) => r.to));
  if (upload.totalBytes !== null && range.total !== upload.totalBytes) {
    if (range.total <= highest)
      throw new ApiProblem(
        'video-content-range-by-bytes-total-bytes-too-low',
        name,
        `A range up to byte ${highest} was already sent.`,
      );
    throw new ApiProblem(
      'video-content-range-by-bytes-different-total-bytes',
      name,
      `The total_bytes already set for this video is ${upload.totalBytes}.`,
    );
  }
  if (range.to >= range.total)
    throw new ApiProblem(
      'video-content-range-by-bytes-to-byte-too-high-total',
      name,
      `to_byte must be below ${range.total}.`,
    );
  const length = range.to - range.from + 1;
  if (length > MAX_CHUNK_BYTES)
    throw new ApiProblem(
      'video-content-range-by-bytes-range-too-large',
      name,
      `A range holds at most ${MAX_CHUNK_BYTES} bytes.`,
    );
  const overlap = upload.ranges.find((r) => r.from <= range.to && range.from <= r.to);
  if (overlap)
    throw new ApiProblem(
      'video-content-range-by-bytes-range-overlap',
      name,
      `Bytes ${overlap.from}-${overlap.to} were already received.`,
    );
  const isLast = range.to === range.total - 1 || coveredBytes(upload) + length === range.total;
  if (length < MIN_CHUNK_BYTES && !isLast)
    throw new ApiProblem(
      'video-content-range-by-bytes-range-too-small',
      name,
      `Every range but the last holds at least ${MIN_CHUNK_BYTES} bytes.`,
    );
}

function effectiveTotalParts(upload: UploadState, range: Extract<ContentRange, { kind: 'part' }>): number | null {
  return range.total ?? upload.totalParts;
}

function checkPartHeader(upload: UploadState, range: Extract<ContentRange, { kind: 'part' }>): void {
  const name = 'Content-Range';
  if (range.part === 0) throw new ApiProblem('video-content-range-by-part-part-zero', name);
  if (range.part > MAX_PARTS)
    throw new ApiProblem('video-content-range-by-part-part-too-high-allowed', name, `The maximum is ${MAX_PARTS}.`);
  if (range.total !== null) {
    if (range.total === 0) throw new ApiProblem('video-content-range-by-part-total-parts-zero', name);
    if (range.total > MAX_PARTS)
      throw new ApiProblem('video-content-range-by-part-total-parts-too-high', name, `The maximum is ${MAX_PARTS}.`);
    const highest = Math.max(0, ...upload.parts.map((p) => p.n));
    if (range.total < highest)
      throw new ApiProblem(
        'video-content-range-by-part-total-parts-too-low',
        name,
        `Part ${highest} was already sent.`,
      );
    if (upload.totalParts !== null && range.total !== upload.totalParts) {
      throw new ApiProblem(
        'video-content-range-by-part-different-total-parts',
        name,
        `The total_parts already set for this video is ${upload.totalParts}.`,
      );
    }
  }
  const total = effectiveTotalParts(upload, range);
  if (total !== null && range.part > total)
    throw new ApiProblem('video-content-range-by-part-part-too-high-total', name, `This video has ${total} parts.`);
  if (upload.parts.some((p) => p.n === range.part))
    throw new ApiProblem(
      'video-content-range-by-part-part-already-sent',
      name,
      `Part ${range.part} was already received.`,
    );
}

/** Everything that can be judged from the header alone (run before and again after the body arrives). */
export function checkHeader(video: VideoRecord, range: ContentRange): void {
  checkSourceOpen(video);
  checkMode(video.upload, range);
  if (range.kind === 'bytes') checkBytesHeader(video.upload, range);
  if (range.kind === 'part') checkPartHeader(video.upload, range);
}

/** Full validation once the file part is on disk; returns how the chunk is committed. */
export function planChunk(video: VideoRecord, range: ContentRange, fileSize: number): ChunkPlan {
  checkHeader(video, range);
  if (fileSize === 0) throw new ApiProblem('uploaded-file-empty', 'file');
  const upload = video.upload;
  if (range.kind === 'none') {
    if (fileSize > MAX_CHUNK_BYTES)
      throw new ApiProblem(
        'uploaded-file-too-large',
        'file',
        `A single-request upload holds at most ${MAX_CHUNK_BYTES} bytes; use chunks.`,
      );
    return { key: 'single', completes: true };
  }
  if (range.kind === 'bytes') {
    const length = range.to - range.from + 1;
    if (fileSize !== length) {
      throw new ApiProblem(
        'video-content-range-by-bytes-range-mismatch',
        'file',
        `The file part holds ${fileSize} bytes; the range declares ${length}.`,
      );
    }
    return { key: `bytes-${range.from}-${range.to}`, completes: coveredBytes(upload) + length === range.total };
  }
  if (fileSize > MAX_CHUNK_BYTES)
    throw new ApiProblem('uploaded-file-too-large', 'file', `A part holds at most ${MAX_CHUNK_BYTES} bytes.`);
  const total = effectiveTotalParts(upload, range);
  const completes = total !== null && upload.parts.length + 1 === total;
  if (fileSize < MIN_CHUNK_BYTES && range.part !== total && !completes) {
    throw new ApiProblem(
      'video-content-range-by-part-uploaded-file-too-small',
      'file',
      `Every part but the last holds at least ${MIN_CHUNK_BYTES} bytes.`,
    );
  }
  return { key: `part-${range.part}`, completes };
}

/** Records an accepted chunk in the upload state (the caller has already moved its bytes into place). */
export function applyChunk(
  upload: UploadState,
  range: ContentRange,
  fileSize: number,
  plan: ChunkPlan,
  now: number,
): void {
  upload.firstChunkAt ??= now;
  if (range.kind === 'none') upload.mode = 'single';
  if (range.kind === 'bytes') {
    upload.mode = 'bytes';
    upload.totalBytes = range.total;
    upload.ranges.push({ from: range.from, to: range.to });
    upload.ranges.sort((a, b) => a.from - b.from);
  }
  if (range.kind === 'part') {
    upload.mode = 'part';
    upload.totalParts = range.total ?? upload.totalParts;
    upload.parts.push({ n: range.part, size: fileSize });
    upload.parts.sort((a, b) => a.n - b.n);
  }
  if (plan.completes) {
    upload.completedAt = now;
    upload.filesize =
      range.kind === 'bytes'
        ? range.total
        : range.kind === 'part'
          ? upload.parts.reduce((s, p) => s + p.size, 0)
          : fileSize;
  }
}

/** Storage keys of the committed chunks in source order (for assembly). */
export function chunkKeysInOrder(upload: UploadState): string[] {
  if (upload.mode === 'bytes') return upload.ranges.map((r) => `bytes-${r.from}-${r.to}`);
  if (upload.mode === 'part') return upload.parts.map((p) => `part-${p.n}`);
  return [];
}
