/**
 * How much room text takes in a printed cell, measured in the writer: LibreOffice and Excel keep the row heights a
 * workbook states and do not grow a row for wrapped text, so a wrapped cell taller than its row spills over the
 * rows below when printed. Widths are in Excel column units (the width of "0" in the default font); the body
 * font is 宋体, whose Chinese characters (and full-width forms) are twice as wide as its digits and Latin letters.
 */

/** Points per line of 10.5–11 pt 宋体 as LibreOffice lays it out, and the padding a row keeps above and below. */
export const LINE_POINTS = 14;
const ROW_PADDING_POINTS = 3;
/** A cell's text starts a little inside its borders on both sides. */
const CELL_PADDING_UNITS = 1;

/** Width of a text in column units. */
export function textUnits(text: string): number {
  let units = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    units += c < 0x1100 || (c >= 0xff61 && c <= 0xffdc) ? 1 : 2;
  }
  return units;
}

/** Lines the text takes when wrapped in a cell `width` units wide (explicit line breaks included). */
export function linesFor(text: string, width: number): number {
  const room = Math.max(1, width - CELL_PADDING_UNITS);
  let lines = 0;
  for (const part of text.split('\n')) {
    // Wrapping breaks between characters for Chinese; a long Latin word may still break mid-word, as it does.
    lines += Math.max(1, Math.ceil(textUnits(part) / room));
  }
  return lines;
}

/** Whether the text fits on one line of a cell `width` units wide (cells that must not wrap: numbers, dates, IDs). */
export function fitsOneLine(text: string, width: number): boolean {
  return textUnits(text) <= width - CELL_PADDING_UNITS;
}

/** The row height (points) that shows `lines` lines of text. */
export function rowPointsFor(lines: number, linePoints = LINE_POINTS): number {
  return lines * linePoints + ROW_PADDING_POINTS;
}
