// Run as another user by journal-disk.test.ts: opens the journal in argv[2] and prints what it threw as JSON.
import { Journal } from '../../main/uploads/journal';

try {
  Journal.open({ dir: process.argv[2]! }).close();
  process.stdout.write(JSON.stringify({ opened: true }));
} catch (error) {
  const e = error as Error & { code?: string };
  process.stdout.write(JSON.stringify({ name: e.name, code: e.code, message: e.message }));
}
