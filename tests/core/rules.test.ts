/**
 * Every data-quality rule: a record that violates it is found, a near miss is not. States the public API
 * refuses (a bad checksum, a second open post…) are planted with SQL, as imports and old ledgers bring them.
 */
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../main/core/ledger.ts';
import { RULES } from '../../main/core/rules/index.ts';
import { familyOf, makeId, newLedger } from '../helpers.ts';

interface T {
  ledger: Ledger;
  villageId: number;
  sql(text: string, ...args: unknown[]): number;
  fam(seq: number): ReturnType<typeof familyOf>;
  identify(householdId: number, risks: string[], clue?: string): Promise<number>;
  eliminateRaw(caseId: number, on: string): void;
  person(
    householdId: number,
    seq: number,
    birth: string,
    gender: '男' | '女',
    extra?: Record<string, unknown>,
  ): Promise<number>;
  post(quota?: number): Promise<number>;
  placeRaw(postId: number, personId: number, hired: string, end?: string, exit?: string | null): number;
  attendanceRaw(placementId: number, month: string, days: number, subsidyFen?: number): number;
  site(reportedHouseholds?: number | null, reportedPersons?: number | null): Promise<number>;
  link(siteId: number, householdId: number): Promise<number>;
}
type Case = { bad: number[]; ok: number[] };

async function fixture(): Promise<T> {
  const { ledger, villageId } = await newLedger();
  const raw = ledger.store.raw;
  const t: T = {
    ledger,
    villageId,
    sql: (text, ...args) => Number(raw.prepare(text).run(...args).lastInsertRowid),
    fam: (seq) => familyOf(ledger, villageId, seq),
    async identify(householdId, risks, clue = '2026-01-05') {
      const c = await ledger.run('case.create', {
        householdId,
        category: '边缘易致贫户',
        channel: '基层干部排查',
        clueDate: clue,
        risks: risks.map((riskType) => ({ riskType })) as never,
      });
      const d = (n: number) => new Date(Date.parse(clue) + n * 86_400_000).toISOString().slice(0, 10);
      for (const [stage, doneOn, endOn] of [
        ['verify', d(1)],
        ['compare', d(2)],
        ['review', d(3)],
        ['notice', d(4), d(9)],
        ['town', d(10)],
        ['county', d(11)],
      ] as const) {
        await ledger.run('case.advance', { caseId: c.id, stage, doneOn, endOn });
      }
      return c.id;
    },
    eliminateRaw(caseId, on) {
      raw
        .prepare(
          "UPDATE monitoring_case SET status = '已消除', stage = 'e_mark', round = 1, eliminated_on = ?, elimination_method = '帮扶消除' WHERE id = ?",
        )
        .run(on, caseId);
    },
    async person(householdId, seq, birth, gender, extra = {}) {
      const p = await ledger.run('person.create', {
        householdId,
        idNumber: makeId(birth, gender, seq),
        name: `成员${seq}`,
        relation: gender === '男' ? '之孙子' : '之孙女',
        medResident: true,
        ...extra,
      } as never);
      return p.id;
    },
    async post(quota = 5) {
      const p = await ledger.run('post.create', {
        name: `岗位${quota}`,
        category: '普通岗位',
        department: '农业农村部门',
        workForm: '非全日制',
        villageId,
        monthlySubsidyFen: 60_000,
        requiredDays: 30,
        quota,
      });
      return p.id;
    },
    placeRaw(postId, personId, hired, end = '2026-12-31', exit = null) {
      return t.sql(
        "INSERT INTO placement (post_id, person_id, agreement_type, agreement_start, agreement_end, hired_on, exit_on, exit_reason) VALUES (?, ?, '劳务协议', ?, ?, ?, ?, ?)",
        postId,
        personId,
        hired,
        end,
        hired,
        exit,
        exit ? '协议期满' : null,
      );
    },
    attendanceRaw(placementId, month, days, subsidyFen) {
      const subsidy = subsidyFen ?? Math.round((60_000 * Math.min(days, 30)) / 30);
      return t.sql(
        'INSERT INTO attendance (placement_id, month, required_days, days, monthly_subsidy_fen, subsidy_fen) VALUES (?, ?, 30, ?, 60000, ?)',
        placementId,
        month,
        days,
        subsidy,
      );
    },
    async site(reportedHouseholds = null, reportedPersons = null) {
      const s = await ledger.run('site.create', {
        name: `安置点${Math.random().toString(36).slice(2, 7)}`,
        method: '集中安置',
        villageId,
        reportedHouseholds,
        reportedPersons,
      });
      return s.id;
    },
    async link(siteId, householdId) {
      const r = await ledger.run('relocated.link', {
        siteId,
        householdId,
        relocationType: '建档立卡',
        movedInOn: '2024-03-01',
      });
      return r.id;
    },
  };
  return t;
}

const income = (
  t: T,
  householdId: number,
  kind: '识别时' | '消除时' | '年度',
  asOf: string,
  perCapitaYuan: number,
  caseId?: number,
) => t.ledger.run('income.add', { householdId, caseId, kind, asOf, members: 3, wageFen: perCapitaYuan * 300 });
const measure = (t: T, householdId: number, category: string, startDate = '2026-01-20') =>
  t.ledger.run('measure.add', { householdId, category: category as never, startDate });

const CASES: Record<string, (t: T) => Promise<Case>> = {
  // ---- persons
  async RY01(t) {
    const a = await t.fam(1);
    const bad = t.ledger.store.raw.prepare('SELECT id_number AS n FROM person WHERE id = ?').get(a.spouseId) as {
      n: string;
    };
    t.sql(
      'UPDATE person SET id_number = ? WHERE id = ?',
      bad.n.slice(0, 17) + (bad.n.endsWith('1') ? '2' : '1'),
      a.spouseId,
    );
    return { bad: [a.spouseId], ok: [a.headId] };
  },
  async RY02(t) {
    const a = await t.fam(1);
    t.sql("UPDATE person SET birth_date = '1977-06-11' WHERE id = ?", a.spouseId);
    return { bad: [a.spouseId], ok: [a.headId] };
  },
  async RY03(t) {
    const a = await t.fam(1);
    t.sql("UPDATE person SET gender = '男' WHERE id = ?", a.spouseId);
    return { bad: [a.spouseId], ok: [a.headId] };
  },
  async RY04(t) {
    const a = await t.fam(1);
    t.sql("UPDATE person SET relation = '之女' WHERE id = ?", a.childId);
    return { bad: [a.childId], ok: [a.headId] };
  },
  async RY05(t) {
    const a = await t.fam(1);
    const bad = await t.person(a.householdId, 11, '2008-01-01', '女', {
      education: '小学',
      labourCapacity: '普通劳动力',
    });
    const ok = await t.person(a.householdId, 12, '2008-02-01', '女', {
      education: '初中',
      labourCapacity: '普通劳动力',
    });
    return { bad: [bad], ok: [ok] };
  },
  async RY06(t) {
    const a = await t.fam(1);
    t.sql("UPDATE person SET school_status = '硕士生及以上' WHERE id = ?", a.childId);
    const ok = await t.person(a.householdId, 13, '2013-03-01', '男', {
      schoolStatus: '七年级',
      labourCapacity: '无劳动力',
    });
    return { bad: [a.childId], ok: [ok] };
  },
  async RY07(t) {
    const a = await t.fam(1);
    t.sql("UPDATE person SET labour_capacity = '普通劳动力' WHERE id = ?", a.childId);
    return { bad: [a.childId], ok: [a.headId] };
  },
  async RY08(t) {
    const a = await t.fam(1);
    t.sql("UPDATE person SET health = '健康', labour_capacity = '无劳动力' WHERE id = ?", a.spouseId);
    t.sql("UPDATE person SET health = '健康' WHERE id = ?", a.headId);
    return { bad: [a.spouseId], ok: [a.headId] };
  },
  async RY09(t) {
    const a = await t.fam(1);
    await t.ledger.run('person.update', { id: a.headId, health: '患大病' });
    await t.ledger.run('person.update', { id: a.spouseId, health: '健康' });
    return { bad: [a.headId], ok: [a.spouseId] };
  },
  async RY10(t) {
    const a = await t.fam(1);
    t.sql("UPDATE person SET labour_capacity = '普通劳动力' WHERE id = ?", a.childId);
    return { bad: [a.childId], ok: [a.headId] };
  },
  async RY11(t) {
    const a = await t.fam(1);
    await t.ledger.run('person.update', { id: a.headId, medEmployee: 1 });
    return { bad: [a.headId], ok: [a.spouseId] };
  },
  async RY12(t) {
    const a = await t.fam(1);
    await t.ledger.run('person.update', { id: a.headId, medResident: 0, medEmployee: 0 });
    // Not in 城乡居民医保, 职工医保 unknown (a file without that column): not known to be uninsured.
    await t.ledger.run('person.update', { id: a.spouseId, medResident: 0 });
    return { bad: [a.headId], ok: [a.spouseId] };
  },
  async RY13(t) {
    const a = await t.fam(1);
    await t.ledger.run('person.update', { id: a.headId, health: '残疾' });
    await t.ledger.run('person.update', {
      id: a.spouseId,
      health: '残疾',
      disabilityCategory: '肢体',
      disabilityGrade: '三级',
    });
    return { bad: [a.headId], ok: [a.spouseId] };
  },
  async RY14(t) {
    const a = await t.fam(1);
    await t.ledger.run('person.update', { id: a.headId, labourCapacity: '无劳动力', workMonths: 6 });
    await t.ledger.run('person.update', { id: a.spouseId, workMonths: 6 });
    return { bad: [a.headId], ok: [a.spouseId] };
  },
  async RY15(t) {
    const a = await t.fam(1);
    t.sql("UPDATE person SET phone = '12345' WHERE id = ?", a.headId);
    await t.ledger.run('person.update', { id: a.spouseId, phone: '13912345678' });
    return { bad: [a.headId], ok: [a.spouseId] };
  },
  async RY16(t) {
    const a = await t.fam(1);
    const b = await t.fam(2);
    const twin = await t.ledger.run('person.create', {
      householdId: b.householdId,
      idNumber: makeId('1975-03-04', '男', 99),
      name: '户主1',
      relation: '之兄弟姐妹',
      medResident: true,
    });
    return { bad: [a.headId, twin.id], ok: [a.spouseId, b.headId] };
  },
  // ---- households
  async NH01(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    t.sql("UPDATE person SET relation = '其他' WHERE id = ?", a.headId);
    return { bad: [a.householdId], ok: [b.householdId] };
  },
  async NH02(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    t.sql("UPDATE person SET relation = '户主' WHERE id = ?", a.spouseId);
    return { bad: [a.householdId], ok: [b.householdId] };
  },
  async NH03(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    t.sql("UPDATE person SET gender = '男' WHERE id = ?", a.spouseId);
    return { bad: [a.householdId], ok: [b.householdId] };
  },
  async NH04(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    t.sql("UPDATE person SET relation = '配偶' WHERE id = ?", a.childId);
    return { bad: [a.householdId], ok: [b.householdId] };
  },
  async NH05(t) {
    const a = await t.fam(1);
    const empty = await t.ledger.run('household.create', { villageId: t.villageId, hhNo: 'EMPTY' });
    return { bad: [empty.id], ok: [a.householdId] };
  },
  async NH06(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    t.sql("UPDATE household SET phone = '0851' WHERE id = ?", a.householdId);
    return { bad: [a.householdId], ok: [b.householdId] };
  },
  async NH07(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    await t.ledger.run('household.update', { id: a.householdId, hhType: '脱贫户' });
    // A 脱贫年度 nobody stated (the 2022 名单 has no such column) is unknown, not a contradiction.
    await t.ledger.run('household.update', { id: b.householdId, hhType: '脱贫户', exitedPoverty: 1 });
    return { bad: [a.householdId], ok: [b.householdId] };
  },
  async NH08(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    for (const h of [a, b])
      await t.ledger.run('household.update', { id: h.householdId, hhType: '脱贫户', exitedPoverty: 1, exitYear: 2019 });
    await income(t, a.householdId, '年度', '2026-06-30', 5000);
    await income(t, b.householdId, '年度', '2026-06-30', 9000);
    return { bad: [a.householdId], ok: [b.householdId] };
  },
  // ---- monitoring: risks against members
  ...riskMember('JC01', '因病', async (t, f) => {
    await t.ledger.run('person.update', { id: f.headId, health: '患大病' });
  }),
  ...riskMember(
    'JC02',
    '因残',
    async (t, f) => {
      await t.ledger.run('person.update', {
        id: f.spouseId,
        health: '残疾',
        disabilityCategory: '肢体',
        disabilityGrade: '二级',
      });
    },
    async (t, f) => {
      void t;
      void f;
    },
  ),
  ...riskMember(
    'JC03',
    '因学',
    async () => undefined,
    async (t, f) => {
      t.sql('UPDATE person SET school_status = NULL WHERE id = ?', f.childId);
    },
  ),
  ...riskMember(
    'JC04',
    '因务工就业不稳',
    async () => undefined,
    async (t, f) => {
      t.sql("UPDATE person SET labour_capacity = '无劳动力' WHERE household_id = ?", f.householdId);
    },
  ),
  // ---- risks against measures
  ...riskMeasure('JC05', '因病', '健康帮扶'),
  ...riskMeasure('JC06', '因残', '综合保障'),
  ...riskMeasure('JC07', '因学', '义务教育保障'),
  ...riskMeasure('JC08', '因安全住房', '搬迁'),
  ...riskMeasure('JC09', '因安全饮水', '饮水安全保障'),
  async JC10(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const bad = await t.identify(a.householdId, ['其他']);
    const ok = await t.identify(b.householdId, ['其他']);
    await measure(t, b.householdId, '产业帮扶');
    return { bad: [bad], ok: [ok] };
  },
  async JC11(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const bad = await t.identify(a.householdId, ['其他']);
    const ok = await t.identify(b.householdId, ['其他']);
    await measure(t, b.householdId, '产业帮扶', '2026-02-01');
    t.eliminateRaw(bad, '2026-09-01');
    t.eliminateRaw(ok, '2026-09-01');
    return { bad: [bad], ok: [ok] };
  },
  async JC12(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const bad = await t.identify(a.householdId, ['其他']);
    const ok = await t.identify(b.householdId, ['其他']);
    await income(t, a.householdId, '消除时', '2026-08-30', 5000, bad);
    await income(t, b.householdId, '消除时', '2026-08-30', 9000, ok);
    t.eliminateRaw(bad, '2026-09-01');
    t.eliminateRaw(ok, '2026-09-01');
    return { bad: [bad], ok: [ok] };
  },
  async JC13(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const bad = await t.identify(a.householdId, ['其他']);
    const ok = await t.identify(b.householdId, ['其他']);
    await income(t, b.householdId, '消除时', '2026-08-30', 9000, ok);
    t.eliminateRaw(bad, '2026-09-01');
    t.eliminateRaw(ok, '2026-09-01');
    return { bad: [bad], ok: [ok] };
  },
  async JC14(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const bad = await t.identify(a.householdId, ['其他']);
    const ok = await t.identify(b.householdId, ['其他']);
    t.eliminateRaw(bad, '2026-03-01');
    t.eliminateRaw(ok, '2026-07-16');
    return { bad: [bad], ok: [ok] };
  },
  async JC15(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const bad = await t.identify(a.householdId, ['其他']);
    const ok = await t.identify(b.householdId, ['其他']);
    t.sql("UPDATE person SET labour_capacity = '丧失劳动力' WHERE household_id = ?", a.householdId);
    t.eliminateRaw(bad, '2026-09-01');
    t.eliminateRaw(ok, '2026-09-01');
    return { bad: [bad], ok: [ok] };
  },
  async JC16(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const bad = await t.ledger.run('case.create', {
      householdId: a.householdId,
      category: '边缘易致贫户',
      channel: '农户自主申报',
      clueDate: '2026-10-01',
      risks: [{ riskType: '其他' }],
    });
    const ok = await t.ledger.run('case.create', {
      householdId: b.householdId,
      category: '边缘易致贫户',
      channel: '农户自主申报',
      clueDate: '2026-11-10',
      risks: [{ riskType: '其他' }],
    });
    return { bad: [bad.id], ok: [ok.id] };
  },
  async JC17(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const ok = await t.identify(b.householdId, ['其他']);
    const c = await t.ledger.run('case.create', {
      householdId: a.householdId,
      category: '边缘易致贫户',
      channel: '农户自主申报',
      clueDate: '2026-01-05',
      risks: [{ riskType: '其他' }],
    });
    for (const [stage, doneOn, endOn] of [
      ['verify', '2026-01-08'],
      ['compare', '2026-01-10'],
      ['review', '2026-01-14'],
      ['notice', '2026-01-15', '2026-01-20'],
      ['town', '2026-01-23'],
      ['county', '2026-01-26'],
    ] as const) {
      await t.ledger.run('case.advance', { caseId: c.id, stage, doneOn, endOn });
    }
    return { bad: [c.id], ok: [ok] };
  },
  async JC18(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const bad = await t.identify(a.householdId, ['其他']);
    const ok = await t.identify(b.householdId, ['其他']);
    t.sql("UPDATE case_stage SET done_on = '2026-01-03' WHERE case_id = ? AND stage = 'compare'", bad);
    return { bad: [bad], ok: [ok] };
  },
  async JC19(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const bad = await t.identify(a.householdId, ['其他']);
    const ok = await t.identify(b.householdId, ['其他']);
    t.sql("UPDATE case_stage SET end_on = date(done_on, '+2 days') WHERE case_id = ? AND stage = 'notice'", bad);
    return { bad: [bad], ok: [ok] };
  },
  async JC20(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const bad = await t.identify(a.householdId, ['其他']);
    const ok = await t.identify(b.householdId, ['其他']);
    t.sql(
      "INSERT INTO case_stage (case_id, round, stage, done_on, end_on) VALUES (?, 1, 'e_notice', '2026-09-04', '2026-09-08')",
      bad,
    );
    t.sql(
      "INSERT INTO case_stage (case_id, round, stage, done_on, end_on) VALUES (?, 1, 'e_notice', '2026-09-04', '2026-09-10')",
      ok,
    );
    return { bad: [bad], ok: [ok] };
  },
  async JC21(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const bad = await t.identify(a.householdId, ['其他']);
    const ok = await t.identify(b.householdId, ['其他']);
    t.sql(
      "INSERT INTO case_stage (case_id, round, stage, done_on, actor) VALUES (?, 1, 'e_verify', '2026-09-02', '张三')",
      bad,
    );
    t.sql(
      "INSERT INTO case_stage (case_id, round, stage, done_on, actor) VALUES (?, 1, 'e_verify', '2026-09-02', '张三、李四')",
      ok,
    );
    return { bad: [bad], ok: [ok] };
  },
  async JC22(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const bad = await t.identify(a.householdId, ['其他']);
    const ok = await t.identify(b.householdId, ['其他']);
    await income(t, a.householdId, '识别时', '2026-01-06', 30000, bad);
    await income(t, b.householdId, '识别时', '2026-01-06', 5000, ok);
    return { bad: [bad], ok: [ok] };
  },
  async JC23(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    await t.ledger.run('household.update', { id: b.householdId, hhType: '脱贫户', exitedPoverty: 1, exitYear: 2019 });
    const mk = (householdId: number) =>
      t.ledger.run('case.create', {
        householdId,
        category: '脱贫不稳定户',
        channel: '基层干部排查',
        clueDate: '2026-11-20',
        risks: [{ riskType: '其他' }],
      });
    const bad = await mk(a.householdId).catch(async () => {
      const c = await t.ledger.run('case.create', {
        householdId: a.householdId,
        category: '边缘易致贫户',
        channel: '基层干部排查',
        clueDate: '2026-11-20',
        risks: [{ riskType: '其他' }],
      });
      t.sql("UPDATE monitoring_case SET category = '脱贫不稳定户' WHERE id = ?", c.id);
      return c;
    });
    return { bad: [bad.id], ok: [(await mk(b.householdId)).id] };
  },
  async JC24(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    await t.ledger.run('household.update', { id: a.householdId, hhType: '脱贫户', exitedPoverty: 1, exitYear: 2019 });
    const mk = (householdId: number) =>
      t.ledger.run('case.create', {
        householdId,
        category: '边缘易致贫户',
        channel: '基层干部排查',
        clueDate: '2026-11-20',
        risks: [{ riskType: '其他' }],
      });
    return { bad: [(await mk(a.householdId)).id], ok: [(await mk(b.householdId)).id] };
  },
  // ---- posts
  async GW01(t) {
    const a = await t.fam(1);
    const post = await t.post();
    return { bad: [t.placeRaw(post, a.childId, '2026-03-01')], ok: [t.placeRaw(post, a.headId, '2026-03-01')] };
  },
  async GW02(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const old = await t.ledger.run('person.create', {
      householdId: b.householdId,
      idNumber: makeId('1958-01-01', '男', 50),
      name: '老人',
      relation: '之父',
      medResident: true,
    });
    const post = await t.post();
    return { bad: [t.placeRaw(post, old.id, '2022-03-01')], ok: [t.placeRaw(post, a.headId, '2022-03-01')] };
  },
  async GW03(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const [p1, p2] = [await t.post(), await t.post(3)];
    const first = t.placeRaw(p1, a.headId, '2026-01-01', '2026-12-31', '2026-12-31');
    const second = t.placeRaw(p2, a.headId, '2026-06-01');
    return { bad: [first, second], ok: [t.placeRaw(p1, b.headId, '2026-01-01')] };
  },
  async GW04(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const post = await t.post();
    const bad = [t.placeRaw(post, a.headId, '2026-01-01'), t.placeRaw(post, a.spouseId, '2026-02-01')];
    return { bad, ok: [t.placeRaw(post, b.headId, '2026-01-01')] };
  },
  async GW05(t) {
    const [a, b, c] = [await t.fam(1), await t.fam(2), await t.fam(3)];
    const [small, big] = [await t.post(1), await t.post(2)];
    t.placeRaw(small, a.headId, '2026-01-01');
    const over = t.placeRaw(small, b.headId, '2026-02-01');
    return { bad: [over], ok: [t.placeRaw(big, c.headId, '2026-01-01')] };
  },
  async GW06(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const post = await t.post();
    const [pa, pb] = [t.placeRaw(post, a.headId, '2026-01-01'), t.placeRaw(post, b.headId, '2026-01-01')];
    return { bad: [t.attendanceRaw(pa, '2026-11', 31, 60_000)], ok: [t.attendanceRaw(pb, '2026-11', 30)] };
  },
  async GW07(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const post = await t.post();
    const [pa, pb] = [t.placeRaw(post, a.headId, '2026-01-01'), t.placeRaw(post, b.headId, '2026-01-01')];
    return { bad: [t.attendanceRaw(pa, '2026-11', 20, 40_001)], ok: [t.attendanceRaw(pb, '2026-11', 20)] };
  },
  async GW08(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const post = await t.post();
    const pa = t.placeRaw(post, a.headId, '2026-01-01', '2026-10-31');
    const pb = t.placeRaw(post, b.headId, '2026-01-01', '2026-12-31');
    return { bad: [t.attendanceRaw(pa, '2026-11', 10)], ok: [t.attendanceRaw(pb, '2026-11', 10)] };
  },
  // ---- relocation
  async BQ01(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const site = await t.site();
    const bad = await t.link(site, a.householdId);
    const ok = await t.link(site, b.householdId);
    await t.ledger.run('employment.add', { personId: b.headId, channel: '县内务工', startMonth: '2026-01' });
    return { bad: [bad], ok: [ok] };
  },
  async BQ02(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const [bad, ok] = [await t.site(3, null), await t.site(1, null)];
    await t.link(bad, a.householdId);
    await t.link(ok, b.householdId);
    return { bad: [bad], ok: [ok] };
  },
  async BQ03(t) {
    const [a, b] = [await t.fam(1), await t.fam(2)];
    const [bad, ok] = [await t.site(null, 5), await t.site(null, 3)];
    await t.link(bad, a.householdId);
    await t.link(ok, b.householdId);
    return { bad: [bad], ok: [ok] };
  },
};

function riskMember(
  code: string,
  risk: string,
  makeOk: (t: T, f: Awaited<ReturnType<typeof familyOf>>) => Promise<void>,
  makeBad: (t: T, f: Awaited<ReturnType<typeof familyOf>>) => Promise<void> = async () => undefined,
) {
  return {
    async [code](t: T): Promise<Case> {
      const [a, b] = [await t.fam(1), await t.fam(2)];
      await makeBad(t, a);
      await makeOk(t, b);
      const mk = (householdId: number) =>
        t.ledger.run('case.create', {
          householdId,
          category: '边缘易致贫户',
          channel: '基层干部排查',
          clueDate: '2026-11-20',
          risks: [{ riskType: risk as never }],
        });
      return { bad: [(await mk(a.householdId)).id], ok: [(await mk(b.householdId)).id] };
    },
  };
}

function riskMeasure(code: string, risk: string, category: string) {
  return {
    async [code](t: T): Promise<Case> {
      const [a, b] = [await t.fam(1), await t.fam(2)];
      const bad = await t.identify(a.householdId, [risk]);
      const ok = await t.identify(b.householdId, [risk]);
      await measure(t, a.householdId, '产业帮扶');
      await measure(t, b.householdId, category);
      return { bad: [bad], ok: [ok] };
    },
  };
}

describe('data-quality rules', () => {
  it('has at least 40 rules, each with a unique code, a severity, an entity and a test below', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(RULES.map((r) => r.code)).size).toBe(RULES.length);
    expect(RULES.map((r) => r.code).filter((c) => !(c in CASES))).toEqual([]);
  });

  for (const rule of RULES) {
    it(`${rule.code} ${rule.title} (${rule.severity})`, async () => {
      const t = await fixture();
      const { bad, ok } = await CASES[rule.code]!(t);
      const result = await t.ledger.run('rules.run', { month: '2026-11', rules: [rule.code] });
      const ids = result.findings.map((f) => f.id);
      expect(ids.sort(), result.findings.map((f) => f.message).join('\n')).toEqual(
        expect.arrayContaining([...bad].sort()),
      );
      for (const id of ok) expect(ids, `near miss ${id} must not be reported`).not.toContain(id);
      for (const f of result.findings) {
        expect(f).toMatchObject({ rule: rule.code, severity: rule.severity, entity: rule.entity });
        expect(f.message).toMatch(/青山村|安置点/);
      }
      await t.ledger.close();
    });
  }
});
