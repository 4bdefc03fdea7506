/**
 * Parameters as data (architecture.md "Rules and parameters are data, not constants"). Defaults come from
 * domain.md §5; the township can override any of them (stored in the `parameter` table).
 */
import { z } from 'zod';

export const ParametersSchema = z.object({
  /** Clue → county approval, in days — §5.2 [S3][S18]. */
  identificationDays: z.number().int().min(1).max(60),
  /** Minimum village notice for identification — §5.2 [S2][S3]. */
  identificationNoticeDays: z.number().int().min(1).max(30),
  /** Notice for elimination — §5.2 [S9]. */
  eliminationNoticeDays: z.number().int().min(1).max(30),
  /** Minimum months from identification to elimination — §5.2 [S5][S6], open question 2. */
  minMonthsBeforeElimination: z.number().int().min(0).max(36),
  /** Whether too few months blocks elimination (default: only a warning, open question 2). */
  minMonthsBlocksElimination: z.boolean(),
  /** Verification team size for elimination — §5.2 [S9]. */
  eliminationVerifiers: z.number().int().min(1).max(10),
  /** Post age limits — §5.3 [P1][P5][P6][P9]. */
  postMinAge: z.number().int().min(14).max(30),
  postMaxAgeNewHire: z.number().int().min(40).max(80),
  postMaxAgeHolding: z.number().int().min(40).max(80),
  /** 每户一人 — §5.3, open question 9. */
  postOnePerHousehold: z.boolean(),
  /** 规定出勤天数 default — §2.8 [C5]. */
  postDefaultRequiredDays: z.number().int().min(1).max(31),
  /** Agreements ending within this many days appear on the to-do list. */
  agreementEndingDays: z.number().int().min(1).max(120),
  /** Visit intervals (I — §3.2: not found nationally). */
  visitIntervalDaysMonitored: z.number().int().min(1).max(366),
  visitIntervalDaysEliminated: z.number().int().min(1).max(366),
  /** Per-capita income above which an identification is flagged — §5.1 [C1 1111_18], in fen. */
  incomeSanityMaxFen: z.number().int().min(0),
  /** Working-age band for labour figures (I). */
  labourAgeMin: z.number().int().min(14).max(30),
  labourAgeMax: z.number().int().min(40).max(80),
  /** Large relocation site — §5.4 [R4][R5][R6]. */
  largeSitePersons: z.number().int().min(1),
  /** Minutes without an operation after which a signed-in session locks (issue 11). */
  sessionIdleMinutes: z.number().int().min(1).max(480),
});
export type Parameters = z.infer<typeof ParametersSchema>;

export const DEFAULT_PARAMETERS: Parameters = {
  identificationDays: 15,
  identificationNoticeDays: 5,
  eliminationNoticeDays: 7,
  minMonthsBeforeElimination: 6,
  minMonthsBlocksElimination: false,
  eliminationVerifiers: 2,
  postMinAge: 16,
  postMaxAgeNewHire: 60,
  postMaxAgeHolding: 65,
  postOnePerHousehold: true,
  postDefaultRequiredDays: 30,
  agreementEndingDays: 30,
  visitIntervalDaysMonitored: 30,
  visitIntervalDaysEliminated: 90,
  incomeSanityMaxFen: 2_000_000,
  labourAgeMin: 16,
  labourAgeMax: 60,
  largeSitePersons: 800,
  sessionIdleMinutes: 30,
};

/**
 * Monitoring income thresholds (元/人/年) shipped as defaults — §5.1. Only sourced figures; a year without
 * its own figure uses the latest earlier year until the township enters the current one.
 */
export const DEFAULT_INCOME_THRESHOLDS: readonly { year: number; amountFen: number; source: string }[] = [
  { year: 2021, amountFen: 600_000, source: '国家扶贫标准1.5倍底线（2021年6000元）[S14]' },
  { year: 2023, amountFen: 730_000, source: '贵州省2023年监测范围7300元 [C1]' },
];

export const SettingsSchema = z.object({
  townshipName: z.string().trim().min(1).max(40),
  townshipCode: z.string().regex(/^\d{12}$/, { error: '乡镇代码应为12位数字（统计用区划代码）' }),
  county: z.string().trim().min(1).max(40),
  province: z.string().trim().min(1).max(40),
});
export type Settings = z.infer<typeof SettingsSchema>;
