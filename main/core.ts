// The composition root of main: starts the local sandbox, opens the vault and the upload engine, and
// wires them into the bridge's handler map and event bus. The Electron shell and browser mode both use it.
import { join } from 'node:path';
import type { AppInfo } from '../common/api';
import { EventBus } from './bridge/events';
import { createRouter, type HandlerMap, type Router } from './bridge/router';
import { appHandlers } from './bridge/handlers/app';
import { forwardVaultEvents, profileHandlers } from './bridge/handlers/profiles';
import { tokenHandlers } from './bridge/handlers/tokens';
import { forwardEngineEvents, queueHandlers } from './bridge/handlers/queue';
import { forwardWatchEvents, watchHandlers } from './bridge/handlers/watch';
import { folderHandlers } from './bridge/handlers/folders';
import { createLogger, type Logger } from './log/logger';
import { closePreflight } from './media/preflight';
import { closeDigests } from './uploads/unit-digests';
import { dataLayout } from './paths';
import type { Platform } from './platform';
import { openQueueChoices, queueChoicesFile } from './queue-choices';
import { startSandbox, type RunningSandbox } from './sandbox/index';
import { startOnStablePort } from './sandbox-port';
import { openVault, type KeyValueStore, type Vault } from './vault/index';
import { openEngine, type UploadEngine } from './uploads/index';
import { openWatches, type WatchService } from './watch/index';

export interface CoreOptions {
  dataDir: string;
  platform: Platform;
  version: string;
  /** Profiles store; the Electron shell passes electron-store, elsewhere the vault uses conf. */
  store?: KeyValueStore;
  /** The embedded sandbox's port (0: any free one) and whether its test controls are on. */
  sandboxPort?: number;
  sandboxTestControls?: boolean;
}

export interface Core {
  router: Router;
  events: EventBus;
  logger: Logger;
  sandbox: RunningSandbox;
  vault: Vault;
  engine: UploadEngine;
  watches: WatchService;
  info(): AppInfo;
  close(): Promise<void>;
}

export async function startCore(options: CoreOptions): Promise<Core> {
  const layout = dataLayout(options.dataDir);
  const logger = createLogger(layout.log);
  const events = new EventBus();

  // The same port every launch (stored beside the sandbox's data), so links made earlier keep answering.
  const sandbox = await startOnStablePort(
    join(layout.sandbox, 'port.json'),
    options.sandboxPort ?? 0,
    (port) =>
      startSandbox({
        dataDir: layout.sandbox,
        port,
        testControls: options.sandboxTestControls ?? false,
        log: logger.child('sandbox').bind(null, 'debug'),
      }),
    (started) => Number(new URL(started.url).port),
    (message) => logger.log('warn', 'core', `local sandbox: ${message}`),
  );
  logger.log('info', 'core', `local sandbox listening on ${sandbox.url}`);

  const vault = openVault({
    dataDir: layout.profiles,
    cipher: options.platform.secretCipher,
    ...(options.store ? { store: options.store } : {}),
    localSandbox: () => ({ url: sandbox.url, apiKey: sandbox.apiKey }),
    log: (level, message) => logger.log(level, 'vault', message),
  });

  // The app's defaults (encoding followed) under the user's explicit choices; the CLI keeps the engine's own.
  const choices = openQueueChoices(queueChoicesFile(options.dataDir));
  const engine = await openEngine({
    stateDir: layout.uploads,
    settings: choices.settings(),
    getClient: (profileId) => vault.clientFor(profileId),
    tokenExpiresAt: (profileId) => vault.tokenExpiresAt(profileId),
    keyClientFor: (profileId) => vault.keyClientOfTokenAccount(profileId),
    platform: options.platform,
    log: (level, message) => logger.log(level, 'uploads', message),
  });

  const watches = await openWatches({
    stateDir: layout.watches,
    engine,
    vault,
    log: (level, message) => logger.log(level, 'watch', message),
  });

  const info = (): AppInfo => ({
    version: options.version,
    mode: options.platform.mode === 'electron' ? 'electron' : 'browser',
    platform: process.platform,
    dataDir: options.dataDir,
    secretStorage: vault.secretStorageInfo(),
    nativeDialogs: Boolean(options.platform.pickPaths),
    ...(options.platform.thumbnailProxy ? { thumbnailProxy: options.platform.thumbnailProxy } : {}),
  });

  const handlers: HandlerMap = {
    ...appHandlers({ info, platform: options.platform }),
    ...profileHandlers({ vault }),
    ...tokenHandlers({ vault }),
    ...queueHandlers(
      engine,
      () => vault.activeId(),
      (patch) => choices.record(patch),
    ),
    ...watchHandlers({ watches }),
    ...folderHandlers(),
  };
  const router = createRouter(handlers, (line) => logger.log('error', 'bridge', line));
  // Both event sources, wired in one place: the engine's and the vault's changes go to every page, and a key given
  // again (after a restart with session-only keys) lets that profile's waiting jobs go on. Undone on close.
  const unsubscribes = [
    forwardEngineEvents(engine, events),
    forwardVaultEvents(vault, events),
    forwardWatchEvents(watches, events),
    vault.onChange(() => engine.credentialsChanged()),
  ];

  return {
    router,
    events,
    logger,
    sandbox,
    vault,
    engine,
    watches,
    info,
    async close() {
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
      await watches.close();
      await engine.close();
      await closePreflight(); // the media preflight's worker threads
      await closeDigests(); // the uploads' digest worker
      await sandbox.close();
    },
  };
}
