/**
 * The exit standard (assessment.ts, assessExit) as CEL expressions over the warning-rule environment
 * (rules/environment.ts), one per exit item, each TRUE when the item is UNMET. They let the server count a whole
 * region in one set-based SQL pass (compileSql over the fact tables) while the one-household view keeps using
 * assessExit with its Chinese details; the unit test proves both give the same unmet items on the same household.
 *
 * Missing values follow assessExit, not the rules' "unknown does not match": a missing income, housing rating or
 * water record counts as unmet, so every comparison with a nullable field is guarded explicitly.
 */
import { compileRule } from '../rules/check';
import type { CheckedRule } from '../rules/ast';
import { EXIT_ITEMS, type ExitItemCode } from './assessment';

/** Exit item → CEL expression that is TRUE when the item is unmet. */
export const EXIT_CRITERIA: Readonly<Record<ExitItemCode, string>> = {
  // no income record, no members (per-capita income is then null) or not ABOVE the poverty line
  income: 'income.perCapitaNet == null || income.perCapitaNet <= policy.povertyLine',
  // a member of compulsory-school age not in school, unless for illness or disability
  education: `members.exists(m, m.age != null && m.age >= policy.compulsoryAgeMin && m.age <= policy.compulsoryAgeMax
    && m.schoolStatus == 'not_in_school' && (m.dropoutReason == null || !(m.dropoutReason in ['illness', 'disability'])))`,
  // a member without resident or employee basic medical insurance (unrecorded counts as uninsured)
  medical: 'members.exists(m, !m.insured)',
  // housing neither rated A/B nor a relocated household that has received its keys (an unrated house is unmet)
  housing: `!(household.housingRating != null && household.housingRating in ['A', 'B'])
    && !(household.relocated && household.relocationKeysReceived != null && household.relocationKeysReceived)`,
  // water not recorded as safe
  water: 'household.safeWater == null || !household.safeWater',
};

export interface ExitCriterion {
  code: ExitItemCode;
  expression: string;
  rule: CheckedRule;
}

let compiled: ExitCriterion[] | null = null;

/** The exit criteria type-checked, in the order of EXIT_ITEMS (compiled once). */
export function exitCriteria(): readonly ExitCriterion[] {
  compiled ??= EXIT_ITEMS.map((i) => ({ code: i.code, expression: EXIT_CRITERIA[i.code], rule: compileRule(EXIT_CRITERIA[i.code]) }));
  return compiled;
}
