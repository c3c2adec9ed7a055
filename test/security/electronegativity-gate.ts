// The security gate `npm test` runs: Electronegativity over main, preload and renderer (one scan, so its
// cross-file checks see the whole app), its SARIF parsed, every finding held against the reviewed baseline.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { electronVersion } from '../packaging/pack-linux-dir';

const require = createRequire(import.meta.url);

/** The source folders scanned, relative to the project root. */
export const scannedFolders = ['main', 'preload', 'renderer'];

export const baselineFile = 'test/security/electronegativity-baseline.json';

/**
 * The only checks a finding may be accepted for: Electronegativity's advisory "review the use of" notes, which
 * flag a use to be reviewed rather than a misconfiguration. Everything else is fixed, never baselined.
 */
export const advisoryRules = ['OPEN_EXTERNAL_JS_CHECK', 'PRELOAD_JS_CHECK'] as const;

export interface Finding {
  rule: string;
  /** Relative to the scanned root (`main/shell/index.ts`); empty for an app-wide finding. */
  file: string;
  line: number;
  message: string;
}

const sarifSchema = z.object({
  version: z.literal('2.1.0'),
  runs: z
    .array(
      z.object({
        results: z.array(
          z.object({
            ruleId: z.string(),
            message: z.object({ text: z.string() }),
            locations: z
              .array(
                z.object({
                  physicalLocation: z.object({
                    artifactLocation: z.object({ uri: z.string() }),
                    region: z.object({ startLine: z.number().int() }).optional(),
                  }),
                }),
              )
              .min(1),
          }),
        ),
      }),
    )
    .min(1),
});

const baselineSchema = z
  .object({
    accepted: z.array(
      z
        .object({
          rule: z.enum(advisoryRules),
          file: z.string().min(1),
          reason: z.string().min(20),
        })
        .strict(),
    ),
  })
  .strict();

export type Baseline = z.infer<typeof baselineSchema>;
export type AcceptedFinding = Baseline['accepted'][number];

/** Electronegativity's SARIF as findings; throws if the report is not the SARIF 2.1.0 it writes. */
export function parseSarif(text: string): Finding[] {
  const sarif = sarifSchema.parse(JSON.parse(text));
  return sarif.runs.flatMap((run) =>
    run.results.map((result) => {
      const location = result.locations[0]!.physicalLocation;
      const uri = location.artifactLocation.uri;
      return {
        rule: result.ruleId,
        file: uri.startsWith('file://') ? '' : uri.replaceAll('\\', '/'),
        line: location.region?.startLine ?? 0,
        message: result.message.text,
      };
    }),
  );
}

/** The reviewed baseline; throws (with zod's reasons) if an entry is not an advisory rule with a reason. */
export function readBaseline(path = baselineFile): Baseline {
  return baselineSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/**
 * Electronegativity over `folders` of `root`, copied together into one scratch folder, against the Electron
 * version package.json pins. It exits 0 whatever it finds, so only the SARIF it writes says anything.
 */
export function scan(root = '.', folders = scannedFolders): Finding[] {
  const scratch = mkdtempSync(join(tmpdir(), 'convoy-electronegativity-'));
  try {
    const input = join(scratch, 'app');
    for (const folder of folders) cpSync(join(root, folder), join(input, folder), { recursive: true });
    const report = join(scratch, 'report.sarif');
    const cli = require.resolve('@doyensec/electronegativity/dist/index.js');
    const args = [cli, '-i', input, '-o', report, '-r', '-v', 'false', '-e', electronVersion()];
    const run = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 300_000 });
    if (!existsSync(report)) {
      throw new Error(`Electronegativity wrote no report (exit ${run.status}): ${run.stderr || run.stdout}`);
    }
    return parseSarif(readFileSync(report, 'utf8'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export interface Comparison {
  /** Findings no baseline entry accepts: each fails the gate. */
  fresh: Finding[];
  accepted: { finding: Finding; entry: AcceptedFinding }[];
  /** Baseline entries nothing matched any more: to be removed from the file. */
  stale: AcceptedFinding[];
}

/** Each baseline entry accepts one finding of its rule in its file (line numbers move, so they are not compared). */
export function compare(findings: Finding[], baseline: Baseline): Comparison {
  const unused = [...baseline.accepted];
  const fresh: Finding[] = [];
  const accepted: Comparison['accepted'] = [];
  for (const finding of findings) {
    const i = unused.findIndex((entry) => entry.rule === finding.rule && entry.file === finding.file);
    if (i === -1) fresh.push(finding);
    else accepted.push({ finding, entry: unused.splice(i, 1)[0]! });
  }
  return { fresh, accepted, stale: unused };
}

const where = (f: Finding): string => (f.file ? `${f.file}:${f.line}` : '(app-wide)');

export interface GateResult {
  ok: boolean;
  summary: string;
  /** One line per finding, for the test log. */
  report: string;
}

/** The gate: scan, compare, and say what fails and how to accept an advisory finding after review. */
export function runSecurityGate(): GateResult {
  try {
    const baseline = readBaseline();
    const { fresh, accepted, stale } = compare(scan(), baseline);
    const lines = [
      ...fresh.map((f) => `NEW       ${f.rule}  ${where(f)}  ${f.message}`),
      ...accepted.map(({ finding: f }) => `accepted  ${f.rule}  ${where(f)}`),
      ...stale.map((e) => `stale     ${e.rule}  ${e.file}  (matches nothing now: remove it from ${baselineFile})`),
    ];
    if (fresh.length) {
      lines.push(
        `Fix each NEW finding. Only ${advisoryRules.join(' and ')} may be accepted, after review, in ${baselineFile}.`,
      );
    }
    const summary = `${fresh.length} new, ${accepted.length} accepted in the baseline, ${stale.length} stale`;
    return { ok: fresh.length === 0, summary, report: lines.join('\n') };
  } catch (error) {
    return { ok: false, summary: (error as Error).message.slice(0, 2000), report: '' };
  }
}
