/**
 * Monitoring workflow stages — domain.md §3.1 (identification), §3.3 (elimination), §3.4 (rollback, re-flag).
 * Round 0 is identification; each elimination attempt is a new round (1, 2, … after rollbacks).
 */

export interface StageDef {
  code: string;
  label: string;
  /** Stage records a period (start = doneOn, end = endOn), e.g. a public notice. */
  period?: boolean;
  /** Recording this stage changes the case's effective status. */
  effect?: 'identified' | 'eliminated';
}

export const IDENTIFICATION_STAGES: readonly StageDef[] = [
  { code: 'clue', label: '线索登记' },
  { code: 'verify', label: '入户核实' },
  { code: 'compare', label: '信息比对' },
  { code: 'review', label: '民主评议' },
  { code: 'notice', label: '村级公示', period: true },
  { code: 'town', label: '乡镇审核' },
  { code: 'county', label: '县级审批', effect: 'identified' },
  { code: 'announce', label: '结果公告' },
  { code: 'enter', label: '录入建档' },
];

export const ELIMINATION_STAGES: readonly StageDef[] = [
  { code: 'e_verify', label: '消除入户核实' },
  { code: 'e_review', label: '消除民主评议' },
  { code: 'e_notice', label: '消除公示', period: true },
  { code: 'e_town', label: '消除乡镇审核' },
  { code: 'e_county', label: '消除县级审批', effect: 'eliminated' },
  { code: 'e_mark', label: '系统标注' },
];

/** Markers recorded in the stage timeline for transitions outside the two ordered lists. */
export const MARKER_STAGES: readonly StageDef[] = [
  { code: 'rejected', label: '否决' },
  { code: 'rollback', label: '风险消除回退' },
];

export const ALL_STAGES: readonly StageDef[] = [...IDENTIFICATION_STAGES, ...ELIMINATION_STAGES, ...MARKER_STAGES];

export function stageDef(code: string): StageDef | undefined {
  return ALL_STAGES.find((s) => s.code === code);
}

export function stageLabel(code: string): string {
  return stageDef(code)?.label ?? code;
}

/** The stage that must come next after `current` within its list, or null at the end. */
export function nextStage(current: string): StageDef | null {
  for (const list of [IDENTIFICATION_STAGES, ELIMINATION_STAGES]) {
    const i = list.findIndex((s) => s.code === current);
    if (i >= 0) return list[i + 1] ?? null;
  }
  return null;
}

/** The people named in an actor field (“张三、李四”): elimination needs at least the configured number of verifiers. */
export function splitPeople(actor: string | null | undefined): string[] {
  return (actor ?? '').split(/[、,，;；\s]+/).filter(Boolean);
}

export const CASE_STATUSES = ['识别中', '已否决', '监测中', '消除中', '已消除'] as const;

/** A case in one of these statuses is open: a household has at most one open case (schema index, §3.4). */
export const OPEN_CASE_STATUSES = [
  '识别中',
  '监测中',
  '消除中',
] as const satisfies readonly (typeof CASE_STATUSES)[number][];
