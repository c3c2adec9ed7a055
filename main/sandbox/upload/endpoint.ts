// The two source-upload endpoints: POST /videos/{id}/source (API key) and POST /upload?token= (delegated).
// Order: cheap header checks → stream the file part to disk → authorize and validate → commit atomically.
import { mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { SandboxContext } from '../context';
import type { UploadTokenRecord, VideoRecord } from '../state';
import { ApiProblem } from '../problems';
import { atom } from '../clock';
import { findVideo, newVideoRecord, presentVideo } from '../videos';
import { CONTINUATION_GRACE_MS, expiresAt, findToken } from '../tokens';
import { parseContentRange, type ContentRange } from './content-range';
import { applyChunk, checkHeader, MAX_CHUNK_BYTES, planChunk } from './rules';
import { discardReceived, receiveMultipart, type ReceivedForm } from './multipart';
import type { SourceAssembler } from './assembler';

/** API-key containers must receive their source within 7 days of creation. */
export const SOURCE_WINDOW_MS = 7 * 24 * 3600 * 1000;

export interface UploadRequest {
  req: IncomingMessage;
  body: Readable;
  /** sandbox-clock time the request arrived: windows are judged against it */
  arrivedAt: number;
}

export class UploadEndpoint {
  constructor(
    private readonly ctx: SandboxContext,
    private readonly assembler: SourceAssembler,
  ) {}

  async uploadToVideo(videoId: string, request: UploadRequest) {
    const video = findVideo(this.ctx, videoId);
    const range = parseContentRange(request.req.headers['content-range']);
    checkSourceWindow(video, request.arrivedAt);
    checkHeader(video, range);
    const form = await this.receive(request);
    return this.commitOrDiscard(form, () => this.commit(this.liveVideo(videoId), false, range, form));
  }

  async uploadWithToken(token: string | null, request: UploadRequest) {
    if (!token) throw new ApiProblem('authentication-missing-upload-token', 'token');
    if (!findToken(this.ctx, token)) throw new ApiProblem('authentication-invalid-upload-token', 'token');
    const range = parseContentRange(request.req.headers['content-range']);
    const form = await this.receive(request);
    return this.commitOrDiscard(form, () => {
      const record = findToken(this.ctx, token);
      if (!record)
        throw new ApiProblem('authentication-invalid-upload-token', 'token', 'The upload token was deleted.');
      const videoId = form.fields.videoId;
      if (videoId !== undefined && videoId !== '') {
        const video = findVideo(this.ctx, videoId);
        authorizeTokenForVideo(record, video, request.arrivedAt);
        checkSourceWindow(video, request.arrivedAt);
        return this.commit(video, false, range, form);
      }
      authorizeNewUpload(record, request.arrivedAt);
      const video = newVideoRecord(this.ctx, form.file?.filename || 'video');
      video.uploadToken = record.token;
      return this.commit(video, true, range, form);
    });
  }

  private receive(request: UploadRequest): Promise<ReceivedForm> {
    return receiveMultipart(request.req.headers, request.body, () => this.ctx.storage.newTempPath());
  }

  private liveVideo(videoId: string): VideoRecord {
    const video = this.ctx.state.videos[videoId];
    if (!video)
      throw new ApiProblem('resource-not-found', 'videoId', 'The video was deleted while its chunk was uploading.');
    return video;
  }

  private commitOrDiscard<T>(form: ReceivedForm, commit: () => T): T {
    try {
      return commit();
    } catch (error) {
      discardReceived(form);
      throw error;
    }
  }

  /** Synchronous from validation to state save, so concurrent chunks of one video can never both pass. */
  private commit(video: VideoRecord, isNew: boolean, range: ContentRange, form: ReceivedForm) {
    const file = form.file;
    if (form.fileCount === 0 || !file) throw new ApiProblem('uploaded-file-no-file', 'file');
    if (form.fileCount > 1)
      throw new ApiProblem(
        'uploaded-file-multiple-files',
        'file',
        `The request holds ${form.fileCount} files; send one per request.`,
      );
    if (file.tooLarge || file.size > MAX_CHUNK_BYTES)
      throw new ApiProblem(
        'uploaded-file-too-large',
        'file',
        `A request carries at most ${MAX_CHUNK_BYTES} bytes of file.`,
      );
    const plan = planChunk(video, range, file.size);
    const storage = this.ctx.storage;
    const destination =
      plan.key === 'single' ? storage.sourcePath(video.videoId) : storage.chunkPath(video.videoId, plan.key);
    mkdirSync(dirname(destination), { recursive: true, mode: 0o700 });
    renameSync(file.tmpPath, destination);
    if (isNew) this.ctx.state.videos[video.videoId] = video;
    applyChunk(video.upload, range, file.size, plan, this.ctx.clock.now());
    if (plan.key === 'single') video.upload.assembled = true;
    this.ctx.save();
    this.ctx.counters.chunksAccepted += 1;
    this.ctx.counters.bytesReceived += file.size;
    if (plan.completes && !video.upload.assembled) void this.assembler.assemble(video.videoId);
    return presentVideo(this.ctx, video);
  }
}

function checkSourceWindow(video: VideoRecord, arrivedAt: number): void {
  const deadline = video.createdAt + SOURCE_WINDOW_MS;
  if (arrivedAt > deadline && video.upload.completedAt === null) {
    throw new ApiProblem(
      'video-upload-window-expired',
      'videoId',
      `The source of a video must arrive within 7 days of its creation; this window closed at ${atom(deadline)}. Create a new video and upload again.`,
    );
  }
}

/** A new delegated upload (no videoId) must start while the token is still valid. */
function authorizeNewUpload(token: UploadTokenRecord, arrivedAt: number): void {
  const expiry = expiresAt(token);
  if (expiry !== null && arrivedAt >= expiry) {
    throw new ApiProblem(
      'authentication-invalid-upload-token',
      'token',
      `The upload token expired at ${atom(expiry)}; a new upload must start before its token expires.`,
    );
  }
}

/** Chunks continuing an upload this token started are accepted until 24 h after the token expired. */
function authorizeTokenForVideo(token: UploadTokenRecord, video: VideoRecord, arrivedAt: number): void {
  const continuing = video.uploadToken === token.token && video.upload.firstChunkAt !== null;
  if (!continuing) {
    authorizeNewUpload(token, arrivedAt);
    video.uploadToken ??= token.token;
    return;
  }
  const expiry = expiresAt(token);
  if (expiry !== null && arrivedAt >= expiry + CONTINUATION_GRACE_MS) {
    throw new ApiProblem(
      'authentication-invalid-upload-token',
      'token',
      `The upload token expired at ${atom(expiry)}; chunks continuing an upload are accepted only until 24 hours after that (${atom(expiry + CONTINUATION_GRACE_MS)}). Start the upload again with a new token.`,
    );
  }
}
