// Which npm packages a source tree loads at run time: the bare specifiers of its imports and requires (type-only
// imports, relative paths, Node's built-ins and electron, which the runtime provides, left out).
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const sourceFile = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const specifiers = [
  /^\s*import\s+(?!type\b)[^'"]*?from\s*['"]([^'"]+)['"]/gm,
  /^\s*export\s+(?!type\b)[^'"]*?from\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && sourceFile.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`; null for what is not an npm package. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  if (!name || name === 'electron' || builtinModules.includes(name)) return null;
  return name;
}

/** The packages the sources under `dirs` load at run time. */
export function importedPackages(dirs: string[]): Set<string> {
  const found = new Set<string>();
  for (const file of dirs.flatMap(sourceFiles)) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of specifiers) {
      for (const match of text.matchAll(pattern)) {
        const name = packageOf(match[1] ?? '');
        if (name) found.add(name);
      }
    }
  }
  return found;
}
