import crypto from 'node:crypto';
import { NATION_CODE } from '@tuopin/domain';
import type { Deps } from './context';
import { hashPassword } from './auth.service';
import { loadRegions } from './region-loader';
import { DEMO_REGION, loadDemoData } from '../generate/index';
import { ensureBuiltInRules, type RulesService } from './rules.service';
import { currentYearInChina } from '../clock';

/**
 * First-start work: regions of the default province, the first administrator, the built-in warning rules and the
 * demo registry. Returns whether the demo registry was loaded now (the caller then runs the warning rules on it,
 * once the job queue is up, so that a new installation also shows clues).
 */
export async function bootstrap(d: Deps, log: (msg: string) => void): Promise<{ demoLoaded: boolean }> {
  const { db, repos, config } = d;
  const regionCount = await db.system({ name: 'bootstrap' }, (tx) => repos.regions.countLoaded(tx));
  if (regionCount === 0) {
    const t = Date.now();
    const n = await loadRegions(db, config.defaultProvince);
    log(`loaded ${n} regions of province ${config.defaultProvince} in ${Date.now() - t} ms`);
  }
  const users = await db.system({ name: 'bootstrap' }, (tx) => repos.users.countAll(tx));
  if (users === 0) {
    const generated = !config.adminPassword;
    const password = config.adminPassword ?? `Tp${crypto.randomBytes(9).toString('base64url')}9`;
    const passwordHash = await hashPassword(password);
    await db.system({ name: 'bootstrap' }, (tx) =>
      repos.users.insert(tx, {
        username: 'admin', displayName: '系统管理员', role: 'system_admin', regionCode: NATION_CODE, phone: null,
        passwordHash, mustChangePassword: generated,
      }),
    { reason: '首次启动创建管理员' });
    if (generated) {
      log('='.repeat(64));
      log(`  First start: administrator created.  username: admin   password: ${password}`);
      log('  This password is shown only once; you will be asked to change it at first login.');
      log('='.repeat(64));
    } else {
      log('First start: administrator "admin" created with the password from ADMIN_PASSWORD.');
    }
  }
  const rules = await ensureBuiltInRules(d);
  if (rules) log(`added ${rules} built-in warning rules`);
  if (config.demoData && regionCount === 0) {
    const t = Date.now();
    const r = await loadDemoData(db);
    if (r) log(`demo registry loaded: ${r.households} households, ${r.persons} persons of 清河区 in ${Date.now() - t} ms (TUOPIN_DEMO_DATA=false to skip)`);
    return { demoLoaded: !!r };
  }
  return { demoLoaded: false };
}

/**
 * The demo registry's first warning run, queued as the administrator "admin" (once the job queue is up), so that the
 * clue inbox of a new installation is not empty. Nothing when that account is gone or not active.
 */
export async function startDemoWarningRun(d: Deps, rules: RulesService, log: (msg: string) => void): Promise<void> {
  const admin = await d.db.system({ name: 'bootstrap' }, (tx) => d.repos.users.actorByUsername(tx, 'admin'));
  if (!admin || admin.status !== 'active') return;
  const run = await rules.start(
    { id: admin.id, username: admin.username, role: admin.role, regionCode: admin.region_code, ip: null },
    { regionCode: `${DEMO_REGION}000000`, year: currentYearInChina() },
  );
  log(`warning rules queued on the demo registry (run ${run.id})`);
}
