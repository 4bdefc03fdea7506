/**
 * The demo township: deterministic, clearly synthetic (prefecture code 5299 does not exist, names are
 * generated, the township is called 示范镇（演示）), every ID with a valid GB 11643 checksum, and every
 * record consistent with the workflow rules the services enforce. Data runs through DEMO_LAST_MONTH.
 * Written with prepared statements in one transaction: the county scale is 400,000 persons.
 *
 * This file only orders the steps; each domain's data is made in its own module (households.ts, cases.ts,
 * posts.ts, relocation.ts, problems.ts) from the one random stream in context.ts. The order of the steps is
 * the order of the draws: reordering them changes the whole demo for every seed.
 */
import type { Connection } from '../db/query.ts';
import { generateCases, generateHelpers } from './cases.ts';
import { DEMO_NOW, DemoContext, type DemoScale, type DemoSummary, REGION } from './context.ts';
import { generateHouseholds, generateVillages } from './households.ts';
import { generatePosts } from './posts.ts';
import { plantProblems } from './problems.ts';
import { generateRelocation } from './relocation.ts';

export { DEMO_LAST_MONTH, type DemoScale, type DemoSummary } from './context.ts';

export function generateDemo(conn: Connection, scale: DemoScale, seed: number): DemoSummary {
  const { raw } = conn;
  const existing = (raw.prepare('SELECT count(*) AS n FROM household').get() as { n: number }).n;
  if (existing > 0) throw new Error('demo data goes into an empty database only');
  const ctx = new DemoContext(conn, scale, seed);

  raw.transaction(() => {
    const setting = ctx.insert('setting', ['key', 'value']);
    for (const [k, v] of Object.entries({
      townshipName: '示范镇（演示）',
      townshipCode: `${REGION}101000`,
      county: '演示县',
      province: '贵州省',
    }))
      setting(k, v);

    const villages = generateVillages(ctx);
    const households = generateHouseholds(ctx, villages);
    const helperIds = generateHelpers(ctx);
    generateCases(ctx, households, helperIds);
    generatePosts(ctx, villages, households);
    generateRelocation(ctx, villages, households);
    plantProblems(ctx, households);
    ctx.insert('audit_log', ['at', 'actor', 'action', 'entity', 'entity_id', 'summary'])(
      DEMO_NOW,
      '演示数据',
      '生成演示数据',
      '数据库',
      null,
      `生成演示数据（${scale === 'township' ? '乡镇' : '县级'}规模，种子 ${seed}）`,
    );
  })();

  return ctx.summary;
}
