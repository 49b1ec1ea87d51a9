import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Config {
  port: number;
  host: string;
  /** External PostgreSQL; when absent an embedded server is started under dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  embeddedPort: number;
  webDist: string;
  adminPassword: string | null;
  /** Province (2 digits) whose regions are loaded on first start. */
  defaultProvince: string;
  /** 'auto': Secure cookies on https and on localhost; true/false force it. */
  cookieSecure: 'auto' | boolean;
  trustProxy: boolean;
  sessionHours: number;
  loginRateLimitPerMinute: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  logLevel: string;
  /** Load the demo registry (about 4,000 persons of 清河区) on first start when the registry is empty. */
  demoData: boolean;
}

function bool(v: string | undefined, d: boolean): boolean {
  if (v === undefined || v === '') return d;
  return ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.TUOPIN_DATA_DIR ?? path.join(ROOT_DIR, 'data'));
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || null,
    dataDir,
    embeddedPort: Number(env.TUOPIN_PG_PORT ?? 54320),
    webDist: path.resolve(env.TUOPIN_WEB_DIST ?? path.join(ROOT_DIR, 'apps/web/dist')),
    adminPassword: env.ADMIN_PASSWORD || null,
    defaultProvince: env.TUOPIN_PROVINCE ?? '21',
    cookieSecure: env.COOKIE_SECURE === undefined || env.COOKIE_SECURE === 'auto' ? 'auto' : bool(env.COOKIE_SECURE, false),
    trustProxy: bool(env.TRUST_PROXY, false),
    sessionHours: Number(env.SESSION_HOURS ?? 12),
    loginRateLimitPerMinute: Number(env.LOGIN_RATE_LIMIT ?? 20),
    lockoutThreshold: Number(env.LOCKOUT_THRESHOLD ?? 5),
    lockoutMinutes: Number(env.LOCKOUT_MINUTES ?? 15),
    logLevel: env.LOG_LEVEL ?? 'info',
    demoData: bool(env.TUOPIN_DEMO_DATA, true),
  };
}
