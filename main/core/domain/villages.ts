/** Writes of the township's villages (行政村): the settings page one at a time, the village-list import in bulk. */
import type { Village } from '../../../shared/types.ts';
import { inserter, updater, type Connection } from '../db/query.ts';

export type NewVillage = Pick<Village, 'name' | 'sortOrder'> & { code?: string | null };

export class VillageWrites {
  private readonly now: string;
  private readonly insertVillage;
  private readonly patchVillage;

  constructor(conn: Connection, now: string) {
    this.now = now;
    this.insertVillage = inserter(conn, 'village');
    this.patchVillage = updater(conn, 'village');
  }

  addVillage(v: NewVillage): number {
    return this.insertVillage({ ...v, code: v.code ?? null, createdAt: this.now, updatedAt: this.now });
  }

  updateVillage(id: number, changes: Partial<NewVillage>): void {
    this.patchVillage(id, { ...changes, updatedAt: this.now });
  }
}
