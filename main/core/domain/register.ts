/**
 * The household register's writes: what a new household or person record is (defaults, what the ID number
 * decides), written through statements compiled by Kysely and prepared once. The household services call it one
 * record at a time (and audit each); imports call it for thousands of rows inside one operation (and audit the
 * import). Both pass values their zod schemas accepted, so both write the same records.
 */
import type { z } from 'zod';
import { RELATION_GENDER } from '../../../shared/catalogs.ts';
import { idNumberInfo } from '../../../shared/idnumber.ts';
import type { HouseholdInput, PersonInput } from '../../../shared/schemas.ts';
import type { Household, Person } from '../../../shared/types.ts';
import { inserter, updater, type Connection } from '../db/query.ts';
import { LedgerError } from '../errors.ts';

/** A schema's output with the keys that may be undefined made optional (zod types them as present). */
export type Loose<T> = { [K in keyof T as undefined extends T[K] ? K : never]?: T[K] } & {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K];
};
/** A field that may be null may also be left out (it is then stored as null: not known). */
type Omissible<T> = Loose<{ [K in keyof T]: null extends T[K] ? T[K] | undefined : T[K] }>;
export type NewHousehold = Omissible<z.output<typeof HouseholdInput>>;
export type NewPerson = Omissible<Omit<z.output<typeof PersonInput>, 'joinKind'>>;
export type HouseholdChanges = Partial<Omit<Household, 'id' | 'createdAt' | 'updatedAt'>>;
export type PersonChanges = Partial<Omit<Person, 'id' | 'createdAt' | 'updatedAt'>>;

/** Gender and birth date come from the ID; a gender given alongside must agree (§2.3 [C1 2_01_004]). */
export function derivePersonal(idNumber: string, gender: '男' | '女' | undefined, relation: string | undefined) {
  const info = idNumberInfo(idNumber);
  if (gender && gender !== info.gender) {
    throw new LedgerError('validation', `「性别」与身份证号不符：身份证号显示为${info.gender}性`, 'gender');
  }
  const implied = relation ? RELATION_GENDER[relation as keyof typeof RELATION_GENDER] : undefined;
  if (implied && implied !== info.gender) {
    throw new LedgerError(
      'validation',
      `「与户主关系」“${relation}”应为${implied}性，但身份证号显示为${info.gender}性`,
      'relation',
    );
  }
  return info;
}

export class Register {
  private readonly insertHousehold;
  private readonly insertPerson;
  private readonly insertPersonEvent;
  private readonly patchHousehold;
  private readonly patchPerson;
  private readonly now: string;

  constructor(conn: Connection, now: string) {
    this.now = now;
    this.insertHousehold = inserter(conn, 'household');
    this.insertPerson = inserter(conn, 'person');
    this.insertPersonEvent = inserter(conn, 'personEvent');
    this.patchHousehold = updater(conn, 'household');
    this.patchPerson = updater(conn, 'person');
  }

  /** A new household, existing from `establishedOn` (null: since before the ledger's records begin). */
  addHousehold(input: NewHousehold, establishedOn: string | null): number {
    return this.insertHousehold({
      hhNo: input.hhNo ?? null,
      villageId: input.villageId,
      groupId: input.groupId ?? null,
      address: input.address ?? null,
      phone: input.phone ?? null,
      hhType: input.hhType,
      exitedPoverty: input.exitedPoverty,
      exitYear: input.exitYear ?? null,
      dibao: input.dibao ?? null,
      tekun: input.tekun ?? null,
      doudi: input.doudi ?? null,
      militaryFamily: input.militaryFamily ?? null,
      establishedOn,
      closedOn: null,
      note: input.note ?? null,
      createdAt: this.now,
      updatedAt: this.now,
    });
  }

  /** A new member; gender and birth date from the ID number. */
  addPerson(input: NewPerson): number {
    const info = derivePersonal(input.idNumber, input.gender, input.relation);
    return this.insertPerson({
      householdId: input.householdId,
      idNumber: input.idNumber,
      name: input.name,
      relation: input.relation,
      gender: info.gender,
      birthDate: info.birthDate,
      ethnicity: input.ethnicity ?? null,
      politics: input.politics ?? null,
      education: input.education ?? null,
      schoolStatus: input.schoolStatus ?? null,
      health: input.health ?? null,
      disabilityCategory: input.disabilityCategory ?? null,
      disabilityGrade: input.disabilityGrade ?? null,
      disabilityCert: input.disabilityCert ?? null,
      labourCapacity: input.labourCapacity ?? null,
      workMonths: input.workMonths ?? null,
      workPlace: input.workPlace ?? null,
      medResident: input.medResident ?? null,
      medEmployee: input.medEmployee ?? null,
      seriousIllnessIns: input.seriousIllnessIns ?? null,
      pensionResident: input.pensionResident ?? null,
      pensionEmployee: input.pensionEmployee ?? null,
      medicalAid: input.medicalAid ?? null,
      dibao: input.dibao ?? null,
      dibaoScope: input.dibaoScope ?? null,
      tekun: input.tekun ?? null,
      tekunScope: input.tekunScope ?? null,
      postMonths: input.postMonths ?? null,
      phone: input.phone ?? null,
      joinedOn: input.joinedOn ?? null,
      leftOn: null,
      leftReason: null,
      createdAt: this.now,
      updatedAt: this.now,
    });
  }

  /** A person's addition to or removal from a household (birth, marriage, 迁出…) on its effective date. */
  recordPersonEvent(personId: number, kind: string, effectiveDate: string, note: string | null = null): void {
    this.insertPersonEvent({ personId, kind, effectiveDate, note, createdAt: this.now });
  }

  updateHousehold(id: number, changes: HouseholdChanges): void {
    this.patchHousehold(id, { ...changes, updatedAt: this.now });
  }

  updatePerson(id: number, changes: PersonChanges): void {
    this.patchPerson(id, { ...changes, updatedAt: this.now });
  }
}
