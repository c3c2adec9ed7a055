// The CLI build leaves `convoy.js` executable, so `npx convoy` (which runs the bin through its shebang) keeps
// working after every `npm run build`, not only after the `npm ci` that first set the bit.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from './built-cli';

describe.skipIf(process.platform === 'win32')('the CLI build', () => {
  let cli: BuiltCli;
  beforeAll(() => {
    cli = buildCli();
  });
  afterAll(() => cli.remove());

  it('writes convoy.js (and the sandbox CLI) with the exec bit set', () => {
    for (const file of ['convoy.js', 'sandbox.js']) {
      expect((statSync(`${cli.dir}/${file}`).mode & 0o777).toString(8), file).toBe('755');
    }
  });

  it('runs convoy.js directly, as npx does through the package bin', async () => {
    const { stdout } = await promisify(execFile)(cli.convoy, ['--help']);
    expect(stdout).toMatch(/^Usage:\n {2}convoy upload/);
  });
});
