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
  /** Login attempts a minute for one user name from one address (LOGIN_RATE_LIMIT). */
  loginRateLimitPerMinute: number;
  /** Ceiling of login attempts a minute from one address, all names together (LOGIN_ADDRESS_RATE_LIMIT). */
  loginAddressLimitPerMinute: number;
  /** Failed logins from one address in 15 minutes before each further attempt is delayed (LOGIN_ADDRESS_FREE_FAILURES). */
  loginAddressFreeFailures: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  logLevel: string;
  /** Load the demo registry (about 4,000 persons of 清河区) on first start when the registry is empty. */
  demoData: boolean;
  /**
   * Heap limit (MB) of the process that parses and validates an upload (TUOPIN_IMPORT_PARSER_MEMORY_MB): a file that
   * needs more fails its import instead of the server. With worker threads (large uploads) the process's main thread
   * and each worker get an equal share of it.
   */
  importParserMemoryMb: number;
  /**
   * Worker threads for validating uploads of 64 MB and more (TUOPIN_IMPORT_WORKERS, default 0: none). Each worker
   * carries its own copy of the code and the households' villages, so with workers the parser process exceeds the
   * 500 MB bound at 300,000 persons (measured 468 MB for the parser alone); set 2–4 on a server with memory to spare
   * to validate very large files faster (1,000,000 persons: staging 65.8 s → 48.6 s with four).
   */
  importWorkers: number;
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
    loginAddressLimitPerMinute: Number(env.LOGIN_ADDRESS_RATE_LIMIT ?? 300),
    loginAddressFreeFailures: Number(env.LOGIN_ADDRESS_FREE_FAILURES ?? 20),
    lockoutThreshold: Number(env.LOCKOUT_THRESHOLD ?? 5),
    lockoutMinutes: Number(env.LOCKOUT_MINUTES ?? 15),
    logLevel: env.LOG_LEVEL ?? 'info',
    demoData: bool(env.TUOPIN_DEMO_DATA, true),
    importParserMemoryMb: Number(env.TUOPIN_IMPORT_PARSER_MEMORY_MB ?? 256),
    importWorkers: Number(env.TUOPIN_IMPORT_WORKERS ?? 0),
  };
}
