import { sql, type Selectable } from 'kysely';
import { beginBulkAudit, type BulkAudit, type Tx } from '../db/database';
import { rawClient } from '../db/raw';
import type { AuditLog as AuditLogTable } from '../db/schema';

export interface AuditFilter {
  entity?: string;
  entityId?: string;
  regionPrefix?: string;
  before?: string;
}

/** One row of the audit log as read back (the hash chain columns left out; the id as text, `id::text`: it may pass 2^53). */
export type AuditLogRow = Omit<Selectable<AuditLogTable>, 'prev_hash' | 'hash' | 'chain' | 'id'> & { id: string };

/** One row of a chain as verified: its link, its hash and the text the hash covers (audit_canonical). */
export interface ChainRow {
  chain: string;
  id: string;
  prev_hash: string;
  hash: string;
  canonical: string;
}

/** One audit row of a page with the names resolved for it (AuditRepository.list). */
export interface AuditRow extends AuditLogRow {
  actor_display_name: string | null;
  household_county: string | null;
  household_id: number | null;
  household_no: string | null;
  head_name: string | null;
  village_name: string | null;
  subject_kind: string | null;
  subject_name: string | null;
  subject_username: string | null;
  subject_year: number | null;
  subject_period: string | null;
}

/** The append-only audit log. Rows are written only through the SQL function audit_append (directly or by triggers). */
export class AuditRepository {
  async append(
    tx: Tx,
    e: { action: string; entity: string; entityId: string | number | null; regionCode: string | null; before?: unknown; after?: unknown; reason?: string | null },
  ): Promise<void> {
    await sql`select audit_append(${e.action}, ${e.entity}, ${e.entityId === null ? null : String(e.entityId)}, ${e.regionCode},
              ${e.before === undefined ? null : JSON.stringify(e.before)}::jsonb,
              ${e.after === undefined ? null : JSON.stringify(e.after)}::jsonb, ${e.reason ?? null})`.execute(tx);
  }

  /**
   * Enters bulk mode in the middle of a transaction (a warning run, once its matches are known): the summary row and
   * the flag in one call of audit_bulk_begin. At the start of a transaction, `Database.scoped`'s `bulk` option does it.
   */
  async beginBulk(tx: Tx, b: BulkAudit): Promise<void> {
    await beginBulkAudit(rawClient(tx), b);
  }

  /**
   * Takes the audit chain locks of the given regions (their counties' chains, or '000000') in sorted order
   * (audit_lock_chains, migration 0024), for a transaction that writes audited rows of more than one county: two such
   * transactions wait for each other instead of deadlocking on the chains.
   */
  async lockChains(tx: Tx, regionCodes: readonly string[]): Promise<void> {
    await sql`select audit_lock_chains(${[...regionCodes]}::text[])`.execute(tx);
  }

  /**
   * A page of the log, newest first, with what people need to read it, resolved set-based for the page's rows in the
   * same statement (and under the same row-level security: a record the reader may not see stays unnamed): the
   * actor's display name, and the subject — the household (number, head, village) of a registry or monitoring entry,
   * a procedure's kind, a clue's channel, a member's, user's, rule's or import's name, a policy value's key and year.
   */
  async list(tx: Tx, f: AuditFilter, limit: number): Promise<{ items: AuditRow[]; nextBefore: string | null }> {
    const where = [sql<boolean>`true`];
    if (f.entity) where.push(sql<boolean>`a.entity = ${f.entity}`);
    if (f.entityId) where.push(sql<boolean>`a.entity_id = ${f.entityId}`);
    if (f.regionPrefix) where.push(sql<boolean>`a.region_code like ${`${f.regionPrefix}%`}`);
    if (f.before) where.push(sql<boolean>`a.id < ${f.before}::bigint`);
    const r = await sql<AuditRow>`
      with page as (
        select a.id, a.at, a.actor_id, a.actor_name, a.ip, a.action, a.entity, a.entity_id, a.region_code, a.before, a.after, a.reason,
               left(a.region_code, 6) as county,
               case when a.entity_id ~ '^[0-9]{1,18}$' then a.entity_id::bigint end as eid
          from audit_log a
         where ${sql.join(where, sql` and `)}
         order by a.id desc
         limit ${limit + 1}
      )
      select p.id::text as id, p.at, p.actor_id, p.actor_name, p.ip, p.action, p.entity, p.entity_id, p.region_code, p.before, p.after, p.reason,
             au.display_name as actor_display_name,
             h.county_code as household_county, h.id as household_id, h.household_no, head.name as head_name, v.name as village_name,
             coalesce(pr.kind, c.channel, am.family) as subject_kind,
             coalesce(su.display_name, ru.name, i.file_names[1], pv.key, m.name) as subject_name,
             su.username as subject_username,
             coalesce(pv.year::int, rr.year::int) as subject_year,
             rr.period as subject_period
        from page p
        left join users au on au.id = p.actor_id
        left join members m on p.entity in ('members', 'member_moves') and m.county_code = p.county and m.id = p.eid
        left join procedures pr on p.entity = 'procedures' and pr.county_code = p.county and pr.id = p.eid
        left join clues c on p.entity = 'clues' and c.county_code = p.county and c.id = p.eid
        left join monitoring_records mr on p.entity = 'monitoring_records' and mr.county_code = p.county and mr.id = p.eid
        left join households h on h.county_code = p.county and h.id = coalesce(
               case when p.entity in ('households', 'income_records', 'household_year_status', 'assistance_measures') then p.eid end,
               m.household_id, pr.household_id, c.household_id, mr.household_id)
        left join lateral (
               select hm.name from members hm
                where hm.county_code = h.county_code and hm.household_id = h.id and hm.relation = 'head'
                order by hm.active desc, hm.id desc limit 1) head on true
        left join regions v on v.code = h.village_code
        left join lateral (
               select x.family from assistance_measures x
                where p.entity = 'assistance_measures' and x.county_code = p.county and x.household_id = p.eid
                  and x.id::text = coalesce(p.after ->> 'id', p.before ->> 'id')) am on true
        left join users su on p.entity = 'users' and su.id = p.eid
        left join rules ru on p.entity = 'rules' and ru.id = p.entity_id
        left join imports i on p.entity = 'imports' and i.id = p.eid
        left join policy_values pv on p.entity = 'policy_values' and pv.id = p.eid
        left join rule_runs rr on p.entity = 'rule_runs' and rr.id = p.eid
       order by p.id desc`.execute(tx);
    const page = r.rows.slice(0, limit);
    return { items: page, nextBefore: r.rows.length > limit ? page[page.length - 1]!.id : null };
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

  /**
   * Reads the chains, each in id order (chain by chain, by the index audit_chain_idx), `batch` rows at a time, with
   * the canonical text each hash covers. `chain` limits the read to one chain (a county's is verified alone).
   */
  async *chain(tx: Tx, opts: { chain?: string; batch?: number } = {}): AsyncGenerator<ChainRow> {
    const batch = opts.batch ?? 5000;
    let after: [string, string] = [opts.chain ?? '', '0'];
    for (;;) {
      const r = await sql<ChainRow>`
        select chain, id::text as id, prev_hash, hash, audit_canonical(a) as canonical
          from audit_log a
         where (a.chain, a.id) > (${after[0]}, ${after[1]}::bigint)
           ${opts.chain !== undefined ? sql`and a.chain = ${opts.chain}` : sql``}
         order by a.chain, a.id limit ${batch}`.execute(tx);
      if (r.rows.length === 0) return;
      yield* r.rows;
      const last = r.rows[r.rows.length - 1]!;
      after = [last.chain, last.id];
    }
  }

  /** The prev_hash of every chain's first row: the last legacy row's hash (rows from before migration 0017), or zeros. */
  async genesis(tx: Tx): Promise<string> {
    return (await sql<{ h: string }>`select audit_genesis() as h`.execute(tx)).rows[0]!.h;
  }
}
