// Command line: `npm run sandbox -- --port <n|0> --data <dir> [--api-key <key>] [--json] [--rate-limit off|production|sandbox]
// [--test-controls]`. Prints where it listens (with --json: one JSON line first) and stops cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startSandbox } from './index';
import type { RateLimitPreset } from './rate-limit';

const PRESETS: RateLimitPreset[] = ['off', 'production', 'sandbox'];

function usage(message: string): never {
  process.stderr.write(
    `${message}\nUsage: npm run sandbox -- --port <n|0> --data <dir> [--api-key <key>] [--json] [--rate-limit off|production|sandbox] [--test-controls]\n`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        data: { type: 'string' },
        'api-key': { type: 'string' },
        json: { type: 'boolean', default: false },
        'rate-limit': { type: 'string', default: 'off' },
        'test-controls': { type: 'boolean', default: false },
        host: { type: 'string', default: '127.0.0.1' },
      },
      strict: true,
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    usage(`--port must be an integer 0-65535 (got ${values.port}).`);
  if (!values.data) usage('--data <dir> is required: the folder where the sandbox keeps its state and uploaded bytes.');
  const rateLimit = values['rate-limit'] as RateLimitPreset;
  if (!PRESETS.includes(rateLimit))
    usage(`--rate-limit must be one of ${PRESETS.join(', ')} (got ${values['rate-limit']}).`);
  const sandbox = await startSandbox({
    port,
    host: values.host,
    dataDir: values.data,
    apiKey: values['api-key'],
    rateLimit,
    testControls: values['test-controls'],
    log: (line) => process.stderr.write(line + '\n'),
  });
  if (values.json) {
    process.stdout.write(JSON.stringify({ url: sandbox.url, apiKey: sandbox.apiKey, dataDir: sandbox.dataDir }) + '\n');
  } else {
    // The user asked for this sandbox's key: printing it is the point of the command (it is a local, throwaway key).
    process.stdout.write(
      `Convoy sandbox listening on ${sandbox.url}\nAPI key: ${sandbox.apiKey}\nData: ${sandbox.dataDir}\n`,
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`sandbox: ${signal} received, shutting down\n`);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox: could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
