/**
 * Writes of monitoring cases: the case record, its risks, its stage timeline and the status events every
 * as-of figure is computed from, through statements compiled by Kysely and prepared once. The workflow services
 * call it one step at a time (and audit each); the monitoring import records whole histories for a roster.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import type { IncomeInput, MeasureInput } from '../../../shared/schemas.ts';
import type { CaseEvent, MonitoringCase } from '../../../shared/types.ts';
import { inserter, run, updater, type Connection } from '../db/query.ts';
import type { Loose } from './register.ts';

export type NewCase = Omit<MonitoringCase, 'id' | 'createdAt' | 'updatedAt'>;
export type CaseChanges = Partial<NewCase>;
export type NewMeasure = Loose<z.output<typeof MeasureInput>>;
/** An income snapshot; a component left out is not known (a national file may state only 人均纯收入). */
export type NewIncome = Pick<z.output<typeof IncomeInput>, 'householdId' | 'kind' | 'asOf' | 'members'> &
  Partial<Omit<z.output<typeof IncomeInput>, 'householdId' | 'kind' | 'asOf' | 'members'>>;
export interface RiskItem {
  riskType: string;
  detail?: string | null | undefined;
}
export interface StageRecord {
  round: number;
  stage: string;
  doneOn: string;
  endOn?: string | null;
  actor?: string | null | undefined;
  note?: string | null | undefined;
}

export class CaseWrites {
  private readonly conn: Connection;
  private readonly now: string;
  private readonly insertCase;
  private readonly insertRisk;
  private readonly insertStage;
  private readonly insertEvent;
  private readonly patchCase;
  private readonly insertMeasure;
  private readonly insertIncome;

  constructor(conn: Connection, now: string) {
    this.conn = conn;
    this.now = now;
    this.insertCase = inserter(conn, 'monitoringCase');
    this.insertRisk = inserter(conn, 'caseRisk');
    this.insertStage = inserter(conn, 'caseStage');
    this.insertEvent = inserter(conn, 'caseEvent');
    this.patchCase = updater(conn, 'monitoringCase');
    this.insertMeasure = inserter(conn, 'measure');
    this.insertIncome = inserter(conn, 'incomeSnapshot');
  }

  /** An income snapshot of the household (识别时 / 消除时 / 年度), of its case when given. */
  addIncome(s: NewIncome): number {
    return this.insertIncome({
      householdId: s.householdId,
      caseId: s.caseId ?? null,
      kind: s.kind,
      asOf: s.asOf,
      members: s.members,
      wageFen: s.wageFen ?? null,
      businessFen: s.businessFen ?? null,
      propertyFen: s.propertyFen ?? null,
      transferFen: s.transferFen ?? null,
      businessCostFen: s.businessCostFen ?? null,
      claimsFen: s.claimsFen ?? null,
      compliantOopFen: s.compliantOopFen ?? null,
      reportedPerCapitaFen: s.reportedPerCapitaFen ?? null,
      createdAt: this.now,
      updatedAt: this.now,
    });
  }

  /** A 帮扶措施 of the household (and of its case, when given). */
  addMeasure(m: NewMeasure): number {
    return this.insertMeasure({
      householdId: m.householdId,
      caseId: m.caseId ?? null,
      category: m.category,
      item: m.item ?? null,
      startDate: m.startDate,
      endDate: m.endDate ?? null,
      amountFen: m.amountFen ?? null,
      department: m.department ?? null,
      fundingSource: m.fundingSource ?? null,
      implemented: m.implemented,
      note: m.note ?? null,
      createdAt: this.now,
      updatedAt: this.now,
    });
  }

  addCase(c: NewCase): number {
    return this.insertCase({ ...c, createdAt: this.now, updatedAt: this.now });
  }

  /** Replaces the case's risks, in the order given. */
  setRisks(caseId: number, risks: readonly RiskItem[]): void {
    run(this.conn, sql`DELETE FROM case_risk WHERE case_id = ${caseId}`);
    risks.forEach((r, i) => this.insertRisk({ caseId, seq: i + 1, riskType: r.riskType, detail: r.detail ?? null }));
  }

  addStage(caseId: number, s: StageRecord): void {
    this.insertStage({
      caseId,
      round: s.round,
      stage: s.stage,
      doneOn: s.doneOn,
      endOn: s.endOn ?? null,
      actor: s.actor ?? null,
      note: s.note ?? null,
      createdAt: this.now,
    });
  }

  /** A status event on its effective date: the only source of the month figures (domain/facts.ts). */
  addEvent(caseId: number, kind: CaseEvent['kind'], effectiveDate: string, note: string | null = null): void {
    this.insertEvent({ caseId, kind, effectiveDate, note });
  }

  updateCase(id: number, changes: CaseChanges): void {
    this.patchCase(id, { ...changes, updatedAt: this.now });
  }
}
