import { sql } from 'kysely';
import type { AuditEntry } from '@tuopin/domain';
import type { Tx } from '../db/database';

export interface AuditFilter {
  entity?: string;
  entityId?: string;
  regionPrefix?: string;
  before?: string;
}

function changesOf(before: unknown, after: unknown): AuditEntry['changes'] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.map((field) => ({ field, before: b[field] ?? null, after: a[field] ?? null }));
}

/** The append-only audit log. Rows are written only through the SQL function audit_append (directly or by triggers). */
export class AuditRepository {
  async append(
    tx: Tx,
    e: { action: string; entity: string; entityId: string | null; regionCode: string | null; before?: unknown; after?: unknown; reason?: string | null },
  ): Promise<void> {
    await sql`select audit_append(${e.action}, ${e.entity}, ${e.entityId}, ${e.regionCode},
              ${e.before === undefined ? null : JSON.stringify(e.before)}::jsonb,
              ${e.after === undefined ? null : JSON.stringify(e.after)}::jsonb, ${e.reason ?? null})`.execute(tx);
  }

  async list(tx: Tx, f: AuditFilter, limit: number): Promise<{ items: AuditEntry[]; nextBefore: string | null }> {
    let q = tx
      .selectFrom('audit_log')
      .select(['id', 'at', 'actor_id', 'actor_name', 'ip', 'action', 'entity', 'entity_id', 'region_code', 'before', 'after', 'reason']);
    if (f.entity) q = q.where('entity', '=', f.entity);
    if (f.entityId) q = q.where('entity_id', '=', f.entityId);
    if (f.regionPrefix) q = q.where('region_code', 'like', `${f.regionPrefix}%`);
    if (f.before) q = q.where(sql<boolean>`id < ${f.before}::bigint`);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        id: String(r.id),
        at: new Date(r.at).toISOString(),
        actorId: r.actor_id === null ? null : Number(r.actor_id),
        actorName: r.actor_name,
        ip: r.ip,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        regionCode: r.region_code,
        changes: changesOf(r.before, r.after),
        reason: r.reason,
      })),
      nextBefore: rows.length > limit ? String(page[page.length - 1]!.id) : null,
    };
  }

  async countSince(tx: Tx, regionPrefix: string, days: number): Promise<number> {
    const r = await tx
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(sql<boolean>`coalesce(region_code, '') like ${regionPrefix + '%'}`)
      .where('at', '>', sql<Date>`now() - make_interval(days => ${days})`)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Reads the chain in id order, `batch` rows at a time, with the canonical text each hash covers. */
  async *chain(tx: Tx, batch = 5000): AsyncGenerator<{ id: string; prev_hash: string; hash: string; canonical: string }> {
    let after = '0';
    for (;;) {
      const r = await sql<{ id: string; prev_hash: string; hash: string; canonical: string }>`
        select id::text as id, prev_hash, hash, audit_canonical(a) as canonical
          from audit_log a where a.id > ${after}::bigint order by a.id limit ${batch}`.execute(tx);
      if (r.rows.length === 0) return;
      yield* r.rows;
      after = r.rows[r.rows.length - 1]!.id;
    }
  }
}
