import { sql, type Kysely } from 'kysely';
import type { Tx } from '../db/database';
import type { DB } from '../db/schema';

export interface SessionRow {
  id: string;
  user_id: number;
  csrf_token: string;
  expires_at: Date;
}

export interface LiveSessionRow {
  id: string;
  user_id: number;
  csrf_token: string;
  stale: boolean;
  username: string;
  role: string;
  region_code: string;
  status: string;
  must_change_password: boolean;
}

/** Sessions; used only inside system transactions by the authentication service. */
export class SessionsRepository {
  async create(tx: Tx, s: { id: string; userId: number; csrfToken: string; ip: string | null; userAgent: string | null; hours: number }): Promise<void> {
    await tx
      .insertInto('sessions')
      .values({
        id: s.id, user_id: s.userId, csrf_token: s.csrfToken, ip: s.ip, user_agent: s.userAgent,
        expires_at: sql`now() + make_interval(hours => ${s.hours})`,
      })
      .execute();
  }

  /**
   * A live session with its user, in one read (the check of every request: no transaction, no write). `stale` when it
   * was last touched more than a minute ago, so that the sliding expiry is written at most once a minute.
   */
  async findLive(db: Kysely<DB>, id: string): Promise<LiveSessionRow | undefined> {
    const r = await sql<LiveSessionRow>`
      select s.id, s.user_id, s.csrf_token, s.last_seen_at < now() - interval '1 minute' as stale,
             u.username, u.role, u.region_code, u.status, u.must_change_password
        from sessions s join users u on u.id = s.user_id
       where s.id = ${id} and s.expires_at > now()`.execute(db);
    return r.rows[0];
  }

  /** A live session; its expiry slides forward on use. */
  async touch(tx: Tx, id: string, hours: number): Promise<SessionRow | undefined> {
    const r = await sql<SessionRow>`
      update sessions set last_seen_at = now(), expires_at = greatest(expires_at, now() + make_interval(hours => ${hours}))
       where id = ${id} and expires_at > now()
      returning id, user_id, csrf_token, expires_at`.execute(tx);
    return r.rows[0];
  }

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async deleteForUser(tx: Tx, userId: number, exceptId?: string): Promise<void> {
    let q = tx.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptId) q = q.where('id', '<>', exceptId);
    await q.execute();
  }

  async deleteExpired(tx: Tx): Promise<void> {
    await tx.deleteFrom('sessions').where('expires_at', '<', sql<Date>`now()`).execute();
  }
}
