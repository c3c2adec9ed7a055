// Contract: watch folders (folders Convoy keeps uploading from as files arrive): their list, state and controls.
// Channels are named `watch.*`; common/api.ts merges them into the bridge.
import { z } from 'zod';
import { event, request } from './define';

/**
 * watching: the folder is watched and nothing waits; settling: files arrived and wait until their size and
 * modification time stop moving; unavailable: the folder is gone or unreadable (unplugged, removed, a share down)
 * and is looked for again; paused: the user paused it (nothing is picked up until resumed).
 */
export const watchStates = ['watching', 'settling', 'unavailable', 'paused'] as const;
export type WatchState = (typeof watchStates)[number];

/** Defaults for every file a watch adds, as for a one-off add. */
export interface WatchDefaults {
  description?: string;
  tags?: string[];
  public?: boolean;
}

export interface WatchView {
  id: string;
  /** The folder's own name unless given one. */
  name: string;
  path: string;
  profileId: string;
  include: string[];
  exclude: string[];
  defaults: WatchDefaults;
  state: WatchState;
  /** Why it is unavailable, or the last problem adding files (e.g. its profile was removed). */
  reason?: string;
  /** Seconds a file's size and modification time must stay the same before it is uploaded. */
  settleSeconds: number;
  /** Polled rather than told by the OS (network shares, or when the OS cannot watch it). */
  polling: boolean;
  /** The captions, chapters and thumbnails beside its videos are left alone (not sent). */
  noSidecars?: boolean;
  /** Files the media check does not recognise upload anyway (the user said they are video). */
  uploadUnrecognised?: boolean;
  /** Uploaded (done) today, local time. */
  uploadedToday: number;
  /** Files waiting to settle now. */
  settling: number;
  /** Files this watch added that are not finished yet. */
  inQueue: number;
  createdAt: number;
}

/** Which watch added a job (the queue row says so). */
export interface WatchOrigin {
  watchId: string;
  watchName: string;
}

const globs = z.array(z.string().trim().min(1).max(200)).max(50);

const add = z
  .object({
    path: z.string().trim().min(1).max(4096),
    name: z.string().trim().min(1).max(100).optional(),
    include: globs.optional(),
    exclude: globs.optional(),
    defaults: z
      .object({
        description: z.string().max(5000).optional(),
        tags: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
        public: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** Upload the video files already in the folder too (otherwise only what arrives from now on). */
    existing: z.boolean().default(false),
    settleSeconds: z.number().min(0.5).max(3600).optional(),
    /** true: poll (network shares); absent: decided by the file system (polled when it is a network share). */
    polling: z.boolean().optional(),
    /** Leave the captions, chapters and thumbnails beside its videos alone (default: send them). */
    noSidecars: z.boolean().optional(),
    /** Upload files the media check does not recognise, as the user says they are video (default: skip them). */
    uploadUnrecognised: z.boolean().optional(),
  })
  .strict();
const byId = z.object({ id: z.string().min(1).max(100) }).strict();
const pause = z.object({ id: z.string().min(1).max(100), paused: z.boolean() }).strict();
const empty = z.object({}).strict();

export type WatchAddRequest = z.output<typeof add>;

export const watchRequests = {
  'watch.list': request<typeof empty, { watches: WatchView[] }>(empty),
  /** Starts watching a folder for the active profile; answers once the files already there were looked at. */
  'watch.add': request<typeof add, WatchView>(add),
  'watch.pause': request<typeof pause, WatchView>(pause),
  /** Stops watching (files already added stay in the queue). */
  'watch.remove': request<typeof byId, { removed: boolean }>(byId),
  /** Which watch added which job, for jobs still in the queue. */
  'watch.origins': request<typeof empty, { origins: Record<string, WatchOrigin> }>(empty),
};

export const watchEvents = {
  /** Watches that changed (state, counts), whole; ids of removed ones. */
  'watch.changed': event<{ upserts: WatchView[]; removed: string[] }>(),
  /** Jobs a watch just added. */
  'watch.origins': event<{ origins: Record<string, WatchOrigin> }>(),
};
