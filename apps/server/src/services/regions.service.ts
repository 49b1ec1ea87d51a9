import { ancestorCodes, regionPrefix, type RegionDetail, type RegionNode } from '@tuopin/domain';
import type { Actor, Tx } from '../db/database';
import { appError } from '../errors';
import type { Deps } from './context';
import { toRegionNode } from '../repositories/regions.repository';

export class RegionsService {
  constructor(private readonly d: Deps) {}

  /** The region if it is inside the actor's scope; otherwise a 404 (never its data). */
  async visible(tx: Tx, code: string): Promise<RegionNode> {
    const r = await this.d.repos.regions.get(tx, code);
    if (!r) throw appError('regions.notFound');
    return r;
  }

  roots(actor: Actor): Promise<RegionNode[]> {
    return this.d.db.scoped(actor, async (tx) => [await this.visible(tx, actor.regionCode)]);
  }

  children(actor: Actor, code: string): Promise<RegionNode[]> {
    return this.d.db.scoped(actor, async (tx) => {
      await this.visible(tx, code);
      return this.d.repos.regions.children(tx, code);
    });
  }

  detail(actor: Actor, code: string): Promise<RegionDetail> {
    return this.d.db.scoped(actor, async (tx) => {
      const region = await this.visible(tx, code);
      const path = [...(await this.d.repos.regions.getMany(tx, ancestorCodes(code))), region];
      const descendants = await this.d.repos.regions.descendantCounts(tx, code, region.level);
      return { region, path, descendants };
    });
  }

  search(actor: Actor, q: string, limit: number, maxLevel?: number): Promise<RegionNode[]> {
    return this.d.db.scoped(actor, (tx) => this.d.repos.regions.search(tx, q.trim(), limit, maxLevel));
  }

  /** The dashboard of a region in the actor's scope (a 404 otherwise), in one statement. */
  dashboard(actor: Actor, code: string | undefined) {
    const regionCode = code ?? actor.regionCode;
    return this.d.db.scoped(actor, async (tx) => {
      const r = await this.d.repos.regions.dashboard(tx, regionCode, regionPrefix(regionCode), 7);
      if (!r) throw appError('regions.notFound');
      const { cities, counties, townships, villages, children, by_role: byRole, recent_changes: recentChanges } = r;
      return {
        region: toRegionNode(r),
        descendants: { cities, counties, townships, villages },
        children,
        users: {
          total: byRole.reduce((s, r) => s + r.count, 0),
          active: byRole.reduce((s, r) => s + r.active, 0),
          byRole: byRole.map(({ role, count }) => ({ role, count })),
        },
        recentChanges,
      };
    });
  }
}
