// Renders the application icon from its one source, resources/icon.svg, into every size the installers use:
//   resources/icons/<N>x<N>.png  (16 … 1024; electron-builder puts them in the deb's hicolor theme)
//   resources/icon.png           (512, the window icon and the fallback)
//   resources/icon.ico           (16, 24, 32, 48, 64, 128, 256 as PNG entries; the Windows exe, installer, shortcuts)
// Rasterised by Chromium (Debian's /usr/bin/chromium or CHROMIUM_PATH, driven by playwright-core): no image tool
// to install and no download. The outputs are committed; run this again after changing the SVG.
// Usage: node scripts/icons.mjs
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resources = path.join(root, 'resources');
const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

/** An ICO file holding PNG images (Windows Vista and later read PNG entries; 256 is stored as 0). */
export function icoFromPngs(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e);
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt8(0, e + 2);
    header.writeUInt8(0, e + 3);
    header.writeUInt16LE(1, e + 4);
    header.writeUInt16LE(32, e + 6);
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

async function main() {
  const svg = fs.readFileSync(path.join(resources, 'icon.svg'));
  const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const pngs = new Map();
    for (const size of PNG_SIZES) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<html><body style="margin:0;background:transparent"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`,
      );
      await page.locator('img').evaluate((img) => img.decode());
      const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
      pngs.set(size, png);
    }
    fs.mkdirSync(path.join(resources, 'icons'), { recursive: true });
    for (const [size, png] of pngs) fs.writeFileSync(path.join(resources, 'icons', `${size}x${size}.png`), png);
    fs.writeFileSync(path.join(resources, 'icon.png'), pngs.get(512));
    fs.writeFileSync(
      path.join(resources, 'icon.ico'),
      icoFromPngs(ICO_SIZES.map((size) => ({ size, png: pngs.get(size) }))),
    );
    console.log(`resources/: icon.png, icon.ico (${ICO_SIZES.join(', ')}), icons/ (${PNG_SIZES.join(', ')})`);
  } finally {
    await browser.close();
  }
}

await main();
