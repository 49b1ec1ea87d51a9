/**
 * SQL of the run records (`runs`, migration 0018): the generic state of every background run. The kind's own record
 * (an import, a quality run, a warning run) is `subject_id`. Every state change is one conditional update, so that
 * a redelivered job, a second process or the recovery sweep cannot move a run that is not theirs to move.
 */
import { sql, type Selectable } from 'kysely';
import { zhText, type ParamValue } from '@tuopin/domain';
import type { Tx } from '../db/database';
import type { Runs } from '../db/schema';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/**
 * The kind-specific options of a run (`runs.payload`, jsonb). A kind that needs one adds its optional field here.
 */
export interface RunPayload {
  /** import.validate: commit the import when the file still passes */
  commitAfter?: boolean;
}

/** A run record: the generated `runs` columns, with the status, payload and message params typed. */
export type RunRow = Omit<Selectable<Runs>, 'status' | 'payload' | 'message_params'> & {
  status: RunStatus;
  payload: RunPayload;
  message_params: Record<string, string | number | boolean | null>;
};

/** A message of a run: a code for the UI, its parameters, and the Chinese text. */
/** A run's message: a catalogue code with its params and its Chinese text (services/runs.ts runMessage builds it). */
export interface RunMessage {
  code: string;
  params?: Readonly<Record<string, ParamValue>>;
  text: string;
}

export interface RunProgress {
  fraction?: number;
  done?: number;
  total?: number;
  message?: RunMessage;
}

/** The creator of a run as the handler acts (role, home region and account status from the user record). */
export interface RunCreator {
  id: number;
  username: string;
  role: string;
  region_code: string;
  /** 'active' or 'disabled'; a run acts only as an active account */
  status: string;
}

/** The application_name prefix of a server process's presence connection (see services/runs.ts). */
export const PRESENCE_PREFIX = 'tuopin-runs:';

/** The backend of a run's work transaction (see RunsRepository.backend). */
export interface WorkBackend {
  pid: number;
  xactStart: string;
}

/** What the recovery sweep needs to find the orphaned runs (see RunsRepository.orphanIds). */
export interface OrphanCheck {
  worker: string;
  /** the runs this process has accepted (waiting for a slot or running) */
  active: readonly number[];
  /** the kinds this process defines */
  kinds: readonly string[];
  staleSeconds: number;
  queuedSeconds: number;
}

const msgCode = (m: RunMessage | undefined) => m?.code ?? null;
const msgParams = (m: RunMessage | undefined) => (m ? JSON.stringify(m.params ?? {}) : null);
const msgText = (m: RunMessage | undefined) => m?.text ?? null;

export class RunsRepository {
  async insert(
    tx: Tx,
    v: { regionCode: string; kind: string; subjectId: number | null; payload?: RunPayload; userId: number | null; username: string; message?: RunMessage },
  ): Promise<RunRow> {
    const r = await sql<RunRow>`
      insert into runs (county_code, region_code, kind, subject_id, payload, created_by, created_by_name, message_code, message_params, message)
      values (left(${v.regionCode}, 6), ${v.regionCode}, ${v.kind}, ${v.subjectId}, ${JSON.stringify(v.payload ?? {})}::jsonb, ${v.userId}, ${v.username},
              ${msgCode(v.message)}, coalesce(${msgParams(v.message)}::jsonb, '{}'), ${msgText(v.message)})
      returning *`.execute(tx);
    return r.rows[0]!;
  }

  async get(tx: Tx, id: number): Promise<RunRow | undefined> {
    return (await sql<RunRow>`select * from runs where id = ${id}`.execute(tx)).rows[0];
  }

  /** The newest run of a kind for a subject. */
  async latestOf(tx: Tx, kind: string, subjectId: number): Promise<RunRow | undefined> {
    return (await sql<RunRow>`select * from runs where kind = ${kind} and subject_id = ${subjectId} order by id desc limit 1`.execute(tx)).rows[0];
  }

  /** The newest run of any of the kinds for each subject (for the kind's list and detail answers). */
  async latestIds(tx: Tx, kinds: readonly string[], subjectIds: readonly number[]): Promise<Map<number, number>> {
    if (subjectIds.length === 0) return new Map();
    const r = await sql<{ subject_id: number; id: number }>`
      select distinct on (subject_id) subject_id, id from runs
       where kind = any(${kinds as string[]}::text[]) and subject_id = any(${subjectIds as number[]}::bigint[])
       order by subject_id, id desc`.execute(tx);
    return new Map(r.rows.map((x) => [Number(x.subject_id), Number(x.id)]));
  }

  async creator(tx: Tx, userId: number): Promise<RunCreator | undefined> {
    return (await sql<RunCreator>`select id, username, role, region_code, status from users where id = ${userId}`.execute(tx)).rows[0];
  }

  /** Takes a queued run for this process (before it waits for a free slot): only an untaken one. */
  async accept(tx: Tx, id: number, worker: string): Promise<RunRow | undefined> {
    return (await sql<RunRow>`update runs set worker = ${worker} where id = ${id} and status = 'queued' and worker is null returning *`.execute(tx)).rows[0];
  }

  /** queued → running, by the process that accepted it; one more attempt. */
  async begin(tx: Tx, id: number, worker: string): Promise<RunRow | undefined> {
    return (await sql<RunRow>`
      update runs set status = 'running', started_at = now(), heartbeat_at = now(), attempt = attempt + 1, progress = 0,
             progress_done = null, progress_total = null, error = null
       where id = ${id} and status = 'queued' and worker = ${worker} returning *`.execute(tx)).rows[0];
  }

  /** Progress (and a heartbeat) of a running run of this process; false when the run is no longer its own. */
  async progress(tx: Tx, id: number, worker: string, p: RunProgress): Promise<boolean> {
    const r = await sql`
      update runs set
        progress = coalesce(${p.fraction ?? null}::real, case when ${p.total ?? null}::bigint > 0 then least(1, ${p.done ?? null}::real / ${p.total ?? null}::bigint) end, progress),
        progress_done = coalesce(${p.done ?? null}::bigint, progress_done),
        progress_total = coalesce(${p.total ?? null}::bigint, progress_total),
        message_code = coalesce(${msgCode(p.message)}, message_code),
        message_params = coalesce(${msgParams(p.message)}::jsonb, message_params),
        message = coalesce(${msgText(p.message)}, message),
        heartbeat_at = now()
       where id = ${id} and status = 'running' and worker = ${worker}`.execute(tx);
    return Number(r.numAffectedRows ?? 0) === 1;
  }

  /** The heartbeat of every run this process is executing, in one statement. */
  async heartbeat(tx: Tx, ids: readonly number[], worker: string): Promise<void> {
    if (ids.length === 0) return;
    await sql`update runs set heartbeat_at = now() where id = any(${ids as number[]}::bigint[]) and status = 'running' and worker = ${worker}`.execute(tx);
  }

  /** running → succeeded / failed, by the process executing it; the row afterwards, or undefined when it was not. */
  async finish(tx: Tx, id: number, worker: string, status: 'succeeded' | 'failed', f: { message?: RunMessage; error?: string | null }): Promise<RunRow | undefined> {
    return (await sql<RunRow>`
      update runs set status = ${status}, finished_at = now(), heartbeat_at = now(),
             progress = case when ${status} = 'succeeded' then 1 else progress end,
             message_code = coalesce(${msgCode(f.message)}, message_code),
             message_params = coalesce(${msgParams(f.message)}::jsonb, message_params),
             message = coalesce(${msgText(f.message)}, message),
             error = ${f.error ?? null}
       where id = ${id} and status in ('queued', 'running') and worker = ${worker} returning *`.execute(tx)).rows[0];
  }

  /**
   * The runs that nobody executes any more (of the kinds this process defines: a run of a kind it does not know is
   * left to a process that does, so that its cleanup runs):
   * - taken by a server process that is gone (its presence connection is not in pg_stat_activity);
   * - taken by this process but no longer among the runs it executes (its handler ended without recording the end,
   *   e.g. the database went away under it);
   * - running with a heartbeat older than `staleSeconds` (a process that is alive but whose heartbeats stopped);
   * - queued, untaken, for longer than `queuedSeconds`, with no pg-boss job left to deliver it.
   * The recovery sweep reads them with `orphanIds` and fails each with `failOrphan` in a transaction of its own.
   */
  private orphaned(v: OrphanCheck) {
    return sql`r.status in ('queued', 'running') and r.kind = any(${v.kinds as string[]}::text[])
         and (
           (r.worker is not null and r.worker <> ${v.worker}
              and not exists (select 1 from pg_stat_activity a where a.application_name = ${PRESENCE_PREFIX} || r.worker))
           or (r.worker = ${v.worker} and not (r.id = any(${v.active as number[]}::bigint[])))
           or (r.status = 'running' and r.heartbeat_at < now() - make_interval(secs => ${v.staleSeconds}))
           or (r.status = 'queued' and r.worker is null and r.queued_at < now() - make_interval(secs => ${v.queuedSeconds})
               and not exists (select 1 from pgboss.job j where j.name = r.kind and j.data ->> 'runId' = r.id::text
                                 and j.state in ('created', 'retry', 'active')))
         )`;
  }

  /** The ids of the orphaned runs (see `orphaned`), oldest first. */
  async orphanIds(tx: Tx, v: OrphanCheck): Promise<number[]> {
    const r = await sql<{ id: number }>`select r.id from runs r where ${this.orphaned(v)} order by r.id`.execute(tx);
    return r.rows.map((x) => Number(x.id));
  }

  /**
   * Marks one run failed when it is still orphaned (checked again, in this statement) and returns it; undefined when
   * it is not, or when its row is locked right now (its work transaction is committing: see `fence`), so that the
   * next sweep looks again.
   */
  async failOrphan(tx: Tx, id: number, v: OrphanCheck & { message: RunMessage; error: string }): Promise<RunRow | undefined> {
    const r = await sql<RunRow>`
      update runs r set status = 'failed', finished_at = now(), error = ${v.error},
             message_code = ${v.message.code}, message_params = ${JSON.stringify(v.message.params ?? {})}::jsonb, message = ${v.message.text}
       where r.id = (select id from runs where id = ${id} for update skip locked) and ${this.orphaned(v)}
       returning *`.execute(tx);
    return r.rows[0];
  }

  /** A failed run's error text afterwards (a cleanup that failed is added to it); the status is left as it is. */
  async setError(tx: Tx, id: number, error: string): Promise<void> {
    await sql`update runs set error = ${error} where id = ${id}`.execute(tx);
  }

  /**
   * The fence of a run's work transaction, just before it commits (in that transaction, as the creator): true when
   * the run is still running in this process. The row stays locked until the commit, so the recovery sweep cannot
   * fail the run between this check and the commit (it skips a locked run and looks again at its next pass).
   */
  async fence(tx: Tx, id: number, worker: string): Promise<boolean> {
    const r = await sql`update runs set heartbeat_at = now() where id = ${id} and status = 'running' and worker = ${worker}`.execute(tx);
    return Number(r.numAffectedRows ?? 0) === 1;
  }

  /** The backend process of a transaction and the transaction's start (to end a run's work when the run times out). */
  async backend(tx: Tx): Promise<WorkBackend> {
    const r = await sql<{ pid: number; xact: string }>`select pg_backend_pid() as pid, now()::text as xact`.execute(tx);
    return { pid: Number(r.rows[0]!.pid), xactStart: r.rows[0]!.xact };
  }

  /**
   * Ends the backends of a timed-out run's work transactions (each rolls back; a statement under way or a lock wait ends
   * too), waiting up to 5 s for it to be gone so that the cleanup after it finds its locks released.
   */
  async terminateBackends(tx: Tx, backends: readonly WorkBackend[]): Promise<void> {
    if (backends.length === 0) return;
    // only while each is still in that transaction (a pooled connection is soon someone else's)
    await sql`select pg_terminate_backend(a.pid, 5000) from pg_stat_activity a
                join jsonb_to_recordset(${JSON.stringify(backends)}::jsonb) as b(pid int, "xactStart" timestamptz)
                  on a.pid = b.pid and a.xact_start = b."xactStart"`.execute(tx);
  }

  /** failed / cancelled → queued again (a retry); the row afterwards, or undefined when it was not finished so. */
  async requeue(tx: Tx, id: number, queued: RunMessage = { code: 'runs.queued', text: zhText('runs.queued') }): Promise<RunRow | undefined> {
    return (await sql<RunRow>`
      update runs set status = 'queued', worker = null, progress = 0, progress_done = null, progress_total = null,
             message_code = ${queued.code}, message_params = ${JSON.stringify(queued.params ?? {})}::jsonb, message = ${queued.text}, error = null,
             started_at = null, heartbeat_at = null, finished_at = null, queued_at = now()
       where id = ${id} and status in ('failed', 'cancelled') returning *`.execute(tx)).rows[0];
  }
}
