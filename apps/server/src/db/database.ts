import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, sql, type Driver, type Transaction } from 'kysely';
import { isReadOnlyRole, scopeSetting, type Role } from '@tuopin/domain';
import type { DB } from './schema';
import { migrations } from './migrations/index';
import { openTracked, rawClient, trackingPool } from './raw';

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

/** The summary audit row of a bulk operation (import commit, warning run, generator): written by audit_bulk_begin. */
export interface BulkAudit {
  action: string;
  entity: string;
  /** The entity's id (audit_log.entity_id is text; a numeric id is written as its decimal text) */
  entityId: string | number | null;
  regionCode: string | null;
  summary: unknown;
  reason?: string | null;
  /**
   * The counties the operation writes (county codes, or region codes of them). The summary is appended on the chain
   * of `regionCode` and on the chain of each of these counties (migration 0024), so every county's chain has a row
   * for the operation even when it runs above a county.
   */
  counties?: readonly string[];
}

/**
 * Enters bulk mode in the client's transaction: records the summary row for the region's audit chain and the chain
 * of every county given (appended at commit) and silences the row audit triggers until commit, in one call of the
 * security-definer function audit_bulk_begin.
 */
export async function beginBulkAudit(client: pg.PoolClient | pg.Client, b: BulkAudit): Promise<void> {
  await client.query(`select audit_bulk_begin($1, $2, $3, $4, $5::jsonb, $6, $7::text[])`, [
    b.action, b.entity, b.entityId === null ? null : String(b.entityId), b.regionCode, JSON.stringify(b.summary ?? null), b.reason ?? null,
    b.counties ? [...b.counties] : null,
  ]);
}

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
    // A connection lost while checked out but between statements (a transaction waiting on other work, the database
    // restarted or its backends terminated) emits 'error' on the client itself; without a listener that ends the
    // process. The next statement on it fails instead, and the caller's transaction rolls back (run-recovery.test.ts).
    this.pool.on('connect', (client) => client.on('error', () => {}));
    this.kysely = new Kysely<DB>({ dialect: new ScopeDialect({ pool: trackingPool(this.pool), cursor: Cursor }) });
  }

  /**
   * `bulk` enters bulk mode before `fn` runs: the one summary audit row is appended and row audit triggers stay
   * silent for the rest of the transaction (audit_bulk_begin, migration 0017 — the only way in; the application role
   * cannot set the flag itself). The same `Tx` serves COPY: repositories reach its client through `rawClient` (db/raw.ts).
   */
  async scoped<T>(actor: Actor, fn: (tx: Tx) => Promise<T>, opts: TxOptions & { bulk?: BulkAudit } = {}): Promise<T> {
    let builder = this.kysely.transaction();
    const readOnly = isReadOnlyRole(actor.role);
    if (readOnly) builder = builder.setAccessMode('read only');
    const [text, values] = scopeStatements(actor, opts);
    // BEGIN, the role and the settings in one round trip (see ScopeDialect); the parameterised statements only for a
    // value that cannot be written as a literal.
    const settings = inlined(text, values);
    const begin = settings && `${readOnly ? 'begin read only' : 'begin'}; set local role tuopin_app; ${settings}`;
    return opening.run({ begin }, () => openTracked((bind) => builder.execute(async (tx) => {
      bind(tx);
      if (!begin) {
        await sql`set local role tuopin_app`.execute(tx);
        await tx.executeQuery(CompiledQuery.raw(text, values));
      }
      if (opts.bulk) await beginBulkAudit(rawClient(tx), opts.bulk);
      return fn(tx);
    })));
  }

  async system<T>(actor: SystemActor, fn: (tx: Tx) => Promise<T>, opts: TxOptions = {}): Promise<T> {
    const text = `select set_config('tuopin.actor_id', $1, true), set_config('tuopin.actor_name', $2, true),
                         set_config('tuopin.ip', $3, true), set_config('tuopin.reason', $4, true)`;
    const values = [actor.userId != null ? String(actor.userId) : '', actor.name, actor.ip ?? '', opts.reason ?? ''];
    const settings = inlined(text, values);
    return opening.run({ begin: settings && `begin; ${settings}` }, () => openTracked((bind) => this.kysely.transaction().execute(async (tx) => {
      bind(tx);
      if (!settings) await tx.executeQuery(CompiledQuery.raw(text, values));
      return fn(tx);
    })));
  }

  /**
   * One read outside any transaction, as the owning role: no row-level security and no audit context (reads are not
   * audited). For the session check of every request only (one statement instead of a transaction of five).
   */
  read<T>(fn: (db: Kysely<DB>) => Promise<T>): Promise<T> {
    return opening.run({ begin: null }, () => fn(this.kysely));
  }

  async migrate(): Promise<string[]> {
    const migrator = new Migrator({ db: this.kysely, provider: { getMigrations: async () => migrations } });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    // No audit trigger may trust the bulk flag alone, whichever migration created it (idempotent, see 0017).
    await sql`select audit_secure_triggers()`.execute(this.kysely);
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

/** The first statement of the transaction being opened in this async context (`scoped`, `system`; see ScopeDialect). */
const opening = new AsyncLocalStorage<{ begin: string | null }>();

/**
 * Kysely's PostgreSQL dialect whose transactions begin with the statement that `scoped`/`system` prepared: BEGIN, the
 * role and the scope and audit settings sent together as one simple-protocol query (one round trip instead of three).
 * The statement is used once; a transaction opened otherwise begins as Kysely begins it.
 */
class ScopeDialect extends PostgresDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    const begin = driver.beginTransaction.bind(driver);
    driver.beginTransaction = async (connection, settings) => {
      const s = opening.getStore();
      if (!s?.begin) return begin(connection, settings);
      const text = s.begin;
      s.begin = null;
      await connection.executeQuery(CompiledQuery.raw(text));
    };
    return driver;
  }
}

/**
 * `text` with its parameters $1… written as string literals (quotes and backslashes escaped as pg's escapeLiteral
 * does), for a simple-protocol query; null when a value holds a NUL character, which no literal can carry.
 */
function inlined(text: string, values: readonly string[]): string | null {
  if (values.some((v) => v.includes('\0'))) return null;
  return text.replace(/\$(\d+)/g, (_, n: string) => pg.escapeLiteral(values[Number(n) - 1]!));
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
