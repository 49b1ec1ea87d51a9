import crypto from 'node:crypto';
import { regionPrefix } from '@tuopin/domain';
import type { Actor } from '../db/database';
import type { Deps } from './context';
import type { RegionsService } from './regions.service';

export interface ChainReport {
  ok: boolean;
  rows: number;
  firstBroken: { id: string; problem: string } | null;
}

export class AuditService {
  constructor(private readonly d: Deps, private readonly regions: RegionsService) {}

  list(actor: Actor, q: { entity?: string; entityId?: string; regionCode?: string; before?: string; limit?: number }) {
    return this.d.db.scoped(actor, async (tx) => {
      const prefix = q.regionCode ? regionPrefix((await this.regions.visible(tx, q.regionCode)).code) : undefined;
      return this.d.repos.audit.list(tx, { entity: q.entity, entityId: q.entityId, regionPrefix: prefix, before: q.before }, q.limit ?? 50);
    });
  }

  /** Recomputes every hash and link of the chain; names the first row that does not match. */
  verifyChain(): Promise<ChainReport> {
    return this.d.db.system({ name: 'audit:verify' }, async (tx) => {
      let prev = '0'.repeat(64);
      let rows = 0;
      for await (const r of this.d.repos.audit.chain(tx)) {
        rows++;
        if (r.prev_hash !== prev) return { ok: false, rows, firstBroken: { id: r.id, problem: '与前一条记录的哈希链接不一致（之前的记录被删除、插入或修改）' } };
        const h = crypto.createHash('sha256').update(r.canonical, 'utf8').digest('hex');
        if (h !== r.hash) return { ok: false, rows, firstBroken: { id: r.id, problem: '记录内容与其哈希不符（记录被篡改）' } };
        prev = r.hash;
      }
      return { ok: true, rows, firstBroken: null };
    });
  }
}
