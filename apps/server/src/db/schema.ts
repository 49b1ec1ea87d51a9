import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface RegionsTable {
  code: string;
  parent_code: string | null;
  level: number;
  name: string;
  full_name: string;
  child_count: Generated<number>;
}

export interface UsersTable {
  id: ColumnType<number, never, never>;
  username: string;
  display_name: string;
  role: string;
  region_code: string;
  phone: string | null;
  password_hash: string;
  status: Generated<string>;
  must_change_password: Generated<boolean>;
  failed_attempts: Generated<number>;
  locked_until: Date | string | null;
  last_login_at: Date | string | null;
  password_changed_at: Generated<Date>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
}

export interface AuditLogTable {
  id: ColumnType<string, never, never>;
  at: ColumnType<Date, never, never>;
  actor_id: number | null;
  actor_name: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  region_code: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

export interface DB {
  regions: RegionsTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
}
