/**
 * Policy settings: the values in force for a region and year (inherited down the tree, overridable by a city or
 * county, by year), setting and clearing them with a note, and their history. Only system and county
 * administrators set values, only at the nation, province, city or county level and only inside their scope.
 */
import {
  ancestorCodes, can, isPolicyKey, POLICY_DEFINITIONS, POLICY_LEVELS, policyDefaultFor, policyDefinition, policyExists, policyRangeProblem, policyValueProblem,
  regionLevel, regionPrefix, resolvePolicy, type EffectivePolicy, type PolicyDefinition, type EffectivePolicyResponse, type PolicyValueRecord, type PolicyValueRow,
} from '@tuopin/domain';
import type { Actor, Tx } from '../db/database';
import { appError, fieldError, fieldErrorOf } from '../errors';
import type { PolicyRow } from '../repositories/policy.repository';
import type { Deps } from './context';
import type { RegionsService } from './regions.service';

const toRecord = (r: PolicyRow): PolicyValueRecord => ({
  id: r.id, regionCode: r.region_code, regionName: r.region_name, year: r.year, key: r.key, value: r.value, note: r.note,
  setBy: r.set_by_name, setAt: r.set_at.toISOString(), retiredAt: r.retired_at?.toISOString() ?? null, retiredBy: r.retired_by_name,
  retireNote: r.retire_note,
});
const toValueRow = (r: PolicyRow): PolicyValueRow => ({ id: r.id, regionCode: r.region_code, year: r.year, key: r.key, value: r.value });
/** Prefixes of the region and its ancestors (the rows that can apply to it). */
const chainPrefixes = (code: string) => [...ancestorCodes(code), code].filter((c) => regionLevel(c) <= 3).map(regionPrefix);

export class PolicyService {
  private get repo() { return this.d.repos.policy; }

  constructor(private readonly d: Deps, private readonly regions: RegionsService) {}

  /** The settings in force for a region (any level) and year, resolved by the domain's one rule. */
  async resolve(tx: Tx, regionCode: string, year: number): Promise<EffectivePolicy> {
    return resolvePolicy((await this.repo.chain(tx, chainPrefixes(regionCode), year)).map(toValueRow), regionCode, year);
  }

  effective(actor: Actor, regionCode: string | undefined, year: number): Promise<EffectivePolicyResponse> {
    return this.d.db.scoped(actor, async (tx) => {
      const region = await this.regions.visible(tx, regionCode ?? actor.regionCode);
      const rows = await this.repo.chain(tx, chainPrefixes(region.code), year);
      const all = rows.map(toValueRow);
      const here = rows.filter((r) => r.region_code === region.code && r.year === year);
      const names = new Map(rows.map((r) => [r.id, r.region_name]));
      const { values, sources } = resolvePolicy(all, region.code, year);
      const without = resolvePolicy(all.filter((r) => !(r.regionCode === region.code && r.year === year)), region.code, year);
      return {
        region: { code: region.code, name: region.name, fullName: region.fullName, level: region.level },
        year,
        editable: can(actor.role, 'policy:write') && POLICY_LEVELS.includes(region.level as 0 | 1 | 2 | 3),
        settings: POLICY_DEFINITIONS.map((d) => {
          const src = sources[d.key];
          const set = here.find((r) => r.key === d.key);
          return {
            key: d.key, value: values[d.key], defaultValue: policyDefaultFor(d.key, year), since: (d as PolicyDefinition).since ?? null,
            source: { id: src.id, regionCode: src.regionCode, regionName: src.id === null ? null : (names.get(src.id) ?? null), year: src.year },
            setHere: set ? toRecord(set) : null,
            inherited: set ? without.values[d.key] : null,
          };
        }),
      };
    });
  }

  private async writable(tx: Tx, actor: Actor, regionCode: string, key: string) {
    if (!can(actor.role, 'policy:write')) throw appError('policy.writeDenied');
    if (!isPolicyKey(key)) throw fieldError('key', 'policy.unknownKey', { key });
    const region = await this.regions.visible(tx, regionCode);
    if (!POLICY_LEVELS.includes(region.level as 0 | 1 | 2 | 3)) {
      throw fieldError('regionCode', 'policy.regionLevel');
    }
    return region;
  }

  set(actor: Actor, b: { regionCode: string; year: number; key: string; value: number; note?: string }): Promise<PolicyValueRecord> {
    return this.d.db.scoped(
      actor,
      async (tx) => {
        const region = await this.writable(tx, actor, b.regionCode, b.key);
        const problem = policyValueProblem(b.key, b.value);
        if (problem) throw fieldErrorOf('value', problem);
        if (!policyExists(b.key, b.year)) {
          const d = policyDefinition(b.key)!;
          throw fieldError('year', 'policy.sinceYear', { name: { zh: d.zh, en: d.en }, since: d.since ?? '', year: b.year });
        }
        // Ordered pairs (age ranges) must stay ordered with the value in force for the other end.
        const { values } = await this.resolve(tx, region.code, b.year);
        const disorder = policyRangeProblem({ ...values, [b.key]: b.value });
        if (disorder) throw fieldErrorOf('value', disorder);
        const note = b.note?.trim() || null;
        const cur = await this.repo.current(tx, region.code, b.year, b.key);
        if (cur) {
          if (cur.value === b.value && (cur.note ?? null) === note) return toRecord(cur);
          await this.repo.retire(tx, cur.id, actor.username, note);
        }
        const id = await this.repo.insert(tx, {
          regionCode: region.code, regionPrefix: regionPrefix(region.code), regionName: region.fullName || region.name, year: b.year, key: b.key,
          value: b.value, note, userId: actor.id, username: actor.username,
        });
        const row = (await this.repo.current(tx, region.code, b.year, b.key))!;
        if (row.id !== id) throw appError('policy.saveFailed');
        return toRecord(row);
      },
      { reason: b.note ?? null },
    );
  }

  clear(actor: Actor, b: { regionCode: string; year: number; key: string; note?: string }): Promise<{ ok: true }> {
    return this.d.db.scoped(
      actor,
      async (tx) => {
        const region = await this.writable(tx, actor, b.regionCode, b.key);
        const cur = await this.repo.current(tx, region.code, b.year, b.key);
        if (!cur) throw appError('policy.settingNotFound', { region: region.name, year: b.year, name: { zh: policyDefinition(b.key)!.zh, en: policyDefinition(b.key)!.en } });
        await this.repo.retire(tx, cur.id, actor.username, b.note?.trim() || null);
        return { ok: true as const };
      },
      { reason: b.note ?? null },
    );
  }

  history(actor: Actor, regionCode: string, key: string): Promise<PolicyValueRecord[]> {
    return this.d.db.scoped(actor, async (tx) => {
      if (!isPolicyKey(key)) throw fieldError('key', 'policy.unknownKey', { key });
      const region = await this.regions.visible(tx, regionCode);
      return (await this.repo.history(tx, chainPrefixes(region.code), key)).map(toRecord);
    });
  }
}
