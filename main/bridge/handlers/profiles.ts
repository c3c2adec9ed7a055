// Handlers for the profiles namespace: list, add (checked against the server first), activate, rename,
// remove, give a session-only profile its key again, check a connection. Every change emits 'profiles.changed'.
import type { BridgeErrorShape } from '../../../common/api';
import type { ConnectionCheck } from '../../../common/contract/profiles';
import { ApiVideoError } from '../../apivideo';
import type { Vault } from '../../vault';
import { VaultError } from '../../vault';
import type { EventBus } from '../events';
import { HandlerError, type HandlersOf } from '../router';

const vaultCodes: Record<VaultError['code'], BridgeErrorShape['code']> = {
  invalid: 'invalid-payload',
  'not-found': 'not-found',
  'check-failed': 'failed',
  unsupported: 'unsupported',
};

/** Turns vault and api.video failures into errors the page shows as they are (with the field that caused them). */
export function asHandlerError(error: unknown, fields: { 404?: string; 400?: string } = {}): unknown {
  if (error instanceof VaultError) return new HandlerError(vaultCodes[error.code], error.message, error.field);
  if (error instanceof ApiVideoError) {
    if (error.kind === 'not-found') return new HandlerError('not-found', error.message, fields[404]);
    return new HandlerError('failed', error.message, error.kind === 'bad-request' ? fields[400] : undefined);
  }
  return error;
}

/** Runs a handler body, rethrowing known failures as HandlerError. */
export async function userFacing<T>(run: () => T | Promise<T>, fields?: { 404?: string; 400?: string }): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw asHandlerError(error, fields);
  }
}

/** Call once per vault: it forwards every vault change to the page as 'profiles.changed'. */
export function profileHandlers(deps: { vault: Vault; events: EventBus }): HandlersOf<'profiles'> {
  const { vault, events } = deps;
  vault.onChange((state) => events.emit('profiles.changed', state));
  return {
    'profiles.list': () => vault.list(),
    'profiles.add': (input) => userFacing(() => vault.add(input)),
    'profiles.activate': ({ id }) => userFacing(() => vault.activate(id)),
    'profiles.rename': ({ id, name }) => userFacing(() => vault.rename(id, name)),
    'profiles.remove': ({ id }) => userFacing(() => vault.remove(id)),
    'profiles.provideSecret': ({ id, secret }) => userFacing(async () => ({ check: await vault.provideSecret(id, secret) })),
    'profiles.check': ({ id }) =>
      userFacing(async (): Promise<ConnectionCheck> => {
        const profile = vault.get(id);
        if (!profile) throw new HandlerError('not-found', `There is no profile with id "${id}". Reload the list.`, 'id');
        let client;
        try {
          client = vault.clientFor(id);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return { ok: false, message, summary: message };
        }
        const { ok, message, summary } = await client.check();
        return { ok, message, summary };
      }),
  };
}
