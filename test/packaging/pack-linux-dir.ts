// Packs the offline `--linux dir` smoke build with the real electron-builder and electron-builder.yml, against the
// stand-in Electron distribution (electron-stand-in.ts), and says where the packed executable and app.asar are.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeElectronStandIn } from './electron-stand-in';

const require = createRequire(import.meta.url);

export interface PackedApp {
  /** The packed Electron executable, fuses flipped by electron-builder. */
  executable: string;
  /** resources/app.asar. */
  asar: string;
  /** What electron-builder printed. */
  log: string;
  /** Removes the stand-in and the output. */
  cleanup(): void;
}

/** The Electron version the app is built against, as package.json pins it. */
export function electronVersion(): string {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> };
  const version = pkg.devDependencies.electron;
  if (!version) throw new Error('package.json has no electron devDependency');
  return version.replace(/^[\^~]/, '');
}

/** Runs `electron-builder --linux dir` from the project root (needs `out/` built); throws with its output. */
export function packLinuxDir(env: NodeJS.ProcessEnv = {}): PackedApp {
  const stub = mkdtempSync(join(tmpdir(), 'convoy-electron-stub-'));
  const output = mkdtempSync(join(tmpdir(), 'convoy-pack-'));
  const cleanup = (): void => {
    rmSync(stub, { recursive: true, force: true });
    rmSync(output, { recursive: true, force: true });
  };
  try {
    writeElectronStandIn(stub);
    const log = execFileSync(
      process.execPath,
      [
        require.resolve('electron-builder/cli.js'),
        '--linux',
        'dir',
        `-c.electronDist=${stub}`,
        `-c.electronVersion=${electronVersion()}`,
        `-c.directories.output=${output}`,
      ],
      { encoding: 'utf8', stdio: 'pipe', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false', ...env } },
    );
    const unpacked = join(output, 'linux-unpacked');
    const app = { executable: join(unpacked, 'convoy'), asar: join(unpacked, 'resources', 'app.asar'), log, cleanup };
    for (const path of [app.executable, app.asar]) {
      if (!existsSync(path)) throw new Error(`electron-builder wrote no ${path}\n${log}`);
    }
    return app;
  } catch (error) {
    cleanup();
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`.slice(0, 4000), { cause: error });
  }
}
