/**
 * A missing record is `not_found` everywhere: every `…OrThrow` lookup helper reaches the caller through the
 * dispatcher as code `not_found`, with a Chinese message naming the record and its id, and the field the id
 * came in (so a form can mark it). Nothing is written.
 */
import { describe, expect, it } from 'vitest';
import type { OpName } from '../../shared/api.ts';
import { auditCount, familyOf, newLedger } from '../helpers.ts';

const MISSING = 999_999;

describe('missing records answer not_found', () => {
  it('through each lookup helper, naming what and which id, with the field at fault', async () => {
    const { ledger, villageId } = await newLedger();
    const fam = await familyOf(ledger, villageId, 1);
    const before = await auditCount(ledger);

    const cases: [helper: string, op: OpName, input: unknown, what: string, field: string][] = [
      ['villageOrThrow', 'group.create', { villageId: MISSING, name: '一组' }, '行政村', 'villageId'],
      ['villageOrThrow', 'village.update', { id: MISSING, name: '改名村' }, '行政村', 'id'],
      ['villageOrThrow', 'household.create', { villageId: MISSING }, '行政村', 'villageId'],
      ['householdOrThrow', 'household.update', { id: MISSING, address: '某地' }, '户', 'id'],
      [
        'householdOrThrow',
        'person.create',
        { householdId: MISSING, idNumber: '52990119900101003X', name: '甲', relation: '户主' },
        '户',
        'householdId',
      ],
      ['personOrThrow', 'person.update', { id: MISSING, name: '乙' }, '人员', 'id'],
      [
        'personOrThrow',
        'person.changeStatus',
        { personId: MISSING, kind: '迁出', effectiveDate: '2026-01-01' },
        '人员',
        'personId',
      ],
      ['caseOrThrow', 'case.setRisks', { caseId: MISSING, risks: [{ riskType: '因病' }] }, '监测对象记录', 'caseId'],
      [
        'caseOrThrow',
        'case.reject',
        { caseId: MISSING, date: '2026-01-01', reason: '不符合条件' },
        '监测对象记录',
        'caseId',
      ],
      ['caseOrThrow', 'case.eliminationCheck', { id: MISSING }, '监测对象记录', 'id'],
      ['postOrThrow', 'post.update', { id: MISSING, name: '护林员' }, '公益性岗位', 'id'],
      [
        'postOrThrow',
        'placement.hire',
        {
          postId: MISSING,
          personId: fam.headId,
          agreementStart: '2026-01-01',
          agreementEnd: '2026-12-31',
          hiredOn: '2026-01-01',
        },
        '公益性岗位',
        'postId',
      ],
      [
        'placementOrThrow',
        'placement.exit',
        { placementId: MISSING, exitOn: '2026-01-01', exitReason: '本人自愿退出' },
        '聘用记录',
        'placementId',
      ],
      [
        'placementOrThrow',
        'attendance.set',
        { placementId: MISSING, month: '2026-01', days: 20 },
        '聘用记录',
        'placementId',
      ],
      ['siteOrThrow', 'site.update', { id: MISSING, name: '新区' }, '安置点', 'id'],
      [
        'siteOrThrow',
        'relocated.link',
        { siteId: MISSING, householdId: fam.householdId, relocationType: '同步搬迁', movedInOn: '2020-01-01' },
        '安置点',
        'siteId',
      ],
      [
        'helper lookup',
        'helper.assign',
        { householdId: fam.householdId, helperId: MISSING, startDate: '2026-01-01' },
        '帮扶责任人',
        'helperId',
      ],
    ];

    for (const [helper, op, input, what, field] of cases) {
      const r = await ledger.call(op, input as never);
      expect(r.ok ? r : r.error, `${helper} via ${op}`).toEqual({
        code: 'not_found',
        message: `找不到${what}（编号 ${MISSING}）`,
        field,
      });
    }
    expect(await auditCount(ledger)).toBe(before);
    await ledger.close();
  });
});
