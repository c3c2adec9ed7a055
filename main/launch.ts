// `npm start`: runs Convoy in Electron when Electron can start here; otherwise says why in one line and
// starts browser mode instead. `--web` forces browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBrowserMode } from './web/index';

const resolveModule = createRequire(import.meta.url);
const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Electron binary's path, or the reason there is none. */
export function findElectron(): { path: string } | { reason: string } {
  let pkgDir: string;
  try {
    pkgDir = dirname(resolveModule.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const binary = () => (existsSync(pathFile) ? join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : '');
  if (binary() && existsSync(binary())) return { path: binary() };
  // Electron 45 fetches its binary on first use; try once, briefly.
  const install = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { encoding: 'utf8', timeout: 120_000 });
  if (binary() && existsSync(binary())) return { path: binary() };
  const detail = `${install.stderr ?? ''}`
    .split('\n')
    .find((l) => /error/i.test(l))
    ?.trim();
  return {
    reason: `its binary is not installed and could not be downloaded${detail ? ` (${detail.slice(0, 160)})` : ''}`,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--web')) return runBrowserMode(args);

  const electron = findElectron();
  if ('reason' in electron) {
    process.stdout.write(`Electron cannot start: ${electron.reason}. Starting browser mode instead.\n`);
    return runBrowserMode(args);
  }
  const startedAt = Date.now();
  const child = spawn(electron.path, [projectRoot, ...args], { stdio: ['inherit', 'inherit', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stderr.write(chunk);
  });
  child.on('exit', (code, signal) => {
    // Electron that dies at once (no display, missing system libraries) falls back to browser mode.
    if (code !== 0 && !signal && Date.now() - startedAt < 10_000) {
      const why = stderr.split('\n').find((l) => l.trim()) ?? `exit code ${code}`;
      process.stdout.write(`Electron cannot start: ${why.trim().slice(0, 200)}. Starting browser mode instead.\n`);
      void runBrowserMode(args);
      return;
    }
    process.exit(code ?? 0);
  });
  child.on('error', (error) => {
    process.stdout.write(`Electron cannot start: ${error.message}. Starting browser mode instead.\n`);
    void runBrowserMode(args);
  });
}

void main();
