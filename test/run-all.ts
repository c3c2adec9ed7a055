// `npm test`: every check in order — typecheck, lint, format, build, unit and integration tests, packaging (config,
// smoke build, fuses, asar contents), the Electronegativity security gate, end-to-end — then one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { runSecurityGate } from './security/electronegativity-gate';

interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

const tally: Tally = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];

function record(result: CheckResult): void {
  const mark = result.ok ? 'PASS' : 'FAIL';
  process.stdout.write(`\n[${mark}] ${result.name}${result.detail ? ` — ${result.detail}` : ''}\n`);
  if (result.ok) tally.passed++;
  else {
    tally.failed++;
    failures.push(result.name);
  }
}

function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): boolean {
  process.stdout.write(`\n=== ${name}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, ...env },
    shell: process.platform === 'win32',
  });
  return result.status === 0;
}

function step(name: string, command: string, args: string[]): boolean {
  const ok = run(name, command, args);
  record({ name, ok, detail: '' });
  return ok;
}

/** Vitest's JSON report: one count per test. */
function countVitest(file: string): Tally | null {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults: { status: string; message?: string; name: string; assertionResults: unknown[] }[];
  };
  // A file that fails to load has no assertion results but must count as a failure.
  const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

/** Playwright's JSON report: stats of expected/unexpected/skipped/flaky tests. */
function countPlaywright(file: string): Tally | null {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    stats: { expected: number; unexpected: number; skipped: number; flaky: number };
    errors?: unknown[];
  };
  const globalErrors = report.errors?.length ?? 0;
  return {
    passed: report.stats.expected + report.stats.flaky,
    failed: report.stats.unexpected + globalErrors,
    skipped: report.stats.skipped,
  };
}

function add(name: string, counts: Tally | null, exitOk: boolean): void {
  if (!counts) {
    record({ name, ok: false, detail: 'the runner wrote no report' });
    return;
  }
  tally.passed += counts.passed;
  tally.failed += counts.failed;
  tally.skipped += counts.skipped;
  if (counts.failed > 0 || !exitOk) failures.push(name);
  if (!exitOk && counts.failed === 0) {
    tally.failed++;
    process.stdout.write(`[FAIL] ${name}: the runner failed without a failing test\n`);
  }
  process.stdout.write(`\n${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
}

async function main(): Promise<void> {
  rmSync('test-results', { recursive: true, force: true });
  mkdirSync('test-results', { recursive: true });
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

  step('typecheck', npx, ['tsc', '--noEmit', '-p', 'tsconfig.json']);
  step('lint', npx, ['eslint', '.']);
  step('format', npx, ['prettier', '--check', '.']);
  const built = step('build', 'npm', ['run', 'build']);

  const vitestOk = run('unit and integration tests', npx, [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    '--outputFile.json=test-results/vitest.json',
  ]);
  add('unit and integration tests', countVitest('test-results/vitest.json'), vitestOk);

  if (built) {
    const packagingOk = run('packaging tests', npx, [
      'vitest',
      'run',
      '-c',
      'test/packaging/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=test-results/packaging.json',
    ]);
    add('packaging tests', countVitest('test-results/packaging.json'), packagingOk);
  } else {
    record({ name: 'packaging tests', ok: false, detail: 'not run: the build failed' });
  }

  process.stdout.write('\n=== security gate: Electronegativity over main, preload and renderer\n');
  const gate = runSecurityGate();
  process.stdout.write(`${gate.report}\n`);
  record({ name: 'security gate (Electronegativity)', ok: gate.ok, detail: gate.summary });

  if (built) {
    const e2eOk = run('end-to-end tests', npx, ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts'], {
      CONVOY_SKIP_BUILD: '1',
    });
    add('end-to-end tests', countPlaywright('test-results/playwright.json'), e2eOk);
  } else {
    record({ name: 'end-to-end tests', ok: false, detail: 'not run: the build failed' });
  }

  process.stdout.write('\n');
  if (failures.length) process.stdout.write(`Failed: ${failures.join('; ')}\n`);
  process.stdout.write(
    `${tally.passed} passed, ${tally.failed} failed${tally.skipped ? `, ${tally.skipped} skipped` : ''}\n`,
  );
  process.exit(tally.failed > 0 ? 1 : 0);
}

void main();
