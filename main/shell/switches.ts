// What the environment may change about the app. The test switches (the sandbox's fixed port and its test
// controls, Chromium's remote debugging) work only in a development build: a packaged Convoy ignores or refuses them.
export interface ShellSwitches {
  /** CONVOY_DATA_DIR: a documented setting (portable use, tests), honoured everywhere. */
  dataDir: string | null;
  /** CONVOY_SANDBOX_PORT: the embedded sandbox's fixed port; 0 (any free port) when packaged. */
  sandboxPort: number;
  /** CONVOY_SANDBOX_TEST_CONTROLS=1: the sandbox's unauthenticated fault-injection routes; never when packaged. */
  sandboxTestControls: boolean;
}

export function shellSwitches(env: NodeJS.ProcessEnv, isPackaged: boolean): ShellSwitches {
  const port = Number(env.CONVOY_SANDBOX_PORT ?? 0);
  return {
    dataDir: env.CONVOY_DATA_DIR || null,
    sandboxPort: !isPackaged && Number.isInteger(port) && port > 0 && port < 65_536 ? port : 0,
    sandboxTestControls: !isPackaged && env.CONVOY_SANDBOX_TEST_CONTROLS === '1',
  };
}

/** Chromium switches that hand the page to another program; a packaged Convoy will not start with them. */
export const debuggingSwitches = ['remote-debugging-port', 'remote-debugging-pipe', 'remote-allow-origins'];

/** The debugging switch a packaged build refuses, or null. */
export function refusedSwitch(hasSwitch: (name: string) => boolean, isPackaged: boolean): string | null {
  if (!isPackaged) return null;
  return debuggingSwitches.find((name) => hasSwitch(name)) ?? null;
}
