import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { permissionsOf, type Me, type Role } from '@tuopin/domain';
import { validatePassword } from '@tuopin/domain/password';
import type { Actor } from '../db/database';
import { AppError, invalid } from '../errors';
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

const minutesUntil = (d: Date) => Math.max(1, Math.ceil((new Date(d).getTime() - Date.now()) / 60000));
const isLocked = (d: Date | null): d is Date => d !== null && new Date(d) > new Date();

export class AuthService {
  private readonly throttle: LoginThrottle;

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
    if (wait > 0) throw new AppError(429, 'RATE_LIMITED', `登录尝试过于频繁，请 ${wait} 秒后再试`);
    const { user, failures } = await db.system({ name: username, ip: input.ip }, async (tx) => {
      const u = await repos.users.findForLogin(tx, username);
      return { user: u, failures: u ? { failed_attempts: u.failed_attempts, locked_until: u.locked_until } : await repos.users.nameFailures(tx, name) };
    });
    if (isLocked(failures.locked_until)) {
      throw new AppError(423, 'LOCKED', `登录失败次数过多，账号已锁定，请 ${minutesUntil(failures.locked_until)} 分钟后再试或联系管理员解锁`);
    }
    const ok = await verify(user ? user.password_hash : await dummyHash!, input.password).catch(() => false);
    if (!user || !ok) {
      this.throttle.failed(input.ip, name);
      const who = user ? { name: user.username, ip: input.ip, userId: user.id } : { name: username, ip: input.ip };
      const after = await db.system(who, async (tx) => {
        const f = user
          ? await repos.users.recordFailure(tx, user.id, config.lockoutThreshold, config.lockoutMinutes)
          : await repos.users.recordNameFailure(tx, name, config.lockoutThreshold, config.lockoutMinutes);
        await repos.audit.append(tx, {
          action: isLocked(f.locked_until) ? 'account_locked' : 'login_failed', entity: 'users',
          entityId: user ? String(user.id) : null, regionCode: user ? user.region_code : null, ...(!user && { after: { username } }),
        });
        return f;
      });
      if (isLocked(after.locked_until)) throw new AppError(423, 'LOCKED', `登录失败次数过多，账号已锁定 ${config.lockoutMinutes} 分钟`);
      const left = config.lockoutThreshold - after.failed_attempts;
      throw new AppError(401, 'UNAUTHENTICATED', left > 0 && left <= 3 ? `用户名或密码错误，再失败 ${left} 次账号将被锁定` : '用户名或密码错误');
    }
    this.throttle.succeeded(input.ip, name);
    const who = { name: user.username, ip: input.ip, userId: user.id };
    if (user.status !== 'active') throw new AppError(403, 'FORBIDDEN', '账号已停用，请联系管理员');
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
      await repos.audit.append(tx, { action: 'login', entity: 'users', entityId: String(user.id), regionCode: user.region_code });
    });
    return { token: t, session };
  }

  /** The session behind a cookie token, or null when it is unknown, expired, or its user is disabled. */
  async session(cookieToken: string): Promise<Session | null> {
    const { db, repos, config } = this.d;
    return db.system({ name: 'session' }, async (tx) => {
      const s = await repos.sessions.touch(tx, sha256(cookieToken), config.sessionHours);
      if (!s) return null;
      const u = await repos.users.findAuthById(tx, s.user_id);
      if (!u || u.status !== 'active') return null;
      return {
        id: s.id,
        csrfToken: s.csrf_token,
        mustChangePassword: u.must_change_password,
        actor: { id: u.id, username: u.username, role: u.role as Role, regionCode: u.region_code },
      };
    });
  }

  async me(session: Session): Promise<Me> {
    const { db, repos } = this.d;
    const u = await db.system({ name: 'session' }, async (tx) => {
      const user = await repos.users.findAuthById(tx, session.actor.id);
      const region = await repos.regions.get(tx, session.actor.regionCode);
      return user && region ? { user, region } : null;
    });
    if (!u) throw new AppError(401, 'UNAUTHENTICATED', '登录已失效，请重新登录');
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
      await repos.audit.append(tx, { action: 'logout', entity: 'users', entityId: String(session.actor.id), regionCode: session.actor.regionCode });
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
    if (!user) throw new AppError(401, 'UNAUTHENTICATED', '登录已失效，请重新登录');
    if (isLocked(user.locked_until)) {
      throw new AppError(423, 'LOCKED', `密码错误次数过多，账号已锁定，请 ${minutesUntil(user.locked_until)} 分钟后再试或联系管理员解锁`);
    }
    if (!(await verify(user.password_hash, currentPassword).catch(() => false))) {
      const after = await db.system(who, async (tx) => {
        const f = await repos.users.recordFailure(tx, user.id, config.lockoutThreshold, config.lockoutMinutes);
        const locked = isLocked(f.locked_until);
        if (locked) await repos.sessions.deleteForUser(tx, user.id);
        await repos.audit.append(tx, {
          action: locked ? 'account_locked' : 'password_change_failed', entity: 'users', entityId: String(user.id), regionCode: user.region_code,
        });
        return f;
      });
      if (isLocked(after.locked_until)) {
        throw new AppError(423, 'LOCKED', `当前密码错误次数过多，账号已锁定 ${config.lockoutMinutes} 分钟，请稍后重新登录`);
      }
      const left = config.lockoutThreshold - after.failed_attempts;
      throw invalid('body.currentPassword', left > 0 && left <= 3 ? `当前密码不正确，再失败 ${left} 次账号将被锁定` : '当前密码不正确');
    }
    const problem = validatePassword(newPassword, { username: user.username, displayName: user.display_name });
    if (problem) throw invalid('body.newPassword', problem);
    if (newPassword === currentPassword) throw invalid('body.newPassword', '新密码不能与当前密码相同');
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
