// Building blocks of the bridge contract: a request channel pairs a runtime schema for what the page
// sends with the static type of what main answers; an event channel carries a typed payload to the page.
import type { z } from 'zod';

export interface RequestSpec<Req extends z.ZodType, Res> {
  request: Req;
  /** Phantom: only the type is used. */
  response: Res;
}

/** Declares a request channel: `request` is validated in main before any handler runs. */
export function request<Req extends z.ZodType, Res>(schema: Req): RequestSpec<Req, Res> {
  return { request: schema, response: undefined as Res };
}

export interface EventSpec<Payload> {
  payload: Payload;
}

/** Declares an event channel (main -> page). */
export function event<Payload>(): EventSpec<Payload> {
  return { payload: undefined as Payload };
}

/** The error every failed request carries across the bridge, in either transport. */
export interface BridgeErrorShape {
  code: 'invalid-payload' | 'unknown-channel' | 'forbidden' | 'not-found' | 'unsupported' | 'failed';
  message: string;
  /** The field of the request that caused it, when one did (for showing the error next to it). */
  field?: string;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: BridgeErrorShape };
