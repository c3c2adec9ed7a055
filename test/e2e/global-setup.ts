// Builds the app once before the end-to-end run (skipped when the caller already built it).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export default function globalSetup(): void {
  if (process.env.CONVOY_SKIP_BUILD === '1' && existsSync('out/main/web.js')) return;
  execSync('npm run build', { stdio: 'inherit' });
}
