/**
 * Writes of relocated households (搬迁户): what a link between a household and a site is, through statements
 * compiled by Kysely and prepared once. `relocated.link` / `relocated.update` call it one record at a time (and
 * audit each); the relocation import calls it for a whole roster inside one operation.
 */
import type { z } from 'zod';
import type { RelocatedLink } from '../../../shared/schemas.ts';
import type { RelocatedHousehold } from '../../../shared/types.ts';
import { inserter, updater, type Connection } from '../db/query.ts';
import type { Loose } from './register.ts';

export type NewRelocated = Loose<z.output<typeof RelocatedLink>>;
export type RelocatedChanges = Partial<Omit<RelocatedHousehold, 'id' | 'createdAt' | 'updatedAt'>>;

export class RelocationWrites {
  private readonly now: string;
  private readonly insertRelocated;
  private readonly patchRelocated;

  constructor(conn: Connection, now: string) {
    this.now = now;
    this.insertRelocated = inserter(conn, 'relocatedHousehold');
    this.patchRelocated = updater(conn, 'relocatedHousehold');
  }

  linkHousehold(input: NewRelocated): number {
    return this.insertRelocated({
      siteId: input.siteId,
      householdId: input.householdId,
      relocationType: input.relocationType,
      relocationYear: input.relocationYear ?? null,
      movedInOn: input.movedInOn,
      originAddress: input.originAddress ?? null,
      houseAreaM2: input.houseAreaM2 ?? null,
      housingSubsidyFen: input.housingSubsidyFen ?? null,
      selfRaisedFen: input.selfRaisedFen ?? null,
      propertyCertificate: input.propertyCertificate,
      oldHouseReclaimed: input.oldHouseReclaimed,
      reclaimedOn: input.reclaimedOn ?? null,
      createdAt: this.now,
      updatedAt: this.now,
    });
  }

  updateRelocated(id: number, changes: RelocatedChanges): void {
    this.patchRelocated(id, { ...changes, updatedAt: this.now });
  }
}
