/**
 * The mistakes townships typically make, planted in households that nothing else touches (no case, not
 * relocated, no post) so that each shows up under exactly one rule: the 数据校验 page is never empty, and
 * `check --rules` must find exactly these (the summary's `planted` counts them; resources/README.md lists
 * them). Runs last, on the finished demo, and draws nothing from the random stream.
 */
import { ageOn } from '../../../shared/dates.ts';
import { DEMO_END, DEMO_LAST_MONTH, type DemoContext, type GenHousehold, type GenPerson } from './context.ts';

type QuietPerson = GenPerson & { household: GenHousehold };

/** Picks people spread evenly over a list, at most one per household over all the picks. */
class Picker {
  private readonly used = new Set<number>();
  private readonly scale: (n: number) => number;

  constructor(scale: (n: number) => number) {
    this.scale = scale;
  }

  take(list: QuietPerson[], n: number): number[] {
    const picked = every(
      list.filter((p) => !this.used.has(p.household.id)),
      this.scale(n),
    );
    for (const p of picked) this.used.add(p.household.id);
    return picked.map((p) => p.id);
  }
}

export function plantProblems(ctx: DemoContext, households: GenHousehold[]): void {
  const people = quietPeople(ctx, households);
  const picker = new Picker((n) => (ctx.scale === 'county' ? n * 10 : n));
  plantPersonProblems(ctx, people, picker);
  plantPostAndSiteProblems(ctx);
}

/** Present members of the households without a case, a relocation or a post. */
function quietPeople(ctx: DemoContext, households: GenHousehold[]): QuietPerson[] {
  const busy = new Set<number>([
    ...(
      ctx.raw
        .prepare(
          'SELECT household_id AS h FROM monitoring_case UNION SELECT household_id FROM relocated_household UNION SELECT pe.household_id FROM placement pl JOIN person pe ON pe.id = pl.person_id',
        )
        .all() as { h: number }[]
    ).map((r) => r.h),
  ]);
  const quiet = households.filter((h) => !busy.has(h.id));
  return quiet.flatMap((h) => h.persons.filter((p) => !p.leftOn).map((p) => ({ ...p, household: h })));
}

function plantPersonProblems(ctx: DemoContext, people: QuietPerson[], picker: Picker): void {
  const { raw } = ctx;
  ctx.plant(
    'RY12',
    run(ctx, 'UPDATE person SET med_resident = 0, med_employee = 0 WHERE id = ?', picker.take(people, 6)),
  );
  const householdHeads = people.filter((p) => p.relation === '户主');
  const hasPhone = (id: number) =>
    (raw.prepare('SELECT phone FROM person WHERE id = ?').get(id) as { phone: string | null }).phone !== null;
  ctx.plant(
    'RY15',
    run(
      ctx,
      'UPDATE person SET phone = substr(phone, 1, 10) WHERE id = ?',
      picker.take(householdHeads, 3).filter(hasPhone),
    ),
  );
  ctx.plant(
    'RY04',
    run(
      ctx,
      "UPDATE person SET relation = '之子' WHERE id = ?",
      picker.take(
        people.filter((p) => p.relation === '之女'),
        2,
      ),
    ),
  );
  const healthyAdult = people.filter(
    (p) =>
      p.health === '健康' &&
      !p.schoolStatus &&
      p.labourCapacity === '普通劳动力' &&
      ageOn(p.birthDate, DEMO_END) >= 25 &&
      ageOn(p.birthDate, DEMO_END) <= 50,
  );
  ctx.plant(
    'RY08',
    run(
      ctx,
      "UPDATE person SET labour_capacity = '无劳动力', work_months = 0, work_place = NULL WHERE id = ?",
      picker.take(healthyAdult, 4),
    ),
  );
  const heads = picker.take(
    people.filter((p) => p.relation === '户主' && p.household.persons.filter((x) => !x.leftOn).length >= 2),
    1,
  );
  ctx.plant('NH01', run(ctx, "UPDATE person SET relation = '其他' WHERE id = ?", heads));
}

/** One attendance row paid more than its days earn (GW07); one site reporting more households than it has (BQ02). */
function plantPostAndSiteProblems(ctx: DemoContext): void {
  const { raw } = ctx;
  const att = raw
    .prepare('SELECT id FROM attendance WHERE month = ? AND days > 0 ORDER BY id LIMIT 1')
    .get(DEMO_LAST_MONTH) as { id: number } | undefined;
  if (att) ctx.plant('GW07', run(ctx, 'UPDATE attendance SET subsidy_fen = subsidy_fen + 5000 WHERE id = ?', [att.id]));
  const site = raw.prepare('SELECT max(id) AS id FROM relocation_site').get() as { id: number | null };
  if (site.id)
    ctx.plant(
      'BQ02',
      run(ctx, 'UPDATE relocation_site SET reported_households = reported_households + 2 WHERE id = ?', [site.id]),
    );
}

/** Runs an update once per id; returns how many ids there were (the count planted). */
function run(ctx: DemoContext, sqlText: string, ids: number[]): number {
  const stmt = ctx.raw.prepare(sqlText);
  for (const id of ids) stmt.run(id);
  return ids.length;
}

/** n items spread evenly over the list (all of it if it is shorter). */
function every<T>(list: T[], n: number): T[] {
  return Array.from({ length: Math.min(n, list.length) }, (_, k) => list[Math.floor((k * list.length) / n)]!);
}
