/**
 * Import of public-welfare posts with their holders (the T5 roster layout): one row per holder. Posts are
 * found or created by name and village; holders must already be registered persons (by ID number); a holding
 * is the same when post, person and start date match. Agreement periods as "起 至 止" or two columns.
 */
import type { Connection } from '../../db/query.ts';
import { PostWrites, type NewPlacement, type NewPost } from '../../domain/posts.ts';
import type { ImportError, ImportResult } from '../../../../shared/api.ts';
import { HireInput, PostInput } from '../../../../shared/schemas.ts';
import { monthEnd } from '../../../../shared/dates.ts';
import { yuanToFen } from '../../../../shared/money.ts';
import { findHeader, type Synonyms } from './header.ts';
import { clean, idText, parseDate, personIdOf } from './parse.ts';
import type { Table } from './read.ts';
import { byRow, dataRows, noHeader, type DataRow } from './rows.ts';
import { unknownVillage, villageNames, type VillageNames } from './village-names.ts';

// The county 人社 roster 贫困劳动力公益性岗位就业信息 (national-layouts.md §6) names the same things differently:
// 就业岗位(工种), 就业单位名称, 就业起始年月 / 就业终止年月 (YYYYMM), 岗位补贴, and 所属行政区 as a full region path.
export const POST_SYNONYMS: Synonyms = {
  post: ['岗位名称', '岗位', '公益性岗位名称', '就业岗位(工种)', '就业岗位'],
  category: ['岗位类别'],
  department: ['开发主管部门', '主管部门'],
  village: ['村', '所在村', '行政村', '所属行政区'],
  employer: ['使用单位', '用工单位', '就业单位名称'],
  workForm: ['用工形式', '工作形式'],
  monthly: ['月补贴标准(元)', '月补贴标准', '补贴标准(元/月)', '岗位补贴'],
  name: ['姓名'],
  idNumber: ['身份证号码', '身份证号', '证件号码'],
  personCategory: ['人员类别'],
  hiredOn: ['上岗时间', '上岗日期', '聘用时间', '就业起始年月'],
  agreement: ['协议起止时间', '协议期限'],
  agreementStart: ['协议开始时间', '协议起', '协议开始'],
  agreementEnd: ['协议结束时间', '协议止', '协议结束', '就业终止年月'],
  bankName: ['开户银行'],
  bankAccount: ['银行卡号', '银行卡号/社保卡号', '社保卡号'],
};

export function importPosts(
  conn: Connection,
  table: Table,
  now: string,
  defaultRequiredDays: number,
  overrides: Record<string, number> = {},
  options: { createVillages?: boolean } = {},
): ImportResult {
  const header = findHeader(table.rows, POST_SYNONYMS, ['post', 'idNumber'], overrides);
  if (!header) return noHeader(table, '「岗位名称」和「身份证号码」');
  const villages = villageNames(conn, { create: !!options.createVillages, now });
  const lookups = postLookups(conn, villages);
  const writes = new PostWrites(conn, now);
  const errors: ImportError[] = [];
  const warnings: ImportError[] = [];
  const counts = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const row of dataRows(table, header, warnings)) {
    counts.read += 1;
    const holding = readHolding(row, lookups, header.columns.agreement !== undefined);
    if (!holding) {
      errors.push(...row.errors);
      counts.rejected += 1;
      continue;
    }
    counts[writeHolding(writes, lookups, holding, defaultRequiredDays)] += 1;
  }
  return { ...counts, errors: byRow(errors), warnings, villagesCreated: villages.created };
}

type Lookups = ReturnType<typeof postLookups>;

function postLookups(conn: Connection, villages: VillageNames) {
  const { raw } = conn;
  const post = raw.prepare(
    'SELECT id FROM post WHERE name = ? AND coalesce(village_id, 0) = coalesce(?, 0) AND abolished_on IS NULL',
  );
  const person = raw.prepare('SELECT id FROM person WHERE id_number = ?');
  const placement = raw.prepare('SELECT * FROM placement WHERE post_id = ? AND person_id = ? AND hired_on = ?');
  const openElsewhere = raw.prepare(
    'SELECT p.name FROM placement pl JOIN post p ON p.id = pl.post_id WHERE pl.person_id = ? AND pl.exit_on IS NULL AND pl.post_id <> ?',
  );
  return {
    village: (text: string) => villages.resolve(text),
    post: (name: string, villageId: number | null) => (post.get(name, villageId) as { id: number } | undefined)?.id,
    person: (idNumber: string) => (person.get(idNumber) as { id: number } | undefined)?.id,
    placement: (postId: number, personId: number, hiredOn: string) =>
      placement.get(postId, personId, hiredOn) as Record<string, unknown> | undefined,
    openElsewhere: (personId: number, postId: number) =>
      openElsewhere.get(personId, postId) as { name: string } | undefined,
  };
}

interface Holding {
  postId: number | undefined;
  post: Omit<NewPost, 'quota'>;
  placement: Omit<NewPlacement, 'postId'>;
}

/** One row: the post (found, or what to create) and the holding, or null when the row has errors. */
function readHolding(row: DataRow, lookups: Lookups, spanColumn: boolean): Holding | null {
  const { get, err } = row;
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
  const villageId = villageName ? lookups.village(villageName) : null;
  if (villageName && villageId === null) err('village', unknownVillage(villageName));
  let personId: number | undefined;
  try {
    personId = lookups.person(personIdOf(idText(get('idNumber'), row.numeric('idNumber'))));
    if (personId === undefined) err('idNumber', '该身份证号未登记，请先导入或登记该人员');
  } catch (e) {
    err('idNumber', (e as Error).message);
  }
  const hiredOn = date('hiredOn');
  if (!hiredOn) err('hiredOn', '上岗时间不能为空');
  const { start, end } = agreementPeriod(row, date, hiredOn, spanColumn);
  const monthlyText = clean(get('monthly')).replace(/[,，元]/g, '');
  const monthlyFen = monthlyText === '' ? null : yuanToFen(Number(monthlyText));
  if (monthlyFen !== null && !(monthlyFen >= 0)) err('monthly', `月补贴标准「${monthlyText}」不是金额`);
  const post = {
    name: postName,
    category: row.value('category', PostInput.shape.category) ?? '普通岗位',
    department: row.value('department', PostInput.shape.department) ?? '农业农村部门',
    workForm: row.value('workForm', PostInput.shape.workForm) ?? '非全日制',
    employer: row.value('employer', PostInput.shape.employer),
    villageId,
    monthlySubsidyFen: monthlyFen ?? 0,
    establishedOn: start,
  };
  const placement = {
    personId: personId!,
    personCategory: row.value('personCategory', HireInput.shape.personCategory),
    agreementType: '劳务协议' as const,
    agreementStart: start!,
    agreementEnd: end!,
    hiredOn: hiredOn!,
    bankName: row.value('bankName', HireInput.shape.bankName),
    bankAccount: row.value('bankAccount', HireInput.shape.bankAccount),
  };
  const postId = !row.errors.length ? lookups.post(postName, villageId) : undefined;
  if (!row.errors.length && postId === undefined && monthlyFen === null) err('monthly', '新岗位需要填写月补贴标准');
  if (!row.errors.length) {
    const other = lookups.openElsewhere(personId!, postId ?? 0);
    if (other) err('idNumber', `该人员已在「${other.name}」岗位在岗（一人一岗）`);
  }
  return row.errors.length ? null : { postId, post, placement };
}

/** The agreement period from two columns or one "起 至 止" column; it starts on the hiring date when not given. */
function agreementPeriod(
  row: DataRow,
  date: (f: string) => string | null,
  hiredOn: string | null,
  spanColumn: boolean,
): { start: string | null; end: string | null } {
  let start = date('agreementStart');
  let end = date('agreementEnd');
  // An end given as a month (就业终止年月 202612) runs to the month's last day.
  if (end && /^\d{6}$|^\d{4}年\d{1,2}月$/.test(clean(row.get('agreementEnd')))) end = monthEnd(end.slice(0, 7));
  const span = clean(row.get('agreement'));
  if (span) {
    const parts = span.split(/\s*(?:至|到|~|～|—|--)\s*/);
    try {
      start ??= parseDate(parts[0] ?? '');
      end ??= parseDate(parts[1] ?? '');
    } catch (e) {
      row.err('agreement', (e as Error).message);
    }
  }
  start ??= hiredOn;
  const endField = spanColumn ? 'agreement' : 'agreementEnd';
  if (!end) row.err(endField, '协议结束时间不能为空');
  if (start && end && end < start) row.err(endField, '协议结束时间早于开始时间');
  return { start, end };
}

/** Creates the post if new, then adds the holding or updates what the row changes. */
function writeHolding(
  writes: PostWrites,
  lookups: Lookups,
  h: Holding,
  defaultRequiredDays: number,
): 'inserted' | 'updated' | 'unchanged' {
  const postId = h.postId ?? writes.addPost({ ...h.post, quota: 1 }, defaultRequiredDays);
  const p = h.placement;
  const before = lookups.placement(postId, p.personId, p.hiredOn);
  if (!before) {
    writes.makeRoomFor(postId);
    writes.addPlacement({ ...p, postId });
    return 'inserted';
  }
  const next = {
    agreementStart: p.agreementStart,
    agreementEnd: p.agreementEnd,
    personCategory: p.personCategory ?? (before.person_category as string | null),
    bankName: p.bankName ?? (before.bank_name as string | null),
    bankAccount: p.bankAccount ?? (before.bank_account as string | null),
  };
  const prev = [
    before.agreement_start,
    before.agreement_end,
    before.person_category,
    before.bank_name,
    before.bank_account,
  ];
  if (Object.values(next).every((v, i) => v === prev[i])) return 'unchanged';
  writes.updatePlacement(before.id as number, next);
  return 'updated';
}
