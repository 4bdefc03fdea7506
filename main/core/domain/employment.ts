/**
 * Writes of employment records (就业 / 务工: one spell of work of a person, by month) and work plans (计划外出务工),
 * through statements compiled by Kysely and prepared once. `employment.add` / `employment.update` call them one
 * record at a time (and audit each); the 务工 import calls them for a whole file inside one operation.
 */
import type { z } from 'zod';
import type { EmploymentInput, WorkPlanInput } from '../../../shared/schemas.ts';
import type { Employment, WorkPlan } from '../../../shared/types.ts';
import { inserter, updater, type Connection } from '../db/query.ts';
import type { Loose } from './register.ts';

type EmploymentFields = z.output<typeof EmploymentInput>;
/**
 * A spell of work. Its 就业方式 may be unknown: a national 务工 file may leave 就业渠道 blank or name it in words that
 * are not one of the ledger's channels (the import then keeps those words in the note).
 */
export type NewEmployment = Loose<Omit<EmploymentFields, 'channel' | 'pointToPoint'>> & {
  channel: EmploymentFields['channel'] | null;
  pointToPoint?: EmploymentFields['pointToPoint'];
};
export type EmploymentChanges = Partial<Omit<Employment, 'id' | 'personId' | 'createdAt' | 'updatedAt'>>;
export type NewWorkPlan = Loose<z.output<typeof WorkPlanInput>>;
export type WorkPlanChanges = Partial<Pick<WorkPlan, 'planned' | 'serviceNeed'>>;

export class EmploymentWrites {
  private readonly now: string;
  private readonly insertEmployment;
  private readonly patchEmployment;
  private readonly insertPlan;
  private readonly patchPlan;

  constructor(conn: Connection, now: string) {
    this.now = now;
    this.insertEmployment = inserter(conn, 'employment');
    this.patchEmployment = updater(conn, 'employment');
    this.insertPlan = inserter(conn, 'workPlan');
    this.patchPlan = updater(conn, 'workPlan');
  }

  /** A field nobody stated is stored as null (not known), never as a default. */
  addEmployment(e: NewEmployment): number {
    return this.insertEmployment({
      personId: e.personId,
      channel: e.channel,
      place: e.place ?? null,
      employer: e.employer ?? null,
      job: e.job ?? null,
      industry: e.industry ?? null,
      startMonth: e.startMonth,
      endMonth: e.endMonth ?? null,
      monthlyIncomeFen: e.monthlyIncomeFen ?? null,
      pointToPoint: e.pointToPoint ?? null,
      transportSubsidyFen: e.transportSubsidyFen ?? null,
      note: e.note ?? null,
      createdAt: this.now,
      updatedAt: this.now,
    });
  }

  updateEmployment(id: number, changes: EmploymentChanges): void {
    this.patchEmployment(id, { ...changes, updatedAt: this.now });
  }

  addWorkPlan(p: NewWorkPlan): number {
    return this.insertPlan({
      personId: p.personId,
      month: p.month,
      planned: p.planned,
      serviceNeed: p.serviceNeed ?? null,
      createdAt: this.now,
      updatedAt: this.now,
    });
  }

  updateWorkPlan(id: number, changes: WorkPlanChanges): void {
    this.patchPlan(id, { ...changes, updatedAt: this.now });
  }
}
