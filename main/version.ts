// The app's version, read once from package.json at build time.
import pkg from '../package.json' with { type: 'json' };

export const version: string = pkg.version;
