// Test helper: one describe block's built CLI, a fresh sandbox with an API-key client, and temp folders, set up in
// beforeAll and removed in afterAll (the hooks are registered by useCliWithSandbox itself).
import { rmSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { createClient, type ApiVideoClient } from '../../../main/apivideo/index';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { tempDir } from '../uploads/helpers';
import { buildCli, type BuiltCli } from './built-cli';

export interface CliWithSandbox {
  readonly cli: BuiltCli;
  readonly sandbox: TestSandbox;
  readonly client: ApiVideoClient;
  /** A fresh temp folder, removed after the describe block. */
  dir(prefix: string): string;
}

/** Call inside a describe block; the fields can be read from beforeAll on. */
export function useCliWithSandbox(): CliWithSandbox {
  let started: { cli: BuiltCli; sandbox: TestSandbox; client: ApiVideoClient } | undefined;
  const dirs: string[] = [];
  const get = () => {
    if (!started) throw new Error('useCliWithSandbox: read before beforeAll ran');
    return started;
  };
  beforeAll(async () => {
    const cli = buildCli();
    const sandbox = await startTestSandbox();
    const client = createClient({ baseUrl: sandbox.url, auth: { kind: 'bearer', apiKey: sandbox.apiKey } });
    started = { cli, sandbox, client };
  });
  afterAll(async () => {
    await started?.sandbox.close();
    started?.cli.remove();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    get cli() {
      return get().cli;
    },
    get sandbox() {
      return get().sandbox;
    },
    get client() {
      return get().client;
    },
    dir(prefix) {
      const made = tempDir(prefix);
      dirs.push(made);
      return made;
    },
  };
}
