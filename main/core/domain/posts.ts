/**
 * Writes of posts and placements: what a new post or holding record is (defaults from the township's
 * parameters), through statements compiled by Kysely and prepared once. The post services call it one record at
 * a time (and audit each); the post import calls it for a whole roster inside one operation.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import type { HireInput, PostInput } from '../../../shared/schemas.ts';
import type { Placement } from '../../../shared/types.ts';
import { inserter, run, updater, type Connection } from '../db/query.ts';
import type { Loose } from './register.ts';

export type NewPost = Loose<z.output<typeof PostInput>>;
export type NewPlacement = Loose<Omit<z.output<typeof HireInput>, 'acknowledgeWarnings'>>;
export type PlacementChanges = Partial<Omit<Placement, 'id' | 'createdAt' | 'updatedAt'>>;

export class PostWrites {
  private readonly conn: Connection;
  private readonly now: string;
  private readonly insertPost;
  private readonly insertPlacement;
  private readonly patchPlacement;

  constructor(conn: Connection, now: string) {
    this.conn = conn;
    this.now = now;
    this.insertPost = inserter(conn, 'post');
    this.insertPlacement = inserter(conn, 'placement');
    this.patchPlacement = updater(conn, 'placement');
  }

  /** A new post; without required days it takes the township's default (a parameter). */
  addPost(input: NewPost, defaultRequiredDays: number): number {
    return this.insertPost({
      name: input.name,
      category: input.category,
      department: input.department,
      employer: input.employer ?? null,
      villageId: input.villageId ?? null,
      workForm: input.workForm,
      fundingSource: input.fundingSource ?? null,
      monthlySubsidyFen: input.monthlySubsidyFen,
      requiredDays: input.requiredDays ?? defaultRequiredDays,
      quota: input.quota,
      duties: input.duties ?? null,
      establishedOn: input.establishedOn ?? null,
      abolishedOn: null,
      createdAt: this.now,
      updatedAt: this.now,
    });
  }

  addPlacement(input: NewPlacement): number {
    return this.insertPlacement({
      postId: input.postId,
      personId: input.personId,
      personCategory: input.personCategory ?? null,
      agreementType: input.agreementType,
      agreementStart: input.agreementStart,
      agreementEnd: input.agreementEnd,
      hiredOn: input.hiredOn,
      exitOn: null,
      exitReason: null,
      bankName: input.bankName ?? null,
      bankAccount: input.bankAccount ?? null,
      insurancePolicy: input.insurancePolicy ?? null,
      noticeOn: input.noticeOn ?? null,
      createdAt: this.now,
      updatedAt: this.now,
    });
  }

  updatePlacement(id: number, changes: PlacementChanges): void {
    this.patchPlacement(id, { ...changes, updatedAt: this.now });
  }

  /** Raises the post's quota by one when its holders (not yet exited) already fill it (imported rosters). */
  makeRoomFor(postId: number): void {
    run(
      this.conn,
      sql`UPDATE post SET quota = quota + 1, updated_at = ${this.now} WHERE id = ${postId}
        AND quota < (SELECT count(*) + 1 FROM placement WHERE post_id = ${postId} AND exit_on IS NULL)`,
    );
  }
}
