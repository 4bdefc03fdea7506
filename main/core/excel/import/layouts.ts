/**
 * Which known layout a file is (national-layouts.md), recognised by its header labels, never by column position:
 * a customised national export carries only some columns, in any order. A layout names the import kinds it feeds
 * in the order they must run (a person-level monitoring export registers the members, then the cases).
 */
import type { DetectedLayout, ImportKind } from '../../../../shared/api.ts';
import { findHeader, norm, type Synonyms } from './header.ts';
import type { Table } from './read.ts';

export interface KindColumns {
  synonyms: Synonyms;
  required: readonly string[];
}

interface NamedLayout {
  name: string;
  kinds: readonly ImportKind[];
  /** Header labels that identify the layout: every group must be present (any label of a group). */
  marks: readonly (readonly string[])[];
  /** Labels whose presence rules the layout out. */
  without?: readonly string[];
  /** Where a label means something else in this layout than in others: field → its label, or null (not read). */
  columns?: Record<string, string | null>;
}

const MONITORING_CATEGORY = ['监测对象类别', '检测对象类别'];

/** Most specific first: the first whose marks are all present wins. */
const NAMED: readonly NamedLayout[] = [
  {
    name: '全国系统（务工月监测）已外出务工信息',
    kinds: ['work'],
    marks: [['是否已务工'], ['证件号码', '身份证号']],
  },
  { name: '全国系统 计划外出务工信息', kinds: ['work'], marks: [['是否计划务工'], ['证件号码', '身份证号']] },
  {
    name: '人社 贫困劳动力公益性岗位就业信息',
    kinds: ['posts'],
    marks: [['就业岗位(工种)', '就业岗位'], ['身份证号', '证件号码'], ['就业起始年月']],
  },
  {
    name: '全国系统 2022年名单（已脱贫人口 / 边缘易致贫人口）',
    kinds: ['households', 'monitoring'],
    marks: [['易返贫致贫户(监测对象)类型'], ['人编号'], ['证件号码']],
  },
  {
    name: '全国系统（自定义）监测对象信息（每人一行）',
    kinds: ['households', 'monitoring'],
    marks: [MONITORING_CATEGORY, ['与户主关系'], ['证件号码', '身份证号'], ['识别监测时间']],
  },
  {
    name: '建档立卡 贫困人口信息',
    kinds: ['households'],
    marks: [['贫困户属性', '脱贫属性'], ['证件号码']],
    // Here 联系电话 is the member's own phone (national-layouts.md §5), not the household's.
    columns: { phone: '联系电话', hhPhone: null },
  },
  {
    name: '全国系统 家庭成员信息（47列）',
    kinds: ['households'],
    marks: [['人口编号'], ['成员联系电话'], ['证件号码']],
  },
  {
    name: '监测对象户花名册（每户一行）',
    kinds: ['monitoring'],
    marks: [MONITORING_CATEGORY.concat(['易返贫致贫户(监测对象)类型']), ['识别监测时间', '风险识别时间']],
    without: ['与户主关系'],
  },
  {
    name: '全国系统（自定义）行政村信息',
    kinds: ['villages'],
    marks: [
      ['行政村', '行政村名称', '村名称'],
      ['行政区划代码', '统计用区划代码', '区划代码', '行政村代码', '村代码'],
    ],
    without: ['姓名'],
  },
];

const KIND_NAMES: Record<ImportKind, string> = {
  villages: '行政村名单',
  households: '农户与家庭成员',
  monitoring: '监测对象',
  posts: '公益岗位人员',
  relocation: '易地搬迁户',
  work: '务工监测',
};

function namedLayout(table: Table): NamedLayout | undefined {
  const labels = labelsOf(table);
  return NAMED.find(
    (l) =>
      l.marks.every((group) => group.some((m) => labels.has(norm(m)))) && !l.without?.some((w) => labels.has(norm(w))),
  );
}

/**
 * The column choices a layout implies where its labels differ in meaning (field → column index, -1 = not read),
 * given the header the import found; the user's own choices go on top.
 */
export function layoutColumns(table: Table, header: { labels: string[] } | null): Record<string, number> {
  const columns = namedLayout(table)?.columns;
  if (!columns || !header) return {};
  const labels = header.labels.map((l) => norm(l));
  const out: Record<string, number> = {};
  for (const [field, label] of Object.entries(columns)) {
    const index = label === null ? -1 : labels.indexOf(norm(label));
    if (label === null || index >= 0) out[field] = index;
  }
  return out;
}

/** The first 15 rows' labels, normalised, of one table. */
function labelsOf(table: Table): Set<string> {
  const out = new Set<string>();
  for (const row of table.rows.slice(0, 15)) for (const v of row) if (typeof v === 'string') out.add(norm(v));
  return out;
}

/**
 * The layout of the workbook's first table that has one: a named layout by its marks, else the kind whose columns
 * match best (required columns present). Null when no table looks like anything the ledger imports.
 */
export function detectLayout(tables: Table[], kinds: Record<ImportKind, KindColumns>): DetectedLayout | null {
  for (const table of tables) {
    const named = namedLayout(table);
    if (named) return { sheet: table.sheet, name: named.name, kinds: [...named.kinds] };
    let best: { kind: ImportKind; score: number } | null = null;
    for (const [kind, k] of Object.entries(kinds) as [ImportKind, KindColumns][]) {
      const score = Object.keys(findHeader(table.rows, k.synonyms, k.required)?.columns ?? {}).length;
      if (score > (best?.score ?? 0)) best = { kind, score };
    }
    if (best) return { sheet: table.sheet, name: `按列名识别为「${KIND_NAMES[best.kind]}」`, kinds: [best.kind] };
  }
  return null;
}
