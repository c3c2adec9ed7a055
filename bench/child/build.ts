// Bundles the benchmark children (engine, minimal, official) into plain Node ES modules under .bench/child/, the
// way vite.cli.config.ts builds the CLI: ssr build, node builtins and package.json dependencies left external.
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build } from 'vite';
import pkg from '../../package.json' with { type: 'json' };

export const childModes = ['engine', 'minimal', 'official'] as const;
export type ChildMode = (typeof childModes)[number];

/** The official client stays external too: its precompiled lib/ is loaded as it ships. */
const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys(pkg.dependencies), '@api.video/nodejs-client'];

/** Builds every child into `<root>/.bench/child/<mode>.mjs` and returns that directory. */
export async function buildChildren(root: string): Promise<string> {
  const outDir = join(root, '.bench', 'child');
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
        input: Object.fromEntries(childModes.map((mode) => [mode, join(root, 'bench', 'child', `${mode}.ts`)])),
        external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)),
        output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name].mjs' },
      },
    },
  });
  return outDir;
}
