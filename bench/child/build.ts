// Bundles the benchmark children (engine, minimal, official, and the engine's worker threads) into plain Node ES
// modules under .bench/child/, the way vite.cli.config.ts builds the CLI: ssr build, node builtins and package.json
// dependencies left external; and runs one, reading the figures it prints last.
import { spawn } from 'node:child_process';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build } from 'vite';
import pkg from '../../package.json' with { type: 'json' };
import type { ChildResult } from './memory';

export const childModes = ['engine', 'minimal', 'official'] as const;
export type ChildMode = (typeof childModes)[number];

/** The official client stays external too: its precompiled lib/ is loaded as it ships; vite is the builder's. */
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies),
  '@api.video/nodejs-client',
  'vite',
];

/** Builds every child into `<root>/.bench/child/<mode>.mjs` and returns that directory. */
export async function buildChildren(root: string): Promise<string> {
  const outDir = join(root, '.bench', 'child');
  await bundleForNode(root, outDir, {
    ...Object.fromEntries(childModes.map((mode) => [mode, join(root, 'bench', 'child', `${mode}.ts`)])),
    // The engine starts its media preflight and its digests as worker threads from beside its code, as the built
    // CLI does (without them, it would load their TypeScript through tsx in each thread: slow to start).
    'preflight-worker': join(root, 'main', 'media', 'preflight-worker.ts'),
    'digest-worker': join(root, 'main', 'uploads', 'digest-worker.ts'),
  });
  return outDir;
}

/**
 * Bundles entry files into plain Node ES modules `<outDir>/<name>.mjs`: ssr build, node builtins and package
 * dependencies external; `alsoExternal` keeps more out (e.g. code only the measuring parent uses).
 */
export async function bundleForNode(
  root: string,
  outDir: string,
  input: Record<string, string>,
  alsoExternal: (id: string) => boolean = () => false,
): Promise<void> {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'node20',
      ssr: true,
      minify: false,
      sourcemap: false,
      rollupOptions: {
        input,
        external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)) || alsoExternal(id),
        output: {
          format: 'es',
          // Workers keep the name main/media looks for beside its code (`<name>.js`; ES modules by package.json).
          entryFileNames: (entry) => (entry.name.endsWith('-worker') ? '[name].js' : '[name].mjs'),
          chunkFileNames: '[name].mjs',
        },
      },
    },
  });
}

/** Runs a built child (`script`) with `args` from `root`; resolves with the JSON of its last line. */
export function runChildScript(root: string, script: string, args: (string | number)[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args.map(String)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`child ${script} exited with ${code}: ${out}`));
      else resolve(JSON.parse(line) as ChildResult);
    });
  });
}
