/** LibreOffice headless as the user's office suite: open a workbook, print it to PDF, look at page 1 as PNG. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SOFFICE = ['soffice', 'libreoffice'].find((bin) => spawnSync('which', [bin]).status === 0) ?? null;
export const REPORT_ARTIFACTS = path.resolve(import.meta.dirname, '../../artifacts/reports');

/**
 * Converts with a private profile (parallel runs must not share one); returns the PDF's text and page count.
 * `pngName` keeps page 1 as a PNG; `pngPerTitle` keeps the first page showing each title (one per report sheet).
 */
export function toPdf(
  xlsx: string,
  pngName?: string,
  pngPerTitle: Record<string, string> = {},
): { text: string; pages: number } {
  if (!SOFFICE) throw new Error('LibreOffice is not installed (apt-get install libreoffice-calc-nogui poppler-utils)');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lo-out-'));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lo-profile-'));
  const r = spawnSync(
    SOFFICE,
    [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', out, xlsx],
    { encoding: 'utf8', timeout: 180_000 },
  );
  const pdf = path.join(out, `${path.basename(xlsx, '.xlsx')}.pdf`);
  if (r.status !== 0 || !fs.existsSync(pdf)) throw new Error(`LibreOffice could not open ${xlsx}: ${r.stderr}`);
  const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
  const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout;
  if (pngName) {
    fs.mkdirSync(REPORT_ARTIFACTS, { recursive: true });
    spawnSync('pdftoppm', [
      '-r',
      '70',
      '-png',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      pdf,
      path.join(REPORT_ARTIFACTS, pngName),
    ]);
  }
  const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
  const pending = new Map(Object.entries(pngPerTitle));
  for (let p = 1; p <= pages && pending.size; p++) {
    const pageText = spawnSync('pdftotext', ['-f', String(p), '-l', String(p), pdf, '-'], { encoding: 'utf8' }).stdout;
    for (const [title, name] of pending) {
      if (!pageText.includes(title)) continue;
      fs.mkdirSync(REPORT_ARTIFACTS, { recursive: true });
      spawnSync('pdftoppm', [
        '-r',
        '70',
        '-png',
        '-f',
        String(p),
        '-l',
        String(p),
        '-singlefile',
        pdf,
        path.join(REPORT_ARTIFACTS, name),
      ]);
      pending.delete(title);
    }
  }
  fs.rmSync(profile, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
  return { text, pages };
}
