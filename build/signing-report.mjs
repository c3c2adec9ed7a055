// electron-builder beforePack hook: one line per platform saying whether this build is code-signed (and on
// macOS notarized) from the usual environment variables, or why that step is skipped. It changes nothing.
import { env, platform as hostPlatform, stdout } from 'node:process';

const notarizeSets = [
  ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'],
  ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'],
];

/** @param {Record<string, string | undefined>} vars @param {string} name */
const has = (vars, name) => typeof vars[name] === 'string' && vars[name].trim() !== '';

/** @param {Record<string, string | undefined>} vars @param {string} link @param {string} password */
function certificateLine(vars, link, password) {
  return has(vars, password) ? `the certificate in ${link}` : `the certificate in ${link} (${password} is not set)`;
}

/**
 * What electron-builder will do about signing for one target platform, given the environment.
 * @param {string} target electron-builder's platform name: darwin, mas, win32 or linux
 * @param {Record<string, string | undefined>} vars the environment
 * @param {string} host the platform electron-builder runs on
 * @returns {string[]}
 */
export function signingPlan(target, vars, host = hostPlatform) {
  if (target === 'darwin' || target === 'mas') {
    const lines = [];
    if (has(vars, 'CSC_LINK'))
      lines.push(`macOS code signing: with ${certificateLine(vars, 'CSC_LINK', 'CSC_KEY_PASSWORD')}`);
    else if (host === 'darwin' && vars.CSC_IDENTITY_AUTO_DISCOVERY !== 'false')
      lines.push(
        'macOS code signing: CSC_LINK is not set; a Developer ID identity in the keychain is used if there is one, else skipped',
      );
    else lines.push('macOS code signing skipped: CSC_LINK (with CSC_KEY_PASSWORD) is not set');
    const complete = notarizeSets.find((set) => set.every((name) => has(vars, name)));
    if (complete) lines.push(`macOS notarization: with ${complete.join(', ')}`);
    else {
      const missing = notarizeSets[0].filter((name) => !has(vars, name));
      lines.push(`macOS notarization skipped: ${missing.join(', ')} not set`);
    }
    return lines;
  }
  if (target === 'win32') {
    if (has(vars, 'WIN_CSC_LINK'))
      return [`Windows code signing: with ${certificateLine(vars, 'WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD')}`];
    if (has(vars, 'CSC_LINK'))
      return [`Windows code signing: with ${certificateLine(vars, 'CSC_LINK', 'CSC_KEY_PASSWORD')}`];
    return ['Windows code signing skipped: WIN_CSC_LINK (or CSC_LINK) is not set'];
  }
  return ['Linux code signing: none (AppImage and deb are not signed)'];
}

/** @param {{ electronPlatformName: string }} context */
export default async function beforePack(context) {
  for (const line of signingPlan(context.electronPlatformName, env)) stdout.write(`  • ${line}\n`);
}
