import {
  manageableRoles, REGION_LEVEL_LABELS, regionPrefix, ROLE_LABELS, ROLE_REGION_LEVELS, USERNAME_RE, msg,
  type Role, type User,
} from '@tuopin/domain';
import { passwordProblem } from '@tuopin/domain/password';
import type { Actor, Tx } from '../db/database';
import { appError, detail, fieldError, fieldErrorOf } from '../errors';
import { csvStream } from '../http/csv';
import { hashPassword } from './auth.service';
import { pgError, type Deps } from './context';
import type { RegionsService } from './regions.service';

export interface UserListQuery {
  regionCode?: string;
  q?: string;
  role?: Role;
  status?: 'active' | 'disabled';
  page?: number;
  pageSize?: number;
}

export class UsersService {
  constructor(private readonly d: Deps, private readonly regions: RegionsService) {}

  list(actor: Actor, q: UserListQuery) {
    return this.d.db.scoped(actor, async (tx) => {
      const regionPrefixFilter = q.regionCode ? regionPrefix((await this.regions.visible(tx, q.regionCode)).code) : undefined;
      const pageSize = q.pageSize ?? 20;
      return this.d.repos.users.list(
        tx,
        { regionPrefix: regionPrefixFilter, q: q.q?.trim() || undefined, role: q.role, status: q.status },
        ((q.page ?? 1) - 1) * pageSize,
        pageSize,
      );
    });
  }

  /** The filtered list as CSV rows; the scoped transaction stays open while the rows stream out. */
  async exportCsv(actor: Actor, q: Omit<UserListQuery, 'page' | 'pageSize'>) {
    // Refuse a region outside the scope before the first byte is sent.
    const prefix = q.regionCode ? regionPrefix((await this.d.db.scoped(actor, (tx) => this.regions.visible(tx, q.regionCode!))).code) : undefined;
    return csvStream(['用户名', '姓名', '角色', '所属区域', '区划代码', '手机号', '状态', '最近登录', '创建时间'], (write) =>
      this.d.db.scoped(actor, async (tx) => {
        for await (const u of this.d.repos.users.stream(tx, { regionPrefix: prefix, q: q.q?.trim() || undefined, role: q.role, status: q.status })) {
          await write([u.username, u.displayName, ROLE_LABELS[u.role].zh, u.region.fullName, u.region.code, u.phone, u.status === 'active' ? '启用' : '停用', u.lastLoginAt, u.createdAt]);
        }
      }),
    );
  }

  get(actor: Actor, id: number): Promise<User> {
    return this.d.db.scoped(actor, (tx) => this.visibleUser(tx, id));
  }

  async create(
    actor: Actor,
    b: { username: string; displayName: string; role: Role; regionCode: string; phone?: string | null; password: string; reason?: string },
  ): Promise<User> {
    const username = b.username.trim();
    if (!USERNAME_RE.test(username)) throw fieldError('body.username', 'auth.usernameRule');
    if (!b.displayName.trim()) throw fieldError('body.displayName', 'users.displayNameEmpty');
    this.assertManageable(actor, b.role, 'body.role');
    const problem = passwordProblem(b.password, { username, displayName: b.displayName });
    if (problem) throw fieldErrorOf('body.password', problem);
    const passwordHash = await hashPassword(b.password);
    try {
      return await this.d.db.scoped(
        actor,
        async (tx) => {
          await this.assertRegionFits(tx, b.regionCode, b.role, 'body.regionCode');
          const id = await this.d.repos.users.insert(tx, {
            username, displayName: b.displayName.trim(), role: b.role, regionCode: b.regionCode,
            phone: b.phone || null, passwordHash, mustChangePassword: true,
          });
          return this.visibleUser(tx, id);
        },
        { reason: b.reason ?? null },
      );
    } catch (e) {
      if (pgError(e).code === '23505' && pgError(e).constraint === 'users_username_uq') throw fieldError('body.username', 'users.usernameTaken', { username });
      throw e;
    }
  }

  async update(
    actor: Actor,
    id: number,
    b: { displayName?: string; role?: Role; regionCode?: string; phone?: string | null; status?: 'active' | 'disabled'; reason?: string },
  ): Promise<User> {
    const user = await this.d.db.scoped(
      actor,
      async (tx) => {
        const current = await this.visibleUser(tx, id);
        this.assertManageable(actor, current.role, 'id');
        if (id === actor.id && (b.role !== undefined || b.regionCode !== undefined || b.status !== undefined)) {
          throw appError('users.ownAccount');
        }
        if (b.status === 'disabled' && !b.reason?.trim()) throw fieldError('body.reason', 'users.disableReason');
        const role = b.role ?? current.role;
        if (b.role !== undefined) this.assertManageable(actor, b.role, 'body.role');
        if (b.regionCode !== undefined || b.role !== undefined) {
          await this.assertRegionFits(tx, b.regionCode ?? current.region.code, role, b.regionCode !== undefined ? 'body.regionCode' : 'body.role');
        }
        if (b.displayName !== undefined && !b.displayName.trim()) throw fieldError('body.displayName', 'users.displayNameEmpty');
        await this.d.repos.users.update(tx, id, {
          displayName: b.displayName?.trim(),
          role: b.role,
          regionCode: b.regionCode,
          phone: b.phone === undefined ? undefined : b.phone || null,
          status: b.status,
          unlock: b.status === 'active' ? true : undefined,
        });
        // After moving a user out of the actor's region the row is no longer visible; report what was written.
        return (await this.d.repos.users.get(tx, id)) ?? current;
      },
      { reason: b.reason ?? null },
    );
    if (b.status === 'disabled' || b.regionCode !== undefined || b.role !== undefined) await this.endSessions(actor, id);
    return user;
  }

  async resetPassword(actor: Actor, id: number, b: { newPassword: string; reason?: string }): Promise<void> {
    await this.d.db.scoped(
      actor,
      async (tx) => {
        const current = await this.visibleUser(tx, id);
        this.assertManageable(actor, current.role, 'id');
        const problem = passwordProblem(b.newPassword, { username: current.username, displayName: current.displayName });
        if (problem) throw fieldErrorOf('body.newPassword', problem);
        await this.d.repos.users.update(tx, id, { passwordHash: await hashPassword(b.newPassword), mustChangePassword: true, unlock: true });
      },
      { reason: b.reason || '管理员重置密码' },
    );
    await this.endSessions(actor, id);
  }

  private async endSessions(actor: Actor, userId: number) {
    await this.d.db.system({ name: actor.username, ip: actor.ip, userId: actor.id }, (tx) => this.d.repos.sessions.deleteForUser(tx, userId));
  }

  private async visibleUser(tx: Tx, id: number): Promise<User> {
    const u = await this.d.repos.users.get(tx, id);
    if (!u) throw appError('users.notFound');
    return u;
  }

  private assertManageable(actor: Actor, role: Role, field: string) {
    if (!manageableRoles(actor.role).includes(role)) {
      throw appError('users.roleDenied', { role: ROLE_LABELS[role] }).with({ details: [detail(field, msg('users.roleDeniedField'))] });
    }
  }

  private async assertRegionFits(tx: Tx, code: string, role: Role, field: string) {
    const region = await this.d.repos.regions.get(tx, code);
    if (!region) throw fieldError(field, 'users.regionNotFound');
    const levels = ROLE_REGION_LEVELS[role];
    if (!levels.includes(region.level as never)) {
      const names = { zh: levels.map((l) => REGION_LEVEL_LABELS[l].zh).join('或'), en: levels.map((l) => REGION_LEVEL_LABELS[l].en).join(' or ') };
      throw fieldError(field, 'users.regionLevel', { role: ROLE_LABELS[role], levels: names, region: region.fullName, level: REGION_LEVEL_LABELS[region.level as 0] });
    }
  }
}
