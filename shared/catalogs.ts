/**
 * Value lists (enumerations) stored as the national-system label text — domain.md §2, architecture.md
 * "Enumerations store the national-system label text". Each list is a readonly tuple so zod and TypeScript
 * can both use it.
 */

/** 监测对象类别 — §1.1, §2.2 */
export const MONITORING_CATEGORIES = ['脱贫不稳定户', '边缘易致贫户', '突发严重困难户'] as const;
export type MonitoringCategory = (typeof MONITORING_CATEGORIES)[number];

/** 户类型 — §2.2 (code table 100A03) */
export const HOUSEHOLD_TYPES = ['一般农户', '脱贫户', '脱贫不享受政策户'] as const;

/** 发现渠道 — §1.1, §2.7 */
export const DISCOVERY_CHANNELS = ['农户自主申报', '基层干部排查', '部门筛查预警'] as const;

/** 致贫/返贫风险 — §2.5 (national labels first, then the older coded list, then 其他) */
export const RISK_TYPES = [
  '因病',
  '因残',
  '因学',
  '因安全住房',
  '因安全饮水',
  '缺劳动力',
  '因务工就业不稳',
  '因自然灾害',
  '因意外事故',
  '因产业项目失败',
  '其他',
] as const;
export type RiskType = (typeof RISK_TYPES)[number];
export const MAX_RISKS_PER_CASE = 5;

/** 因自然灾害子项 — §2.5 ([C8] 0201–0299) */
export const DISASTER_SUBTYPES = ['洪涝灾害', '地质灾害', '旱灾', '生物灾害', '气象灾害', '地震', '其他'] as const;

/** 帮扶措施 — the 14 national categories of §2.6 with their code tables */
export const MEASURE_CATEGORIES = [
  '产业帮扶',
  '就业帮扶',
  '金融帮扶',
  '公益岗位帮扶',
  '健康帮扶',
  '义务教育保障',
  '其他教育帮扶',
  '综合保障',
  '住房安全保障',
  '饮水安全保障',
  '社会帮扶',
  '搬迁',
  '生产生活条件改善',
  '基础设施建设',
] as const;
export type MeasureCategory = (typeof MEASURE_CATEGORIES)[number];
export const MEASURE_CODE_TABLES: Record<MeasureCategory, string> = {
  产业帮扶: '100A39',
  就业帮扶: '100A40',
  金融帮扶: '100A41',
  公益岗位帮扶: '100A42',
  健康帮扶: '100A45',
  义务教育保障: '100A46',
  其他教育帮扶: '100A47',
  综合保障: '100A48',
  住房安全保障: '100A50',
  饮水安全保障: '100A51',
  社会帮扶: '100A52',
  搬迁: '100A53',
  生产生活条件改善: '100A54',
  基础设施建设: '100A55',
};
/** 开发式帮扶 (development-type) vs 保障性 measures — §1.1 */
export const DEVELOPMENT_MEASURES: readonly MeasureCategory[] = ['产业帮扶', '就业帮扶', '金融帮扶', '公益岗位帮扶'];

/** 与户主关系 — §2.3 (national text form) */
export const RELATIONS = [
  '户主',
  '配偶',
  '之子',
  '之女',
  '之儿媳',
  '之女婿',
  '之孙子',
  '之孙女',
  '之外孙子',
  '之外孙女',
  '之曾孙子',
  '之曾孙女',
  '之父',
  '之母',
  '之公公',
  '之婆婆',
  '之岳父',
  '之岳母',
  '之祖父',
  '之祖母',
  '之外祖父',
  '之外祖母',
  '之兄弟姐妹',
  '之兄弟媳妇',
  '之侄儿',
  '之侄女',
  '之叔伯',
  '其他',
] as const;
/** Relations that imply a gender (§2.3 "之子 ⇒ male"). */
export const RELATION_GENDER: Partial<Record<(typeof RELATIONS)[number], '男' | '女'>> = {
  之子: '男',
  之女: '女',
  之儿媳: '女',
  之女婿: '男',
  之孙子: '男',
  之孙女: '女',
  之外孙子: '男',
  之外孙女: '女',
  之曾孙子: '男',
  之曾孙女: '女',
  之父: '男',
  之母: '女',
  之公公: '男',
  之婆婆: '女',
  之岳父: '男',
  之岳母: '女',
  之祖父: '男',
  之祖母: '女',
  之外祖父: '男',
  之外祖母: '女',
  之兄弟媳妇: '女',
  之侄儿: '男',
  之侄女: '女',
  之叔伯: '男',
};

/** 民族 — the 56 groups (GB 3304 order) */
export const ETHNICITIES = [
  '汉族',
  '蒙古族',
  '回族',
  '藏族',
  '维吾尔族',
  '苗族',
  '彝族',
  '壮族',
  '布依族',
  '朝鲜族',
  '满族',
  '侗族',
  '瑶族',
  '白族',
  '土家族',
  '哈尼族',
  '哈萨克族',
  '傣族',
  '黎族',
  '傈僳族',
  '佤族',
  '畲族',
  '高山族',
  '拉祜族',
  '水族',
  '东乡族',
  '纳西族',
  '景颇族',
  '柯尔克孜族',
  '土族',
  '达斡尔族',
  '仫佬族',
  '羌族',
  '布朗族',
  '撒拉族',
  '毛南族',
  '仡佬族',
  '锡伯族',
  '阿昌族',
  '普米族',
  '塔吉克族',
  '怒族',
  '乌孜别克族',
  '俄罗斯族',
  '鄂温克族',
  '德昂族',
  '保安族',
  '裕固族',
  '京族',
  '塔塔尔族',
  '独龙族',
  '鄂伦春族',
  '赫哲族',
  '门巴族',
  '珞巴族',
  '基诺族',
] as const;

/** 政治面貌 — §2.3 */
export const POLITICAL_STATUSES = [
  '群众',
  '中共党员',
  '中共预备党员',
  '共青团员',
  '民革党员',
  '民盟盟员',
  '民建会员',
  '民进会员',
  '农工党党员',
  '致公党党员',
  '九三学社社员',
  '台盟盟员',
  '无党派民主人士',
] as const;

/** 文化程度 — §2.3 */
export const EDUCATION_LEVELS = [
  '文盲或半文盲',
  '学龄前儿童',
  '小学',
  '初中',
  '高中',
  '中专/中职',
  '高职高专',
  '技师',
  '大专',
  '本科及以上',
] as const;

/** 在校生状况 — §2.3 (blank = not in school), with the labels national exports also carry (学龄前儿童, bare 小学…). */
export const SCHOOL_STATUSES = [
  '学前教育',
  '学龄前儿童',
  '小学',
  '小学一年级',
  '小学二年级',
  '小学三年级',
  '小学四年级',
  '小学五年级',
  '小学六年级',
  '七年级',
  '八年级',
  '九年级',
  '普通高中一年级',
  '普通高中二年级',
  '普通高中三年级',
  '中职一年级',
  '中职二年级',
  '中职三年级',
  '技师学院一年级',
  '技师学院二年级',
  '技师学院三年级',
  '技师学院四年级',
  '高职高专一年级',
  '高职高专二年级',
  '高职高专三年级',
  '本科',
  '本科一年级',
  '本科二年级',
  '本科三年级',
  '本科四年级',
  '本科五年级',
  '硕士生及以上',
  '硕士研究生及以上',
] as const;

/** 健康状况 — §2.3 */
export const HEALTH_STATUSES = ['健康', '长期慢性病', '患大病', '残疾'] as const;
export const DISABILITY_CATEGORIES = ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'] as const;
export const DISABILITY_GRADES = ['一级', '二级', '三级', '四级'] as const;

/** 劳动技能 — §2.3 */
export const LABOUR_CAPACITIES = ['普通劳动力', '技能劳动力', '弱劳动力或半劳动力', '丧失劳动力', '无劳动力'] as const;
/** Capacities that count as labour force for employment figures (§2.9). */
export const LABOUR_FORCE_CAPACITIES: readonly string[] = ['普通劳动力', '技能劳动力', '弱劳动力或半劳动力'];
export const NO_LABOUR_CAPACITIES: readonly string[] = ['丧失劳动力', '无劳动力'];

/** Person membership changes (人员状态 with an effective date) — §2.3 */
export const PERSON_JOIN_KINDS = ['出生', '迁入', '婚入', '其他增加'] as const;
export const PERSON_LEAVE_KINDS = ['死亡', '迁出', '婚出', '其他减少'] as const;

/** Public-welfare posts — §2.8 */
export const POST_CATEGORIES = ['普通岗位', '技术技能岗位', '专项岗位'] as const;
export const POST_DEPARTMENTS = ['人社部门', '农业农村部门'] as const;
export const WORK_FORMS = ['全日制', '非全日制'] as const;
export const POST_FUNDING_SOURCES = [
  '衔接推进乡村振兴补助资金',
  '就业补助资金',
  '光伏扶贫收益',
  '县级财政',
  '其他',
] as const;
export const POST_PERSON_CATEGORIES = [
  '脱贫劳动力',
  '监测对象劳动力',
  '易地搬迁劳动力',
  '农村低收入劳动力',
  '零就业家庭劳动力',
  '持证残疾劳动力',
  '乡村大龄劳动力',
  '其他',
] as const;
export const AGREEMENT_TYPES = ['劳务协议', '劳动合同'] as const;
/** 退岗原因 — §3.5 */
export const EXIT_REASONS = [
  '本人自愿退出',
  '不履行岗位职责或不服从管理',
  '身体原因无法继续',
  '顶岗替岗或岗在人不在',
  '已实现稳定就业（含长期外出务工）',
  '同时在两个岗位',
  '升学、参军或户籍迁出',
  '违法犯罪',
  '不再需要岗位',
  '其他不适宜情形',
  '协议期满',
] as const;

/** Relocation — §2.9 */
export const RELOCATION_METHODS = ['集中安置', '分散安置'] as const;
export const RELOCATION_SUBTYPES = [
  '城镇(县城/集镇)安置',
  '中心村/移民新村安置',
  '产业园区安置',
  '乡村旅游区安置',
] as const;
export const RELOCATION_TYPES = ['建档立卡', '同步搬迁'] as const;
export const SITE_FACILITIES = [
  '幼儿园',
  '小学',
  '初中',
  '卫生室',
  '社区综合服务中心',
  '帮扶车间',
  '产业园区',
  '集贸市场',
  '养老设施',
] as const;
/** Whether 低保 / 特困供养 is the rural or the urban scheme (享受低保政策情况: 农村低保 / 城市低保). */
export const RELIEF_SCOPES = ['农村', '城市'] as const;

/** 就业方式 of relocated labour — T10 columns */
export const EMPLOYMENT_CHANNELS = [
  '省外务工',
  '省内县外务工',
  '县内务工',
  '公益性岗位',
  '帮扶车间',
  '以工代赈',
  '自主创业',
  '灵活就业',
  '产业带动',
] as const;

/** Monitoring: stage lists — §3.1 and §3.3 */
export const ELIMINATION_METHODS = ['帮扶消除', '自然消除'] as const;
export const INCOME_SNAPSHOT_KINDS = ['识别时', '消除时', '年度'] as const;
export const VISIT_METHODS = ['入户', '电话', '微信'] as const;
