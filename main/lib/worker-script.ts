// Where a worker thread's script is: the built `<name>.js` beside the running code (or one folder up, when this
// code landed in a shared chunk), or, running from source (tests, tsx), a bootstrap that loads the TypeScript.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A worker's script: a file to run, or (eval) the code itself. */
export interface WorkerScript {
  source: string;
  eval: boolean;
}

/**
 * How to start the worker `name`: the build writes it as an entry of its own (`<name>.js`, see
 * electron.vite.config.ts and vite.cli.config.ts); from source, tsx's loader is registered in the thread and
 * `typescript` (the worker's .ts file) imported.
 */
export function workerScript(name: string, typescript: URL): WorkerScript {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const folder of [here, dirname(here)]) {
    const js = join(folder, `${name}.js`);
    if (existsSync(js)) return { source: js, eval: false };
  }
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs');
  return {
    source: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(fileURLToPath(typescript))});`,
    eval: true,
  };
}
