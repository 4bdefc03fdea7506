/** Public notices (公示): T4 识别 / 风险消除 名单 and T7 补贴发放公示表 — masked IDs, no health details, portrait. */
import { addDays, daysBetween } from '../../../shared/dates.ts';
import { maskIdNumber } from '../../../shared/idnumber.ts';
import { fenToYuanText } from '../../../shared/money.ts';
import type { Settings } from '../../../shared/parameters.ts';
import type { MonthlyData, Row } from './monthly-data.ts';
import type { Column, SheetDef } from './report.ts';

export type NoticeKind = 'identification' | 'elimination' | 'subsidy';

const seq: Column<Row> = { key: 'seq', header: '序号', width: 6, kind: 'int', value: (_r, i) => i + 1 };
const col = (key: string, header: string, width = 12, kind: Column<Row>['kind'] = 'text'): Column<Row> => ({
  key,
  header,
  width,
  kind,
  value: (r) => r[key] ?? null,
});
const yyyymm = (month: string) => `${month.slice(0, 4)}年${month.slice(5, 7)}月`;
/** Days a subsidy notice is posted: the ledger does not record it; 公示 lasts at least 5 days (domain.md §5.2). */
export const SUBSIDY_NOTICE_DAYS = 5;
const cnDate = (d: string) => `${d.slice(0, 4)}年${d.slice(5, 7)}月${d.slice(8, 10)}日`;

/**
 * The 公示时间 line, filled: from the notice stages the list shows (one period, or the span of several with each
 * household's own in its row), or for a subsidy notice from the day it is exported. Blank only for an empty list.
 */
function periodLine(periods: { start: string; end: string | null }[]): string {
  const known = periods.filter((p): p is { start: string; end: string } => !!p.end);
  if (known.length === 0) return '公示时间：____年__月__日 至 ____年__月__日（共__天）';
  const start = known.reduce((a, p) => (p.start < a ? p.start : a), known[0]!.start);
  const end = known.reduce((a, p) => (p.end > a ? p.end : a), known[0]!.end);
  const one = known.every((p) => p.start === start && p.end === end) && known.length === periods.length;
  const span = `公示时间：${cnDate(start)} 至 ${cnDate(end)}`;
  return one ? `${span}（共${daysBetween(start, end) + 1}天）` : `${span}（各户公示时间见表）`;
}

const OBJECTION = '公示期间，如对公示名单有异议，可向村委会、乡镇人民政府或县乡村振兴部门反映。';

export function noticeSheet(
  data: MonthlyData,
  kind: NoticeKind,
  settings: Settings | null,
  today: string,
): SheetDef<Row> {
  const unit = settings ? `${settings.townshipName}` : '';
  if (kind === 'subsidy') {
    return {
      name: '补贴发放公示',
      title: `（${yyyymm(data.month)}）乡村公益性岗位补贴发放公示表`,
      info: [`公示单位（盖章）：${unit}`, periodLine([{ start: today, end: addDays(today, SUBSIDY_NOTICE_DAYS - 1) }])],
      rows: data.attendance(),
      totalLabel: (n, s) => `合计：${n}人，${fenToYuanText(s.subsidyFen ?? 0)}元`,
      columns: [
        seq,
        col('name', '姓名', 9),
        { key: 'id', header: '身份证号码', width: 21, value: (r) => maskIdNumber(String(r.idNumber)) },
        col('post', '岗位名称', 14),
        col('required', '规定出勤天数（天）', 10, 'int'),
        col('days', '本月累计出勤天数（天）', 11, 'int'),
        { ...col('subsidyFen', '补贴金额（元）', 12, 'money'), sum: true },
      ],
      footer: [OBJECTION],
    };
  }
  const stage = kind === 'identification' ? 'notice' : 'e_notice';
  const rows = data.notices(stage);
  const what = kind === 'identification' ? '防止返贫监测对象识别' : '防止返贫监测对象风险消除';
  return {
    name: kind === 'identification' ? '识别公示' : '风险消除公示',
    title: `${what}公示名单（${yyyymm(data.month)}）`,
    info: [
      `公示单位（盖章）：${unit}`,
      periodLine(rows.map((r) => ({ start: String(r.startOn), end: r.endOn ? String(r.endOn) : null }))),
    ],
    rows,
    totalLabel: (n) => `合计：${n}户`,
    columns: [
      seq,
      col('village', '行政村', 10),
      col('groupName', '村民小组', 10),
      col('headName', '户主姓名', 9),
      col('persons', '家庭人口', 8, 'int'),
      kind === 'identification' ? col('category', '监测对象类别', 14) : col('method', '风险消除方式', 12),
      col('risks', '主要风险类型', 18),
      { key: 'period', header: '公示时间', width: 24, value: (r) => `${r.startOn} 至 ${r.endOn ?? ''}` },
    ],
    footer: [OBJECTION],
  };
}
