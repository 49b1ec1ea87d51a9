import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { permissionsOf, type Me, type Role } from '@tuopin/domain';
import { passwordProblem } from '@tuopin/domain/password';
import type { Actor } from '../db/database';
import { appError, fieldError, fieldErrorOf } from '../errors';
import type { Deps } from './context';
import { LoginThrottle, normaliseName } from './login-throttle';

export interface Session {
  id: string;
  csrfToken: string;
  mustChangePassword: boolean;
  actor: Omit<Actor, 'ip'>;
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const token = () => crypto.randomBytes(32).toString('base64url');

// A valid hash to verify against when the user does not exist, so both paths take the same time.
let dummyHash: Promise<string> | null = null;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
}


export class AuthService {
  private readonly throttle: LoginThrottle;
  /** Sessions whose sliding expiry is being written: one write per session at a time, the other requests go on. */
  private readonly touching = new Set<string>();

  constructor(private readonly d: Deps) {
    this.throttle = new LoginThrottle({ perAccountPerMinute: d.config.loginRateLimitPerMinute, addressFreeFailures: d.config.loginAddressFreeFailures });
    dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  }

  /**
   * Logs in. An unknown user name gets exactly the answers of a known one — the same messages and statuses, the
   * lock-out warning and the lock itself (counted in login_failures under the normalised name), and the same work
   * (an argon2 verify against a dummy hash) — so neither the answer nor its timing tells which names exist.
   */
  async login(input: { username: string; password: string; ip: string | null; userAgent: string | null }): Promise<{ token: string; session: Session }> {
    const { db, repos, config } = this.d;
    const username = input.username.trim();
    const name = normaliseName(username);
    const wait = this.throttle.admit(input.ip, name);
    if (wait > 0) throw appError('auth.loginRateLimited', { seconds: wait });
    const { user, failures } = await db.system({ name: username, ip: input.ip }, async (tx) => {
      const u = await repos.users.findForLogin(tx, username);
      return { user: u, failures: u ? { failed_attempts: u.failed_attempts, lock_minutes: u.lock_minutes } : await repos.users.nameFailures(tx, name) };
    });
    // the minutes left are counted by the database's clock, which set the lock (users.repository lockMinutesLeft)
    if (failures.lock_minutes !== null) throw appError('auth.lockedFor', { minutes: failures.lock_minutes });
    const ok = await verify(user ? user.password_hash : await dummyHash!, input.password).catch(() => false);
    if (!user || !ok) {
      this.throttle.failed(input.ip, name);
      const who = user ? { name: user.username, ip: input.ip, userId: user.id } : { name: username, ip: input.ip };
      const after = await db.system(who, async (tx) => {
        const f = user
          ? await repos.users.recordFailure(tx, user.id, config.lockoutThreshold, config.lockoutMinutes)
          : await repos.users.recordNameFailure(tx, name, config.lockoutThreshold, config.lockoutMinutes);
        await repos.audit.append(tx, {
          action: f.lock_minutes !== null ? 'account_locked' : 'login_failed', entity: 'users',
          entityId: user ? user.id : null, regionCode: user ? user.region_code : null, ...(!user && { after: { username } }),
        });
        return f;
      });
      if (after.lock_minutes !== null) throw appError('auth.lockedNow', { minutes: config.lockoutMinutes });
      const left = config.lockoutThreshold - after.failed_attempts;
      throw left > 0 && left <= 3 ? appError('auth.wrongCredentialsLeft', { left }) : appError('auth.wrongCredentials');
    }
    this.throttle.succeeded(input.ip, name);
    const who = { name: user.username, ip: input.ip, userId: user.id };
    if (user.status !== 'active') throw appError('auth.disabled');
    const t = token();
    const session: Session = {
      id: sha256(t),
      csrfToken: token(),
      mustChangePassword: user.must_change_password,
      actor: { id: user.id, username: user.username, role: user.role, regionCode: user.region_code },
    };
    await db.system(who, async (tx) => {
      await repos.users.recordSuccess(tx, user.id);
      await repos.sessions.deleteExpired(tx);
      await repos.sessions.create(tx, { id: session.id, userId: user.id, csrfToken: session.csrfToken, ip: input.ip, userAgent: input.userAgent, hours: config.sessionHours });
      await repos.audit.append(tx, { action: 'login', entity: 'users', entityId: user.id, regionCode: user.region_code });
    });
    return { token: t, session };
  }

  /**
   * The session behind a cookie token, or null when it is unknown, expired, or its user is disabled. Read on every
   * request (one statement, nothing cached: a logout, a lock, a disabled user or a password change takes effect on
   * the next request); the sliding expiry is written only when the session was last touched over a minute ago.
   */
  async session(cookieToken: string): Promise<Session | null> {
    const { db, repos, config } = this.d;
    const s = await db.read((q) => repos.sessions.findLive(q, sha256(cookieToken)));
    if (!s || s.status !== 'active') return null;
    if (s.stale && !this.touching.has(s.id)) {
      this.touching.add(s.id);
      try {
        if (!(await db.system({ name: 'session' }, (tx) => repos.sessions.touch(tx, s.id, config.sessionHours)))) return null;
      } finally {
        this.touching.delete(s.id);
      }
    }
    return {
      id: s.id,
      csrfToken: s.csrf_token,
      mustChangePassword: s.must_change_password,
      actor: { id: s.user_id, username: s.username, role: s.role as Role, regionCode: s.region_code },
    };
  }

  async me(session: Session): Promise<Me> {
    const { db, repos } = this.d;
    const u = await db.system({ name: 'session' }, async (tx) => {
      const user = await repos.users.findAuthById(tx, session.actor.id);
      const region = await repos.regions.get(tx, session.actor.regionCode);
      return user && region ? { user, region } : null;
    });
    if (!u) throw appError('auth.sessionEnded');
    return {
      id: u.user.id,
      username: u.user.username,
      displayName: u.user.display_name,
      role: u.user.role,
      region: { code: u.region.code, name: u.region.name, fullName: u.region.fullName, level: u.region.level },
      permissions: permissionsOf(u.user.role),
      mustChangePassword: u.user.must_change_password,
      csrfToken: session.csrfToken,
    };
  }

  async logout(session: Session, ip: string | null): Promise<void> {
    const { db, repos } = this.d;
    await db.system({ name: session.actor.username, ip, userId: session.actor.id }, async (tx) => {
      await repos.sessions.delete(tx, session.id);
      await repos.audit.append(tx, { action: 'logout', entity: 'users', entityId: session.actor.id, regionCode: session.actor.regionCode });
    });
  }

  /**
   * Changes one's own password. A wrong current password counts as a failed login of the account: the same
   * warnings, and the same lock, which also ends the account's sessions (a stolen session cannot guess on).
   */
  async changePassword(session: Session, ip: string | null, currentPassword: string, newPassword: string): Promise<void> {
    const { db, repos, config } = this.d;
    const who = { name: session.actor.username, ip, userId: session.actor.id };
    const user = await db.system(who, (tx) => repos.users.findAuthById(tx, session.actor.id));
    if (!user) throw appError('auth.sessionEnded');
    if (user.lock_minutes !== null) throw appError('auth.passwordLockedFor', { minutes: user.lock_minutes });
    if (!(await verify(user.password_hash, currentPassword).catch(() => false))) {
      const after = await db.system(who, async (tx) => {
        const f = await repos.users.recordFailure(tx, user.id, config.lockoutThreshold, config.lockoutMinutes);
        const locked = f.lock_minutes !== null;
        if (locked) await repos.sessions.deleteForUser(tx, user.id);
        await repos.audit.append(tx, {
          action: locked ? 'account_locked' : 'password_change_failed', entity: 'users', entityId: user.id, regionCode: user.region_code,
        });
        return f;
      });
      if (after.lock_minutes !== null) {
        throw appError('auth.passwordLockedNow', { minutes: config.lockoutMinutes });
      }
      const left = config.lockoutThreshold - after.failed_attempts;
      throw left > 0 && left <= 3 ? fieldError('body.currentPassword', 'auth.currentPasswordWrongLeft', { left }) : fieldError('body.currentPassword', 'auth.currentPasswordWrong');
    }
    const problem = passwordProblem(newPassword, { username: user.username, displayName: user.display_name });
    if (problem) throw fieldErrorOf('body.newPassword', problem);
    if (newPassword === currentPassword) throw fieldError('body.newPassword', 'auth.samePassword');
    const passwordHash = await hashPassword(newPassword);
    await db.system(
      who,
      async (tx) => {
        await repos.users.update(tx, user.id, { passwordHash, mustChangePassword: false, unlock: true });
        await repos.sessions.deleteForUser(tx, user.id, session.id);
      },
      { reason: '用户修改本人密码' },
    );
  }
}
