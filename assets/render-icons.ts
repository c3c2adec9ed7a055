// Renders assets/icon.svg into the PNG, ICO and ICNS files electron-builder packs for each platform.
// Run after changing the SVG: `npx tsx assets/render-icons.ts` (uses the same Chromium as the tests).
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const sizes = [16, 32, 48, 64, 128, 256, 512, 1024];
const svg = readFileSync('assets/icon.svg', 'utf8');
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

const browser = await chromium.launch({
  ...(executablePath ? { executablePath } : {}),
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage();
const pngs = new Map<number, Buffer>();
mkdirSync('assets/icons', { recursive: true });
for (const size of sizes) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
  );
  const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  pngs.set(size, png);
  writeFileSync(`assets/icons/${size}x${size}.png`, png);
}
await browser.close();
writeFileSync('assets/icon.png', pngs.get(512)!);

// ICO: a directory of PNG images (16..256).
const icoSizes = [16, 32, 48, 64, 128, 256];
const header = Buffer.alloc(6 + 16 * icoSizes.length);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(icoSizes.length, 4);
let offset = header.length;
const bodies: Buffer[] = [];
icoSizes.forEach((size, i) => {
  const png = pngs.get(size)!;
  const e = 6 + i * 16;
  header.writeUInt8(size >= 256 ? 0 : size, e);
  header.writeUInt8(size >= 256 ? 0 : size, e + 1);
  header.writeUInt16LE(1, e + 4);
  header.writeUInt16LE(32, e + 6);
  header.writeUInt32LE(png.length, e + 8);
  header.writeUInt32LE(offset, e + 12);
  offset += png.length;
  bodies.push(png);
});
writeFileSync('assets/icon.ico', Buffer.concat([header, ...bodies]));

// ICNS: PNG-backed entries (ic07 128, ic08 256, ic09 512, ic10 1024).
const icnsTypes: [string, number][] = [
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
];
const chunks = icnsTypes.map(([type, size]) => {
  const png = pngs.get(size)!;
  const head = Buffer.alloc(8);
  head.write(type, 0, 'ascii');
  head.writeUInt32BE(png.length + 8, 4);
  return Buffer.concat([head, png]);
});
const total = 8 + chunks.reduce((n, c) => n + c.length, 0);
const icnsHead = Buffer.alloc(8);
icnsHead.write('icns', 0, 'ascii');
icnsHead.writeUInt32BE(total, 4);
writeFileSync('assets/icon.icns', Buffer.concat([icnsHead, ...chunks]));
console.log(`wrote ${sizes.length} PNGs, icon.ico and icon.icns`);
