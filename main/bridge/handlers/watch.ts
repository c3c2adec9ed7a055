// Handlers for the watch namespace (watch folders: list, add, pause, remove) and the forwarding of the watch
// service's events to every connected page.
import type { WatchService } from '../../watch/index';
import type { EventBus } from '../events';
import type { HandlersOf } from '../router';

export function watchHandlers(_deps: { watches: WatchService }): HandlersOf<'watch'> {
  return {};
}

/** Sends the watch service's changes to every page; returns the unsubscribe. */
export function forwardWatchEvents(_watches: WatchService, _events: EventBus): () => void {
  return () => {};
}
