/**
 * One vocabulary of facts: `stats.month`, the dashboard and the exported T3 summary are computed by different
 * code (aggregates, per-village counts, a row-by-row walk over the report data) from the same facts, so after
 * any edits they must give the same numbers. Random edits, dated around the months compared, through the API.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { generateDemo } from '../../main/core/demo/generate.ts';
import { Random } from '../../main/core/demo/random.ts';
import { openLedger, type Ledger } from '../../main/core/ledger.ts';
import { addDays } from '../../shared/dates.ts';
import { tempDbPath, tempDir, TODAY } from '../helpers.ts';

async function t3Figures(ledger: Ledger, month: string, dir: string) {
  const file = path.join(dir, `${month}.xlsx`);
  await ledger.run('report.exportMonthly', { month, file, reason: '测试：核对口径' });
  const wb = XLSX.read(fs.readFileSync(file));
  const rows = XLSX.utils.sheet_to_json<(string | number | null)[]>(wb.Sheets['T3 统计月报']!, {
    header: 1,
    defval: null,
  });
  const top = rows.findIndex((r) => r[0] === '序号');
  const groups = rows[top]!;
  const subs = rows[top + 1]!;
  const col = (group: string, sub: '户' | '人' = '户') => {
    const g = groups.indexOf(group);
    return subs[g] === sub ? g : g + 1;
  };
  const total = rows.find((r) => r[0] === '合计')!;
  const villages = rows.slice(top + 2).filter((r) => typeof r[0] === 'number');
  return {
    households: total[groups.indexOf('总户数')],
    persons: total[groups.indexOf('总人数')],
    current: total[col('未消除风险')],
    identifiedInMonth: total[col('本月新识别')],
    eliminatedInMonth: total[col('本月消除')],
    currentByVillage: Object.fromEntries(villages.map((r) => [String(r[1]), Number(r[col('未消除风险')])])),
  };
}

/** A random date in [from, to]. */
const between = (rnd: Random, from: string, to: string) => {
  const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  return addDays(from, rnd.int(0, span));
};

async function randomEdits(ledger: Ledger, rnd: Random, n: number): Promise<number> {
  let applied = 0;
  const villages = await ledger.run('village.list', {});
  for (let i = 0; i < n; i++) {
    const kind = rnd.pick(['leave', 'rollback', 'household', 'identify', 'reject'] as const);
    let result: { ok: boolean };
    if (kind === 'leave') {
      const persons = await ledger.run('person.list', { limit: 50, offset: rnd.int(0, 2000) });
      const p = rnd.pick(persons.rows.filter((r) => r.relation !== '户主'));
      if (!p) continue;
      result = await ledger.call('person.changeStatus', {
        personId: p.id,
        kind: rnd.pick(['迁出', '死亡'] as const),
        effectiveDate: between(rnd, '2026-09-15', TODAY),
      });
    } else if (kind === 'rollback') {
      const cases = await ledger.run('case.list', { filter: { status: '已消除' }, limit: 50 });
      const c = rnd.pick(cases.rows);
      if (!c) continue;
      result = await ledger.call('case.rollback', {
        caseId: c.id,
        date: between(rnd, '2026-10-01', TODAY),
        reason: '测试：随机回退',
      });
    } else if (kind === 'household') {
      result = await ledger.call('household.create', {
        villageId: rnd.pick(villages).id,
        hhType: '一般农户',
        establishedOn: between(rnd, '2026-09-01', TODAY),
      });
    } else if (kind === 'identify' || kind === 'reject') {
      const households = await ledger.run('household.list', { limit: 50, offset: rnd.int(0, 400) });
      const h = rnd.pick(households.rows.filter((r) => !r.monitoringCategory));
      if (!h) continue;
      const clue = between(rnd, '2026-09-20', '2026-11-05');
      const c = await ledger.call('case.create', {
        householdId: h.id,
        category: rnd.pick(['边缘易致贫户', '突发严重困难户'] as const),
        channel: '农户自主申报',
        clueDate: clue,
        risks: [{ riskType: '因病' }],
      });
      if (!c.ok) continue;
      if (kind === 'reject') {
        result = await ledger.call('case.reject', {
          caseId: c.value.id,
          date: addDays(clue, 2),
          reason: '测试：不符合条件',
        });
      } else {
        const stages = [
          ['verify', 1],
          ['compare', 2],
          ['review', 3],
          ['notice', 4, 11],
          ['town', 12],
          ['county', 13],
        ] as const;
        result = { ok: true };
        for (const [stage, day, end] of stages) {
          const step = await ledger.call('case.advance', {
            caseId: c.value.id,
            stage,
            doneOn: addDays(clue, day),
            ...(end ? { endOn: addDays(clue, end) } : {}),
          });
          if (!step.ok) {
            result = step;
            break;
          }
        }
      }
    } else {
      continue;
    }
    if (result.ok) applied += 1;
  }
  return applied;
}

describe('stats.month, the dashboard and the T3 summary agree', () => {
  it('after random edits, month after month', async () => {
    const ledger = await openLedger(tempDbPath(), { create: true, today: () => TODAY });
    generateDemo(ledger.store, 'township', 3);
    const dir = tempDir();
    const rnd = new Random(20261202);
    let applied = 0;
    for (let round = 0; round < 3; round++) {
      if (round > 0) applied += await randomEdits(ledger, rnd, 25);
      for (const month of ['2026-10', '2026-11']) {
        const stats = await ledger.run('stats.month', { month });
        const byVillage = await ledger.run('stats.byVillage', { month });
        const dashboard = await ledger.run('dashboard.get', { month });
        const t3 = await t3Figures(ledger, month, dir);
        const where = `round ${round}, ${month}`;

        expect(dashboard.stats, where).toEqual(stats);
        expect(dashboard.byVillage, where).toEqual(byVillage);
        expect(t3, where).toEqual({
          households: stats.households,
          persons: stats.persons,
          current: stats.monitoring.current,
          identifiedInMonth: stats.monitoring.identifiedInMonth,
          eliminatedInMonth: stats.monitoring.eliminatedInMonth,
          currentByVillage: Object.fromEntries(byVillage.map((v) => [v.villageName, v.current])),
        });
      }
    }
    // The edits did happen (the comparison is not between two untouched ledgers).
    expect(applied).toBeGreaterThan(20);
    await ledger.close();
  }, 120_000);
});
