// Transport-neutral request dispatch: validates each payload against the contract's schema, runs the
// typed handler, and turns every outcome into an Envelope. Both the IPC and the WebSocket adapters use it.
import { requestChannels, type Envelope, type RequestChannel, type RequestOf, type ResponseOf } from '../../common/api';
import { envelopeError, invalidPayload, unknownChannel } from './user-errors';

export type Handler<C extends RequestChannel> = (request: RequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
export type HandlerMap = { [C in RequestChannel]: Handler<C> };
/** The handlers of one namespace, e.g. HandlersOf<'profiles'>. */
export type HandlersOf<N extends string> = {
  [C in RequestChannel as C extends `${N}.${string}` ? C : never]: Handler<C>;
};

export interface Router {
  dispatch(channel: string, payload: unknown): Promise<Envelope<unknown>>;
}

export function createRouter(handlers: HandlerMap, log: (line: string) => void = () => {}): Router {
  return {
    async dispatch(channel, payload) {
      if (!Object.hasOwn(requestChannels, channel)) {
        return { ok: false, error: unknownChannel(channel) };
      }
      const name = channel as RequestChannel;
      const parsed = requestChannels[name].request.safeParse(payload);
      if (!parsed.success) return { ok: false, error: invalidPayload(parsed.error) };
      try {
        const handler = handlers[name] as (request: unknown) => Promise<unknown> | unknown;
        return { ok: true, value: await handler(parsed.data) };
      } catch (thrown) {
        const { error, logLine } = envelopeError(thrown, name);
        if (logLine !== undefined) log(logLine);
        return { ok: false, error };
      }
    },
  };
}
