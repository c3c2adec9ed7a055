// Handlers for the watch namespace (watch folders: list, add, pause, remove) and the forwarding of the watch
// service's events to every connected page.
import type { WatchService } from '../../watch/index';
import { WatchError } from '../../watch/index';
import type { EventBus } from '../events';
import type { HandlersOf } from '../router';
import { HandlerError } from '../user-errors';

/** A watch refused as asked becomes an error the page shows next to the field at fault. */
async function userFacing<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof WatchError)
      throw new HandlerError(error.field === 'id' ? 'not-found' : 'failed', error.message, error.field);
    throw error;
  }
}

export function watchHandlers({ watches }: { watches: WatchService }): HandlersOf<'watch'> {
  return {
    'watch.list': () => ({ watches: watches.list() }),
    'watch.add': (request) =>
      userFacing(() =>
        watches.add({
          path: request.path,
          existing: request.existing,
          ...(request.name !== undefined ? { name: request.name } : {}),
          ...(request.include ? { include: request.include } : {}),
          ...(request.exclude ? { exclude: request.exclude } : {}),
          ...(request.defaults ? { defaults: request.defaults } : {}),
          ...(request.settleSeconds !== undefined ? { settleSeconds: request.settleSeconds } : {}),
          ...(request.polling !== undefined ? { polling: request.polling } : {}),
          ...(request.noSidecars ? { noSidecars: true } : {}),
          ...(request.uploadUnrecognised ? { uploadUnrecognised: true } : {}),
        }),
      ),
    'watch.pause': (request) => userFacing(() => watches.setPaused(request.id, request.paused)),
    'watch.remove': async (request) => ({ removed: await watches.remove(request.id) }),
    'watch.origins': () => ({ origins: watches.origins() }),
  };
}

/** Sends the watch service's changes to every page; returns the unsubscribe. */
export function forwardWatchEvents(watches: WatchService, events: EventBus): () => void {
  const stops = [
    watches.on('changed', (payload) => events.emit('watch.changed', payload)),
    watches.on('origins', (payload) => events.emit('watch.origins', payload)),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
