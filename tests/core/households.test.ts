import { describe, expect, it } from 'vitest';
import { auditCount, familyOf, makeId, newLedger } from '../helpers.ts';

describe('households and members', () => {
  it('creates a household with members, deriving gender and birth date from the ID, with audit entries', async () => {
    const { ledger, villageId } = await newLedger();
    const before = await auditCount(ledger);
    const fam = await familyOf(ledger, villageId, 1);
    const detail = await ledger.run('household.get', { id: fam.householdId });
    expect(detail.household.headName).toBe('户主1');
    expect(detail.household.members).toBe(3);
    expect(detail.household.villageName).toBe('青山村');
    const spouse = detail.members.find((m) => m.id === fam.spouseId)!;
    expect(spouse.gender).toBe('女');
    expect(spouse.birthDate).toBe('1977-06-10');
    expect(spouse.age).toBe(49);
    expect(await auditCount(ledger)).toBe(before + 4);
    const log = await ledger.run('audit.list', { filter: { entity: '人员' } });
    expect(log.rows[0]!.after).toContain('********'); // ID numbers are masked in audit snapshots
    expect(log.rows.every((r) => !r.after!.includes(makeId('1975-03-04', '男', 1)))).toBe(true);
    await ledger.close();
  });

  it('rejects a bad ID with a Chinese message naming the field, and writes nothing', async () => {
    const { ledger, villageId } = await newLedger();
    const h = await ledger.run('household.create', { villageId });
    const count = await auditCount(ledger);
    const good = makeId('1980-01-01', '男');
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const r = await ledger.call('person.create', { householdId: h.id, idNumber: bad, name: '甲', relation: '户主' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('validation');
      expect(r.error.field).toBe('idNumber');
      expect(r.error.message).toBe('「身份证号」校验位不正确（可能有数字录错）');
    }
    expect((await ledger.run('person.list', {})).total).toBe(0);
    expect(await auditCount(ledger)).toBe(count);
    await ledger.close();
  });

  it('cross-checks gender against the ID and against the relation to the head', async () => {
    const { ledger, villageId } = await newLedger();
    const h = await ledger.run('household.create', { villageId });
    const female = makeId('1990-05-05', '女');
    const r1 = await ledger.call('person.create', {
      householdId: h.id,
      idNumber: female,
      name: '乙',
      relation: '户主',
      gender: '男',
    });
    expect(r1.ok ? null : r1.error).toMatchObject({
      field: 'gender',
      message: '「性别」与身份证号不符：身份证号显示为女性',
    });
    const r2 = await ledger.call('person.create', {
      householdId: h.id,
      idNumber: female,
      name: '乙',
      relation: '之子',
    });
    expect(r2.ok ? null : r2.error).toMatchObject({ field: 'relation' });
    await ledger.close();
  });

  it('keeps one head per household and one record per ID number', async () => {
    const { ledger, villageId } = await newLedger();
    const fam = await familyOf(ledger, villageId, 1);
    const r = await ledger.call('person.create', {
      householdId: fam.householdId,
      idNumber: makeId('1960-01-01', '男', 9),
      name: '丙',
      relation: '户主',
    });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'conflict', field: 'relation' });
    const other = await ledger.run('household.create', { villageId });
    const dup = await ledger.call('person.create', {
      householdId: other.id,
      idNumber: makeId('1975-03-04', '男', 1),
      name: '丁',
      relation: '户主',
    });
    expect(dup.ok ? null : dup.error).toMatchObject({
      code: 'conflict',
      field: 'idNumber',
      message: '该身份证号已登记在其他人员名下',
    });
    await ledger.close();
  });

  it('refuses a duplicate 户编号 and a group from another village', async () => {
    const { ledger, villageId } = await newLedger();
    await ledger.run('household.create', { villageId, hhNo: 'X1' });
    const dup = await ledger.call('household.create', { villageId, hhNo: 'X1' });
    expect(dup.ok ? null : dup.error).toMatchObject({ code: 'conflict', field: 'hhNo' });
    const v2 = await ledger.run('village.create', { code: '529901101002', name: '石桥村' });
    const g = await ledger.run('group.create', { villageId: v2.id, name: '一组' });
    const wrong = await ledger.call('household.create', { villageId, groupId: g.id });
    expect(wrong.ok ? null : wrong.error).toMatchObject({ field: 'groupId' });
    const phone = await ledger.call('household.create', { villageId, phone: '12345' });
    expect(phone.ok ? null : phone.error).toMatchObject({ field: 'phone' });
    await ledger.close();
  });

  it('records a member leaving with its effective date; the member stays in history', async () => {
    const { ledger, villageId } = await newLedger();
    const fam = await familyOf(ledger, villageId, 1);
    await ledger.run('person.changeStatus', { personId: fam.spouseId, kind: '迁出', effectiveDate: '2026-05-10' });
    const detail = await ledger.run('household.get', { id: fam.householdId });
    expect(detail.household.members).toBe(2);
    expect(detail.members.find((m) => m.id === fam.spouseId)!.leftOn).toBe('2026-05-10');
    expect(detail.personEvents.map((e) => e.kind)).toEqual(['迁出']);
    const again = await ledger.call('person.changeStatus', {
      personId: fam.spouseId,
      kind: '死亡',
      effectiveDate: '2026-06-10',
    });
    expect(again.ok ? null : again.error).toMatchObject({ code: 'workflow' });
    const future = await ledger.call('person.changeStatus', {
      personId: fam.childId,
      kind: '迁出',
      effectiveDate: '2027-01-01',
    });
    expect(future.ok ? null : future.error).toMatchObject({ field: 'effectiveDate' });
    await ledger.close();
  });

  it('lists with filters, quick search in Chinese, sorting and paging', async () => {
    const { ledger, villageId } = await newLedger();
    for (let i = 1; i <= 5; i++) await familyOf(ledger, villageId, i);
    const page1 = await ledger.run('person.list', { sort: [{ field: 'name', dir: 'desc' }], limit: 4 });
    expect(page1.total).toBe(15);
    expect(page1.rows).toHaveLength(4);
    const found = await ledger.run('person.list', { quick: '配偶3' });
    expect(found.rows.map((r) => r.name)).toEqual(['配偶3']);
    const heads = await ledger.run('household.list', { quick: '户主2' });
    expect(heads.rows.map((r) => r.hhNo)).toEqual(['H2']);
    const bad = await ledger.call('person.list', { sort: [{ field: 'drop table' as never, dir: 'asc' }] });
    expect(bad.ok).toBe(false);
    await ledger.close();
  });

  it('answers an unknown operation and a malformed input with typed errors, not exceptions', async () => {
    const { ledger } = await newLedger();
    const r = await ledger.call('no.such' as never, {} as never);
    expect(r).toMatchObject({ ok: false, error: { code: 'validation' } });
    const r2 = await ledger.call('household.create', { villageId: 'x' } as never);
    expect(r2.ok ? null : r2.error.message).toMatch(/^「行政村」/);
    await ledger.close();
  });
});
