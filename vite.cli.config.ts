// Builds the headless `convoy` CLI and the sandbox CLI as plain Node ES modules (no Electron), each executable.
import { chmodSync } from 'node:fs';
import { resolve } from 'node:path';
import { builtinModules } from 'node:module';
import { defineConfig, type Plugin } from 'vite';
import pkg from './package.json' with { type: 'json' };

const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys(pkg.dependencies)];

/**
 * Marks the entry files executable (0o755) once written: `npx convoy` runs out/cli/convoy.js through its shebang,
 * and a rebuild rewrites the file without the bit that `npm ci` set on the package's bin.
 */
function executableEntries(): Plugin {
  return {
    name: 'convoy-executable-entries',
    writeBundle(options, bundle) {
      for (const output of Object.values(bundle)) {
        if (output.type === 'chunk' && output.isEntry)
          chmodSync(resolve(options.dir ?? 'out/cli', output.fileName), 0o755);
      }
    },
  };
}

export default defineConfig({
  plugins: [executableEntries()],
  build: {
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    ssr: true,
    minify: false,
    rollupOptions: {
      input: {
        convoy: resolve('main/cli/convoy.ts'),
        sandbox: resolve('main/sandbox/cli.ts'),
        // Started by main/media/preflight.ts as a worker thread, from beside the chunk that imports it (main/lib/worker-script.ts).
        'preflight-worker': resolve('main/media/preflight-worker.ts'),
        // Started by main/uploads/unit-digests.ts as a worker thread, the same way.
        'digest-worker': resolve('main/uploads/digest-worker.ts'),
      },
      external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)),
      output: { format: 'es', entryFileNames: '[name].js', banner: '#!/usr/bin/env node' },
    },
  },
});
