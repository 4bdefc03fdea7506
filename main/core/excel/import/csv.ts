/**
 * Text files for imports (.csv, .txt): the encoding told from the byte-order mark or, without one, from the bytes
 * themselves — UTF-8, UTF-16LE/BE (Excel's "Unicode 文本", tab-separated), UTF-32LE/BE, GB18030 (GBK, GB2312) and
 * Big5 — then the rows and fields, separated by commas, tabs or semicolons (whichever the first lines use, or as a
 * leading `sep=` line says), in one linear pass. SheetJS is not used for text: it guesses a format from the first
 * bytes (a text beginning with "<" is read as HTML or XML, "PK" as a zip, "ID" as SYLK…), while a file named .csv
 * must only ever be read as delimited text. Every value is text (an ID number keeps its digits), as SheetJS gave it.
 */
import { type Table, cellTooLong, LIMITS, TableBuilder } from './table.ts';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be' | 'gb18030' | 'big5';

/** How many leading bytes the encoding guess looks at when there is no byte-order mark. */
const SAMPLE_BYTES = 64 * 1024;

const BOMS: [number[], TextEncoding][] = [
  // UTF-32LE's mark starts with UTF-16LE's: tested first.
  [[0xff, 0xfe, 0x00, 0x00], 'utf-32le'],
  [[0x00, 0x00, 0xfe, 0xff], 'utf-32be'],
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
  [[0x84, 0x31, 0x95, 0x33], 'gb18030'],
];

/** The byte-order mark at the start of `bytes`, if any. */
function byteOrderMark(bytes: Uint8Array): { encoding: TextEncoding; length: number } | null {
  for (const [mark, encoding] of BOMS)
    if (bytes.length >= mark.length && mark.every((b, i) => bytes[i] === b)) return { encoding, length: mark.length };
  return null;
}

/**
 * UTF-16 and UTF-32 without a mark, from where the zero bytes fall: text in those encodings is full of ASCII
 * (digits of ID numbers, separators, line ends), each character with zero high bytes on one side of its unit.
 */
function wideEncoding(sample: Uint8Array): TextEncoding | null {
  const zeros = [0, 0, 0, 0];
  const n = sample.length - (sample.length % 4);
  for (let i = 0; i < n; i++) if (sample[i] === 0) zeros[i % 4]!++;
  const units32 = n / 4;
  if (units32 === 0 || zeros[0]! + zeros[1]! + zeros[2]! + zeros[3]! === 0) return null;
  // UTF-32: the top byte of every unit is zero, and the next one for every character of the Basic Plane.
  if (zeros[3]! >= units32 * 0.99 && zeros[2]! >= units32 * 0.8) return 'utf-32le';
  if (zeros[0]! >= units32 * 0.99 && zeros[1]! >= units32 * 0.8) return 'utf-32be';
  const units16 = n / 2;
  const odd = zeros[1]! + zeros[3]!;
  const even = zeros[0]! + zeros[2]!;
  // An ASCII character gives a zero high byte; a Chinese one rarely a zero low byte (一 U+4E00 does).
  if (odd >= units16 * 0.02 && odd > even * 4) return 'utf-16le';
  if (even >= units16 * 0.02 && even > odd * 4) return 'utf-16be';
  return null;
}

/**
 * Whether double-byte Chinese text reads better as Big5 than as GB18030. Almost every character of a mainland file
 * is in GB2312, whose second bytes are 0xA1–0xFE and which leaves the rows 0xAA–0xAF and 0xF8–0xFE empty; Big5 puts
 * about two in five common characters on second bytes 0x40–0x7E and many (的 是 有…) on first bytes 0xAA–0xAF.
 */
function looksLikeBig5(bytes: Uint8Array): boolean {
  let pairs = 0;
  let big5ish = 0;
  const n = Math.min(bytes.length, SAMPLE_BYTES * 4);
  for (let i = 0; i < n;) {
    const lead = bytes[i]!;
    if (lead < 0x81 || lead === 0xff || i + 1 >= n) {
      i++;
      continue;
    }
    const trail = bytes[i + 1]!;
    // A GB18030 four-byte sequence (second byte a digit) exists in no Big5 text.
    if (trail >= 0x30 && trail <= 0x39) return false;
    pairs++;
    if ((trail >= 0x40 && trail <= 0x7e) || (trail >= 0xa1 && ((lead >= 0xaa && lead <= 0xaf) || lead >= 0xf8)))
      big5ish++;
    i += 2;
  }
  return pairs > 0 && big5ish >= pairs * 0.15;
}

function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length - (bytes.length % 4));
  const parts: string[] = [];
  const chunk: number[] = [];
  for (let i = 0; i < view.byteLength; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    chunk.push(cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp);
    if (chunk.length === 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk.length = 0;
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  return parts.join('');
}

/** The encoding of a text file's bytes and the length of its byte-order mark (0 without one). */
export function detectEncoding(bytes: Uint8Array): { encoding: TextEncoding; bom: number } {
  const mark = byteOrderMark(bytes);
  if (mark) return { encoding: mark.encoding, bom: mark.length };
  const wide = wideEncoding(bytes.subarray(0, SAMPLE_BYTES));
  if (wide) return { encoding: wide, bom: 0 };
  try {
    // Streaming mode: a character cut off at the very end (a truncated file) does not make it "not UTF-8".
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return { encoding: 'utf-8', bom: 0 };
  } catch {
    // Not UTF-8: a double-byte Chinese encoding.
  }
  if (looksLikeBig5(bytes)) {
    try {
      new TextDecoder('big5', { fatal: true }).decode(bytes);
      return { encoding: 'big5', bom: 0 };
    } catch {
      // Bytes Big5 does not have: GB18030 takes every sequence.
    }
  }
  return { encoding: 'gb18030', bom: 0 };
}

/** A text file's content as a string, in the encoding it was detected to be in (see detectEncoding). */
export function decodeText(bytes: Uint8Array): string {
  const { encoding, bom } = detectEncoding(bytes);
  const body = bytes.subarray(bom);
  switch (encoding) {
    case 'utf-16le':
      return Buffer.from(body.buffer, body.byteOffset, body.length - (body.length % 2)).toString('utf16le');
    case 'utf-16be': {
      const swapped = Buffer.from(body.subarray(0, body.length - (body.length % 2)));
      return swapped.swap16().toString('utf16le');
    }
    case 'utf-32le':
    case 'utf-32be':
      return decodeUtf32(body, encoding === 'utf-32le');
    default:
      return new TextDecoder(encoding).decode(body);
  }
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SEPARATORS = [',', '\t', ';'] as const;

/** The separator the first lines use most (outside quotes); a comma when they use none. */
function guessSeparator(text: string): string {
  const counts = new Map<string, number>(SEPARATORS.map((s) => [s, 0]));
  let inQuotes = false;
  let lines = 0;
  for (let i = 0; i < text.length && i < SAMPLE_BYTES && lines < 20; i++) {
    const ch = text[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch === '\n') lines++;
    else if (!inQuotes && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: string = SEPARATORS[0];
  for (const s of SEPARATORS) if (counts.get(s)! > counts.get(best)!) best = s;
  return best;
}

/**
 * Delimited text as a table: fields quoted with `"` may hold separators, line breaks and doubled quotes; a quote
 * that does not open a field is text; an unclosed quote runs to the end of the file. Empty fields are empty cells;
 * line ends are LF, CR LF or CR (CR LF inside a quoted field reads as LF, as in .xlsx cells). The row and cell
 * limits are enforced as cells arrive.
 */
export function parseDelimited(text: string, sheet: string): Table {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let separator: string;
  const declared = /^sep=(.)\r?\n/i.exec(text.slice(start, start + 8));
  if (declared) {
    separator = declared[1]!;
    start += declared[0].length;
  } else separator = guessSeparator(start ? text.slice(start) : text);
  const sep = separator.charCodeAt(0);
  const table = new TableBuilder(sheet);
  const length = text.length;
  let row = 0;
  let column = 0;
  let i = start;
  while (i < length) {
    let value: string;
    let code = text.charCodeAt(i);
    if (code === QUOTE) {
      // A quoted field: to the closing quote, doubled quotes standing for one.
      let out = '';
      let from = i + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close < 0) {
          out += text.slice(from);
          i = length;
          break;
        }
        out += text.slice(from, close);
        // A field longer than a cell may be is refused as soon as it is (not after gathering megabytes of it).
        if (out.length > LIMITS.cellCharacters) throw cellTooLong(sheet, row, column, out.length);
        if (text.charCodeAt(close + 1) === QUOTE) {
          out += '"';
          from = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      // Anything between the closing quote and the separator belongs to the field, as spreadsheet programs read it.
      let end = i;
      while (end < length && (code = text.charCodeAt(end)) !== sep && code !== LF && code !== CR) end++;
      if (end > i) out += text.slice(i, end);
      i = end;
      value = out.includes('\r\n') ? out.replace(/\r\n/g, '\n') : out;
    } else {
      let end = i;
      while (end < length && (code = text.charCodeAt(end)) !== sep && code !== LF && code !== CR) end++;
      value = text.slice(i, end);
      i = end;
    }
    if (value !== '') table.set(row, column, value, false);
    if (i >= length) break;
    code = text.charCodeAt(i);
    if (code === sep) {
      column++;
      i++;
      // A separator at the very end of the text leaves no field after it.
      continue;
    }
    // A line end: CR LF, LF or CR.
    i += code === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    row++;
    column = 0;
  }
  return table.finish([]);
}
