// Transport-neutral request dispatch: validates each payload against the contract's schema, runs the
// typed handler, and turns every outcome into an Envelope. Both the IPC and the WebSocket adapters use it.
import type { z } from 'zod';
import {
  requestChannels,
  type Envelope,
  type BridgeErrorShape,
  type RequestChannel,
  type RequestOf,
  type ResponseOf,
} from '../../common/api';
import { redact } from '../log/redact';

export type Handler<C extends RequestChannel> = (request: RequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
export type HandlerMap = { [C in RequestChannel]: Handler<C> };
/** The handlers of one namespace, e.g. HandlersOf<'profiles'>. */
export type HandlersOf<N extends string> = { [C in RequestChannel as C extends `${N}.${string}` ? C : never]: Handler<C> };

/** An error a handler throws on purpose: its message is shown to the user as is. */
export class HandlerError extends Error {
  readonly code: BridgeErrorShape['code'];
  readonly field?: string;
  constructor(code: BridgeErrorShape['code'], message: string, field?: string) {
    super(message);
    this.name = 'HandlerError';
    this.code = code;
    if (field !== undefined) this.field = field;
  }
}

function describeIssues(error: z.ZodError): BridgeErrorShape {
  const first = error.issues[0];
  const field = first?.path.join('.') || undefined;
  const details = error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`)
    .join('; ');
  return { code: 'invalid-payload', message: `Invalid request: ${details}`, ...(field ? { field } : {}) };
}

export interface Router {
  dispatch(channel: string, payload: unknown): Promise<Envelope<unknown>>;
}

export function createRouter(handlers: HandlerMap, log: (line: string) => void = () => {}): Router {
  return {
    async dispatch(channel, payload) {
      if (!Object.hasOwn(requestChannels, channel)) {
        return { ok: false, error: { code: 'unknown-channel', message: `Unknown channel "${String(channel).slice(0, 60)}".` } };
      }
      const name = channel as RequestChannel;
      const parsed = requestChannels[name].request.safeParse(payload);
      if (!parsed.success) return { ok: false, error: describeIssues(parsed.error) };
      try {
        const handler = handlers[name] as (request: unknown) => Promise<unknown> | unknown;
        return { ok: true, value: await handler(parsed.data) };
      } catch (error) {
        if (error instanceof HandlerError) {
          return { ok: false, error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } };
        }
        const message = error instanceof Error ? error.message : String(error);
        log(redact(`handler ${name} failed: ${error instanceof Error && error.stack ? error.stack : message}`));
        return { ok: false, error: { code: 'failed', message: redact(message) } };
      }
    },
  };
}
