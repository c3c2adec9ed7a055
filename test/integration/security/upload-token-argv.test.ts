// A token typed on the command line is readable by every user of the machine: the CLI warns and says how to pass
// it through the environment from stdin instead; the environment form draws no warning.
import { describe, expect, it } from 'vitest';
import { argvSecretWarning } from '../../../main/cli/credentials';

describe('--upload-token on the command line', () => {
  it('warns, pointing to --upload-token-env and stdin', () => {
    for (const argv of [
      ['upload', './clips', '--base-url', 'https://ws.api.video', '--upload-token', 'to1tcmSFHeYY5KzyhOqVKMKb'],
      ['upload', './clips', '--base-url', 'https://ws.api.video', '--upload-token=to1tcmSFHeYY5KzyhOqVKMKb'],
    ]) {
      const warning = argvSecretWarning(argv);
      expect(warning).toMatch(/^convoy: warning: --upload-token puts the token on the command line/);
      expect(warning).toContain('--upload-token-env');
      expect(warning).toContain('read -rs');
      // The warning never repeats the token it warns about.
      expect(warning).not.toContain('to1tcmSFHeYY5KzyhOqVKMKb');
    }
  });

  it('stays quiet for --upload-token-env and for a file merely named like the flag', () => {
    expect(argvSecretWarning(['upload', './clips', '--base-url', 'https://x', '--upload-token-env', 'TOKEN'])).toBe(
      undefined,
    );
    expect(argvSecretWarning(['upload', './--upload-tokens', '--profile', 'Work'])).toBeUndefined();
  });
});
