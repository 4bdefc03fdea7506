/**
 * Import of monitored households (the T2 / national household layout): one row per household with category,
 * risks, identification date and, when eliminated, the elimination method and date. An imported case enters the
 * workflow as already identified (录入建档 done) or eliminated (系统标注 done): its timeline records the county
 * approval and elimination on the dates given, marked as imported, and the status events give the month figures.
 * Upsert by household and identification date: the same file again changes nothing.
 */
import { OPEN_CASE_STATUSES } from '../../../../shared/workflow.ts';
import type BetterSqlite3 from 'better-sqlite3';
import type { ImportError, ImportResult } from '../../../../shared/api.ts';
import { CaseAdvance, CaseCreate } from '../../../../shared/schemas.ts';
import { findHeader, type Synonyms } from './header.ts';
import { clean, parseDate, parseYesNo } from './parse.ts';
import type { Table } from './read.ts';
import { byRow, dataRows, householdLocator, noHeader } from './rows.ts';

export const MONITORING_SYNONYMS: Synonyms = {
  hhNo: ['户编号', '户号'],
  headId: ['户主证件号码', '户主身份证号', '户主身份证号码'],
  headName: ['户主姓名', '户主'],
  category: ['监测对象类别', '易返贫致贫户(监测对象)类型', '监测对象类型', '监测类别'],
  channel: ['发现渠道', '识别渠道'],
  risks: ['致贫/返贫风险', '致贫/返贫风险(1–5)', '致贫返贫风险', '风险类型', '主要风险类型'],
  risk1: ['致贫/返贫风险1', '风险类型1', '致贫原因1'],
  risk2: ['致贫/返贫风险2', '风险类型2'],
  risk3: ['致贫/返贫风险3', '风险类型3'],
  identifiedOn: ['识别监测时间', '风险识别时间', '识别时间', '纳入监测时间'],
  eliminated: ['风险是否已消除', '风险是否消除'],
  method: ['风险消除方式'],
  eliminatedOn: ['风险消除时间', '消除时间'],
};
const NOTE = '由导入建立（识别环节记录见原系统）';

export function importMonitoring(
  raw: BetterSqlite3.Database,
  table: Table,
  today: string,
  now: string,
  overrides: Record<string, number> = {},
): ImportResult {
  const header = findHeader(table.rows, MONITORING_SYNONYMS, ['category', 'identifiedOn'], overrides);
  if (!header) return noHeader(table, '「监测对象类别」和「识别监测时间」');
  const col = header.columns;
  const findHousehold = householdLocator(raw, { currentHeadOnly: false, hint: '请先导入该户及家庭成员' });
  const sameCase = raw.prepare('SELECT * FROM monitoring_case WHERE household_id = ? AND identified_on = ?');
  const openCase = raw.prepare(
    `SELECT id, identified_on AS identifiedOn FROM monitoring_case WHERE household_id = ? AND status IN (${OPEN_CASE_STATUSES.map(() => '?').join(', ')})`,
  );
  const risksOf = raw.prepare('SELECT risk_type AS r FROM case_risk WHERE case_id = ? ORDER BY seq');
  const insertCase =
    raw.prepare(`INSERT INTO monitoring_case (household_id, category, channel, clue_date, status, stage, round, identified_on, eliminated_on, elimination_method, note, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertRisk = raw.prepare('INSERT INTO case_risk (case_id, seq, risk_type) VALUES (?, ?, ?)');
  const insertStage = raw.prepare(
    'INSERT INTO case_stage (case_id, round, stage, done_on, actor, note) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertEvent = raw.prepare('INSERT INTO case_event (case_id, kind, effective_date, note) VALUES (?, ?, ?, ?)');
  const errors: ImportError[] = [];
  const seen = new Map<number, number>();
  let read = 0,
    inserted = 0,
    updated = 0,
    unchanged = 0,
    rejected = 0;

  for (const row of dataRows(table, header)) {
    read += 1;
    const { get, err, row: rowNo, errors: rowErrors } = row;
    const date = (f: string) => {
      try {
        const d = parseDate(get(f));
        if (d && d > today) err(f, `日期 ${d} 晚于今天`);
        return d;
      } catch (e) {
        err(f, (e as Error).message);
        return null;
      }
    };

    const { householdId, key } = findHousehold(row);
    if (clean(get('category')) === '') err('category', '监测对象类别不能为空');
    const category = row.value('category', CaseCreate.shape.category) ?? '';
    const channel = row.value('channel', CaseCreate.shape.channel) ?? '基层干部排查';
    const riskText = [clean(get('risks')), clean(get('risk1')), clean(get('risk2')), clean(get('risk3'))]
      .filter(Boolean)
      .join('、');
    const risks = [...new Set(riskText.split(/[、,，;；\s]+/).filter(Boolean))];
    const riskField = col.risks !== undefined ? 'risks' : 'risk1';
    if (risks.length === 0) err(riskField, '至少需要一个致贫/返贫风险');
    else {
      const checked = CaseCreate.shape.risks.safeParse(risks.map((riskType) => ({ riskType })));
      if (!checked.success) err(riskField, checked.error.issues[0]!.message, riskText);
    }
    const identifiedOn = date('identifiedOn');
    if (!identifiedOn && !rowErrors.some((e) => e.column === row.label('identifiedOn')))
      err('identifiedOn', '识别监测时间不能为空');
    let eliminated = false;
    try {
      eliminated =
        col.eliminated !== undefined ? parseYesNo(get('eliminated')) === 1 : clean(get('eliminatedOn')) !== '';
    } catch (e) {
      err('eliminated', (e as Error).message);
    }
    const eliminatedOn = eliminated ? date('eliminatedOn') : null;
    const method = eliminated ? (row.value('method', CaseAdvance.shape.method) ?? '帮扶消除') : null;
    if (eliminated && !eliminatedOn && !rowErrors.some((e) => e.column === row.label('eliminatedOn')))
      err('eliminatedOn', '风险已消除时须填写消除时间');
    if (identifiedOn && eliminatedOn && eliminatedOn <= identifiedOn)
      err('eliminatedOn', '风险消除时间应晚于识别监测时间');
    if (householdId !== undefined && seen.has(householdId)) err(key, `与第 ${seen.get(householdId)} 行是同一户`);
    const before =
      householdId !== undefined && identifiedOn
        ? (sameCase.get(householdId, identifiedOn) as
            { id: number; status: string; category: string; eliminated_on: string | null } | undefined)
        : undefined;
    if (householdId !== undefined && !before && !rowErrors.length) {
      const open = openCase.get(householdId, ...OPEN_CASE_STATUSES) as
        { id: number; identifiedOn: string | null } | undefined;
      if (open) err(key, `该户已有未结束的监测记录（识别于 ${open.identifiedOn ?? '识别中'}），请在“监测对象”中处理`);
    }
    if (rowErrors.length) {
      errors.push(...rowErrors);
      rejected += 1;
      continue;
    }
    seen.set(householdId!, rowNo);
    const status = eliminated ? '已消除' : '监测中';
    if (!before) {
      const caseId = Number(
        insertCase.run(
          householdId!,
          category,
          channel,
          identifiedOn,
          status,
          eliminated ? 'e_mark' : 'enter',
          eliminated ? 1 : 0,
          identifiedOn,
          eliminatedOn,
          method,
          NOTE,
          now,
          now,
        ).lastInsertRowid,
      );
      risks.forEach((x, i) => insertRisk.run(caseId, i + 1, x));
      insertStage.run(caseId, 0, 'county', identifiedOn, '导入', NOTE);
      insertStage.run(caseId, 0, 'enter', identifiedOn, '导入', NOTE);
      insertEvent.run(caseId, 'identified', identifiedOn, NOTE);
      if (eliminated) {
        insertStage.run(caseId, 1, 'e_county', eliminatedOn, '导入', NOTE);
        insertStage.run(caseId, 1, 'e_mark', eliminatedOn, '导入', NOTE);
        insertEvent.run(caseId, 'eliminated', eliminatedOn, NOTE);
      }
      inserted += 1;
      continue;
    }
    // An existing case: category and risks can be corrected; status changes go through the workflow screens.
    const oldRisks = (risksOf.all(before.id) as { r: string }[]).map((x) => x.r);
    const sameStatus =
      (before.status === '已消除') === eliminated && (!eliminated || before.eliminated_on === eliminatedOn);
    if (!sameStatus) {
      errors.push({
        sheet: table.sheet,
        row: rowNo,
        column: row.label('eliminated'),
        value: String(get('eliminated') ?? ''),
        message: `台账中该户状态为「${before.status}」，与导入文件不一致；风险消除和回退请在“监测对象”中办理`,
      });
      rejected += 1;
      continue;
    }
    if (before.category !== category || oldRisks.join('、') !== risks.join('、')) {
      raw.prepare('UPDATE monitoring_case SET category = ?, updated_at = ? WHERE id = ?').run(category, now, before.id);
      raw.prepare('DELETE FROM case_risk WHERE case_id = ?').run(before.id);
      risks.forEach((x, i) => insertRisk.run(before.id, i + 1, x));
      updated += 1;
    } else unchanged += 1;
  }
  return { read, inserted, updated, unchanged, rejected, errors: byRow(errors) };
}
