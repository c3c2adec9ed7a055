// The preflight worker starts on every run's path (no file is sent before it is checked), so what it loads is its
// start: bundled as the build bundles it, it must load neither zod (90-270 ms) nor mediainfo.js until a file needs it.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';
import pkg from '../../../package.json' with { type: 'json' };

const root = fileURLToPath(new URL('../../..', import.meta.url));
const packages = [...builtinModules, ...Object.keys(pkg.dependencies)];

/** The worker bundled alone, packages left external: the imports its code makes at start, and later. */
async function workerImports(): Promise<{ atStart: string[]; later: string[] }> {
  const output = await build({
    configFile: false,
    root,
    logLevel: 'silent',
    build: {
      write: false,
      ssr: true,
      target: 'node20',
      rollupOptions: {
        input: { 'preflight-worker': 'main/media/preflight-worker.ts' },
        external: (id) => id.startsWith('node:') || packages.some((p) => id === p || id.startsWith(`${p}/`)),
      },
    },
  });
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => (o as Rolldown.RolldownOutput).output);
  const code = chunks.filter((c) => c.type === 'chunk');
  return { atStart: code.flatMap((c) => c.imports), later: code.flatMap((c) => c.dynamicImports) };
}

describe('the preflight worker, as built', () => {
  it('loads no zod, and mediainfo.js only when a file needs the fallback parser', async () => {
    const { atStart, later } = await workerImports();
    expect(atStart).toContain('node:worker_threads');
    expect(atStart).not.toContain('zod');
    expect(atStart).not.toContain('mediainfo.js');
    expect(later).toContain('mediainfo.js');
  }, 60_000);
});
