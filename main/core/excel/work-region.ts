/**
 * Where a spell of work is, as T11 counts it: 省外, 省内县外, 县内, or 不详. The 就业方式 says it when it is a
 * regional one, or a job that is local by nature; otherwise the place (务工所在县 of the national file, usually a
 * region path such as 广东省深圳市宝安区) is compared with the township's own county and province. A place that names
 * neither (深圳市宝安区) is 不详: the ledger does not guess which province a city is in.
 */

export type WorkRegion = '省外' | '省内县外' | '县内' | '不详';

export interface Home {
  province: string;
  county: string;
}

const BY_CHANNEL: Readonly<Record<string, WorkRegion>> = {
  省外务工: '省外',
  省内县外务工: '省内县外',
  县内务工: '县内',
  // Local by nature: a person working outside the county may not hold them (domain.md §2.4, rule 5_01_003);
  // T10 counts 产业带动 as 县内 too.
  公益性岗位: '县内',
  帮扶车间: '县内',
  以工代赈: '县内',
  产业带动: '县内',
};

/** Province-level names as places are written without their suffix (广东, 广西, 内蒙古…). */
const PROVINCES = [
  '北京', '天津', '河北', '山西', '内蒙古', '辽宁', '吉林', '黑龙江', '上海', '江苏', '浙江', '安徽', '福建', '江西',
  '山东', '河南', '湖北', '湖南', '广东', '广西', '海南', '重庆', '四川', '贵州', '云南', '西藏', '陕西', '甘肃',
  '青海', '宁夏', '新疆', '台湾', '香港', '澳门',
] as const; // prettier-ignore

/** 贵州省 → 贵州, 广西壮族自治区 → 广西, 北京市 → 北京. */
export function provinceShortName(province: string): string {
  return PROVINCES.find((p) => province.startsWith(p)) ?? province.replace(/(省|市|.*自治区|特别行政区)$/, '');
}

export function workRegion(channel: string | null, place: string | null, home: Home | null): WorkRegion {
  const byChannel = channel ? BY_CHANNEL[channel] : undefined;
  if (byChannel) return byChannel;
  const text = (place ?? '').replace(/\s/g, '');
  if (!text) return '不详';
  if (/^(本县|县内|本乡|本镇|乡内|镇内|本村|村内)/.test(text)) return '县内';
  if (text.startsWith('省内县外')) return '省内县外';
  if (text.startsWith('省外')) return '省外';
  if (!home) return '不详';
  if (home.county && text.includes(home.county)) return '县内';
  const own = provinceShortName(home.province);
  if (own && text.includes(own)) return '省内县外';
  if (PROVINCES.some((p) => p !== own && text.includes(p))) return '省外';
  return '不详';
}
