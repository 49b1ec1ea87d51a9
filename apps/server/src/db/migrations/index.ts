import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation';
import * as m0002 from './0002_registry';
import * as m0003 from './0003_imports';
import * as m0004 from './0004_quality';
import * as m0005 from './0005_bulk_audit';
import * as m0006 from './0006_policy';
import * as m0007 from './0007_monitoring';
import * as m0008 from './0008_rules';
import * as m0009 from './0009_clue_keys';
import * as m0010 from './0010_analyze';
import * as m0011 from './0011_measures';
import * as m0012 from './0012_household_order';
import * as m0013 from './0013_monitoring_migrated';
import * as m0014 from './0014_clue_groups_county_rules';
import * as m0015 from './0015_import_integrity';
import * as m0016 from './0016_import_scoping';
import * as m0017 from './0017_audit_chains';
import * as m0018 from './0018_runs';
import * as m0020 from './0020_scope_predicate';
import * as m0021 from './0021_run_queued_at';
import * as m0022 from './0022_message_codes';
import * as m0023 from './0023_runs_read_scope';
import * as m0024 from './0024_audit_bulk_counties';

/** Every migration, in order. Names are stable: they are recorded in kysely_migration. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_registry': m0002,
  '0003_imports': m0003,
  '0004_quality': m0004,
  '0005_bulk_audit': m0005,
  '0006_policy': m0006,
  '0007_monitoring': m0007,
  '0008_rules': m0008,
  '0009_clue_keys': m0009,
  '0010_analyze': m0010,
  '0011_measures': m0011,
  '0012_household_order': m0012,
  '0013_monitoring_migrated': m0013,
  '0014_clue_groups_county_rules': m0014,
  '0015_import_integrity': m0015,
  '0016_import_scoping': m0016,
  '0017_audit_chains': m0017,
  '0018_runs': m0018,
  '0020_scope_predicate': m0020,
  '0021_run_queued_at': m0021,
  '0022_message_codes': m0022,
  '0023_runs_read_scope': m0023,
  '0024_audit_bulk_counties': m0024,
};
