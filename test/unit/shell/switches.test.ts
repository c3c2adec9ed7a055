// Test switches work in a development build only: a packaged Convoy ignores the sandbox's fixed port and test
// controls, and refuses Chromium's remote-debugging switches.
import { describe, expect, it } from 'vitest';
import { refusedSwitch, shellSwitches } from '../../../main/shell/switches';

const testEnv = { CONVOY_SANDBOX_PORT: '47311', CONVOY_SANDBOX_TEST_CONTROLS: '1', CONVOY_DATA_DIR: '/tmp/convoy' };

describe('shell switches', () => {
  it('honours the test switches in development', () => {
    expect(shellSwitches(testEnv, false)).toEqual({
      dataDir: '/tmp/convoy',
      sandboxPort: 47311,
      sandboxTestControls: true,
    });
  });

  it('ignores them when packaged, keeping the documented data directory setting', () => {
    expect(shellSwitches(testEnv, true)).toEqual({
      dataDir: '/tmp/convoy',
      sandboxPort: 0,
      sandboxTestControls: false,
    });
  });

  it('takes no nonsense port and nothing but "1" for the controls', () => {
    expect(shellSwitches({ CONVOY_SANDBOX_PORT: 'abc', CONVOY_SANDBOX_TEST_CONTROLS: 'yes' }, false)).toEqual({
      dataDir: null,
      sandboxPort: 0,
      sandboxTestControls: false,
    });
    expect(shellSwitches({ CONVOY_SANDBOX_PORT: '70000' }, false).sandboxPort).toBe(0);
  });

  it('refuses remote debugging when packaged only', () => {
    const has = (name: string) => name === 'remote-debugging-pipe';
    expect(refusedSwitch(has, true)).toBe('remote-debugging-pipe');
    expect(refusedSwitch(has, false)).toBeNull();
    expect(refusedSwitch(() => false, true)).toBeNull();
  });
});
