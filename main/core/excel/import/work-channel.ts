/**
 * 就业渠道 of a national 务工 file → the ledger's 就业方式 (EMPLOYMENT_CHANNELS, the T10 columns). The two lists
 * overlap only in part: the national file says 公益岗位 where the ledger says 公益性岗位, and it has values such as
 * 外出务工 (outside the county, but inside the province or not?) that no ledger channel means for certain. Only
 * certain equivalents are mapped; anything else leaves the channel unknown and keeps the file's words in the note.
 */
import { EMPLOYMENT_CHANNELS } from '../../../../shared/catalogs.ts';

export type Channel = (typeof EMPLOYMENT_CHANNELS)[number];

/** Other names of the same channel (domain.md §1 glossary: 帮扶车间 / 就业帮扶车间 / 社区工厂; 乡村公益性岗位). */
const SAME_CHANNEL: Readonly<Record<string, Channel>> = {
  公益岗位: '公益性岗位',
  乡村公益性岗位: '公益性岗位',
  乡村公益岗位: '公益性岗位',
  就业帮扶车间: '帮扶车间',
  扶贫车间: '帮扶车间',
  社区工厂: '帮扶车间',
  省外: '省外务工',
  省内县外: '省内县外务工',
  县内: '县内务工',
};

/** Where the file's words go: a ledger channel as is, mapped (to show as a warning), or kept as words only. */
export type ChannelReading =
  { kind: 'same'; channel: Channel } | { kind: 'mapped'; channel: Channel } | { kind: 'kept'; text: string };

const CHANNELS: ReadonlySet<string> = new Set(EMPLOYMENT_CHANNELS);

export function readChannel(text: string): ChannelReading {
  if (CHANNELS.has(text)) return { kind: 'same', channel: text as Channel };
  const mapped = SAME_CHANNEL[text];
  return mapped ? { kind: 'mapped', channel: mapped } : { kind: 'kept', text };
}

/** The note's segment that holds a 就业渠道 the ledger could not take; one segment, replaced on re-import. */
const NOTE_PREFIX = '就业渠道（原表）：';
const NOTE_SEGMENT = /就业渠道（原表）：[^；]*/;

/** The note with the file's channel words in it (replacing what an earlier import put there). */
export function noteWithChannel(note: string | null, text: string): string {
  const segment = `${NOTE_PREFIX}${text}`;
  if (!note) return segment;
  if (NOTE_SEGMENT.test(note)) return note.replace(NOTE_SEGMENT, () => segment);
  return `${note}；${segment}`;
}
