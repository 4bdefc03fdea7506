/**
 * The hostile-file corpus of hostile.test.ts, generated on each run (nothing binary is committed): truncated
 * workbooks at many offsets, random bytes under every extension, deflate bombs and forged zip directories,
 * billion-laughs and external entities in every XML part of a workbook, a 10-million-character cell, a million
 * rows, empty and mark-only CSVs, CSVs in every encoding, control characters and right-to-left marks, and
 * formula-like text. Each file also names what a correct import of it stores, where it stores anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as XLSX from '@e965/xlsx';
import * as codepage from '@e965/xlsx/dist/cpexcel';
import ExcelJS from 'exceljs';
import { computeCheckChar } from '../../shared/idnumber.ts';

export interface HostileFile {
  /** File name in the corpus folder (its extension chooses the reader). */
  name: string;
  /** What kind of hostility: the counts are printed per group. */
  group: string;
  /**
   * What must happen, where it is certain: 'refused' by every import kind (with a clear message), or imported by
   * the households kind with this many persons inserted. Otherwise either, as long as it ends clearly.
   */
  expect?: 'refused' | { households: number };
}

/** The expectation of a file of the corpus (see HostileFile.expect). */
function expectationOf({ group, name }: HostileFile): HostileFile['expect'] {
  if (['truncated zip', 'truncated xls', 'huge cell', 'million rows'].includes(group)) return 'refused';
  if (group === 'deflate bomb') return name.includes('within-budget') ? { households: 0 } : 'refused';
  // These two forge the first directory entry, [Content_Types].xml, which the reader never needs.
  if (group === 'forged directory')
    return ['compressed-size-beyond.xlsx', 'local-offset-beyond.xlsx'].includes(name) ? undefined : 'refused';
  if (group === 'empty') return name === 'one-byte.csv' || name === 'empty-sheet.xlsx' ? { households: 0 } : 'refused';
  if (group === 'encodings') return { households: name.includes('big5') ? 0 : 2 };
  if (group === 'entity expansion' || group === 'external entity') return { households: 2 };
  if (group === 'formula-like text') return { households: FORMULA_NAMES.length };
  return undefined;
}

/** Names (person.name) that, when a household import of the file is taken, must be stored exactly so. */
export const FORMULA_NAMES = [
  '=HYPERLINK("http://e.cn","点")',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "=cmd|' /C calc'!A0",
];

/** Characters a name must never be stored with (item 5 of issue 12: refused or cleaned, as the forms do). */
export const HOSTILE_CHARACTERS = [
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u200b',
  '\u200d',
  '\u200e',
  '\u202e',
  '\u2066',
  '\u2028',
  '\u2029',
  '\ufeff',
];

/** Text a file's external entity would pull in; never to be found in the database. */
export const SECRET_MARK = 'SECRET-e7f1';

// ---------------------------------------------------------------------------------------------------------------
// Deterministic randomness, IDs and roster rows

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(size: number, seed: number, prefix: number[] = []): Buffer {
  const next = prng(seed);
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = i < prefix.length ? prefix[i]! : Math.floor(next() * 256);
  return out;
}

/** A checksum-valid ID (fictional prefecture 5299, as the tests' makeId), one per index. */
export function corpusId(i: number): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + i * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `529901${birth}${String(100 + (i % 800)).padStart(3, '0')}`;
  return first17 + computeCheckChar(first17);
}

export const ROSTER_HEADER = ['行政村', '户编号', '姓名', '证件号码', '与户主关系'];
let nextPerson = 1;
/** Household heads, one household each, with fresh IDs and household numbers. */
function roster(names: string[]): string[][] {
  return [
    ROSTER_HEADER,
    ...names.map((name) => {
      const i = nextPerson++;
      return ['青山村', `HX${String(i).padStart(5, '0')}`, name, corpusId(i), '户主'];
    }),
  ];
}
const plainRoster = (n: number) => roster(Array.from({ length: n }, (_, i) => `测试户主${i + 1}`));

// ---------------------------------------------------------------------------------------------------------------
// Zip and workbook builders (written out rather than by a library: the point is to write what libraries will not)

interface ZipEntry {
  name: string;
  /** The uncompressed bytes, deflated here… */
  data?: Buffer | string;
  /** …or deflated data given as is, with its true size. */
  deflated?: { bytes: Buffer; size: number };
  stored?: boolean;
  method?: number;
  flags?: number;
  /** Written as the uncompressed size instead of the true one (a forged size). */
  declaredSize?: number;
  /** In the central directory: the local header (and sizes) of this other entry (overlapping entries). */
  aliasOf?: string;
}

function zipOf(entries: ZipEntry[], directoryEntries?: ZipEntry[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const offsets = new Map<string, number>();
  const sizes = new Map<string, { compressed: number; size: number; method: number }>();
  for (const e of entries) {
    const raw = e.data === undefined ? null : Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
    const method = e.method ?? (e.stored ? 0 : 8);
    const body = e.deflated ? e.deflated.bytes : e.stored ? raw! : zlib.deflateRawSync(raw!);
    const size = e.deflated ? e.deflated.size : raw!.length;
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE((e.flags ?? 0) | 0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(raw ? zlib.crc32(raw) : 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.declaredSize ?? size, 22);
    local.writeUInt16LE(name.length, 26);
    offsets.set(e.name, offset);
    sizes.set(e.name, { compressed: body.length, size: e.declaredSize ?? size, method });
    chunks.push(local, name, body);
    offset += 30 + name.length + body.length;
  }
  for (const e of directoryEntries ?? entries) {
    const name = Buffer.from(e.name, 'utf8');
    const known = sizes.get(e.aliasOf ?? e.name)!;
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE((e.flags ?? 0) | 0x0800, 8);
    c.writeUInt16LE(e.method ?? known.method, 10);
    c.writeUInt32LE(known.compressed, 20);
    c.writeUInt32LE(e.declaredSize ?? known.size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offsets.get(e.aliasOf ?? e.name)!, 42);
    central.push(c, name);
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const count = (directoryEntries ?? entries).length;
  end.writeUInt16LE(Math.min(count, 0xffff), 8);
  end.writeUInt16LE(Math.min(count, 0xffff), 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, directory, end]);
}

/**
 * Raw deflate of prefix + unit × count + suffix without ever holding the inflated bytes: each piece is deflated on
 * its own and flushed to a byte boundary, so the pieces concatenate into one valid stream.
 */
function repeatDeflate(prefix: string, unit: string, count: number, suffix: string): { bytes: Buffer; size: number } {
  const sync = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const head = zlib.deflateRawSync(Buffer.from(prefix), sync);
  const body = zlib.deflateRawSync(Buffer.from(unit), sync);
  const tail = zlib.deflateRawSync(Buffer.from(suffix));
  const bytes = Buffer.concat([head, ...Array<Buffer>(count).fill(body), tail]);
  return { bytes, size: Buffer.byteLength(prefix) + Buffer.byteLength(unit) * count + Buffer.byteLength(suffix) };
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

// eslint-disable-next-line no-control-regex -- the control characters are what this matches
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Characters XML 1.0 cannot hold, as Excel escapes them.
    .replace(XML_FORBIDDEN, (c) => `_x${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}_`);

const column = (c: number) => {
  let s = '';
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

/** Rows of text as inline strings. */
function sheetRows(rows: string[][]): string {
  return rows
    .map(
      (r, i) =>
        `<row r="${i + 1}">${r.map((v, c) => `<c r="${column(c)}${i + 1}" t="inlineStr"><is><t xml:space="preserve">${esc(v)}</t></is></c>`).join('')}</row>`,
    )
    .join('');
}

const worksheet = (sheetData: string, after = '', doctype = '') =>
  `${DECL}${doctype}<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetData>${sheetData}</sheetData>${after}</worksheet>`;

type PartName = 'types' | 'rels' | 'workbook' | 'workbookRels' | 'sheet' | 'sst' | 'styles';

interface WorkbookOptions {
  /** Text put right after the XML declaration of the named part (a document type declaration). */
  doctype?: Partial<Record<PartName, string>>;
  /** Text put inside the root element of the named part (a use of the declared entities). */
  inject?: Partial<Record<PartName, string>>;
  sst?: string[];
  /** Sheets listed in the workbook, all pointing at sheet 1 when more than the parts given. */
  sheetCount?: number;
}

/** The parts of a minimal workbook whose first sheet is `sheetXml` (the sheet part is the last entry). */
function workbookParts(sheetXml: string | { bytes: Buffer; size: number }, opts: WorkbookOptions = {}): ZipEntry[] {
  const d = (p: PartName) => opts.doctype?.[p] ?? '';
  const inj = (p: PartName) => opts.inject?.[p] ?? '';
  const n = opts.sheetCount ?? 1;
  const sheets = Array.from(
    { length: n },
    (_, i) => `<sheet name="表${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`,
  );
  const rels = Array.from(
    { length: n },
    (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>`,
  );
  const parts: ZipEntry[] = [
    {
      name: '[Content_Types].xml',
      data: `${DECL}${d('types')}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${inj('types')}<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
    },
    {
      name: '_rels/.rels',
      data: `${DECL}${d('rels')}<Relationships xmlns="${PKG}">${inj('rels')}<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `${DECL}${d('workbook')}<workbook xmlns="${MAIN}" xmlns:r="${REL}">${inj('workbook')}<sheets>${sheets.join('')}</sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `${DECL}${d('workbookRels')}<Relationships xmlns="${PKG}">${inj('workbookRels')}${rels.join('')}<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rIdT" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    },
    {
      name: 'xl/styles.xml',
      data: `${DECL}${d('styles')}<styleSheet xmlns="${MAIN}">${inj('styles')}</styleSheet>`,
    },
    {
      name: 'xl/sharedStrings.xml',
      data: `${DECL}${d('sst')}<sst xmlns="${MAIN}">${inj('sst')}${(opts.sst ?? []).map((s) => `<si><t xml:space="preserve">${esc(s)}</t></si>`).join('')}</sst>`,
    },
  ];
  const sheet =
    typeof sheetXml === 'string'
      ? { name: 'xl/worksheets/sheet1.xml', data: sheetXml.replace('?>\n', `?>\n${d('sheet')}`) }
      : { name: 'xl/worksheets/sheet1.xml', deflated: sheetXml };
  parts.push(sheet);
  return parts;
}

const rosterWorkbook = (rows: string[][], opts: WorkbookOptions = {}) =>
  zipOf(
    workbookParts(
      worksheet(sheetRows(rows), '', '').replace('<sheetData>', `${opts.inject?.sheet ?? ''}<sheetData>`),
      opts,
    ),
  );

async function exceljsRoster(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('人员名单');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function xlsRoster(rows: string[][]): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '人员名单');
  return XLSX.write(wb, { bookType: 'biff8', type: 'buffer' }) as Buffer;
}

const csvOf = (rows: string[][], sep = ',') =>
  rows.map((r) => r.map((v) => (/[",\t\n\r;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(sep)).join('\r\n');
const encode = (cp: number, text: string) =>
  Buffer.from((codepage as unknown as { utils: { encode(cp: number, s: string): number[] } }).utils.encode(cp, text));
function utf32(text: string, littleEndian: boolean): Buffer {
  const points = [...text].map((c) => c.codePointAt(0)!);
  const out = Buffer.alloc(points.length * 4);
  points.forEach((p, i) => (littleEndian ? out.writeUInt32LE(p, i * 4) : out.writeUInt32BE(p, i * 4)));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The corpus

const BILLION_LAUGHS =
  '<!DOCTYPE lolz [<!ENTITY lol "lol">' +
  Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('') +
  ']>';
const EXTERNAL = (file: string) =>
  `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://${file}"><!ENTITY % pe SYSTEM "file://${file}"> %pe;]>`;
/** Where each part can use an entity: a cell, a shared string, a sheet name, a relationship, an attribute. */
const USE: Record<PartName, (ref: string) => string> = {
  types: (ref) => `<Default Extension="x${ref}" ContentType="${ref}"/>`,
  rels: (ref) => `<Relationship Id="rIdX" Type="${ref}" Target="${ref}"/>`,
  workbook: (ref) => `<workbookPr codeName="${ref}"/>`,
  workbookRels: (ref) => `<Relationship Id="rIdX" Type="${ref}" Target="${ref}"/>`,
  sheet: (ref) => `<sheetPr codeName="${ref}"/>`,
  sst: (ref) => `<si><t>${ref}</t></si>`,
  styles: (ref) => `<numFmts count="1"><numFmt numFmtId="164" formatCode="${ref}"/></numFmts>`,
};
const PARTS = Object.keys(USE) as PartName[];

/** Writes the corpus into `dir` (which must exist) and lists it. */
export async function writeCorpus(dir: string): Promise<HostileFile[]> {
  const files: HostileFile[] = [];
  const add = (group: string, name: string, bytes: Buffer | string) => {
    fs.writeFileSync(path.join(dir, name), bytes);
    files.push({ name, group });
  };
  const secret = path.join(dir, 'secret.txt');
  fs.writeFileSync(secret, `${SECRET_MARK}\n`);

  // Truncated workbooks, at many offsets: inside the first header, the data, the directory, the end record.
  const good = await exceljsRoster(plainRoster(30));
  const cuts = new Set([
    1,
    2,
    4,
    10,
    29,
    30,
    31,
    100,
    good.length - 1,
    good.length - 10,
    good.length - 22,
    good.length - 23,
  ]);
  for (let k = 1; k <= 36; k++) cuts.add(Math.floor((good.length * k) / 37));
  for (const cut of [...cuts].sort((a, b) => a - b)) add('truncated zip', `cut-${cut}.xlsx`, good.subarray(0, cut));
  const xls = xlsRoster(plainRoster(10));
  for (let k = 1; k <= 10; k++) {
    const cut = Math.floor((xls.length * k) / 11);
    add('truncated xls', `cut-${cut}.xls`, xls.subarray(0, cut));
  }

  // Random bytes under every extension, bare and behind a zip's or an OLE file's signature.
  let seed = 1;
  for (const ext of ['.xlsx', '.xlsm', '.xls', '.csv', '.txt'])
    for (const size of [1, 100, 10_000, 1_000_000])
      add('random bytes', `random-${size}${ext}`, randomBytes(size, seed++));
  const ZIP_SIG = [0x50, 0x4b, 0x03, 0x04];
  const OLE_SIG = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  for (const size of [512, 100_000]) {
    add('random bytes', `random-zip-${size}.xlsx`, randomBytes(size, seed++, ZIP_SIG));
    add('random bytes', `random-zip-${size}.xls`, randomBytes(size, seed++, ZIP_SIG));
    add('random bytes', `random-ole-${size}.xls`, randomBytes(size, seed++, OLE_SIG));
  }
  // An OLE header that survives with random sectors after it, and a real .xls with its sectors scrambled.
  const scrambled = Buffer.from(xls);
  randomBytes(2048, seed).copy(scrambled, 1024);
  add('random bytes', 'scrambled.xls', scrambled);

  // Deflate bombs and forged central directories.
  const SPACES = ' '.repeat(1 << 20);
  const sheetHead = `${DECL}<worksheet xmlns="${MAIN}"><sheetData>`;
  const sheetTail = '</sheetData></worksheet>';
  const bigSheet = (mb: number) => repeatDeflate(sheetHead, SPACES, mb, sheetTail);
  add('deflate bomb', 'bomb-450mb.xlsx', zipOf(workbookParts(bigSheet(450))));
  // Just within the budget: the most a file can make the reader hold.
  add('deflate bomb', 'bomb-390mb-within-budget.xlsx', zipOf(workbookParts(bigSheet(390))));
  {
    const parts = workbookParts(bigSheet(450));
    parts[parts.length - 1]!.declaredSize = 1000;
    add('deflate bomb', 'bomb-forged-size.xlsx', zipOf(parts));
  }
  {
    // Two parts of 250 MB: each within the limit, together over it.
    const parts = workbookParts(bigSheet(250));
    parts[5] = {
      name: 'xl/sharedStrings.xml',
      deflated: repeatDeflate(`${DECL}<sst xmlns="${MAIN}">`, SPACES, 250, '</sst>'),
    };
    add('deflate bomb', 'bomb-two-parts.xlsx', zipOf(parts));
  }
  {
    // Sizes forged larger than the data: nothing to reserve memory for.
    const parts = workbookParts(worksheet(sheetRows(plainRoster(2))));
    for (const p of parts) p.declaredSize = 300 * 1024 * 1024;
    add('deflate bomb', 'declared-larger.xlsx', zipOf(parts));
  }
  // Many sheets over one 20 MB part: each read inflates it again.
  add('deflate bomb', 'bomb-same-part-40-sheets.xlsx', zipOf(workbookParts(bigSheet(20), { sheetCount: 40 })));
  {
    // A directory of 60 entries that all point at one local header (overlapping files), read under 60 names.
    const parts = workbookParts(bigSheet(20), { sheetCount: 60 });
    let k = 0;
    parts[3]!.data = String(parts[3]!.data).replace(/worksheets\/sheet1\.xml/g, () => `worksheets/s${++k}.xml`);
    const aliases = Array.from({ length: 60 }, (_, i) => ({
      name: `xl/worksheets/s${i + 1}.xml`,
      aliasOf: 'xl/worksheets/sheet1.xml',
    }));
    add('forged directory', 'overlapping-entries.xlsx', zipOf(parts, [...parts.slice(0, -1), ...aliases]));
  }
  const small = rosterWorkbook(plainRoster(3));
  const endOf = (zip: Buffer) => zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const forge = (name: string, change: (zip: Buffer, end: number, directory: number) => void) => {
    const copy = Buffer.from(small);
    const end = endOf(copy);
    change(copy, end, copy.readUInt32LE(end + 16));
    add('forged directory', name, copy);
  };
  forge(
    'directory-count-65535.xlsx',
    (z, end) => (z.writeUInt16LE(0xfffe, end + 8), z.writeUInt16LE(0xfffe, end + 10)),
  );
  forge('directory-offset-beyond.xlsx', (z, end) => z.writeUInt32LE(0x7ffffff0, end + 16));
  forge('directory-offset-zero.xlsx', (z, end) => z.writeUInt32LE(0, end + 16));
  forge('zip64-absurd-count.xlsx', (z, end) => z.writeUInt16LE(0xffff, end + 10));
  forge('compressed-size-beyond.xlsx', (z, _end, dir) => z.writeUInt32LE(0x7fffffff, dir + 20));
  forge('local-offset-beyond.xlsx', (z, _end, dir) => z.writeUInt32LE(0x7fffffff, dir + 42));
  forge('method-bzip2.xlsx', (z, _end, dir) => {
    for (
      let p = dir;
      z.readUInt32LE(p) === 0x02014b50;
      p += 46 + z.readUInt16LE(p + 28) + z.readUInt16LE(p + 30) + z.readUInt16LE(p + 32)
    )
      z.writeUInt16LE(12, p + 10);
  });
  forge('encrypted-flag.xlsx', (z, _end, dir) => {
    for (
      let p = dir;
      z.readUInt32LE(p) === 0x02014b50;
      p += 46 + z.readUInt16LE(p + 28) + z.readUInt16LE(p + 30) + z.readUInt16LE(p + 32)
    )
      z.writeUInt16LE(z.readUInt16LE(p + 8) | 1, p + 8);
  });
  forge('name-length-beyond.xlsx', (z, _end, dir) => z.writeUInt16LE(0xffff, dir + 28));
  forge('deflate-garbage.xlsx', (z) => {
    const at = z.indexOf(Buffer.from('xl/worksheets/sheet1.xml')) + 'xl/worksheets/sheet1.xml'.length;
    randomBytes(64, 99).copy(z, at);
  });

  // Billion laughs and external entities in every XML part (the secret file's text must never come through).
  for (const part of PARTS) {
    add(
      'entity expansion',
      `laughs-${part}.xlsx`,
      rosterWorkbook(plainRoster(2), { doctype: { [part]: BILLION_LAUGHS }, inject: { [part]: USE[part]('&lol9;') } }),
    );
    add(
      'external entity',
      `xxe-${part}.xlsx`,
      rosterWorkbook(plainRoster(2), { doctype: { [part]: EXTERNAL(secret) }, inject: { [part]: USE[part]('&xxe;') } }),
    );
  }
  // The names themselves are entity references: stored (if at all) as written, never expanded.
  {
    const rows = plainRoster(2);
    rows[1]![2] = '&xxe;';
    const sheet = worksheet(sheetRows(rows))
      .replace('&amp;xxe;', '&xxe;')
      .replace('?>\n', `?>\n${EXTERNAL(secret)}`);
    add('external entity', 'xxe-in-name.xlsx', zipOf(workbookParts(sheet)));
  }

  // One huge cell, a million rows.
  const huge = '王'.repeat(10_000_000);
  add('huge cell', 'name-10m-chars.csv', csvOf(roster([huge])));
  add(
    'huge cell',
    'name-10m-chars-sst.xlsx',
    zipOf(
      workbookParts(
        worksheet(
          sheetRows(plainRoster(1)) +
            `<row r="3"><c r="A3" t="inlineStr"><is><t>青山村</t></is></c><c r="B3" t="inlineStr"><is><t>HZ1</t></is></c><c r="C3" t="s"><v>0</v></c><c r="D3" t="inlineStr"><is><t>${corpusId(nextPerson++)}</t></is></c><c r="E3" t="inlineStr"><is><t>户主</t></is></c></row>`,
        ),
        { sst: [huge] },
      ),
    ),
  );
  add(
    'huge cell',
    'note-10mb.csv',
    csvOf([
      ['姓名', '证件号码', '备注'],
      ['张三', corpusId(nextPerson++), 'x'.repeat(10 * 1024 * 1024)],
    ]),
  );
  add(
    'million rows',
    'million-rows.xlsx',
    zipOf(
      workbookParts(
        repeatDeflate(
          `${sheetHead}<row><c t="inlineStr"><is><t>姓名</t></is></c></row>`,
          '<row><c><v>1</v></c></row>'.repeat(1000),
          1000,
          sheetTail,
        ),
      ),
    ),
  );
  add('million rows', 'million-rows.csv', `姓名,证件号码\n${'张三,1\n'.repeat(1_000_000)}`);
  add('million rows', 'wide-row.csv', `姓名,证件号码\n${'a,'.repeat(100_000)}`);
  add('million rows', 'blank-lines.csv', `姓名,证件号码\n${'\r\n'.repeat(2_000_000)}张三,1`);

  // Empty and mark-only text files, and workbooks with nothing in them.
  add('empty', 'empty.csv', '');
  add('empty', 'empty.xlsx', '');
  add('empty', 'empty.xls', '');
  add('empty', 'bom-only-utf8.csv', Buffer.from([0xef, 0xbb, 0xbf]));
  add('empty', 'bom-only-utf16le.csv', Buffer.from([0xff, 0xfe]));
  add('empty', 'bom-only-utf16be.txt', Buffer.from([0xfe, 0xff]));
  add('empty', 'bom-only-utf32.csv', Buffer.from([0xff, 0xfe, 0, 0]));
  add('empty', 'blank.csv', ' \r\n\t\r\n');
  add('empty', 'one-byte.csv', 'a');
  add('empty', 'one-byte.xlsx', 'P');
  add(
    'empty',
    'no-sheets.xlsx',
    zipOf(
      workbookParts(worksheet('')).map((p) =>
        p.name === 'xl/workbook.xml' ? { ...p, data: `${DECL}<workbook xmlns="${MAIN}"><sheets/></workbook>` } : p,
      ),
    ),
  );
  add('empty', 'empty-sheet.xlsx', zipOf(workbookParts(worksheet(''))));

  // Text in every encoding, with a correct roster in it.
  const text = (rows: string[][], sep = ',') => csvOf(rows, sep);
  add('encodings', 'roster-utf16le.txt', Buffer.from(`\uFEFF${text(plainRoster(2), '\t')}`, 'utf16le'));
  add('encodings', 'roster-utf16be.csv', Buffer.from(`\uFEFF${text(plainRoster(2))}`, 'utf16le').swap16());
  add('encodings', 'roster-utf16le-nobom.csv', Buffer.from(text(plainRoster(2), '\t'), 'utf16le'));
  add('encodings', 'roster-utf32le.csv', utf32(`\uFEFF${text(plainRoster(2))}`, true));
  add('encodings', 'roster-utf32be.csv', utf32(text(plainRoster(2), ';'), false));
  add('encodings', 'roster-gbk.csv', encode(936, text(plainRoster(2))));
  add(
    'encodings',
    'roster-big5.csv',
    encode(
      950,
      text([
        ['戶編號', '姓名', '證件號碼'],
        ['TW1', '陳大山', corpusId(nextPerson++)],
      ]),
    ),
  );
  add('encodings', 'roster-utf8.csv', text(plainRoster(2)));
  add('encodings', 'roster.xls', xlsRoster(plainRoster(2)));
  add('encodings', 'roster-exceljs.xlsx', await exceljsRoster(plainRoster(2)));

  // Control characters, invisible characters and right-to-left marks, in names and in ID numbers.
  const marked = roster(HOSTILE_CHARACTERS.map((c, i) => `张${c}三${i}`));
  add('control characters', 'control-names.xlsx', rosterWorkbook(marked));
  add('control characters', 'control-names.csv', text(roster(HOSTILE_CHARACTERS.map((c, i) => `李${c}四${i}`))));
  add(
    'control characters',
    'control-names-utf16.txt',
    Buffer.from(`\uFEFF${text(roster(HOSTILE_CHARACTERS.map((c, i) => `王${c}五${i}`)), '\t')}`, 'utf16le'),
  );
  {
    const rows = plainRoster(3);
    rows[1]![3] = `\u202e${rows[1]![3]}`;
    rows[2]![3] = `${rows[2]![3]!.slice(0, 9)}\u200b${rows[2]![3]!.slice(9)}`;
    rows[3]![1] = `HX\u0000${rows[3]![1]}`;
    add('control characters', 'control-ids.xlsx', rosterWorkbook(rows));
    add('control characters', 'rtl-filename-\u202exslx.csv', text(plainRoster(1)));
  }

  // Formula-like text: as strings, as formulas with cached results, and in CSV.
  add('formula-like text', 'formulas-strings.xlsx', rosterWorkbook(roster(FORMULA_NAMES)));
  add('formula-like text', 'formulas.csv', text(roster(FORMULA_NAMES)));
  {
    const rows = roster(FORMULA_NAMES.map((_, i) => `公式${i}`));
    const xml = worksheet(
      sheetRows(rows).replace(
        /<c r="C(\d+)" t="inlineStr"><is><t xml:space="preserve">公式(\d)<\/t><\/is><\/c>/g,
        (_, r: string, i: string) =>
          `<c r="C${r}" t="str"><f>${esc(FORMULA_NAMES[+i]!.replace(/^[=@+-]/, ''))}</f><v>${esc(FORMULA_NAMES[+i]!)}</v></c>`,
      ),
    );
    add('formula-like text', 'formulas-cells.xlsx', zipOf(workbookParts(xml)));
  }

  // Markup and references made to hurt the sheet reader.
  const hurt = (name: string, xml: string, opts?: WorkbookOptions) =>
    add('hostile markup', name, zipOf(workbookParts(xml, opts)));
  hurt(
    'five-sheet-merges.xlsx',
    worksheet(
      sheetRows(plainRoster(2)),
      `<mergeCells>${Array.from({ length: 5 }, (_, i) => `<mergeCell ref="${column(i)}1:XFD1048576"/>`).join('')}</mergeCells>`,
    ),
  );
  hurt(
    'merge-reversed.xlsx',
    worksheet(
      sheetRows(plainRoster(2)),
      '<mergeCells><mergeCell ref="XFD1048576:A1"/><mergeCell ref="A1:A0"/><mergeCell ref="bogus"/></mergeCells>',
    ),
  );
  hurt('far-cell.xlsx', worksheet('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'));
  hurt('far-column.xlsx', worksheet(`${sheetRows(plainRoster(2))}<row r="4"><c r="XFD4"><v>1</v></c></row>`));
  hurt('beyond-xfd.xlsx', worksheet('<row r="1"><c r="ZZZZ1"><v>1</v></c></row>'));
  hurt('full-width-row.xlsx', worksheet(`<row r="1">${'<c><v>1</v></c>'.repeat(16_384)}</row>`));
  hurt('empty-cells-run.xlsx', worksheet(`<row r="1">${'<c/>'.repeat(100_000)}<c><v>1</v></c></row>`));
  hurt('string-index-missing.xlsx', worksheet('<row r="1"><c r="A1" t="s"><v>99999999</v></c></row>'));
  hurt('string-index-negative.xlsx', worksheet('<row r="1"><c r="A1" t="s"><v>-1</v></c></row>'));
  hurt(
    'deep-nesting.xlsx',
    worksheet(
      `<row r="1"><c r="A1" t="inlineStr"><is>${'<r>'.repeat(200_000)}<t>深</t>${'</r>'.repeat(200_000)}</is></c></row>`,
    ),
  );
  hurt('unterminated-tag.xlsx', `${worksheet(sheetRows(plainRoster(1)))}<row r="9"><c r="A9`);
  hurt('unterminated-cdata.xlsx', worksheet('<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[never closed'));
  hurt('unterminated-comment.xlsx', worksheet('<!-- never closed'));
  hurt('huge-attribute.xlsx', worksheet(`<row r="1" spans="${'1'.repeat(5_000_000)}"><c r="A1"><v>1</v></c></row>`));
  hurt(
    'odd-references.xlsx',
    worksheet(
      '<row r="0"><c r="A0"><v>1</v></c></row><row r="-5"><c r="A-5"><v>2</v></c></row><row r="99999999999"><c r="A99999999999"><v>3</v></c></row>',
    ),
  );
  hurt(
    'odd-numbers.xlsx',
    worksheet(
      `${sheetRows(roster(['数字']).slice(0, 1))}<row r="2"><c r="A2"><v>1e999</v></c><c r="B2"><v>NaN</v></c><c r="C2"><v>-0</v></c><c r="D2"><v>520102197005060012345678901234567890</v></c></row>`,
    ),
  );
  const withPart = (name: string, part: string, data: Buffer) =>
    add(
      'hostile markup',
      name,
      zipOf(workbookParts(worksheet(sheetRows(plainRoster(1)))).map((p) => (p.name === part ? { ...p, data } : p))),
    );
  withPart(
    'utf16-odd-length.xlsx',
    'xl/worksheets/sheet1.xml',
    Buffer.concat([Buffer.from(`\ufeff${worksheet(sheetRows(plainRoster(1)))}`, 'utf16le'), Buffer.from([0x3c])]),
  );
  withPart(
    'bad-utf8.xlsx',
    'xl/sharedStrings.xml',
    Buffer.concat([
      Buffer.from(`${DECL}<sst xmlns="${MAIN}"><si><t>`),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]),
      Buffer.from('</t></si></sst>'),
    ]),
  );
  hurt('many-sheets.xlsx', worksheet(sheetRows(plainRoster(1))), { sheetCount: 5000 });
  add(
    'hostile markup',
    'rels-outside.xlsx',
    zipOf(
      workbookParts(worksheet('')).map((p) =>
        p.name === 'xl/_rels/workbook.xml.rels'
          ? {
              ...p,
              data: `${DECL}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="../../../../../../etc/passwd"/></Relationships>`,
            }
          : p,
      ),
    ),
  );
  add(
    'hostile markup',
    'rels-external.xlsx',
    zipOf(
      workbookParts(worksheet('')).map((p) =>
        p.name === 'xl/_rels/workbook.xml.rels'
          ? {
              ...p,
              data: `${DECL}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="file://${secret}" TargetMode="External"/></Relationships>`,
            }
          : p,
      ),
    ),
  );
  add(
    'hostile markup',
    'zip-slip-names.xlsx',
    zipOf([
      ...workbookParts(worksheet(sheetRows(plainRoster(1)))),
      { name: '../../../../tmp/evil.txt', data: 'evil' },
      { name: '/etc/evil', data: 'evil' },
    ]),
  );

  // Text made to hurt the CSV reader.
  const csvHurt = (name: string, content: string | Buffer) => add('hostile text', name, content);
  csvHurt('unclosed-quote.csv', `"${'张'.repeat(5_000_000)}`);
  csvHurt('quotes-only.csv', '"'.repeat(5_000_001));
  csvHurt('nul-bytes.csv', Buffer.alloc(1_000_000));
  csvHurt(
    'html.csv',
    `<html><body><table>${'<tr><td>姓名</td><td>=1+1</td></tr>'.repeat(10_000)}</table></body></html>`,
  );
  csvHurt('xml-laughs.csv', `<?xml version="1.0"?>${BILLION_LAUGHS}<Workbook>&lol9;</Workbook>`);
  csvHurt('sep-line.csv', `sep=\u0000\n姓名\u0000证件号码\n张三\u00001`);
  csvHurt('cr-only.csv', `${text(plainRoster(2)).replace(/\r\n/g, '\r')}`);
  csvHurt('mixed-separators.csv', `姓名;证件号码,行政村\t户编号\n${'a;b,c\td\n'.repeat(1000)}`);
  csvHurt('zip-as-csv.csv', good);
  csvHurt('xlsx-as-txt.txt', small);
  csvHurt('gb-garbage.csv', Buffer.from(randomBytes(200_000, 7777).map((b) => (b < 0x81 ? b + 0x81 : b))));
  return files.map((f) => ({ ...f, expect: expectationOf(f) }));
}
