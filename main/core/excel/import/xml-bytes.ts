/**
 * A tag-by-tag walk over the bytes of one XML part of an .xlsx. The parts are UTF-8 and their markup is ASCII, so
 * tags are found on the raw bytes and only the text a caller asks for is decoded, each text from its complete byte
 * range: a character can never be split between two decoded pieces (the bug of exceljs's streaming reader), and no
 * decoded copy of the whole part is ever made. This is deliberately not a general XML parser: no validation, no
 * DTD or custom entities (which also rules out entity-expansion bombs), namespaces reduced to local names.
 */

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const COLON = 0x3a;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** ASCII bytes of a tag or attribute name, to compare without decoding. */
export const name = (text: string): Uint8Array => Buffer.from(text, 'latin1');

/** Whether bytes [start, end) of `xml` are `text`. */
export function bytesAre(xml: Buffer, start: number, end: number, text: Uint8Array): boolean {
  if (end - start !== text.length) return false;
  for (let k = 0; k < text.length; k++) if (xml[start + k] !== text[k]) return false;
  return true;
}

const CDATA_OPEN = name('<![CDATA[');
const CDATA_CLOSE = name(']]>');
const COMMENT_OPEN = name('<!--');
const COMMENT_CLOSE = name('-->');
const DOCTYPE_SUBSET_CLOSE = name(']>');
const PI_CLOSE = name('?>');

const isNameEnd = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === SLASH || b === GT;

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([\da-fA-F]+));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Excel's escape for characters XML cannot hold, such as _x000D_ for a carriage return. */
const EXCEL_ESCAPE = /_x([\da-fA-F]{4})_/g;

function codePoint(n: number, original: string): string {
  return n <= 0x10ffff ? String.fromCodePoint(n) : original;
}

/** XML's predefined and numeric character references; anything else is left as written. */
export function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (all, named: string | undefined, dec: string | undefined, hex: string | undefined) =>
    named ? NAMED[named]! : codePoint(dec ? parseInt(dec, 10) : parseInt(hex!, 16), all),
  );
}

/**
 * Cell text as Excel means it: character references, then Excel's _xHHHH_ escapes in one pass (so the escaped
 * form of a literal "_x0041_", "_x005F_x0041_", reads back as written), then CR LF as LF, as SheetJS reads it.
 */
export function cellText(raw: string): string {
  let text = unescapeXml(raw);
  if (text.includes('_x'))
    text = text.replace(EXCEL_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return text.includes('\r\n') ? text.replace(/\r\n/g, '\n') : text;
}

/** Raised for markup that cannot be walked (an unterminated tag, comment or CDATA section): a damaged part. */
export class XmlDamaged extends Error {}

/**
 * The walk. After `next()` the fields describe the tag reached; after `nextAttr()` or `findAttr()` the attribute
 * fields describe the attribute reached. Nothing is allocated per tag or attribute: a 100,000-row sheet has millions.
 */
export class XmlTags {
  readonly xml: Buffer;
  /** Where the walk goes on from: after the current tag, or after the text `text()` or `number()` read. */
  private pos = 0;
  /** Byte index just after the current tag's '>'. */
  private end = 0;
  /** The current tag's local name (any namespace prefix left out) as a byte range. */
  private nameStart = 0;
  private nameEnd = 0;
  closing = false;
  selfClosing = false;
  /** The attribute reached: its local name's bytes and its value's (still escaped) bytes. */
  attrNameStart = 0;
  attrNameEnd = 0;
  valueStart = 0;
  valueEnd = 0;
  private attrPos = 0;

  constructor(xml: Buffer) {
    this.xml = xml;
  }

  /** Moves to the next element tag (opening, closing or empty), past text, comments and declarations. */
  next(): boolean {
    const xml = this.xml;
    const length = xml.length;
    for (;;) {
      // A plain loop: the next '<' is usually a few bytes away, closer than a native indexOf call costs.
      let lt = this.pos;
      while (lt < length && xml[lt] !== LT) lt++;
      if (lt >= length) return false;
      const first = xml[lt + 1];
      if (first === BANG || first === QUESTION) {
        this.pos = this.afterMarkup(lt);
        continue;
      }
      this.closing = first === SLASH;
      let i = this.closing ? lt + 2 : lt + 1;
      this.nameStart = i;
      for (; i < length && !isNameEnd(xml[i]!); i++) if (xml[i] === COLON) this.nameStart = i + 1;
      this.nameEnd = i;
      // To the closing '>', stepping over quoted attribute values (which may hold '>').
      let quote = 0;
      for (; i < length; i++) {
        const b = xml[i]!;
        if (quote !== 0) {
          if (b === quote) quote = 0;
        } else if (b === DQUOTE || b === SQUOTE) quote = b;
        else if (b === GT) break;
      }
      if (i >= length) throw new XmlDamaged('unterminated tag');
      this.selfClosing = xml[i - 1] === SLASH;
      this.end = i + 1;
      this.pos = this.end;
      this.attrPos = this.nameEnd;
      return true;
    }
  }

  /** Just after a comment, CDATA section, processing instruction or document type declaration starting at `lt`. */
  private afterMarkup(lt: number): number {
    const xml = this.xml;
    const past = (marker: Uint8Array) => {
      const at = xml.indexOf(marker, lt + 2);
      if (at < 0) throw new XmlDamaged(`unterminated markup at ${lt}`);
      return at + marker.length;
    };
    if (xml[lt + 1] === QUESTION) return past(PI_CLOSE);
    if (xml.indexOf(COMMENT_OPEN, lt) === lt) return past(COMMENT_CLOSE);
    if (xml.indexOf(CDATA_OPEN, lt) === lt) return past(CDATA_CLOSE);
    // <!DOCTYPE …> with an internal subset in brackets or without.
    const gt = xml.indexOf(GT, lt);
    const bracket = xml.indexOf(0x5b, lt);
    if (bracket >= 0 && (gt < 0 || bracket < gt)) return past(DOCTYPE_SUBSET_CLOSE);
    if (gt < 0) throw new XmlDamaged(`unterminated markup at ${lt}`);
    return gt + 1;
  }

  /** Whether the current tag's local name is `tag` (bytes from `name`). */
  is(tag: Uint8Array): boolean {
    return bytesAre(this.xml, this.nameStart, this.nameEnd, tag);
  }

  /** Steps to the current tag's next attribute (see the fields above); false after the last. */
  nextAttr(): boolean {
    const xml = this.xml;
    const stop = this.selfClosing ? this.end - 2 : this.end - 1;
    let i = this.attrPos;
    while (i < stop && xml[i]! <= 0x20) i++;
    if (i >= stop) return false;
    const nameStart = i;
    let localStart = i;
    while (i < stop && xml[i] !== EQUALS && xml[i]! > 0x20) if (xml[i++] === COLON) localStart = i;
    const nameEnd = i;
    while (i < stop && xml[i] !== EQUALS) i++;
    i++;
    while (i < stop && xml[i]! <= 0x20) i++;
    const quote = xml[i];
    if (nameEnd === nameStart || (quote !== DQUOTE && quote !== SQUOTE)) return false;
    const valueStart = i + 1;
    let valueEnd = valueStart;
    while (valueEnd < stop && xml[valueEnd] !== quote) valueEnd++;
    if (valueEnd >= stop) return false;
    this.attrPos = valueEnd + 1;
    this.attrNameStart = localStart;
    this.attrNameEnd = nameEnd;
    this.valueStart = valueStart;
    this.valueEnd = valueEnd;
    return true;
  }

  /**
   * Whether the current tag has an attribute whose local name is `attr` (then at valueStart/valueEnd). `r:id` is
   * found as `id`: the one prefixed attribute the workbook uses shares its local name with nothing else there.
   */
  findAttr(attr: Uint8Array): boolean {
    this.attrPos = this.nameEnd;
    while (this.nextAttr()) if (this.attrNameIs(attr)) return true;
    return false;
  }

  /** Whether the attribute stepped to last has the local name `attr`. */
  attrNameIs(attr: Uint8Array): boolean {
    return bytesAre(this.xml, this.attrNameStart, this.attrNameEnd, attr);
  }

  /** The attribute's value with character references resolved, or null when the tag has none. */
  attr(attr: Uint8Array): string | null {
    return this.findAttr(attr) ? unescapeXml(this.xml.toString('utf8', this.valueStart, this.valueEnd)) : null;
  }

  /**
   * The raw text of the current element (a leaf such as <v> or <t>), CDATA sections included as written, leaving
   * the walk after its closing tag. Character references are not resolved: see `cellText` and `unescapeXml`.
   */
  text(): string {
    if (this.selfClosing) return '';
    const xml = this.xml;
    let out = '';
    for (;;) {
      let lt = this.pos;
      while (lt < xml.length && xml[lt] !== LT) lt++;
      if (lt >= xml.length) throw new XmlDamaged('unterminated element');
      // UTF-8 by default: naming the encoding costs a lookup per call, a third of the decoding time here.
      if (lt > this.pos) out += xml.toString(undefined, this.pos, lt);
      if (xml[lt + 1] === BANG && xml.indexOf(CDATA_OPEN, lt) === lt) {
        const close = xml.indexOf(CDATA_CLOSE, lt);
        if (close < 0) throw new XmlDamaged('unterminated CDATA');
        // Escaped so that resolving references afterwards gives back the CDATA text unchanged.
        out += xml.toString('utf8', lt + CDATA_OPEN.length, close).replace(/&/g, '&amp;');
        this.pos = close + CDATA_CLOSE.length;
        continue;
      }
      this.pos = lt;
      this.next();
      return out;
    }
  }

  /**
   * The number written as the current leaf element's text, leaving the walk after its closing tag; NaN when the
   * text is not a number. Plain decimals of up to 15 digits are read from the bytes, exactly as parseFloat reads
   * them (both integers are exact doubles, so their quotient is the correctly rounded decimal); anything else
   * (exponents, references, CDATA) goes through parseFloat.
   */
  number(): number {
    if (this.selfClosing) return NaN;
    const xml = this.xml;
    let i = this.pos;
    let negative = false;
    if (xml[i] === 0x2d) {
      negative = true;
      i++;
    }
    let digits = 0;
    let mantissa = 0;
    let decimals = -1;
    for (; ; i++) {
      const b = xml[i]!;
      if (b >= 0x30 && b <= 0x39) {
        mantissa = mantissa * 10 + (b - 0x30);
        digits++;
        if (decimals >= 0) decimals++;
      } else if (b === 0x2e && decimals < 0) decimals = 0;
      else break;
    }
    if (xml[i] === LT && xml[i + 1] === SLASH && digits > 0 && digits <= 15) {
      this.pos = i;
      this.next();
      const value = decimals > 0 ? mantissa / 10 ** decimals : mantissa;
      return negative ? -value : value;
    }
    return parseFloat(unescapeXml(this.text()));
  }

  /** Leaves the walk after the closing tag of the current element, whatever it holds. */
  skipElement(): void {
    if (this.selfClosing || this.closing) return;
    let depth = 1;
    while (depth > 0 && this.next()) {
      if (this.closing) depth--;
      else if (!this.selfClosing) depth++;
    }
  }
}
