/**
 * The dialogs' field lists are typed against the contract (renderer/src/fields.ts). The real check is at
 * compile time: `npm run typecheck` type-checks this file (tsconfig.node.json covers tests/**), and every
 * `@ts-expect-error` below must find its error — if field lists stopped being checked against the operations'
 * input types, the directive would be unused and the type check would fail. The tests then check at run time
 * that the lists, converted by `toInput`, give what the core's zod schemas accept.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { OpInput } from '../../shared/api.ts';
import * as S from '../../shared/schemas.ts';
import { isBlank, toInput, type Field, type FormOf } from '../../renderer/src/fields.ts';
import {
  caseCreateFields,
  householdFields,
  personCreateFields,
  statusChangeFields,
  withRisks,
  type CaseForm,
  type HouseholdForm,
  type PersonForm,
} from '../../renderer/src/forms.ts';

type PostForm = FormOf<'post.create'>;

// ---- compile time: what a field list may not say -----------------------------------------------------------

// @ts-expect-error a field name the schema does not have (a renamed field: `hhNo` is the contract's name)
export const renamed: Field<HouseholdForm>[] = [{ key: 'householdNo', label: '户编号' }];

// @ts-expect-error a key the page supplies itself is not a field of the dialog
export const supplied: Field<PersonForm>[] = [{ key: 'householdId', label: '农户', kind: 'household' }];

// @ts-expect-error a number (村) typed as text would be sent as a string
export const textForNumber: Field<HouseholdForm>[] = [{ key: 'villageId', label: '行政村' }];

// @ts-expect-error a money field must be a number kind, not a date
export const dateForMoney: Field<PostForm>[] = [{ key: 'monthlySubsidyFen', label: '月补贴', kind: 'date' }];

// @ts-expect-error a check gives true/false, which a text field does not take
export const checkForText: Field<PostForm>[] = [{ key: 'duties', label: '岗位职责', kind: 'check' }];

// @ts-expect-error a select's options must be values the schema allows
export const badOption: Field<PostForm>[] = [{ key: 'workForm', label: '工作形式', kind: 'select', options: ['兼职'] }];

// @ts-expect-error an enum is picked, not typed
export const typedEnum: Field<PostForm>[] = [{ key: 'category', label: '岗位类别' }];

// @ts-expect-error a select needs its options
export const noOptions: Field<PostForm>[] = [{ key: 'category', label: '岗位类别', kind: 'select' }];

// @ts-expect-error lists are typed per dialog: the household list is not a post list
export const otherForm: Field<PostForm>[] = householdFields([]);

// What is allowed: the contract's keys with kinds whose values the schema takes.
export const allowed: Field<PostForm>[] = [
  { key: 'name', label: '岗位名称', required: true },
  { key: 'category', label: '岗位类别', kind: 'select', options: ['普通岗位', '专项岗位'] },
  { key: 'villageId', label: '所在村', kind: 'select', options: [{ value: 1, label: '一村' }] },
  { key: 'monthlySubsidyFen', label: '月补贴标准（元）', kind: 'money' },
  { key: 'establishedOn', label: '设岗日期', kind: 'date' },
];

describe('typed field lists', () => {
  it('the shared lists are typed by the operation they submit to', () => {
    expectTypeOf(householdFields([])).toEqualTypeOf<Field<FormOf<'household.create'>>[]>();
    expectTypeOf(personCreateFields).toEqualTypeOf<Field<FormOf<'person.create', 'householdId'>>[]>();
    expectTypeOf(statusChangeFields).toEqualTypeOf<Field<FormOf<'person.changeStatus', 'personId'>>[]>();
    expectTypeOf(withRisks).returns.toExtend<Omit<OpInput<'case.create'>, 'householdId'>>();
    expectTypeOf(toInput<PostForm>).returns.toEqualTypeOf<PostForm>();
  });

  it('every field of the shared lists is a field of its schema', () => {
    const keys = (fields: readonly { key: string }[]) => fields.map((f) => f.key);
    expect(keys(householdFields([])).filter((k) => !(k in S.HouseholdInput.shape))).toEqual([]);
    expect(keys(personCreateFields).filter((k) => !(k in S.PersonInput.shape))).toEqual([]);
    expect(keys(statusChangeFields).filter((k) => !(k in S.PersonStatusChange.shape))).toEqual([]);
    // The multi-select of risk types is the one field withRisks turns into the contract's `risks`.
    expect(keys(caseCreateFields).filter((k) => !(k in S.CaseCreate.shape))).toEqual(['riskTypes']);
  });

  it('what a user types, converted by toInput, is what the core accepts', () => {
    const household = toInput(householdFields([{ value: 3, label: '一村' }]), {
      villageId: '3',
      hhNo: ' 5201010010010001 ',
      hhType: '脱贫户',
      phone: '',
      exitedPoverty: true,
      exitYear: '２０２０',
      dibao: '0',
      tekun: '1',
      establishedOn: '2020年3月5日',
    });
    expect(household).toEqual({
      villageId: 3,
      hhNo: '5201010010010001',
      hhType: '脱贫户',
      exitedPoverty: true,
      exitYear: 2020,
      dibao: false,
      tekun: true,
      // 是 / 否 / 未知 left on 未知: not known, never "no".
      doudi: null,
      militaryFamily: null,
      establishedOn: '2020-03-05',
    });
    expect(S.HouseholdInput.parse(household)).toMatchObject({
      villageId: 3,
      exitedPoverty: 1,
      dibao: 0,
      tekun: 1,
      doudi: null,
    });

    const form: CaseForm = toInput(caseCreateFields, {
      category: '边缘易致贫户',
      channel: '农户自主申报',
      clueDate: '2026/10/8',
      riskTypes: ['因病'],
    });
    expect(S.CaseCreate.parse({ ...withRisks(form), householdId: 1 })).toMatchObject({
      clueDate: '2026-10-08',
      risks: [{ riskType: '因病' }],
    });

    const post: PostForm = toInput(allowed, { name: '保洁员', category: '普通岗位', monthlySubsidyFen: '５００' });
    expect(post).toEqual({ name: '保洁员', category: '普通岗位', monthlySubsidyFen: 50_000 });
  });

  it('a required field counts as filled in when it has text, a number, a check or a picked option', () => {
    expect([undefined, null, '', '  ', []].map(isBlank)).toEqual([true, true, true, true, true]);
    expect(['a', 0, false, ['因病']].map(isBlank)).toEqual([false, false, false, false]);
  });
});

describe('操作日志 text', () => {
  it('lists the changed fields by their Chinese labels, old → new, and a creation by its values', async () => {
    const { auditChanges } = await import('../../renderer/src/audit-text.ts');
    expect(
      auditChanges(
        JSON.stringify({ id: 1, phone: '13800000000', health: null, updatedAt: 'a' }),
        JSON.stringify({ id: 1, phone: '13900000000', health: '长期慢性病', updatedAt: 'b' }),
      ),
    ).toBe('联系电话：13800000000 → 13900000000；健康状况：（空） → 长期慢性病');
    expect(auditChanges(null, JSON.stringify({ name: '王一', medicalAid: 1, note: null }))).toBe(
      '姓名：王一；医疗救助：1',
    );
    expect(auditChanges(null, null)).toBe('');
    expect(auditChanges(null, JSON.stringify({ facilities: ['小学', '卫生室'], risks: [{ riskType: '因病' }] }))).toBe(
      '配套设施：小学、卫生室；风险类型：（风险类型：因病）',
    );
    expect(auditChanges('not json', '{"phone":"1"}')).toBe('联系电话：1');
  });
});
