// The headless `convoy` command: uploads files and folders resumably on the same engine as the app, keeps watching
// folders (`convoy watch`), and manages upload tokens. Exit codes: 0 all arrived, 1 some files did not (or --give-up-after gave up), 2 usage,
// credentials or a path that does not exist, 130 interrupted.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApiVideoError } from '../apivideo/index';
import { redact } from '../log/redact';
import { JournalBusyError, JournalWriteError } from '../uploads/index';
import { parseCli, usage, UsageError } from './args';
import { argvSecretWarning } from './credentials';
import { runTokens } from './tokens-command';
import { INTERRUPTED, runUpload, type CommandIo } from './upload-command';
import { runWatch } from './watch-command';

export async function main(argv: string[], io: CommandIo): Promise<number> {
  // Ctrl-C during an upload: the run closes the engine (every file's state saved), reports each file and returns
  // 130. Anything else, or a second Ctrl-C, stops at once (the journal is written as it goes).
  const interrupt = new AbortController();
  let uploading = false;
  const onSignal = () => {
    if (interrupt.signal.aborted || !uploading) process.exit(INTERRUPTED);
    interrupt.abort();
    io.stderr.write('\nStopping; everything sent so far is kept. Run the same command again to resume.\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const args = parseCli(argv, io.env);
    const argvWarning = argvSecretWarning(argv);
    if (argvWarning) io.stderr.write(argvWarning);
    if (args.command === 'help') {
      io.stdout.write(usage);
      return 0;
    }
    if (args.command === 'tokens') return await runTokens(args, io);
    uploading = true;
    if (args.command === 'watch') return await runWatch(args, io, interrupt.signal);
    return await runUpload(args, io, interrupt.signal);
  } catch (error) {
    if (error instanceof UsageError) {
      // The message may quote what was typed (redacted); the usage text is ours and printed as written.
      io.stderr.write(`convoy: ${redact(error.message)}\n${error.showUsage ? `\n${usage}` : ''}`);
      return 2;
    }
    if (error instanceof JournalWriteError || error instanceof JournalBusyError) {
      // The state directory: one sentence naming it and the cause (full, read-only, no permission, in use).
      io.stderr.write(`convoy: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ApiVideoError) {
      io.stderr.write(`convoy: ${redact(error.message)}\n`);
      return error.kind === 'auth' ? 2 : 1;
    }
    io.stderr.write(`convoy: ${redact(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function invokedDirectly(): boolean {
  try {
    return (
      process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`convoy: ${redact(String(error))}\n`);
      process.exitCode = 1;
    },
  );
}
