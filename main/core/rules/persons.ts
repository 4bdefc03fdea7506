/** Person rules (人员): ID number, gender, relation, age against education, school and labour, insurance, phone. */
import { isPhoneNumber } from '../../../shared/schemas.ts';
import { EDUCATION_LEVELS, RELATION_GENDER } from '../../../shared/catalogs.ts';
import { ID_PROBLEM_TEXT, idNumberProblem } from '../../../shared/idnumber.ts';
import { sql } from 'kysely';
import { ageAt, householdOpenNow, personInRegisterNow } from '../domain/facts.ts';
import { PERSON_COLS, PERSONS, sqlRule, type Rule, type RuleContext } from './engine.ts';

const who = (r: Record<string, string | number | null>) => `${r.vname} ${r.name}`;
const genderPairs = sql.join(
  Object.entries(RELATION_GENDER).map(([rel, g]) => sql`(p.relation = ${rel} AND p.gender <> ${g})`),
  sql` OR `,
);
const age = (ctx: RuleContext) => ageAt(sql.ref('p.birth_date'), ctx.asOf);

export const personRules: Rule[] = [
  sqlRule({
    code: 'RY01',
    severity: '错误',
    entity: '人员',
    title: '身份证号不合规',
    field: 'idNumber',
    query: () => sql`SELECT ${PERSON_COLS}, p.id_number AS idn ${PERSONS()}`,
    keep: (r, ctx) => idNumberProblem(String(r.idn), ctx.asOf) !== null,
    message: (r, ctx) => `${who(r)}：「身份证号」${ID_PROBLEM_TEXT[idNumberProblem(String(r.idn), ctx.asOf)!]}`,
  }),
  sqlRule({
    code: 'RY02',
    severity: '错误',
    entity: '人员',
    title: '出生日期与身份证号不一致',
    field: 'birthDate',
    query: () => sql`SELECT ${PERSON_COLS}, p.birth_date AS birth, substr(p.id_number, 7, 8) AS fromId ${PERSONS()}
      AND length(p.id_number) = 18 AND replace(p.birth_date, '-', '') <> substr(p.id_number, 7, 8)`,
    message: (r) => `${who(r)}：「出生日期」${r.birth} 与身份证号中的 ${r.fromId} 不一致`,
  }),
  sqlRule({
    code: 'RY03',
    severity: '错误',
    entity: '人员',
    title: '性别与身份证号不一致',
    field: 'gender',
    query: () => sql`SELECT ${PERSON_COLS}, p.gender ${PERSONS()} AND length(p.id_number) = 18
      AND p.gender <> (CASE WHEN CAST(substr(p.id_number, 17, 1) AS INTEGER) % 2 = 1 THEN '男' ELSE '女' END)`,
    message: (r) => `${who(r)}：「性别」为${r.gender}，与身份证号第17位不符`,
  }),
  sqlRule({
    code: 'RY04',
    severity: '错误',
    entity: '人员',
    title: '性别与户主关系不一致',
    field: 'relation',
    query: () => sql`SELECT ${PERSON_COLS}, p.gender, p.relation ${PERSONS()} AND (${genderPairs})`,
    message: (r) => `${who(r)}：「与户主关系」为${r.relation}，但性别为${r.gender}`,
  }),
  sqlRule({
    code: 'RY05',
    severity: '提示',
    entity: '人员',
    title: '16–22岁文化程度为小学及以下',
    field: 'education',
    query: (ctx) => sql`SELECT ${PERSON_COLS}, p.education, ${age(ctx)} AS age ${PERSONS()}
      AND p.education IN (${sql.join(EDUCATION_LEVELS.slice(0, 3))}) AND ${age(ctx)} BETWEEN 16 AND 22`,
    message: (r) => `${who(r)}：${r.age}岁，「文化程度」为${r.education}，请核实`,
  }),
  sqlRule({
    code: 'RY06',
    severity: '提示',
    entity: '人员',
    title: '在校生状况与年龄不符',
    field: 'schoolStatus',
    query: (
      ctx,
    ) => sql`SELECT ${PERSON_COLS}, p.school_status AS school, ${age(ctx)} AS age ${PERSONS()} AND p.school_status IS NOT NULL AND (
        (p.school_status LIKE '小学%' AND ${age(ctx)} NOT BETWEEN 5 AND 15)
        OR (p.school_status IN ('七年级', '八年级', '九年级') AND ${age(ctx)} NOT BETWEEN 11 AND 18)
        OR ((p.school_status LIKE '普通高中%' OR p.school_status LIKE '中职%' OR p.school_status LIKE '技师学院%')
          AND ${age(ctx)} NOT BETWEEN 14 AND 21)
        OR (p.school_status IN ('硕士生及以上', '硕士研究生及以上') AND ${age(ctx)} < 20)
        OR (p.school_status IN ('学前教育', '学龄前儿童') AND ${age(ctx)} > 7))`,
    message: (r) => `${who(r)}：${r.age}岁，「在校生状况」为${r.school}，与年龄不符`,
  }),
  sqlRule({
    code: 'RY07',
    severity: '错误',
    entity: '人员',
    title: '未达劳动年龄登记为劳动力',
    field: 'labourCapacity',
    query: (ctx) => sql`SELECT ${PERSON_COLS}, p.labour_capacity AS labour, ${age(ctx)} AS age ${PERSONS()}
      AND p.labour_capacity IN ('普通劳动力', '技能劳动力', '弱劳动力或半劳动力') AND ${age(ctx)} < ${ctx.params.labourAgeMin}`,
    message: (r, ctx) =>
      `${who(r)}：${r.age}岁，「劳动技能」为${r.labour}，未满${ctx.params.labourAgeMin}周岁应为无劳动力`,
  }),
  sqlRule({
    code: 'RY08',
    severity: '提示',
    entity: '人员',
    title: '健康的劳动年龄非在校人员登记为弱或无劳动力',
    field: 'labourCapacity',
    query: (ctx) => sql`SELECT ${PERSON_COLS}, p.labour_capacity AS labour, ${age(ctx)} AS age ${PERSONS()}
      AND p.health = '健康' AND p.school_status IS NULL AND p.labour_capacity IN ('弱劳动力或半劳动力', '丧失劳动力', '无劳动力')
      AND ${age(ctx)} BETWEEN ${ctx.params.labourAgeMin} AND ${ctx.params.labourAgeMax}`,
    message: (r) => `${who(r)}：${r.age}岁、健康、非在校生，「劳动技能」却为${r.labour}`,
  }),
  sqlRule({
    code: 'RY09',
    severity: '提示',
    entity: '人员',
    title: '患大病或重度残疾登记为普通或技能劳动力',
    field: 'labourCapacity',
    query:
      () => sql`SELECT ${PERSON_COLS}, p.labour_capacity AS labour, p.health, p.disability_grade AS grade ${PERSONS()}
      AND p.labour_capacity IN ('普通劳动力', '技能劳动力') AND (p.health = '患大病' OR p.disability_grade IN ('一级', '二级'))`,
    message: (r) => `${who(r)}：${r.health}${r.grade ? `（${r.grade}）` : ''}，「劳动技能」为${r.labour}，请核实`,
  }),
  sqlRule({
    code: 'RY10',
    severity: '提示',
    entity: '人员',
    title: '在校生登记为普通或技能劳动力',
    field: 'labourCapacity',
    query: () => sql`SELECT ${PERSON_COLS}, p.labour_capacity AS labour, p.school_status AS school ${PERSONS()}
      AND p.school_status IS NOT NULL AND p.labour_capacity IN ('普通劳动力', '技能劳动力')`,
    message: (r) => `${who(r)}：在校（${r.school}），「劳动技能」为${r.labour}`,
  }),
  sqlRule({
    code: 'RY11',
    severity: '错误',
    entity: '人员',
    title: '同时参加两种基本医疗保险',
    field: 'medResident',
    query: () => sql`SELECT ${PERSON_COLS} ${PERSONS()} AND p.med_resident = 1 AND p.med_employee = 1`,
    message: (r) => `${who(r)}：同时登记了城乡居民和职工基本医疗保险，只能参加一种`,
  }),
  sqlRule({
    code: 'RY12',
    severity: '错误',
    entity: '人员',
    title: '未参加基本医疗保险',
    field: 'medResident',
    query: () => sql`SELECT ${PERSON_COLS} ${PERSONS()} AND p.med_resident = 0 AND p.med_employee = 0`,
    message: (r) => `${who(r)}：未登记任何基本医疗保险（城乡居民或职工医保应参加一种）`,
  }),
  sqlRule({
    code: 'RY13',
    severity: '提示',
    entity: '人员',
    title: '残疾信息不完整',
    field: 'disabilityCategory',
    query: () => sql`SELECT ${PERSON_COLS}, p.health, p.disability_category AS cat ${PERSONS()}
      AND ((p.health = '残疾' AND (p.disability_category IS NULL OR p.disability_grade IS NULL))
        OR (p.health <> '残疾' AND p.disability_category IS NOT NULL))`,
    message: (r) =>
      r.health === '残疾'
        ? `${who(r)}：「健康状况」为残疾，但未填残疾类别或等级`
        : `${who(r)}：填了残疾类别（${r.cat}），但「健康状况」为${r.health ?? '空'}`,
  }),
  sqlRule({
    code: 'RY14',
    severity: '提示',
    entity: '人员',
    title: '无劳动能力却有务工月数',
    field: 'workMonths',
    query: () => sql`SELECT ${PERSON_COLS}, p.work_months AS months, p.labour_capacity AS labour ${PERSONS()}
      AND p.work_months > 0 AND p.labour_capacity IN ('丧失劳动力', '无劳动力')`,
    message: (r) => `${who(r)}：「劳动技能」为${r.labour}，却登记务工${r.months}个月`,
  }),
  sqlRule({
    code: 'RY15',
    severity: '错误',
    entity: '人员',
    title: '联系电话格式不正确',
    field: 'phone',
    query: () => sql`SELECT ${PERSON_COLS}, p.phone ${PERSONS()} AND p.phone IS NOT NULL AND p.phone <> ''`,
    keep: (r) => !isPhoneNumber(String(r.phone)),
    message: (r) => `${who(r)}：「联系电话」${r.phone} 不是11位手机号或带区号的座机`,
  }),
  sqlRule({
    code: 'RY16',
    severity: '提示',
    entity: '人员',
    title: '疑似重复登记（不同户中同名同生日同性别）',
    field: 'idNumber',
    query: () =>
      sql`SELECT ${PERSON_COLS}, p.birth_date AS birth, d.households ${PERSONS(
        sql`JOIN (
        SELECT p2.name, p2.birth_date, p2.gender, count(DISTINCT p2.household_id) AS households
        FROM person p2 JOIN household h2 ON h2.id = p2.household_id WHERE ${personInRegisterNow('p2')} AND ${householdOpenNow('h2')}
        GROUP BY p2.name, p2.birth_date, p2.gender HAVING count(DISTINCT p2.household_id) > 1
      ) d ON d.name = p.name AND d.birth_date = p.birth_date AND d.gender = p.gender`,
      )}`,
    message: (r) =>
      `${who(r)}：与另外${Number(r.households) - 1}户中的人员同名、同出生日期（${r.birth}）、同性别，可能重复登记`,
  }),
];
