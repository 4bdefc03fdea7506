/**
 * Import of public-welfare posts with their holders (the T5 roster layout): one row per holder. Posts are
 * found or created by name and village; holders must already be registered persons (by ID number); a holding
 * is the same when post, person and start date match. Agreement periods as "起 至 止" or two columns.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { ImportError, ImportResult } from '../../../../shared/api.ts';
import { HireInput, PostInput } from '../../../../shared/schemas.ts';
import { normalizeIdNumber } from '../../../../shared/idnumber.ts';
import { yuanToFen } from '../../../../shared/money.ts';
import { findHeader, type Synonyms } from './header.ts';
import { clean, idText, parseDate } from './parse.ts';
import type { Table } from './read.ts';
import { byRow, dataRows, noHeader } from './rows.ts';

export const POST_SYNONYMS: Synonyms = {
  post: ['岗位名称', '岗位', '公益性岗位名称'],
  category: ['岗位类别'],
  department: ['开发主管部门', '主管部门'],
  village: ['村', '所在村', '行政村'],
  employer: ['使用单位', '用工单位'],
  workForm: ['用工形式', '工作形式'],
  monthly: ['月补贴标准(元)', '月补贴标准', '补贴标准(元/月)'],
  name: ['姓名'],
  idNumber: ['身份证号码', '身份证号', '证件号码'],
  personCategory: ['人员类别'],
  hiredOn: ['上岗时间', '上岗日期', '聘用时间'],
  agreement: ['协议起止时间', '协议期限'],
  agreementStart: ['协议开始时间', '协议起', '协议开始'],
  agreementEnd: ['协议结束时间', '协议止', '协议结束'],
  bankName: ['开户银行'],
  bankAccount: ['银行卡号', '银行卡号/社保卡号', '社保卡号'],
};

export function importPosts(
  raw: BetterSqlite3.Database,
  table: Table,
  now: string,
  overrides: Record<string, number> = {},
): ImportResult {
  const header = findHeader(table.rows, POST_SYNONYMS, ['post', 'idNumber'], overrides);
  if (!header) return noHeader(table, '「岗位名称」和「身份证号码」');
  const villages = new Map(
    (raw.prepare('SELECT id, name FROM village').all() as { id: number; name: string }[]).map((v) => [v.name, v.id]),
  );
  const findPost = raw.prepare(
    'SELECT id FROM post WHERE name = ? AND coalesce(village_id, 0) = coalesce(?, 0) AND abolished_on IS NULL',
  );
  const insertPost =
    raw.prepare(`INSERT INTO post (name, category, department, employer, village_id, work_form, monthly_subsidy_fen, required_days, quota, established_on, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, 30, 1, ?, ?, ?)`);
  const bumpQuota = raw.prepare(
    'UPDATE post SET quota = quota + 1 WHERE id = ? AND quota < (SELECT count(*) + 1 FROM placement WHERE post_id = ? AND exit_on IS NULL)',
  );
  const person = raw.prepare('SELECT id FROM person WHERE id_number = ?');
  const placement = raw.prepare('SELECT * FROM placement WHERE post_id = ? AND person_id = ? AND hired_on = ?');
  const openElsewhere = raw.prepare(
    'SELECT p.name FROM placement pl JOIN post p ON p.id = pl.post_id WHERE pl.person_id = ? AND pl.exit_on IS NULL AND pl.post_id <> ?',
  );
  const insert =
    raw.prepare(`INSERT INTO placement (post_id, person_id, person_category, agreement_type, agreement_start, agreement_end, hired_on, bank_name, bank_account, created_at, updated_at)
    VALUES (?, ?, ?, '劳务协议', ?, ?, ?, ?, ?, ?, ?)`);
  const update = raw.prepare(
    'UPDATE placement SET agreement_start = ?, agreement_end = ?, person_category = ?, bank_name = ?, bank_account = ?, updated_at = ? WHERE id = ?',
  );
  const errors: ImportError[] = [];
  let read = 0,
    inserted = 0,
    updated = 0,
    unchanged = 0,
    rejected = 0;

  for (const row of dataRows(table, header)) {
    read += 1;
    const { get, err, errors: rowErrors } = row;
    const date = (f: string) => {
      try {
        return parseDate(get(f));
      } catch (e) {
        err(f, (e as Error).message);
        return null;
      }
    };
    const postName = clean(get('post'));
    if (!postName) err('post', '岗位名称不能为空');
    else row.value('post', PostInput.shape.name);
    const villageName = clean(get('village'));
    const villageId = villageName ? (villages.get(villageName) ?? null) : null;
    if (villageName && villageId === null) err('village', `行政村「${villageName}」不在本乡镇的村名单中`);
    let personId: number | undefined;
    try {
      const id = normalizeIdNumber(idText(get('idNumber'), row.numeric('idNumber')));
      personId = (person.get(id) as { id: number } | undefined)?.id;
      if (personId === undefined) err('idNumber', '该身份证号未登记，请先导入或登记该人员');
    } catch (e) {
      err('idNumber', (e as Error).message);
    }
    const hiredOn = date('hiredOn');
    if (!hiredOn) err('hiredOn', '上岗时间不能为空');
    let start = date('agreementStart');
    let end = date('agreementEnd');
    const span = clean(get('agreement'));
    if (span) {
      const parts = span.split(/\s*(?:至|到|~|～|—|--)\s*/);
      try {
        start ??= parseDate(parts[0] ?? '');
        end ??= parseDate(parts[1] ?? '');
      } catch (e) {
        err('agreement', (e as Error).message);
      }
    }
    start ??= hiredOn;
    if (!end) err(header.columns.agreement !== undefined ? 'agreement' : 'agreementEnd', '协议结束时间不能为空');
    if (start && end && end < start)
      err(header.columns.agreement !== undefined ? 'agreement' : 'agreementEnd', '协议结束时间早于开始时间');
    const category = row.value('category', PostInput.shape.category) ?? '普通岗位';
    const department = row.value('department', PostInput.shape.department) ?? '农业农村部门';
    const workForm = row.value('workForm', PostInput.shape.workForm) ?? '非全日制';
    const personCategory = row.value('personCategory', HireInput.shape.personCategory);
    const monthlyText = clean(get('monthly')).replace(/[,，元]/g, '');
    const monthlyFen = monthlyText === '' ? null : yuanToFen(Number(monthlyText));
    if (monthlyFen !== null && !(monthlyFen >= 0)) err('monthly', `月补贴标准「${monthlyText}」不是金额`);
    const bankAccount = row.value('bankAccount', HireInput.shape.bankAccount);

    let postId = !rowErrors.length ? (findPost.get(postName, villageId) as { id: number } | undefined)?.id : undefined;
    if (!rowErrors.length && postId === undefined && monthlyFen === null) err('monthly', '新岗位需要填写月补贴标准');
    if (!rowErrors.length) {
      const other = openElsewhere.get(personId, postId ?? 0) as { name: string } | undefined;
      if (other) err('idNumber', `该人员已在「${other.name}」岗位在岗（一人一岗）`);
    }
    if (rowErrors.length) {
      errors.push(...rowErrors);
      rejected += 1;
      continue;
    }
    postId ??= Number(
      insertPost.run(
        postName,
        category,
        department,
        clean(get('employer')) || null,
        villageId,
        workForm,
        monthlyFen,
        start,
        now,
        now,
      ).lastInsertRowid,
    );
    const before = placement.get(postId, personId, hiredOn) as Record<string, unknown> | undefined;
    if (!before) {
      bumpQuota.run(postId, postId);
      insert.run(
        postId,
        personId,
        personCategory,
        start,
        end,
        hiredOn,
        clean(get('bankName')) || null,
        bankAccount,
        now,
        now,
      );
      inserted += 1;
      continue;
    }
    const next = [
      start,
      end,
      personCategory ?? before.person_category,
      clean(get('bankName')) || before.bank_name,
      bankAccount ?? before.bank_account,
    ];
    const prev = [
      before.agreement_start,
      before.agreement_end,
      before.person_category,
      before.bank_name,
      before.bank_account,
    ];
    if (next.some((v, i) => v !== prev[i])) {
      update.run(...next, now, before.id);
      updated += 1;
    } else unchanged += 1;
  }
  return { read, inserted, updated, unchanged, rejected, errors: byRow(errors) };
}
