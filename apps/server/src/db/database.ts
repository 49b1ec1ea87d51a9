import pg from 'pg';
import Cursor from 'pg-cursor';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, sql, type Transaction } from 'kysely';
import { isReadOnlyRole, scopeSetting, type Role } from '@tuopin/domain';
import type { DB } from './schema';
import { migrations } from './migrations/index';

// bigint (int8) columns: counts and ids fit in a JS number for this application; audit ids stay strings.
pg.types.setTypeParser(20, (v) => (v.length > 15 ? v : Number(v)));

/** Who is acting, from where. Every scoped transaction carries it into the audit trail. */
export interface Actor {
  id: number;
  username: string;
  role: Role;
  regionCode: string;
  ip: string | null;
}

export interface SystemActor {
  /** Shown in the audit log as the actor, e.g. "system", "regions:load". */
  name: string;
  ip?: string | null;
  /** Acting on behalf of a user (login, password change) without that user's scope restriction. */
  userId?: number | null;
}

export type Tx = Transaction<DB>;

export interface TxOptions {
  /** Reason the user gave for the change; kept in the audit log. */
  reason?: string | null;
}

/**
 * The database, and the ONE place where region scoping and audit context are applied.
 *
 * - `scoped(actor, fn)`: a transaction running as the role `tuopin_app`, with `tuopin.scope` set from the
 *   actor's home region, so every row-level-security policy filters to that region subtree; read-only roles
 *   get a READ ONLY transaction. Actor, address and reason are set for the audit triggers.
 * - `system(actor, fn)`: a transaction as the owning role (no row-level security), for authentication,
 *   bootstrap and command-line loaders only. It still records the actor for the audit log.
 *
 * Repositories receive a `Tx` from one of these and never open connections themselves.
 */
export class Database {
  readonly kysely: Kysely<DB>;
  readonly pool: pg.Pool;

  constructor(readonly url: string, poolSize = 20) {
    this.pool = new pg.Pool({ connectionString: url, max: poolSize });
    this.pool.on('error', () => {});
    this.kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool: this.pool, cursor: Cursor }) });
  }

  async scoped<T>(actor: Actor, fn: (tx: Tx) => Promise<T>, opts: TxOptions = {}): Promise<T> {
    let builder = this.kysely.transaction();
    if (isReadOnlyRole(actor.role)) builder = builder.setAccessMode('read only');
    return builder.execute(async (tx) => {
      const [text, values] = scopeStatements(actor, opts);
      await sql`set local role tuopin_app`.execute(tx);
      await tx.executeQuery(CompiledQuery.raw(text, values));
      return fn(tx);
    });
  }

  /**
   * The same scoped transaction on a raw pg client, for COPY. `bulk` marks the transaction so that row audit
   * triggers stay silent (the caller writes one audit row for the whole operation).
   */
  async scopedClient<T>(actor: Actor, fn: (client: pg.PoolClient) => Promise<T>, opts: TxOptions & { bulk?: boolean } = {}): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(isReadOnlyRole(actor.role) ? 'begin read only' : 'begin');
      await client.query('set local role tuopin_app');
      const [text, values] = scopeStatements(actor, opts);
      await client.query(text, values);
      if (opts.bulk) await client.query(`select set_config('tuopin.bulk', 'on', true)`);
      const result = await fn(client);
      await client.query('commit');
      return result;
    } catch (e) {
      await client.query('rollback').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  async system<T>(actor: SystemActor, fn: (tx: Tx) => Promise<T>, opts: TxOptions = {}): Promise<T> {
    return this.kysely.transaction().execute(async (tx) => {
      await sql`select set_config('tuopin.actor_id', ${actor.userId != null ? String(actor.userId) : ''}, true),
                       set_config('tuopin.actor_name', ${actor.name}, true),
                       set_config('tuopin.ip', ${actor.ip ?? ''}, true),
                       set_config('tuopin.reason', ${opts.reason ?? ''}, true)`.execute(tx);
      return fn(tx);
    });
  }

  async migrate(): Promise<string[]> {
    const migrator = new Migrator({ db: this.kysely, provider: { getMigrations: async () => migrations } });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  /**
   * Startup check: the database must be UTF8. In SQL_ASCII (what initdb makes without a UTF-8 locale) Chinese text
   * is stored as bytes: `length('张三')` is 6, not 2, so rule results differ between the TypeScript and SQL paths
   * and names compare bytewise. Refuses with what to do instead of running on it.
   */
  async assertUtf8(): Promise<void> {
    const r = await sql<{ db: string; encoding: string; collate: string }>`
      select current_database() as db, pg_encoding_to_char(encoding) as encoding, datcollate as collate
        from pg_database where datname = current_database()`.execute(this.kysely);
    const row = r.rows[0]!;
    if (row.encoding === 'UTF8') return;
    throw new Error(
      `database "${row.db}" has the encoding ${row.encoding} (collation ${row.collate}); Tuopin needs UTF8, or Chinese text is ` +
        "counted and compared as bytes. Create a UTF8 database (CREATE DATABASE tuopin ENCODING 'UTF8' TEMPLATE template0 " +
        "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'), copy the data into it (pg_dump | psql) and point DATABASE_URL at it.",
    );
  }

  async ping(): Promise<{ version: string; latencyMs: number }> {
    const t = performance.now();
    const r = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(this.kysely);
    return { version: r.rows[0]!.v, latencyMs: Math.round((performance.now() - t) * 100) / 100 };
  }

  async close(): Promise<void> {
    await this.kysely.destroy();
  }
}

/** The settings every scoped transaction carries: scope for row-level security, actor/address/reason for the audit. */
function scopeStatements(actor: Actor, opts: TxOptions): [string, string[]] {
  return [
    `select set_config('tuopin.scope', $1, true), set_config('tuopin.actor_id', $2, true), set_config('tuopin.actor_name', $3, true),
            set_config('tuopin.ip', $4, true), set_config('tuopin.reason', $5, true)`,
    [scopeSetting(actor.regionCode), String(actor.id), actor.username, actor.ip ?? '', opts.reason ?? ''],
  ];
}

/** Creates the named database on the server of `adminUrl` when it does not exist; returns its URL. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const r = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (r.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
