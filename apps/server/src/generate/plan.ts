/**
 * The plan of a run: the real villages of the chosen region (from the `regions` table), how many
 * persons each gets, and the calibration factors of its city.
 */
import type { Tx } from '../db/database';
import { loadCounties, loadVillages, type VillageRow } from '../repositories/generate.repository';
import * as C from './calibration';
import type { GenVillage, VillageFactors } from './model';
import { hashSeed, Rng } from './random';

export interface PlannedVillage extends GenVillage {
  factors: VillageFactors;
}

export interface Plan {
  /** Region prefix (2, 4, 6, 9 or 12 digits) */
  prefix: string;
  /** 12-digit code of the region, for the audit row */
  regionCode: string;
  villages: PlannedVillage[];
  /** County codes of the region's province, for people born in another county */
  counties: string[];
}

/** '21', '2112', '211204', '211204101', or a 12-digit code (trailing zero groups are dropped). */
export function regionPrefix(code: string): string {
  if (!/^\d{2}(\d{2}(\d{2}(\d{3}(\d{3})?)?)?)?$/.test(code)) throw new Error(`region code must have 2, 4, 6, 9 or 12 digits, got "${code}"`);
  let p = code;
  const cuts = [12, 9, 6, 4, 2];
  for (let i = 0; i < cuts.length - 1; i++) {
    const len = cuts[i]!;
    const next = cuts[i + 1]!;
    if (p.length === len && /^0+$/.test(p.slice(next))) p = p.slice(0, next);
  }
  return p;
}

function sumWeights(keys: string[]): number {
  return keys.reduce((s, k) => s + (C.PERSONS_WEIGHT_BY_CITY[k] ?? 0), 0);
}

/** Calibration factors of a city (4-digit code): the shares of poor and of exited people under the warning line. */
export function cityFactors(city: string): VillageFactors {
  const weight = C.PERSONS_WEIGHT_BY_CITY[city];
  if (weight === undefined) return { poorShare: C.POOR_PERSON_SHARE, belowWarningShare: C.EXITED_BELOW_WARNING_SHARE };
  const all = Object.keys(C.PERSONS_WEIGHT_BY_CITY);
  const total = sumWeights(all);
  const personShare = weight / total;
  // remaining poor: the seed's figure for the listed cities, the rest spread over the others by persons
  const listedPoor = Object.values(C.POOR_PEOPLE_BY_CITY).reduce((a, b) => a + b, 0);
  const unlisted = all.filter((k) => C.POOR_PEOPLE_BY_CITY[k] === undefined);
  const poorShareOfTotal = C.POOR_PEOPLE_BY_CITY[city] !== undefined
    ? C.POOR_PEOPLE_BY_CITY[city]! / C.POOR_PEOPLE_TOTAL
    : ((C.POOR_PEOPLE_TOTAL - listedPoor) / C.POOR_PEOPLE_TOTAL) * (weight / sumWeights(unlisted));
  const listedBelow = Object.values(C.BELOW_WARNING_PEOPLE_BY_CITY).reduce((a, b) => a + b, 0);
  const unlistedBelow = all.filter((k) => C.BELOW_WARNING_PEOPLE_BY_CITY[k] === undefined);
  const belowShareOfTotal = C.BELOW_WARNING_PEOPLE_BY_CITY[city] !== undefined
    ? C.BELOW_WARNING_PEOPLE_BY_CITY[city]! / C.BELOW_WARNING_PEOPLE_TOTAL
    : ((C.BELOW_WARNING_PEOPLE_TOTAL - listedBelow) / C.BELOW_WARNING_PEOPLE_TOTAL) * (weight / sumWeights(unlistedBelow));
  return {
    poorShare: Math.min(0.5, (C.POOR_PERSON_SHARE * poorShareOfTotal) / personShare),
    belowWarningShare: Math.min(0.5, (C.EXITED_BELOW_WARNING_SHARE * belowShareOfTotal) / personShare),
  };
}

/**
 * Spreads `persons` over the villages: each city gets its calibrated share (when the region spans several
 * cities), each village a random (log-normal) share within it. The counts add up to `persons` exactly.
 */
export function allocate(rows: VillageRow[], persons: number, seed: number): PlannedVillage[] {
  const byCity = new Map<string, number>();
  for (const r of rows) byCity.set(r.code.slice(0, 4), (byCity.get(r.code.slice(0, 4)) ?? 0) + 1);
  const multiCity = byCity.size > 1;
  const weights = rows.map((r) => {
    const city = r.code.slice(0, 4);
    const cityW = multiCity ? (C.PERSONS_WEIGHT_BY_CITY[city] ?? 0.02) / byCity.get(city)! : 1;
    return cityW * new Rng(hashSeed(seed, `w${r.code}`)).logNormal(1, 0.45);
  });
  const total = weights.reduce((a, b) => a + b, 0);
  let cum = 0;
  let given = 0;
  const factors = new Map<string, VillageFactors>();
  return rows.map((r, i) => {
    cum += weights[i]!;
    const upto = Math.round((persons * cum) / total);
    const n = upto - given;
    given = upto;
    const city = r.code.slice(0, 4);
    if (!factors.has(city)) factors.set(city, cityFactors(city));
    return {
      code: r.code, name: r.name, townshipName: r.township ?? '', countyName: r.county ?? '', cityName: r.city ?? '',
      persons: n, factors: factors.get(city)!,
    };
  });
}

export async function makePlan(tx: Tx, region: string, persons: number, seed: number): Promise<Plan> {
  const prefix = regionPrefix(region);
  const rows = await loadVillages(tx, prefix);
  if (rows.length === 0) throw new Error(`no villages under region ${region}: are its regions loaded (npm run regions:load)?`);
  const counties = await loadCounties(tx, prefix.slice(0, 2));
  return { prefix, regionCode: prefix.padEnd(12, '0'), villages: allocate(rows, persons, seed), counties };
}
