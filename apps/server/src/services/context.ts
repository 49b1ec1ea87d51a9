import type { Database } from '../db/database';
import { AuditRepository } from '../repositories/audit.repository';
import { RegionsRepository } from '../repositories/regions.repository';
import { SessionsRepository } from '../repositories/sessions.repository';
import { UsersRepository } from '../repositories/users.repository';
import type { Config } from '../config';

/** Everything a service needs; built once per process (or per test database). */
export interface Deps {
  db: Database;
  config: Config;
  repos: {
    regions: RegionsRepository;
    users: UsersRepository;
    sessions: SessionsRepository;
    audit: AuditRepository;
  };
}

export function createDeps(db: Database, config: Config): Deps {
  return {
    db,
    config,
    repos: {
      regions: new RegionsRepository(),
      users: new UsersRepository(),
      sessions: new SessionsRepository(),
      audit: new AuditRepository(),
    },
  };
}

/** PostgreSQL error fields we react to. */
export function pgError(e: unknown): { code?: string; constraint?: string } {
  return typeof e === 'object' && e !== null ? (e as { code?: string; constraint?: string }) : {};
}
