// Packaging checks that run offline: electron-builder's own validation of electron-builder.yml, and a
// `--linux dir` build against a stub Electron dist whose app.asar must hold the three bundles.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

export async function validateBuilderConfig(): Promise<CheckResult> {
  const name = 'electron-builder config is valid';
  try {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      getConfig(dir: string, path: string | null): Promise<Record<string, unknown>>;
      validateConfiguration(
        config: Record<string, unknown>,
        logger: { add(k: string, v: unknown): void },
      ): Promise<void>;
    };
    const config = await getConfig(process.cwd(), null);
    await validateConfiguration(config, { add: () => {} });
    return { name, ok: true, detail: `appId ${String(config.appId)}` };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message };
  }
}

export function packLinuxDir(): CheckResult {
  const name = 'electron-builder --linux dir packs main, preload and renderer into app.asar';
  const stub = mkdtempSync(join(tmpdir(), 'convoy-electron-stub-'));
  const output = mkdtempSync(join(tmpdir(), 'convoy-pack-'));
  try {
    writeFileSync(join(stub, 'electron'), '');
    chmodSync(join(stub, 'electron'), 0o755);
    mkdirSync(join(stub, 'resources'), { recursive: true });
    const cli = require.resolve('electron-builder/cli.js');
    execFileSync(
      process.execPath,
      [
        cli,
        '--linux',
        'dir',
        `-c.electronDist=${stub}`,
        `-c.electronVersion=45.4.1`,
        `-c.directories.output=${output}`,
      ],
      {
        stdio: 'pipe',
        env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
      },
    );
    const asarPath = join(output, 'linux-unpacked', 'resources', 'app.asar');
    if (!existsSync(asarPath)) return { name, ok: false, detail: `no app.asar at ${asarPath}` };
    const asar = require('@electron/asar') as { listPackage(path: string, options: object): string[] };
    const files = new Set(asar.listPackage(asarPath, {}).map((f) => f.replaceAll('\\', '/')));
    const required = ['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/package.json'];
    const missing = required.filter((f) => !files.has(f));
    const leaked = [...files].filter((f) => /^\/(test|bench|common|main|renderer|preload)\//.test(f));
    if (missing.length || leaked.length) {
      return {
        name,
        ok: false,
        detail: `missing: ${missing.join(', ') || 'none'}; sources leaked: ${leaked.slice(0, 5).join(', ') || 'none'}`,
      };
    }
    return { name, ok: true, detail: `${files.size} entries in app.asar` };
  } catch (error) {
    const e = error as Error & { stderr?: Buffer; stdout?: Buffer };
    return {
      name,
      ok: false,
      detail: `${e.message}\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`.slice(0, 3000),
    };
  } finally {
    rmSync(stub, { recursive: true, force: true });
    rmSync(output, { recursive: true, force: true });
  }
}
