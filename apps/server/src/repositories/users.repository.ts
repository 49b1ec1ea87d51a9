import { sql, type SelectQueryBuilder } from 'kysely';
import type { Role, User } from '@tuopin/domain';
import type { Tx } from '../db/database';
import type { DB } from '../db/schema';

export interface UserFilter {
  regionPrefix?: string;
  q?: string;
  role?: Role;
  status?: 'active' | 'disabled';
}

export interface UserAuthRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  region_code: string;
  password_hash: string;
  status: string;
  must_change_password: boolean;
  failed_attempts: number;
  /** Minutes left of a lock in force (lockMinutesLeft), null when the account is not locked */
  lock_minutes: number | null;
}

/**
 * The whole minutes left of the lock in `column` by the database's clock — the clock that set it, so the answer
 * does not depend on the application's clock agreeing with the database's — at least 1; null when no lock is in force.
 */
const lockMinutesLeft = (column: string) =>
  sql<number | null>`case when ${sql.ref(column)} > now() then greatest(1, ceil(extract(epoch from ${sql.ref(column)} - now()) / 60))::int end`;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function baseQuery(tx: Tx) {
  return tx
    .selectFrom('users as u')
    .innerJoin('regions as r', 'r.code', 'u.region_code')
    .select([
      'u.id', 'u.username', 'u.display_name', 'u.role', 'u.phone', 'u.status', 'u.must_change_password',
      sql<Date | null>`case when u.locked_until > now() then u.locked_until end`.as('locked_until'), 'u.last_login_at', 'u.created_at', 'r.code as region_code', 'r.name as region_name',
      'r.full_name as region_full_name', 'r.level as region_level',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function toUser(r: Row): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    region: { code: r.region_code, name: r.region_name, fullName: r.region_full_name, level: r.region_level },
    phone: r.phone,
    status: r.status as 'active' | 'disabled',
    mustChangePassword: r.must_change_password,
    lockedUntil: iso(r.locked_until),
    lastLoginAt: iso(r.last_login_at),
    createdAt: iso(r.created_at)!,
  };
}

function applyFilter<O>(q: SelectQueryBuilder<DB & { u: DB['users']; r: DB['regions'] }, 'u' | 'r', O>, f: UserFilter) {
  if (f.regionPrefix) q = q.where('u.region_code', 'like', `${f.regionPrefix}%`);
  if (f.role) q = q.where('u.role', '=', f.role);
  if (f.status) q = q.where('u.status', '=', f.status);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'like', like)]));
  }
  return q;
}

/** Users. Row-level security limits reads and writes to the caller's scope; login lookups run in system transactions. */
/** Failed logins of an account or of a name that is not one. */
export interface LoginFailure {
  failed_attempts: number;
  /** Minutes left of a lock in force (by the database's clock), null when not locked */
  lock_minutes: number | null;
}

export class UsersRepository {
  async list(tx: Tx, f: UserFilter, offset: number, limit: number): Promise<{ items: User[]; total: number }> {
    const rows = await applyFilter(baseQuery(tx), f).orderBy('u.region_code').orderBy('u.id').offset(offset).limit(limit).execute();
    const total = await applyFilter(
      tx.selectFrom('users as u').innerJoin('regions as r', 'r.code', 'u.region_code').select((eb) => eb.fn.countAll<number>().as('n')),
      f,
    ).executeTakeFirstOrThrow();
    return { items: rows.map(toUser), total: Number(total.n) };
  }

  /** Streams the filtered list in region order, a batch at a time. */
  async *stream(tx: Tx, f: UserFilter): AsyncGenerator<User> {
    for await (const r of applyFilter(baseQuery(tx), f).orderBy('u.region_code').orderBy('u.id').stream(500)) yield toUser(r);
  }

  async get(tx: Tx, id: number): Promise<User | undefined> {
    const r = await baseQuery(tx).where('u.id', '=', id).executeTakeFirst();
    return r ? toUser(r) : undefined;
  }

  async insert(
    tx: Tx,
    v: { username: string; displayName: string; role: Role; regionCode: string; phone: string | null; passwordHash: string; mustChangePassword: boolean },
  ): Promise<number> {
    const r = await tx
      .insertInto('users')
      .values({
        username: v.username, display_name: v.displayName, role: v.role, region_code: v.regionCode, phone: v.phone,
        password_hash: v.passwordHash, must_change_password: v.mustChangePassword,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async update(
    tx: Tx,
    id: number,
    patch: Partial<{ displayName: string; role: Role; regionCode: string; phone: string | null; status: string; passwordHash: string; mustChangePassword: boolean; unlock: boolean }>,
  ): Promise<boolean> {
    const r = await tx
      .updateTable('users')
      .set({
        ...(patch.displayName !== undefined && { display_name: patch.displayName }),
        ...(patch.role !== undefined && { role: patch.role }),
        ...(patch.regionCode !== undefined && { region_code: patch.regionCode }),
        ...(patch.phone !== undefined && { phone: patch.phone }),
        ...(patch.status !== undefined && { status: patch.status }),
        ...(patch.passwordHash !== undefined && { password_hash: patch.passwordHash, password_changed_at: sql`now()` }),
        ...(patch.mustChangePassword !== undefined && { must_change_password: patch.mustChangePassword }),
        ...(patch.unlock && { failed_attempts: 0, locked_until: null }),
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async countByRole(tx: Tx, regionPrefix: string): Promise<{ role: Role; count: number; active: number }[]> {
    const rows = await tx
      .selectFrom('users')
      .select(['role', (eb) => eb.fn.countAll<number>().as('count'), sql<number>`count(*) filter (where status = 'active')`.as('active')])
      .where('region_code', 'like', `${regionPrefix}%`)
      .groupBy('role')
      .execute();
    return rows.map((r) => ({ role: r.role as Role, count: Number(r.count), active: Number(r.active) }));
  }

  // ---- system-only (authentication) ------------------------------------------------------

  /** Who a user acts as (id, name, role, home region) and whether the account is active; bootstrap only. */
  async actorByUsername(tx: Tx, username: string): Promise<{ id: number; username: string; role: Role; region_code: string; status: string } | undefined> {
    const r = await tx.selectFrom('users').select(['id', 'username', 'role', 'region_code', 'status']).where('username', '=', username).executeTakeFirst();
    return r && { ...r, role: r.role as Role };
  }

  async findForLogin(tx: Tx, username: string): Promise<UserAuthRow | undefined> {
    const r = await tx
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'role', 'region_code', 'password_hash', 'status', 'must_change_password', 'failed_attempts', lockMinutesLeft('locked_until').as('lock_minutes')])
      .where(sql<boolean>`lower(username) = lower(${username})`)
      .executeTakeFirst();
    return r as UserAuthRow | undefined;
  }

  async findAuthById(tx: Tx, id: number): Promise<UserAuthRow | undefined> {
    const r = await tx
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'role', 'region_code', 'password_hash', 'status', 'must_change_password', 'failed_attempts', lockMinutesLeft('locked_until').as('lock_minutes')])
      .where('id', '=', id)
      .executeTakeFirst();
    return r as UserAuthRow | undefined;
  }

  /** Counts a failed login; locks the account once `threshold` failures are reached. Returns the count and the lock's minutes left. */
  async recordFailure(tx: Tx, id: number, threshold: number, lockMinutes: number): Promise<LoginFailure> {
    const r = await sql<LoginFailure>`
      update users set
        failed_attempts = failed_attempts + 1,
        locked_until = case when failed_attempts + 1 >= ${threshold} then now() + make_interval(mins => ${lockMinutes}) else locked_until end
      where id = ${id}
      returning failed_attempts, ${lockMinutesLeft('locked_until')} as lock_minutes`.execute(tx);
    return r.rows[0] ?? { failed_attempts: 0, lock_minutes: null };
  }

  /** The failure count and lock of a user name that is not an account (normalised), like the account columns. */
  async nameFailures(tx: Tx, name: string): Promise<LoginFailure> {
    const r = await sql<LoginFailure>`
      select failed_attempts, ${lockMinutesLeft('locked_until')} as lock_minutes from login_failures where name = ${name}`.execute(tx);
    return r.rows[0] ?? { failed_attempts: 0, lock_minutes: null };
  }

  /** recordFailure for a user name that is not an account; also forgets names without a failure for 30 days. */
  async recordNameFailure(tx: Tx, name: string, threshold: number, lockMinutes: number): Promise<LoginFailure> {
    await sql`delete from login_failures where last_failed_at < now() - interval '30 days'`.execute(tx);
    const r = await sql<LoginFailure>`
      insert into login_failures as f (name, failed_attempts, locked_until, last_failed_at)
      values (${name}, 1, case when 1 >= ${threshold} then now() + make_interval(mins => ${lockMinutes}) end, now())
      on conflict (name) do update set
        failed_attempts = f.failed_attempts + 1,
        locked_until = case when f.failed_attempts + 1 >= ${threshold} then now() + make_interval(mins => ${lockMinutes}) else f.locked_until end,
        last_failed_at = now()
      returning failed_attempts, ${lockMinutesLeft('locked_until')} as lock_minutes`.execute(tx);
    return r.rows[0]!;
  }

  async recordSuccess(tx: Tx, id: number): Promise<void> {
    await tx.updateTable('users').set({ failed_attempts: 0, locked_until: null, last_login_at: sql`now()` }).where('id', '=', id).execute();
  }

  async countAll(tx: Tx): Promise<number> {
    const r = await tx.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
