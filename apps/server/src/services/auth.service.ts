import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { passwordProblem, permissionsOf, type Me, type Role } from '@tuopin/domain';
import type { Actor } from '../db/database';
import { AppError, invalid } from '../errors';
import type { Deps } from './context';

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
  constructor(private readonly d: Deps) {}

  async login(input: { username: string; password: string; ip: string | null; userAgent: string | null }): Promise<{ token: string; session: Session }> {
    const { db, repos, config } = this.d;
    const username = input.username.trim();
    const user = await db.system({ name: username, ip: input.ip }, (tx) => repos.users.findForLogin(tx, username));
    if (!user) {
      dummyHash ??= hashPassword('not-a-real-password-0');
      await verify(await dummyHash, input.password).catch(() => false);
      await db.system({ name: username, ip: input.ip }, (tx) =>
        repos.audit.append(tx, { action: 'login_failed', entity: 'users', entityId: null, regionCode: null, after: { username } }),
      );
      throw new AppError(401, 'UNAUTHENTICATED', '用户名或密码错误');
    }
    const who = { name: user.username, ip: input.ip, userId: user.id };
    if (user.locked_until && new Date(user.locked_until) > new Date()) {
      const minutes = Math.ceil((new Date(user.locked_until).getTime() - Date.now()) / 60000);
      throw new AppError(423, 'LOCKED', `登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试或联系管理员解锁`);
    }
    const ok = await verify(user.password_hash, input.password).catch(() => false);
    if (!ok) {
      const lockedUntil = await db.system(who, async (tx) => {
        const until = await repos.users.recordFailure(tx, user.id, config.lockoutThreshold, config.lockoutMinutes);
        const locked = until !== null && new Date(until) > new Date();
        await repos.audit.append(tx, {
          action: locked ? 'account_locked' : 'login_failed', entity: 'users', entityId: String(user.id), regionCode: user.region_code,
        });
        return locked ? until : null;
      });
      if (lockedUntil) throw new AppError(423, 'LOCKED', `登录失败次数过多，账号已锁定 ${config.lockoutMinutes} 分钟`);
      const left = config.lockoutThreshold - (user.failed_attempts + 1);
      throw new AppError(401, 'UNAUTHENTICATED', left > 0 && left <= 3 ? `用户名或密码错误，再失败 ${left} 次账号将被锁定` : '用户名或密码错误');
    }
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

  async changePassword(session: Session, ip: string | null, currentPassword: string, newPassword: string): Promise<void> {
    const { db, repos } = this.d;
    const who = { name: session.actor.username, ip, userId: session.actor.id };
    const user = await db.system(who, (tx) => repos.users.findAuthById(tx, session.actor.id));
    if (!user || !(await verify(user.password_hash, currentPassword).catch(() => false))) {
      throw invalid('body.currentPassword', '当前密码不正确');
    }
    const problem = passwordProblem(newPassword, user.username);
    if (problem) throw invalid('body.newPassword', problem);
    if (newPassword === currentPassword) throw invalid('body.newPassword', '新密码不能与当前密码相同');
    const passwordHash = await hashPassword(newPassword);
    await db.system(
      who,
      async (tx) => {
        await repos.users.update(tx, user.id, { passwordHash, mustChangePassword: false });
        await repos.sessions.deleteForUser(tx, user.id, session.id);
      },
      { reason: '用户修改本人密码' },
    );
  }
}
