// `npm run bench`: runs every benchmark (bench/*.bench.ts) one after another in child processes, each
// comparing side by side within its own run, and collects their JSON figures into .bench/summary.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

mkdirSync('.bench', { recursive: true });
const summary: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  node: process.version,
  cpus: (await import('node:os')).cpus().length,
};
let failed = 0;
for (const file of files) {
  process.stdout.write(`\n=== ${file}\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join('bench', file)], {
    stdio: 'inherit',
  });
  const name = file.replace(/\.bench\.ts$/, '');
  const json = join('.bench', `${name}.json`);
  summary[name] = {
    ok: result.status === 0,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    figures: existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as unknown) : null,
  };
  if (result.status !== 0) failed++;
}
writeFileSync('.bench/summary.json', JSON.stringify(summary, null, 2));
process.stdout.write(`\n${files.length - failed} benchmarks ran, ${failed} failed; figures in .bench/summary.json\n`);
process.exit(failed ? 1 : 0);
