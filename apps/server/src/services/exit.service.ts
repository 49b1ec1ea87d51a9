/**
 * Exit assessment (脱贫标准评估, DOMAIN §5): a region's households counted by unmet exit item in one set-based pass
 * (the exit criteria as SQL over the rule fact tables), the households not meeting the standard, and one
 * household's assessment by assessExit with the Chinese details and the settings used. Both paths read the
 * settings in force per county (resolvePolicy) and are proven to agree by the domain's unit test.
 */
import {
  EXIT_ITEMS, regionPrefix,
  type ExitGroupCode, type ExitHouseholdAssessment, type ExitHouseholdItem, type ExitItemCode, type ExitRegionView,
} from '@tuopin/domain';
import type { Actor } from '../db/database';
import { appError } from '../errors';
import { exitCounts, exitHouseholds } from '../repositories/exit.repository';
import { countyPolicies, factsSql, type Facts } from '../repositories/rule-facts.repository';
import type { Deps } from './context';
import { loadFacts, policySnapshot } from './monitoring.facts';
import { todayInChina as today } from '../clock';
import type { PolicyService } from './policy.service';
import { referenceDateFor } from './quality.evaluate';
import type { RegionsService } from './regions.service';

/** Significant prefix length of the children of a region of each level (villages have none). */
const CHILD_PREFIX_LENGTH: Record<number, number | null> = { 0: 2, 1: 4, 2: 6, 3: 9, 4: 12, 5: null };
const DEFAULT_LIMIT = 50;

export class ExitService {
  private get registry() { return this.d.repos.registry; }

  constructor(private readonly d: Deps, private readonly regions: RegionsService, private readonly policy: PolicyService) {}


  /** The visible region, its children and the fact tables of its households for the year. */
  private async prepare(actor: Actor, regionCode: string | undefined, year: number) {
    const referenceDate = referenceDateFor(year, today());
    return this.d.db.scoped(actor, async (tx) => {
      const region = await this.regions.visible(tx, regionCode ?? actor.regionCode);
      const prefix = regionPrefix(region.code);
      const policies = await countyPolicies(tx, this.d.repos.policy, prefix, year);
      const facts: Facts = factsSql({ prefix, year, referenceDate, policies, paramIndex: 1 });
      const children = (await this.d.repos.regions.children(tx, region.code)).map((c) => ({ code: c.code, name: c.name, level: c.level }));
      return { region, facts, children, referenceDate };
    });
  }

  async region(actor: Actor, q: { regionCode?: string; year?: number; group?: ExitGroupCode }): Promise<ExitRegionView> {
    const t = performance.now();
    const year = q.year ?? Number(today().slice(0, 4));
    const { region, facts, children, referenceDate } = await this.prepare(actor, q.regionCode, year);
    const childLen = CHILD_PREFIX_LENGTH[region.level] ?? null;
    const { totals, children: byChild } = await this.d.db.scoped(actor, (tx) => exitCounts(tx, facts, q.group ?? 'all', childLen));
    const empty = { assessed: 0, meeting: 0, unmet: { income: 0, education: 0, medical: 0, housing: 0, water: 0 } };
    return {
      region: { code: region.code, name: region.name, fullName: region.fullName, level: region.level },
      year,
      group: q.group ?? 'all',
      referenceDate,
      totals,
      children: childLen === null ? [] : children.map((c) => ({ ...c, counts: byChild.get(c.code.slice(0, childLen)) ?? empty })),
      ms: Math.round(performance.now() - t),
    };
  }

  async households(actor: Actor, q: { regionCode?: string; year?: number; group?: ExitGroupCode; item?: ExitItemCode; after?: string; limit?: number }) {
    const year = q.year ?? Number(today().slice(0, 4));
    const limit = q.limit ?? DEFAULT_LIMIT;
    const { facts } = await this.prepare(actor, q.regionCode, year);
    const after = q.after ? { countyCode: q.after.split(':')[0]!, id: Number(q.after.split(':')[1]) } : null;
    const { rows, total } = await this.d.db.scoped(actor, (tx) => exitHouseholds(tx, facts, { group: q.group ?? 'all', item: q.item ?? null, after, limit: limit + 1 }));
    const page = rows.slice(0, limit);
    const items: ExitHouseholdItem[] = page.map((r) => ({
      countyCode: r.county_code, id: r.household_id, householdNo: r.household_no, villageCode: r.village_code, village: r.village ?? '',
      headName: r.head_name, perCapitaNet: r.per_capita, unmet: r.unmet,
    }));
    const last = page.at(-1);
    return { items, next: rows.length > limit && last ? `${last.county_code}:${last.household_id}` : null, total };
  }

  /** One household: assessExit on its registry record (current members, the year's income) with the settings used. */
  household(actor: Actor, countyCode: string, id: number, year?: number): Promise<ExitHouseholdAssessment> {
    return this.d.db.scoped(actor, async (tx) => {
      const now = today();
      const y = year ?? Number(now.slice(0, 4));
      const row = await this.registry.household(tx, countyCode, id);
      if (!row) throw appError('exit.householdNotFound');
      const village = row.village_code;
      const effective = await this.policy.resolve(tx, village, y);
      const f = await loadFacts(tx, this.registry, countyCode, id, y, effective, now, null);
      return {
        countyCode, id, householdNo: f.household.householdNo, year: y, referenceDate: f.referenceDate,
        meets: f.exit.meets, perCapitaNetIncome: f.exit.perCapitaNetIncome,
        unmet: f.exit.unmet.map((u) => {
          const item = EXIT_ITEMS.find((i) => i.code === u.code)!;
          return { code: u.code, zh: item.zh, en: item.en, detail: u.detail, detailCode: u.detailCode, detailParams: { ...u.detailParams } };
        }),
        policy: policySnapshot(effective, village, y),
      };
    });
  }
}
