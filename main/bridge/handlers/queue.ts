// Handlers for the queue namespace (add, control, settings, metadata, CSV import, manifest) on the upload
// engine, and the forwarding of the engine's events to every connected page.
import type { QueueSettings } from '../../../common/contract/queue';
import type { UploadEngine } from '../../uploads/index';
import type { EventBus } from '../events';
import type { HandlersOf } from '../router';
import { HandlerError, notAdded } from '../user-errors';

/**
 * `chosen`: told of each settings change the page makes (after the engine took it), so the app can keep the user's
 * explicit choices over its own defaults (main/queue-choices.ts).
 */
export function queueHandlers(
  engine: UploadEngine,
  activeProfileId: () => string | null,
  chosen: (patch: Partial<QueueSettings>) => void = () => {},
): HandlersOf<'queue'> {
  return {
    'queue.snapshot': () => engine.snapshot(),
    'queue.add': async (request) => {
      const profileId = activeProfileId();
      if (!profileId)
        throw new HandlerError('failed', 'No profile is active. Add or choose a profile before adding files.');
      try {
        return await engine.add({
          paths: request.paths,
          profileId,
          ...(request.include ? { include: request.include } : {}),
          ...(request.exclude ? { exclude: request.exclude } : {}),
          ...(request.defaults ? { defaults: request.defaults } : {}),
          ...(request.force ? { force: true } : {}),
          ...(request.uploadUnrecognised ? { uploadUnrecognised: true } : {}),
          ...(request.noSidecars ? { noSidecars: true } : {}),
        });
      } catch (error) {
        throw notAdded(error);
      }
    },
    'queue.control': (request) => ({ affected: engine.control(request.action, request.ids) }),
    'queue.settings': (request) => {
      const settings = engine.updateSettings(request);
      chosen(request);
      return settings;
    },
    'queue.updateMetadata': (request) => ({ updated: engine.updateMetadata(request.ids, request.patch) }),
    'queue.importCsv': (request) => engine.importCsv(request.csv, request.apply),
    'queue.exportManifest': (request) => engine.exportManifest(request.format),
    'queue.acknowledgeJournal': () => ({ resumed: engine.acknowledgeJournal() }),
    'queue.dropSidecar': async (request) => ({ dropped: await engine.dropSidecar(request.id, request.key) }),
  };
}

/** Forwards engine events to the bus; returns the function that stops forwarding. */
export function forwardEngineEvents(engine: UploadEngine, bus: EventBus): () => void {
  const stops = [
    engine.on('jobs', (payload) => bus.emit('queue.jobs', payload)),
    engine.on('progress', (payload) => bus.emit('queue.progress', payload)),
    engine.on('settings', (payload) => bus.emit('queue.settings', payload)),
    engine.on('network', (payload) => bus.emit('network.status', payload)),
    engine.on('batch', (payload) => bus.emit('queue.batch', payload)),
    engine.on('storage', (payload) => bus.emit('queue.storage', payload)),
    engine.on('journal', (payload) => bus.emit('queue.journal', payload)),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
