/**
 * The zip container of an .xlsx, read from memory: entries located through the central directory, each inflated
 * on demand by node:zlib. The sizes a zip declares are not trusted (they can be forged: a 6 MB file declaring small
 * parts inflated to 3 GB): the bytes actually inflated are counted, summed over every entry read, against the
 * budget, and a declared size only ever limits: a part declaring more than the budget left is refused without
 * inflating it, and zlib stops a part one byte past its declared size (more than declared is a forged file).
 */
import zlib from 'node:zlib';

export type ZipProblem = 'directory' | 'damaged' | 'encrypted' | 'too-large' | 'size-mismatch';

export class ZipError extends Error {
  readonly problem: ZipProblem;

  constructor(problem: ZipProblem, detail: string) {
    super(detail);
    this.problem = problem;
  }
}

interface Entry {
  method: number;
  flags: number;
  compressedSize: number;
  /** As declared: only a hint for the size of zlib's output buffer, never a limit. */
  declaredSize: number;
  localHeaderOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const ZIP64_EXTRA = 0x0001;
const STORED = 0;
const DEFLATED = 8;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;
const MIN_CHUNK = 64 * 1024;
/** Deflate's greatest expansion: 258 bytes from about two bits. */
const MAX_DEFLATE_RATIO = 1032;

export class ZipArchive {
  private readonly entries = new Map<string, Entry>();
  private readonly byLowerName = new Map<string, string>();
  private inflated = 0;
  private readonly zip: Buffer;
  /** The most bytes all entries read may inflate to, together. */
  private readonly budget: number;
  /** The entry read last, by its local header (which several directory entries may share), and its bytes. */
  private last: { offset: number; bytes: Buffer } | null = null;

  constructor(zip: Buffer, budget: number) {
    this.zip = zip;
    this.budget = budget;
    this.readDirectory();
  }

  private readDirectory(): void {
    const zip = this.zip;
    const end = this.findEndOfDirectory();
    let count = zip.readUInt16LE(end + 10);
    let offset = zip.readUInt32LE(end + 16);
    if (count === MAX16 || offset === MAX32) [count, offset] = this.zip64Directory(end);
    for (let e = 0; e < count; e++) {
      if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== DIRECTORY_ENTRY)
        throw new ZipError('directory', `directory entry ${e} missing`);
      const nameLength = zip.readUInt16LE(offset + 28);
      const extraLength = zip.readUInt16LE(offset + 30);
      const commentLength = zip.readUInt16LE(offset + 32);
      const nameEnd = offset + 46 + nameLength;
      if (nameEnd + extraLength > zip.length) throw new ZipError('directory', `directory entry ${e} cut short`);
      const entry: Entry = {
        flags: zip.readUInt16LE(offset + 8),
        method: zip.readUInt16LE(offset + 10),
        compressedSize: zip.readUInt32LE(offset + 20),
        declaredSize: zip.readUInt32LE(offset + 24),
        localHeaderOffset: zip.readUInt32LE(offset + 42),
      };
      if (entry.compressedSize === MAX32 || entry.declaredSize === MAX32 || entry.localHeaderOffset === MAX32)
        this.zip64Sizes(entry, nameEnd, nameEnd + extraLength);
      const name = zip.toString('utf8', offset + 46, nameEnd);
      if (!this.entries.has(name)) {
        this.entries.set(name, entry);
        this.byLowerName.set(name.toLowerCase(), name);
      }
      offset = nameEnd + extraLength + commentLength;
    }
  }

  private findEndOfDirectory(): number {
    const zip = this.zip;
    // The record is 22 bytes plus a comment of at most 65,535.
    for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - MAX16); i--)
      if (zip.readUInt32LE(i) === END_OF_DIRECTORY) return i;
    throw new ZipError('directory', 'no end of central directory record');
  }

  /** Entry count and directory offset from the ZIP64 records that precede the classic one. */
  private zip64Directory(end: number): [number, number] {
    const zip = this.zip;
    const locator = end - 20;
    if (locator < 0 || zip.readUInt32LE(locator) !== ZIP64_LOCATOR) throw new ZipError('directory', 'no ZIP64 locator');
    const record = Number(zip.readBigUInt64LE(locator + 8));
    if (record + 56 > zip.length || zip.readUInt32LE(record) !== ZIP64_END_OF_DIRECTORY)
      throw new ZipError('directory', 'no ZIP64 end of directory');
    return [Number(zip.readBigUInt64LE(record + 32)), Number(zip.readBigUInt64LE(record + 48))];
  }

  /** ZIP64 extra field: the 64-bit values stand in for the 32-bit ones set to 0xFFFFFFFF, in this order. */
  private zip64Sizes(entry: Entry, from: number, to: number): void {
    const zip = this.zip;
    for (let p = from; p + 4 <= to; p += 4 + zip.readUInt16LE(p + 2)) {
      if (zip.readUInt16LE(p) !== ZIP64_EXTRA) continue;
      let field = p + 4;
      const take = () => {
        if (field + 8 > to) throw new ZipError('directory', 'ZIP64 extra field cut short');
        const value = Number(zip.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (entry.declaredSize === MAX32) entry.declaredSize = take();
      if (entry.compressedSize === MAX32) entry.compressedSize = take();
      if (entry.localHeaderOffset === MAX32) entry.localHeaderOffset = take();
      return;
    }
    throw new ZipError('directory', 'ZIP64 sizes missing');
  }

  /** The stored name of an entry, matched exactly or else ignoring case (as Excel does). */
  find(name: string): string | null {
    return this.entries.has(name) ? name : (this.byLowerName.get(name.toLowerCase()) ?? null);
  }

  /**
   * An entry's bytes, inflated; counts against the budget on every read. The entry read last is kept: a workbook
   * whose many sheets (or many directory entries) name one part gets it again without inflating it again, while
   * the budget still falls with each read.
   */
  read(name: string): Buffer {
    const entry = this.entries.get(name);
    if (!entry) throw new ZipError('damaged', `no entry ${name}`);
    if (entry.flags & 1) throw new ZipError('encrypted', name);
    const remaining = this.budget - this.inflated;
    let bytes: Buffer;
    if (this.last?.offset === entry.localHeaderOffset) {
      bytes = this.last.bytes;
      if (bytes.length > remaining) throw new ZipError('too-large', name);
    } else {
      bytes = this.inflate(entry, name, remaining);
      this.last = { offset: entry.localHeaderOffset, bytes };
    }
    this.inflated += bytes.length;
    return bytes;
  }

  private inflate(entry: Entry, name: string, remaining: number): Buffer {
    const zip = this.zip;
    const header = entry.localHeaderOffset;
    if (header + 30 > zip.length || zip.readUInt32LE(header) !== LOCAL_HEADER)
      throw new ZipError('damaged', `no local header for ${name}`);
    const start = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
    const end = start + entry.compressedSize;
    if (end > zip.length) throw new ZipError('damaged', `${name} cut short`);
    if (entry.method === STORED) {
      if (entry.compressedSize > remaining) throw new ZipError('too-large', name);
      return zip.subarray(start, end);
    }
    if (entry.method !== DEFLATED) throw new ZipError('damaged', `${name}: compression method ${entry.method}`);
    // The size the directory declares bounds what is inflated. Over the budget left, the part is refused before
    // inflating (if true, it is too large; if false, the file was tampered with). Within it, zlib stops one byte
    // past it: a part that inflates to more than it declared is a forged or damaged file, refused having cost no
    // more than it declared. Deflate cannot expand data more than 1032 times: a declared size beyond that ratio
    // is no reason to reserve more memory.
    if (entry.declaredSize > remaining) throw new ZipError('too-large', name);
    const possible = entry.compressedSize * MAX_DEFLATE_RATIO + MIN_CHUNK;
    // One output buffer of the declared size (no copying of chunks at the end: a third faster, half the peak memory
    // on a 60 MB sheet); only the pages written are ever resident.
    const bytes = inflate(
      zip.subarray(start, end),
      entry.declaredSize,
      Math.min(entry.declaredSize + 1, possible),
      name,
    );
    if (bytes.length !== entry.declaredSize) throw new ZipError('size-mismatch', `${name}: ${bytes.length} bytes`);
    return bytes;
  }
}

/** Raw deflate data inflated into one buffer of `chunkSize` bytes; more than `declared` bytes is a forged size. */
function inflate(data: Buffer, declared: number, chunkSize: number, name: string): Buffer {
  try {
    return zlib.inflateRawSync(data, {
      maxOutputLength: Math.max(declared, 1),
      chunkSize: Math.max(chunkSize, zlib.constants.Z_MIN_CHUNK),
    });
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw new ZipError('size-mismatch', name);
    throw new ZipError('damaged', `${name}: ${(e as Error).message}`);
  }
}
