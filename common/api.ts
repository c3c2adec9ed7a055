// THE bridge contract between the page and main. main implements a handler for every request channel
// (main/bridge), the page calls them as window.convoy.<namespace>.<action>(request) and subscribes with
// window.convoy.on(event, listener). Adding a channel: one entry in a common/contract/* file, one handler.
import type { z } from 'zod';
import { appEvents, appRequests } from './contract/app';
import { profileEvents, profileRequests, tokenRequests } from './contract/profiles';
import { queueEvents, queueRequests } from './contract/queue';
import { watchEvents, watchRequests } from './contract/watch';
import { folderRequests } from './contract/folders';
import type { BridgeErrorShape, Envelope, EventSpec, RequestSpec } from './contract/define';

export * from './contract/app';
export * from './contract/profiles';
export * from './contract/queue';
export * from './contract/watch';
export * from './contract/folders';
export type { BridgeErrorShape, Envelope } from './contract/define';

export const requestChannels = {
  ...appRequests,
  ...profileRequests,
  ...tokenRequests,
  ...queueRequests,
  ...watchRequests,
  ...folderRequests,
};

export const eventChannels = {
  ...appEvents,
  ...profileEvents,
  ...queueEvents,
  ...watchEvents,
};

export type RequestChannel = keyof typeof requestChannels;
export type EventChannel = keyof typeof eventChannels;

type SpecOf<C extends RequestChannel> = (typeof requestChannels)[C];
/** What the page may send (defaults not yet applied). */
export type RequestInput<C extends RequestChannel> =
  SpecOf<C> extends RequestSpec<infer S, unknown> ? z.input<S> : never;
/** What a handler receives (validated, defaults applied). */
export type RequestOf<C extends RequestChannel> = SpecOf<C> extends RequestSpec<infer S, unknown> ? z.output<S> : never;
export type ResponseOf<C extends RequestChannel> = SpecOf<C> extends RequestSpec<z.ZodType, infer R> ? R : never;
export type EventOf<E extends EventChannel> = (typeof eventChannels)[E] extends EventSpec<infer P> ? P : never;

/** Names all request channels, for building window.convoy in either transport. */
export const requestChannelNames = Object.keys(requestChannels) as RequestChannel[];
export const eventChannelNames = Object.keys(eventChannels) as EventChannel[];

type Namespace<C> = C extends `${infer N}.${string}` ? N : never;
type Action<C, N extends string> = C extends `${N}.${infer A}` ? A : never;

/** The typed object the page sees as window.convoy. */
export type ConvoyApi = {
  [N in Namespace<RequestChannel>]: {
    [A in Action<RequestChannel, N>]: `${N}.${A}` extends infer C extends RequestChannel
      ? (request: RequestInput<C>) => Promise<ResponseOf<C>>
      : never;
  };
} & {
  on<E extends EventChannel>(event: E, listener: (payload: EventOf<E>) => void): () => void;
  /** Turns a dropped File into its path on disk (Electron); null in browser mode. */
  pathForFile(file: File): string | null;
  readonly transport: 'ipc' | 'websocket';
};

/** Thrown in the page when a request fails; carries the field that caused it, if any. */
export class BridgeError extends Error {
  readonly code: BridgeErrorShape['code'];
  readonly field?: string;
  constructor(shape: BridgeErrorShape) {
    super(shape.message);
    this.name = 'BridgeError';
    this.code = shape.code;
    if (shape.field !== undefined) this.field = shape.field;
  }
}

/**
 * The raw door each transport provides: Electron's preload exposes it as window.convoyTransport over IPC;
 * browser mode carries it over a WebSocket. The page builds window.convoy from it with buildApi.
 */
export interface BridgeTransport {
  readonly kind: 'ipc' | 'websocket';
  invoke(channel: string, request: unknown): Promise<Envelope<unknown>>;
  /** Receives every event; returns an unsubscribe function. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  pathForFile(file: File): string | null;
}

/** Builds the typed, namespaced window.convoy from a transport, so both transports share it. */
export function buildApi(transport: BridgeTransport): ConvoyApi {
  const api: Record<string, unknown> = {};
  for (const channel of requestChannelNames) {
    const [ns, action] = channel.split('.') as [string, string];
    const group = (api[ns] ??= {}) as Record<string, (request: unknown) => Promise<unknown>>;
    group[action] = async (request: unknown) => {
      const envelope = await transport.invoke(channel, request ?? {});
      if (envelope.ok) return envelope.value;
      throw new BridgeError(envelope.error);
    };
  }
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  transport.subscribe((name, payload) => {
    for (const listener of listeners.get(name) ?? []) listener(payload);
  });
  api.on = (name: string, listener: (payload: unknown) => void) => {
    const set = listeners.get(name) ?? new Set();
    listeners.set(name, set);
    set.add(listener);
    return () => set.delete(listener);
  };
  api.pathForFile = (file: File) => transport.pathForFile(file);
  Object.defineProperty(api, 'transport', { value: transport.kind, enumerable: true });
  return api as ConvoyApi;
}

declare global {
  interface Window {
    /** The typed API the page uses (built by renderer/bridge.ts). */
    convoy: ConvoyApi;
    /** Set by the Electron preload only. */
    convoyTransport?: BridgeTransport;
  }
}
