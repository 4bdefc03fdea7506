import BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateDemo, DEMO_LAST_MONTH } from '../../main/core/demo/generate.ts';
import { openLedger } from '../../main/core/ledger.ts';
import { integrityProblems } from '../../main/core/db/open.ts';
import { idNumberProblem } from '../../shared/idnumber.ts';
import { IDENTIFICATION_STAGES, ELIMINATION_STAGES } from '../../shared/workflow.ts';
import { tempDbPath, TODAY } from '../helpers.ts';

async function demo(seed: number) {
  const file = tempDbPath();
  const ledger = await openLedger(file, { create: true, today: () => TODAY });
  const summary = generateDemo(ledger.store, 'township', seed);
  return { ledger, file, summary };
}

function fingerprint(file: string): string {
  const raw = new BetterSqlite3(file, { readonly: true });
  const hash = createHash('sha256');
  for (const t of [
    'household',
    'person',
    'monitoring_case',
    'case_stage',
    'measure',
    'placement',
    'attendance',
    'relocated_household',
    'employment',
  ]) {
    for (const row of raw.prepare(`SELECT * FROM ${t} ORDER BY id`).iterate()) hash.update(JSON.stringify(row));
  }
  raw.close();
  return hash.digest('hex');
}

describe('demo township', () => {
  it('has the township scale of the issue and passes the integrity check', async () => {
    const { ledger, summary } = await demo(1);
    expect(summary.villages).toBe(12);
    expect(summary.households).toBe(3000);
    expect(summary.persons).toBeGreaterThan(10_500);
    expect(summary.persons).toBeLessThan(11_500);
    expect(summary.cases).toBeGreaterThanOrEqual(150);
    expect(summary.cases).toBeLessThanOrEqual(250);
    expect(summary.posts).toBeGreaterThanOrEqual(180);
    expect(summary.sites).toBe(3);
    expect(summary.relocatedHouseholds).toBe(400);
    expect(integrityProblems(ledger.store.raw)).toEqual([]);
    const years = ledger.store.raw
      .prepare('SELECT DISTINCT substr(clue_date, 1, 4) AS y FROM monitoring_case ORDER BY y')
      .all() as { y: string }[];
    expect(years.map((r) => r.y)).toEqual(['2021', '2022', '2023', '2024', '2025', '2026']);
    const months = ledger.store.raw.prepare('SELECT count(DISTINCT month) AS n FROM attendance').get() as { n: number };
    expect(months.n).toBe(12);
    await ledger.close();
  });

  it('is deterministic for a seed and different for another', async () => {
    const a = await demo(5);
    const b = await demo(5);
    const c = await demo(6);
    await Promise.all([a.ledger.close(), b.ledger.close(), c.ledger.close()]);
    expect(fingerprint(a.file)).toBe(fingerprint(b.file));
    expect(fingerprint(a.file)).not.toBe(fingerprint(c.file));
  });

  it('holds only checksum-valid, synthetic IDs and workflow-consistent cases', async () => {
    const { ledger } = await demo(2);
    const raw = ledger.store.raw;
    const ids = raw.prepare('SELECT id_number FROM person').pluck().all() as string[];
    expect(ids.every((id) => id.startsWith('5299') && idNumberProblem(id, TODAY) === null)).toBe(true);

    const order = [...IDENTIFICATION_STAGES, ...ELIMINATION_STAGES].map((s) => s.code);
    const cases = raw.prepare('SELECT id FROM monitoring_case').pluck().all() as number[];
    for (const id of cases) {
      const detail = await ledger.run('case.get', { id });
      const stages = detail.stages.filter((s) => order.includes(s.stage));
      // stages appear in workflow order, dates never go backwards
      const idx = stages.map((s) => order.indexOf(s.stage));
      expect(idx.every((v, i) => i === 0 || v > idx[i - 1]! || detail.stages.some((x) => x.stage === 'rollback'))).toBe(
        true,
      );
      const dates = detail.stages.map((s) => s.endOn ?? s.doneOn);
      expect(dates.every((d, i) => i === 0 || d >= detail.stages[i - 1]!.doneOn)).toBe(true);
      expect(dates.every((d) => d <= `${DEMO_LAST_MONTH}-31`)).toBe(true);
      if (detail.case.status === '已消除') {
        expect(detail.measures.length).toBeGreaterThan(0);
        expect(detail.case.eliminatedOn! > detail.case.identifiedOn!).toBe(true);
      }
    }
    await ledger.close();
  });
});
