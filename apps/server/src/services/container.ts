/**
 * The container: builds every repository and every service once per process (or per test database) and wires them.
 * Routes take the services from `Services`; services take their repositories from `Deps.repos` and never construct
 * one. A new module adds its repository to `Repositories` (context.ts) and `createDeps`, its service to `Services`
 * and `createServices`, and its routes to app.ts.
 */
import type { Config } from '../config';
import type { Database } from '../db/database';
import { Jobs } from '../jobs';
import { AssistanceRepository } from '../repositories/assistance.repository';
import { AuditRepository } from '../repositories/audit.repository';
import { ImportsRepository } from '../repositories/import.repository';
import { MonitoringRepository } from '../repositories/monitoring.repository';
import { PolicyRepository } from '../repositories/policy.repository';
import { QualityRepository } from '../repositories/quality.repository';
import { RegionsRepository } from '../repositories/regions.repository';
import { RegistryRepository } from '../repositories/registry.repository';
import { RulesRepository } from '../repositories/rules.repository';
import { RunsRepository } from '../repositories/runs.repository';
import { SessionsRepository } from '../repositories/sessions.repository';
import { UsersRepository } from '../repositories/users.repository';
import { todayInChina } from '../clock';
import { AssistanceService } from './assistance.service';
import { AuditService } from './audit.service';
import { AuthService } from './auth.service';
import type { Deps } from './context';
import { ExitService } from './exit.service';
import { ImportService } from './import.service';
import { MonitoringService } from './monitoring.service';
import { PolicyService } from './policy.service';
import { QualityService } from './quality.service';
import { RegionsService } from './regions.service';
import { RegistryService } from './registry.service';
import { RulesService } from './rules.service';
import { Runs } from './runs';
import { UsersService } from './users.service';

export const VERSION = '0.1.0';

export interface Services {
  config: Config;
  db: Database;
  version: string;
  auth: AuthService;
  regions: RegionsService;
  users: UsersService;
  audit: AuditService;
  registry: RegistryService;
  jobs: Jobs;
  runs: Runs;
  imports: ImportService;
  quality: QualityService;
  policy: PolicyService;
  rules: RulesService;
  monitoring: MonitoringService;
  exit: ExitService;
  assistance: AssistanceService;
}

/** The database, the configuration and every repository (once). Bootstrap and command-line tasks use it alone. */
export function createDeps(db: Database, config: Config): Deps {
  return {
    db,
    config,
    repos: {
      regions: new RegionsRepository(),
      users: new UsersRepository(),
      sessions: new SessionsRepository(),
      audit: new AuditRepository(),
      registry: new RegistryRepository(),
      policy: new PolicyRepository(),
      quality: new QualityRepository(),
      imports: new ImportsRepository(),
      rules: new RulesRepository(),
      runs: new RunsRepository(),
      monitoring: new MonitoringRepository(todayInChina),
      assistance: new AssistanceRepository(),
    },
  };
}

/**
 * Every service, wired (the job queue is built here and started by the caller), on the given deps (built once: the
 * start-up passes the ones its bootstrap used) or new ones.
 */
export function createServices(db: Database, config: Config, d: Deps = createDeps(db, config)): Services {
  const regions = new RegionsService(d);
  const jobs = new Jobs(db.url);
  const runs = new Runs(d, jobs);
  const policy = new PolicyService(d, regions);
  return {
    config, db, version: VERSION,
    jobs,
    runs,
    auth: new AuthService(d),
    regions,
    users: new UsersService(d, regions),
    audit: new AuditService(d, regions),
    registry: new RegistryService(d, regions),
    imports: new ImportService(d, runs),
    quality: new QualityService(d, regions, runs),
    policy,
    rules: new RulesService(d, regions, runs),
    monitoring: new MonitoringService(d, regions, policy),
    exit: new ExitService(d, regions, policy),
    assistance: new AssistanceService(d),
  };
}
