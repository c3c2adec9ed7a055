// Public entry of the local api.video sandbox: startSandbox() opens the data dir, restores state
// (including half-finished uploads) and serves the API on 127.0.0.1 until close().
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { registerSecret } from '../log/redact';
import { SandboxContext } from './context';
import { SandboxStorage } from './storage';
import { FaultInjector } from './faults';
import { RateLimiter, type RateLimitPreset } from './rate-limit';
import { SourceAssembler } from './upload/assembler';
import { UploadEndpoint } from './upload/endpoint';
import { createSandboxServer, type ServerLimits } from './server';

export type { SandboxStats } from './context';
export type { Faults } from './faults';
export type { RateLimitPreset } from './rate-limit';
export type { ServerLimits } from './server';

export interface SandboxOptions {
  dataDir: string;
  /** default 0: any free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** default: the key persisted in dataDir, generated on first start */
  apiKey?: string;
  /** enables /_sandbox/* (clock, faults, reset, stats); off: those routes answer 404 */
  testControls?: boolean;
  rateLimit?: RateLimitPreset;
  /** timeouts and the connection cap (server.ts DEFAULT_LIMITS) */
  limits?: Partial<ServerLimits>;
  log?: (line: string) => void;
}

export interface RunningSandbox {
  /** http://127.0.0.1:PORT, no trailing slash */
  url: string;
  apiKey: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const storage = new SandboxStorage(dataDir);
  const apiKey = storage.resolveApiKey(options.apiKey);
  registerSecret(apiKey);
  const ctx = new SandboxContext(storage.loadState(), storage, apiKey, options.log ?? (() => {}));
  const assembler = new SourceAssembler(ctx);
  const faults = new FaultInjector();
  const limiter = new RateLimiter(ctx.clock, options.rateLimit ?? 'off');
  const host = options.host ?? '127.0.0.1';
  const server = createSandboxServer(
    {
      ctx,
      uploads: new UploadEndpoint(ctx, assembler),
      assembler,
      faults,
      limiter,
      testControls: options.testControls === true,
    },
    { limits: options.limits, listenHost: host },
  );
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  ctx.baseUrl = url;
  assembler.resumeAll();
  ctx.log(`sandbox: listening on ${url}, data in ${dataDir}`);
  let closing: Promise<void> | null = null;
  return {
    url,
    apiKey,
    dataDir,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((done) => server.close(() => done()));
        server.closeAllConnections();
        await closed;
        await assembler.settleAll();
      })();
      return closing;
    },
  };
}
