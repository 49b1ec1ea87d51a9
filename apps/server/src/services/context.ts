import type { Database } from '../db/database';
import type { AssistanceRepository } from '../repositories/assistance.repository';
import type { AuditRepository } from '../repositories/audit.repository';
import type { ImportsRepository } from '../repositories/import.repository';
import type { MonitoringRepository } from '../repositories/monitoring.repository';
import type { PolicyRepository } from '../repositories/policy.repository';
import type { QualityRepository } from '../repositories/quality.repository';
import type { RegionsRepository } from '../repositories/regions.repository';
import type { RegistryRepository } from '../repositories/registry.repository';
import type { RulesRepository } from '../repositories/rules.repository';
import type { RunsRepository } from '../repositories/runs.repository';
import type { SessionsRepository } from '../repositories/sessions.repository';
import type { UsersRepository } from '../repositories/users.repository';
import type { Config } from '../config';

/**
 * Everything a service needs: the database, the configuration and every repository, each built once by the container
 * (`services/container.ts`, `createDeps`). A service takes its repositories from here and never constructs one.
 */
export interface Deps {
  db: Database;
  config: Config;
  repos: Repositories;
}

export interface Repositories {
  regions: RegionsRepository;
  users: UsersRepository;
  sessions: SessionsRepository;
  audit: AuditRepository;
  registry: RegistryRepository;
  policy: PolicyRepository;
  quality: QualityRepository;
  imports: ImportsRepository;
  rules: RulesRepository;
  runs: RunsRepository;
  monitoring: MonitoringRepository;
  assistance: AssistanceRepository;
}

/** PostgreSQL error fields we react to. */
export function pgError(e: unknown): { code?: string; constraint?: string } {
  return typeof e === 'object' && e !== null ? (e as { code?: string; constraint?: string }) : {};
}
