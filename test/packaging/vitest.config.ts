// The checks on what ships, run by test/run-all.ts after the build: packaging (test/packaging/) and the security
// gate's own tests (test/security/). Separate from vitest.config.ts because they need `out/` built.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: '.',
    include: ['test/packaging/**/*.test.ts', 'test/security/**/*.test.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
  },
});
