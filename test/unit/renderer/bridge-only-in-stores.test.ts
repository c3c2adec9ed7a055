// Components reach main only through store actions: no file under renderer/features or renderer/ui touches
// window.convoy (or the bridge module) itself, so every request to main has one home, its store.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const scanned = ['renderer/features', 'renderer/ui'];

/** Every .ts/.tsx file below `dir`, recursively. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The bridge as a component could reach it: the global, its namespaces through any alias, or the module. */
const bridgeUse = [
  /\bwindow\s*\.\s*convoy\b/,
  /\bwindow\s*\[\s*['"]convoy/,
  /\bconvoy\s*\.\s*(app|profiles|queue|tokens|on|pathForFile)\b/,
  /from\s+['"][./]*bridge['"]/,
  /\bconvoyTransport\b/,
];

describe('components and the bridge', () => {
  it('no file under renderer/features or renderer/ui calls window.convoy directly', () => {
    const files = scanned.flatMap((dir) => sourcesUnder(join(root, dir)));
    expect(files.length).toBeGreaterThan(20);
    const offenders: string[] = [];
    for (const file of files) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (bridgeUse.some((pattern) => pattern.test(line)))
            offenders.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders, 'move these into an action of the matching store in renderer/stores').toEqual([]);
  });
});
