/**
 * Time in the monitoring procedure, for tests: the procedure's rules need real days between steps (a publicity of
 * five days after the village review, an elimination announced after the identification), which a test cannot wait
 * for. `backdateProcedure` moves a procedure's recorded past back by some days — as if every step so far had been
 * signed that many days earlier: the start, the clock columns, each signed entry's date and the dates in its data.
 * Used by the integration tests (the owner's pool) and the browser tests (E2E_DATABASE_URL). Never by the product.
 */
import { addDays } from '@tuopin/domain';

type Query = (text: string, params: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

const DATE_FIELDS = ['visitedOn', 'startDate', 'endDate', 'announcedOn'];

export async function backdateProcedure(query: Query, countyCode: string, id: number, days: number): Promise<void> {
  const shift = (d: unknown) => (typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) ? addDays(d, -days) : d);
  const r = await query('select state, snapshots from procedures where county_code = $1 and id = $2', [countyCode, id]);
  const row = r.rows[0];
  if (!row) throw new Error(`procedure ${countyCode}/${id} not found`);
  const state = row.state as { startedOn: string; stepSince: string; events: { on: string; data: Record<string, unknown> }[] };
  state.startedOn = shift(state.startedOn) as string;
  state.stepSince = shift(state.stepSince) as string;
  for (const e of state.events) {
    e.on = shift(e.on) as string;
    for (const f of DATE_FIELDS) if (f in e.data) e.data[f] = shift(e.data[f]);
    if (Array.isArray(e.data.verifiers)) {
      e.data.verifiers = e.data.verifiers.map((v: Record<string, unknown>) => (v && typeof v === 'object' && v.confirmedOn ? { ...v, confirmedOn: shift(v.confirmedOn) } : v));
    }
  }
  const snapshots = ((row.snapshots ?? []) as { on: string }[]).map((s) => ({ ...s, on: shift(s.on) }));
  await query(
    `update procedures set state = $3::jsonb, snapshots = $4::jsonb, started_on = started_on - $5::int, step_since = step_since - $5::int,
            due_on = due_on - $5::int, step_due_on = step_due_on - $5::int
      where county_code = $1 and id = $2`,
    [countyCode, id, JSON.stringify(state), JSON.stringify(snapshots), days],
  );
}

/** The household's open monitoring record as if identified `days` earlier. */
export async function backdateIdentification(query: Query, countyCode: string, householdId: number, days: number): Promise<void> {
  await query('update monitoring_records set identified_on = identified_on - $3::int where county_code = $1 and household_id = $2 and eliminated_on is null',
    [countyCode, householdId, days]);
}
