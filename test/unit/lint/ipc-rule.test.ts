// The lint rule that keeps raw IPC inside the bridge adapters, and electron inside main/shell, really fires.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function messagesFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('bridge lint rules', () => {
  it('bans raw ipcRenderer outside the preload bridge', async () => {
    const code = "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer.invoke('x');\n";
    expect((await messagesFor('renderer/features/rogue.ts', code)).join('\n')).toMatch(/raw IPC|typed bridge/);
    expect(await messagesFor('preload/index.ts', code)).toEqual([]);
  });

  it('bans raw ipcMain outside the shell adapter, and electron outside main/shell', async () => {
    const code = "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n";
    expect((await messagesFor('main/uploads/rogue.ts', code)).join('\n')).toMatch(/main\/shell|typed handler map/);
    expect(await messagesFor('main/shell/ipc.ts', code)).toEqual([]);
  });
});
