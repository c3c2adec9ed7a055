// The shared runtime of one sandbox: state, storage, clock, API key, public URL and counters.
// Handlers mutate `state` and call save(); nothing else writes state.json.
import type { SandboxState } from './state';
import type { SandboxStorage } from './storage';
import { SandboxClock } from './clock';
import { newPrivateToken } from './ids';

export interface SandboxStats {
  requests: number;
  chunksAccepted: number;
  chunksRejected: number;
  videos: number;
  bytesReceived: number;
}

export class SandboxContext {
  readonly clock: SandboxClock;
  baseUrl = '';
  /** single-use private video tokens minted per retrieval → videoId (memory only) */
  readonly privateTokens = new Map<string, string>();
  readonly counters = { requests: 0, chunksAccepted: 0, chunksRejected: 0, bytesReceived: 0 };

  constructor(
    public state: SandboxState,
    readonly storage: SandboxStorage,
    readonly apiKey: string,
    readonly log: (line: string) => void,
  ) {
    this.clock = new SandboxClock(state.clockOffsetMs);
  }

  /** A new single-use private token for `videoId` (consumed by the first asset request that shows it). */
  mintPrivateToken(videoId: string): string {
    const token = newPrivateToken();
    this.privateTokens.set(token, videoId);
    return token;
  }

  save(): void {
    this.state.clockOffsetMs = this.clock.offset;
    this.storage.saveState(this.state);
  }

  stats(): SandboxStats {
    return { ...this.counters, videos: Object.keys(this.state.videos).length };
  }
}
