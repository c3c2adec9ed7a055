// The security gate fails on what it should: a planted insecure window is scanned for real and comes out new,
// a second use of an accepted API in the same file is new, and the baseline accepts only reviewed advisory notes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { advisoryRules, compare, parseSarif, readBaseline, scan, type Finding } from './electronegativity-gate';

const scratch = mkdtempSync(join(tmpdir(), 'convoy-gate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function plant(files: Record<string, string>): string {
  const root = mkdtempSync(join(scratch, 'app-'));
  for (const folder of ['main', 'preload', 'renderer']) mkdirSync(join(root, folder), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const finding = (rule: string, file: string, line = 1): Finding => ({ rule, file, line, message: '' });

describe('the reviewed baseline', () => {
  it('accepts only advisory "review the use of" findings, each with its reason', () => {
    const baseline = readBaseline();
    expect(baseline.accepted.length).toBeGreaterThan(0);
    for (const entry of baseline.accepted) {
      expect(advisoryRules).toContain(entry.rule);
      expect(entry.reason.length).toBeGreaterThanOrEqual(20);
    }
  });

  it('refuses an entry for a finding that must be fixed instead', () => {
    const path = join(scratch, 'baseline.json');
    const entry = { rule: 'AUXCLICK_JS_CHECK', file: 'main/shell/window.ts', reason: 'middle-click is fine, trust me' };
    writeFileSync(path, JSON.stringify({ accepted: [entry] }));
    expect(() => readBaseline(path)).toThrow(/rule/);
  });
});

describe('compare', () => {
  const baseline = {
    accepted: [{ rule: 'OPEN_EXTERNAL_JS_CHECK' as const, file: 'main/shell/platform.ts', reason: 'x'.repeat(20) }],
  };

  it('accepts a reviewed finding wherever its line moved', () => {
    const result = compare([finding('OPEN_EXTERNAL_JS_CHECK', 'main/shell/platform.ts', 99)], baseline);
    expect(result.fresh).toEqual([]);
    expect(result.accepted).toHaveLength(1);
  });

  it('calls a second use in the same file new: one entry accepts one finding', () => {
    const findings = [
      finding('OPEN_EXTERNAL_JS_CHECK', 'main/shell/platform.ts', 10),
      finding('OPEN_EXTERNAL_JS_CHECK', 'main/shell/platform.ts', 20),
    ];
    expect(compare(findings, baseline).fresh).toEqual([findings[1]]);
  });

  it('calls the same rule in another file new, and reports an entry nothing matched as stale', () => {
    const result = compare([finding('OPEN_EXTERNAL_JS_CHECK', 'main/other.ts')], baseline);
    expect(result.fresh).toHaveLength(1);
    expect(result.stale).toEqual(baseline.accepted);
  });
});

describe('parseSarif', () => {
  it('refuses a report that is not SARIF 2.1.0', () => {
    expect(() => parseSarif('{"version":"1.0","runs":[]}')).toThrow();
  });
});

describe('a real Electronegativity scan', () => {
  it('finds a planted insecure window, and the gate calls every finding there new', () => {
    const root = plant({
      'main/shell/window.ts': [
        "import { BrowserWindow } from 'electron';",
        'export const win = new BrowserWindow({',
        '  webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false },',
        '});',
        "win.loadURL('http://example.com/');",
        '',
      ].join('\n'),
    });
    const findings = scan(root);
    const rules = findings.map((f) => f.rule);
    expect(rules).toEqual(
      expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK']),
    );
    expect(findings.find((f) => f.rule === 'CONTEXT_ISOLATION_JS_CHECK')?.file).toBe('main/shell/window.ts');
    const { fresh, accepted } = compare(findings, readBaseline());
    expect(accepted).toEqual([]);
    expect(fresh).toHaveLength(findings.length);
  });
});
