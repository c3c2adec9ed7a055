// One build for the three Electron bundles: main (Node), preload (sandboxed CJS) and renderer (React).
import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('main/shell/index.ts'),
          launch: resolve('main/launch.ts'),
          web: resolve('main/web/index.ts'),
          // Started by main/media/preflight.ts as a worker thread, from beside the chunk that imports it (main/lib/worker-script.ts).
          'preflight-worker': resolve('main/media/preflight-worker.ts'),
          // Started by main/uploads/unit-digests.ts as a worker thread, the same way.
          'digest-worker': resolve('main/uploads/digest-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('preload/index.ts') },
        // Sandboxed preloads cannot be ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
        external: ['electron'],
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
