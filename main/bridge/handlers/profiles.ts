// Handlers for the profiles namespace: list, add (checked against the server first), activate, rename,
// remove, give a session-only profile its key again, check a connection; and the forwarding of vault changes.
import type { ConnectionCheck } from '../../../common/contract/profiles';
import type { Vault } from '../../vault';
import type { EventBus } from '../events';
import type { HandlersOf } from '../router';
import { HandlerError, uncheckable, userFacing } from '../user-errors';

export function profileHandlers(deps: { vault: Vault }): HandlersOf<'profiles'> {
  const { vault } = deps;
  return {
    'profiles.list': () => vault.list(),
    'profiles.add': (input) => userFacing(() => vault.add(input)),
    'profiles.activate': ({ id }) => userFacing(() => vault.activate(id)),
    'profiles.rename': ({ id, name }) => userFacing(() => vault.rename(id, name)),
    'profiles.remove': ({ id }) => userFacing(() => vault.remove(id)),
    'profiles.provideSecret': ({ id, secret }) =>
      userFacing(async () => ({ check: await vault.provideSecret(id, secret) })),
    'profiles.check': ({ id }) =>
      userFacing(async (): Promise<ConnectionCheck> => {
        const profile = vault.get(id);
        if (!profile)
          throw new HandlerError('not-found', `There is no profile with id "${id}". Reload the list.`, 'id');
        let client;
        try {
          client = vault.clientFor(id);
        } catch (error) {
          return uncheckable(error);
        }
        const { ok, message, summary } = await client.check();
        return { ok, message, summary };
      }),
  };
}

/** Forwards every vault change to the bus as 'profiles.changed'; returns the function that stops forwarding. */
export function forwardVaultEvents(vault: Vault, bus: EventBus): () => void {
  return vault.onChange((state) => bus.emit('profiles.changed', state));
}
