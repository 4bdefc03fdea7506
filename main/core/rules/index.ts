/** Every data-quality rule, in report order. Adding a rule: one definition in its domain file and its test. */
import type { Rule } from './engine.ts';
import { householdRules } from './households.ts';
import { monitoringRules } from './monitoring.ts';
import { personRules } from './persons.ts';
import { postRules } from './posts.ts';
import { relocationRules } from './relocation.ts';

export const RULES: readonly Rule[] = [
  ...personRules,
  ...householdRules,
  ...monitoringRules,
  ...postRules,
  ...relocationRules,
];
