/**
 * The facts a monitoring decision is made on: the household, its current members, this year's and last year's
 * income, the year's status, and the domain's exit assessment / elimination check on them with the settings in
 * force. The same loader feeds the decision and the snapshot stored with it, so what is shown "as it was" is
 * exactly what was decided on. ID numbers are masked in the snapshot and phones left out.
 */
import {
  assessExit, checkElimination, ELIMINATION_BLOCKERS, EXIT_ITEMS, maskIdNumber, perCapitaNetIncome,
  type EffectivePolicy, type EliminationCheck, type ExitAssessment, type FactsSnapshot, type Household, type IncomeValues, type Member,
  type PolicySnapshot,
} from '@tuopin/domain';
import type { Tx } from '../db/database';
import { appError } from '../errors';
import type { RegistryRepository } from '../repositories/registry.repository';
import { householdFromRow, incomeValuesFromRow, memberFromRow, type HouseholdVillageRow, type IncomeRow } from '../repositories/registry.mapping';
import { referenceDateFor } from './quality.evaluate';

const FORMER_POOR_STATUSES = new Set(['poor', 'exited', 'returned']);

export interface LoadedFacts {
  row: HouseholdVillageRow;
  household: Household;
  members: Member[];
  income: IncomeValues | null;
  lastIncome: IncomeValues | null;
  formerPoor: boolean;
  referenceDate: string;
  exit: ExitAssessment;
  elimination: EliminationCheck | null;
  snapshot: FactsSnapshot;
}

function incomeOf(rows: IncomeRow[], year: number): IncomeValues | null {
  const r = rows.find((x) => x.year === year);
  return r ? incomeValuesFromRow(r) : null;
}

const zhOf = (code: string) => [...EXIT_ITEMS, ...ELIMINATION_BLOCKERS].find((i) => i.code === code)?.zh ?? code;

export function policySnapshot(p: EffectivePolicy, regionCode: string, year: number): PolicySnapshot {
  return { regionCode, year, values: { ...p.values }, sources: Object.fromEntries(Object.entries(p.sources).map(([k, s]) => [k, { ...s }])) };
}

/**
 * Loads a household's facts for a year. With `identifiedOn` (a monitored household) the elimination conditions are
 * checked as well.
 */
export async function loadFacts(
  tx: Tx, registry: RegistryRepository, countyCode: string, householdId: number, year: number, policy: EffectivePolicy, today: string,
  identifiedOn: string | null,
): Promise<LoadedFacts> {
  const row = await registry.household(tx, countyCode, householdId);
  if (!row) throw appError('registry.householdNotFound');
  const [memberRows, incomeRows, statusRows] = await Promise.all([
    registry.members(tx, countyCode, householdId), registry.incomes(tx, countyCode, householdId), registry.statuses(tx, countyCode, householdId),
  ]);
  const household = householdFromRow(row);
  const active = memberRows.filter((m) => m.active);
  const members = active.map(memberFromRow);
  const income = incomeOf(incomeRows, year);
  const lastIncome = incomeOf(incomeRows, year - 1);
  const status = statusRows.find((s) => s.year === year) ?? statusRows.find((s) => s.year < year) ?? null;
  const formerPoor = (status !== null && FORMER_POOR_STATUSES.has(status.status)) || (household.attribute != null && household.attribute !== 'none');
  const referenceDate = referenceDateFor(year, today);
  const input = { household, members, income, policy: policy.values, referenceDate };
  const exit = assessExit(input);
  const elimination = identifiedOn ? checkElimination({ ...input, lastIncome, formerPoor, identifiedOn }) : null;
  const snapshot: FactsSnapshot = {
    takenOn: today,
    year,
    household: {
      householdNo: household.householdNo, villageCode: household.villageCode, villageName: row.village_name ?? null, attribute: household.attribute ?? null,
      housingRating: household.housingRating ?? null, relocated: household.relocated ?? null, relocationKeysReceived: household.relocationKeysReceived ?? null,
      safeWater: household.safeWater ?? null, wholeNoLabour: household.wholeNoLabour ?? null, dibao: household.dibao ?? null, tekun: household.tekun ?? null,
      formerPoor,
    },
    members: members.map((m) => ({
      name: m.name, relation: m.relation, sex: m.sex ?? null, birthDate: m.birthDate ?? null, idNumber: maskIdNumber(m.idNumber),
      schoolStatus: m.schoolStatus ?? null, dropoutReason: m.dropoutReason ?? null, health: m.health ?? [], labour: m.labour ?? null,
      medicalInsurance: m.medicalInsurance ?? null,
    })),
    income: income as FactsSnapshot['income'],
    lastIncome: lastIncome as FactsSnapshot['lastIncome'],
    perCapitaNetIncome: income && members.length ? perCapitaNetIncome(income, members.length) : null,
    lastPerCapitaNetIncome: lastIncome && members.length ? perCapitaNetIncome(lastIncome, members.length) : null,
    status: status
      ? { year: status.year, status: status.status, exitYear: status.exit_year, monitored: status.monitored,
          monitoredType: status.monitored_type ?? null, riskTypes: status.risk_types ?? [] }
      : null,
    exitAssessment: { meets: exit.meets, unmet: exit.unmet.map((u) => ({ code: u.code, zh: zhOf(u.code), detail: u.detail, detailCode: u.detailCode, detailParams: { ...u.detailParams } })) },
    eliminationCheck: elimination
      ? {
          allowed: elimination.allowed, quick: elimination.quick,
          blockers: elimination.blockers.map((b) => ({ code: b.code, zh: zhOf(b.code), detail: b.detail, detailCode: b.detailCode, detailParams: { ...b.detailParams } })),
        }
      : null,
  };
  return { row, household, members, income, lastIncome, formerPoor, referenceDate, exit, elimination, snapshot };
}
