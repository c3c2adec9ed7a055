// Renders the tray icons from the app icons with ffmpeg: tray/tray.png (Windows, Linux: the icon at 32 px) and
// tray/trayTemplate@2x.png (macOS: the white arrow alone, as black and alpha, 32 px for a 16 pt menu bar).
// Run after `npx tsx assets/render-icons.ts`: `npx tsx assets/render-tray-icons.ts`.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const ffmpeg = (args: string[]) => execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);

mkdirSync('assets/tray', { recursive: true });
ffmpeg(['-i', 'assets/icons/32x32.png', 'assets/tray/tray.png']);
// Keep only the icon's near-white strokes: their whiteness becomes the alpha of a black template.
const strokes = 'if(gt(alpha(X,Y),128),clip((min(min(r(X,Y),g(X,Y)),b(X,Y))-150)*2.5,0,255),0)';
ffmpeg([
  '-i',
  'assets/icons/1024x1024.png',
  '-vf',
  `format=rgba,geq=r=0:g=0:b=0:a='${strokes}',scale=32:32:flags=area`,
  'assets/tray/trayTemplate@2x.png',
]);
