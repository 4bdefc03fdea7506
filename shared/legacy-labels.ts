/**
 * Values that are not national labels but whose meaning is certain: clerks' everyday words (妻子, 儿子, 汉) and
 * labels of the 建档立卡 era (因灾, 缺劳力). An import maps them and lists each mapping as a warning row; a value
 * not listed here is never guessed (national-layouts.md "Value lists seen in national files").
 * Keyed by the field name the import and the forms share.
 */
import { ETHNICITIES } from './catalogs.ts';

const RELATION: Record<string, string> = {
  本人: '户主',
  妻子: '配偶',
  丈夫: '配偶',
  妻: '配偶',
  夫: '配偶',
  儿子: '之子',
  长子: '之子',
  次子: '之子',
  女儿: '之女',
  长女: '之女',
  次女: '之女',
  儿媳: '之儿媳',
  女婿: '之女婿',
  孙子: '之孙子',
  孙女: '之孙女',
  外孙: '之外孙子',
  外孙子: '之外孙子',
  外孙女: '之外孙女',
  父亲: '之父',
  母亲: '之母',
  祖父: '之祖父',
  祖母: '之祖母',
  兄弟: '之兄弟姐妹',
  姐妹: '之兄弟姐妹',
};

/** 汉 → 汉族 and so on for every nationality of the catalog. */
const ETHNICITY: Record<string, string> = Object.fromEntries(
  ETHNICITIES.filter((e) => e.endsWith('族')).map((e) => [e.slice(0, -1), e]),
);

/** 建档立卡-era poverty causes with a certain 致贫/返贫风险 counterpart (缺技术 / 缺资金 have none). */
const RISK: Record<string, string> = {
  因灾: '因自然灾害',
  缺劳力: '缺劳动力',
  因残疾: '因残',
  因病致贫: '因病',
  因学致贫: '因学',
};

const HEALTH: Record<string, string> = {
  大病: '患大病',
  慢性病: '长期慢性病',
  长期慢性病患者: '长期慢性病',
};

const GENDER: Record<string, string> = { 男性: '男', 女性: '女' };

/** 建档立卡 exports state 脱贫属性 instead of 户类型: a household that has exited poverty is a 脱贫户. */
const HOUSEHOLD_TYPE: Record<string, string> = { 已脱贫: '脱贫户', 已脱贫户: '脱贫户' };

export const LEGACY_LABELS: Record<string, Record<string, string>> = {
  relation: RELATION,
  ethnicity: ETHNICITY,
  risk: RISK,
  health: HEALTH,
  gender: GENDER,
  hhType: HOUSEHOLD_TYPE,
};

/** The national label for an old or everyday value of the field, when its meaning is certain. */
export function nationalLabel(field: string, value: string): string | undefined {
  return LEGACY_LABELS[field]?.[value];
}
