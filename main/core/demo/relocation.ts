/**
 * Relocation sites (易地扶贫搬迁安置点), the households moved there (poor ones first, then others moved along
 * with them) and the employment of their labour. Follow-up support is judged by whether each relocated
 * household has someone in work, so everyone here is employed except a few households planted on purpose.
 */
import { addMonths, ageOn } from '../../../shared/dates.ts';
import {
  DEMO_END,
  DEMO_LAST_MONTH,
  DEMO_NOW as now,
  type DemoContext,
  type DemoVillages,
  type GenHousehold,
  LABOUR_FORCE,
} from './context.ts';

const SITE_COLUMNS = [
  'name',
  'code',
  'village_id',
  'location',
  'method',
  'subtype',
  'batch_year',
  'built_on',
  'reported_households',
  'reported_persons',
  'facilities',
  'workshops',
  'industry_projects',
  'party_org',
  'resident_committee',
  'work_team',
  'created_at',
  'updated_at',
];
const EMPLOYMENT_COLUMNS = [
  'person_id',
  'channel',
  'place',
  'employer',
  'job',
  'start_month',
  'end_month',
  'monthly_income_fen',
  'created_at',
  'updated_at',
];

const SITE_DEFS = [
  ['幸福社区安置点', '城镇(县城/集镇)安置'],
  ['新民安置点', '中心村/移民新村安置'],
  ['园区安置点', '产业园区安置'],
  ['阳光安置点', '城镇(县城/集镇)安置'],
] as const;

export function generateRelocation(ctx: DemoContext, villages: DemoVillages, households: GenHousehold[]): void {
  const siteIds = generateSites(ctx, villages);
  const movers = households
    .filter((h) => h.poor)
    .concat(households.filter((h) => !h.poor))
    .slice(0, ctx.spec.relocated);
  const perSite = new Map<number, { h: number; p: number }>();
  for (const [i, gh] of movers.entries()) {
    const siteId = siteIds[i % siteIds.length]!;
    const members = relocate(ctx, siteId, gh, villages);
    const t = perSite.get(siteId) ?? { h: 0, p: 0 };
    perSite.set(siteId, { h: t.h + 1, p: t.p + members });
    employ(ctx, gh, i);
  }
  // Reported counts as entered by the site (match the linked households)
  for (const [siteId, t] of perSite)
    ctx.raw
      .prepare('UPDATE relocation_site SET reported_households = ?, reported_persons = ? WHERE id = ?')
      .run(t.h, t.p, siteId);
}

function generateSites(ctx: DemoContext, villages: DemoVillages): number[] {
  const { rnd, spec } = ctx;
  const site = ctx.insert('relocation_site', SITE_COLUMNS);
  const siteIds: number[] = [];
  for (let s = 0; s < spec.sites; s++) {
    const [sname, subtype] = SITE_DEFS[s % SITE_DEFS.length]!;
    siteIds.push(
      site(
        spec.sites > SITE_DEFS.length ? `${sname}${Math.floor(s / SITE_DEFS.length) + 1}` : sname,
        `AZD${String(s + 1).padStart(3, '0')}`,
        villages.ids[s % spec.villages]!,
        `${villages.names[s % spec.villages]}`,
        '集中安置',
        subtype,
        rnd.int(2017, 2019),
        `${rnd.int(2017, 2019)}-${String(rnd.int(1, 12)).padStart(2, '0')}-15`,
        null,
        null,
        JSON.stringify(['幼儿园', '小学', '卫生室', '社区综合服务中心', '帮扶车间'].slice(0, rnd.int(2, 5))),
        rnd.int(1, 4),
        rnd.int(0, 3),
        1,
        1,
        '县派驻点工作队',
        now,
        now,
      ),
    );
  }
  return siteIds;
}

/** The household's relocation record; returns how many members moved (those still in the household). */
function relocate(ctx: DemoContext, siteId: number, gh: GenHousehold, villages: DemoVillages): number {
  const { rnd } = ctx;
  const members = gh.persons.filter((p) => !p.leftOn).length;
  const moved = ctx.dateBetween('2019-06-01', '2020-12-31');
  ctx.relocation.linkHousehold({
    siteId,
    householdId: gh.id,
    relocationType: gh.poor ? '建档立卡' : '同步搬迁',
    relocationYear: Number(moved.slice(0, 4)),
    movedInOn: moved,
    originAddress: `${villages.names[gh.villageIdx]}原址`,
    houseAreaM2: Math.max(25, members * 20),
    housingSubsidyFen: members * 2_000_000,
    selfRaisedFen: rnd.int(0, 10) * 100_000,
    propertyCertificate: rnd.chance(0.9) ? 1 : 0,
    oldHouseReclaimed: rnd.chance(0.85) ? 1 : 0,
    reclaimedOn: null,
  });
  ctx.summary.relocatedHouseholds++;
  return members;
}

/**
 * Jobs for the working-age labour of the i-th relocated household: at least one each, some more. A planted
 * few zero-employment households (rule BQ01) get none.
 */
function employ(ctx: DemoContext, gh: GenHousehold, i: number): void {
  const { rnd } = ctx;
  const labourHere = gh.persons.some(
    (p) =>
      !p.leftOn &&
      !p.schoolStatus &&
      LABOUR_FORCE.includes(p.labourCapacity) &&
      ageOn(p.birthDate, DEMO_END) >= 16 &&
      ageOn(p.birthDate, DEMO_END) <= 60,
  );
  const zeroEmployment = labourHere && i % 50 === 7;
  if (zeroEmployment) ctx.plant('BQ01');
  let employedHere = false;
  for (const p of gh.persons) {
    const age = ageOn(p.birthDate, DEMO_END);
    if (p.leftOn || age < 16 || age > 60 || p.schoolStatus || !LABOUR_FORCE.includes(p.labourCapacity)) continue;
    if (zeroEmployment) continue;
    if (!rnd.chance(0.9) && employedHere) continue;
    const extraJob = employedHere;
    employedHere = true;
    addJob(ctx, p.id, extraJob);
  }
}

function addJob(ctx: DemoContext, personId: number, extraJob: boolean): void {
  const { rnd } = ctx;
  const channel = rnd.weighted([
    ['省外务工', 30],
    ['省内县外务工', 15],
    ['县内务工', 20],
    ['公益性岗位', 5],
    ['帮扶车间', 12],
    ['以工代赈', 3],
    ['自主创业', 5],
    ['灵活就业', 10],
  ] as const);
  const start = `${rnd.int(2020, 2026)}-${String(rnd.int(1, 12)).padStart(2, '0')}`;
  const startMonth = start > DEMO_LAST_MONTH ? DEMO_LAST_MONTH : start;
  // Only extra jobs end: the first job of each household runs on, so nobody becomes zero-employment by chance.
  const ended = extraJob && rnd.chance(0.1) ? addMonths(startMonth, rnd.int(2, 18)) : null;
  ctx.insert('employment', EMPLOYMENT_COLUMNS)(
    personId,
    channel,
    channel === '省外务工' ? rnd.pick(['广东省', '浙江省', '福建省']) : '本县',
    null,
    null,
    startMonth,
    ended && ended <= DEMO_LAST_MONTH ? ended : null,
    rnd.int(20, 60) * 10_000,
    now,
    now,
  );
  ctx.summary.employments++;
}
