// The window remembers its size and position; a missing, corrupt or absurd state file falls back to defaults.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultWindowState, readWindowState, writeWindowState } from '../../../main/shell/window-state';
import { tempDir } from '../../support/temp-dirs';

describe('window state', () => {
  const dir = tempDir('window');

  it('round-trips through the file', () => {
    const file = join(dir, 'a', 'window-state.json');
    writeWindowState(file, { x: 10, y: 20, width: 1300, height: 900, maximized: true });
    expect(readWindowState(file)).toEqual({ x: 10, y: 20, width: 1300, height: 900, maximized: true });
  });

  it('falls back to defaults for missing, corrupt or out-of-range state', () => {
    expect(readWindowState(join(dir, 'missing.json'))).toEqual(defaultWindowState);
    writeFileSync(join(dir, 'corrupt.json'), '{"width": 12');
    expect(readWindowState(join(dir, 'corrupt.json'))).toEqual(defaultWindowState);
    writeFileSync(join(dir, 'tiny.json'), '{"width": 10, "height": 10}');
    expect(readWindowState(join(dir, 'tiny.json'))).toEqual(defaultWindowState);
  });
});
