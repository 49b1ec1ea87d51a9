import {
  ancestorCodes, msg, QUALITY_CHECKS, QUALITY_RULE_ORDER, qualityFieldLabel, qualityRuleLabel, regionLevel, regionPrefix, zhText,
  type MessageArgs, type MessageCode, type QualityCheckCount, type QualityFinding, type QualityHousehold, type QualityRegionCount, type QualityRun, type QualityTotals,
  type RegionNode,
} from '@tuopin/domain';
import type { Readable } from 'node:stream';
import type { Actor, Tx } from '../db/database';
import { appError, fieldError } from '../errors';
import { csvStream } from '../http/csv';
import { runMessage, type RunContext, type RunMessage, type Runs } from './runs';
import {
  type FindingFilter, type FindingInsert, type FindingRow, type HouseholdKey, type QualityRunRow, type RunNote, type VillageCounts,
} from '../repositories/quality.repository';

/** A run's state message from the catalogue (messages/quality.ts, quality.state.*): Chinese text, code and params. */
function note<C extends MessageCode>(code: C, ...args: MessageArgs<C>): RunNote {
  return { message: zhText(code, ...args), code, params: msg(code, ...args).params };
}

const stateOf = (n: RunNote) => ({ message: n.message, messageCode: n.code, messageParams: n.params });
import type { MemberRow } from '../repositories/registry.mapping';
import type { Deps } from './context';
import { todayInChina } from '../clock';
import { evaluateHousehold, referenceDateFor } from './quality.evaluate';
import type { RegionsService } from './regions.service';

export const QUALITY_RUN = 'quality.run';
/** Households read, checked and written per batch. */
export const QUALITY_BATCH = 2000;
/** Finished runs kept per region and year (older ones are deleted with their findings). */
const KEEP_RUNS = 5;
const CSV_BATCH = 5000;

/** Today in China (see clock.ts). */
const today = todayInChina;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const keyOf = (countyCode: unknown, id: unknown) => `${String(countyCode)}:${String(id)}`;
/** Length of the significant prefix of each region level's children. */
const CHILD_PREFIX: Record<number, number> = { 0: 2, 1: 4, 2: 6, 3: 9, 4: 12 };

export interface FindingQuery {
  area?: string;
  checkId?: string;
  severity?: 'error' | 'warning';
}

function toRun(r: QualityRunRow, runId: number | null = null): QualityRun {
  return {
    runId,
    id: r.id,
    region: { code: r.region_code, name: r.region_name, fullName: r.region_full_name, level: r.region_level },
    year: r.year, referenceDate: r.reference_date, status: r.status, progress: r.progress, message: r.message,
    messageCode: r.message_code ?? null, messageParams: r.message_params ?? null,
    totals: r.totals, createdBy: r.created_by_name, createdAt: iso(r.created_at)!, startedAt: iso(r.started_at), finishedAt: iso(r.finished_at),
  };
}

const regionRef = (n: RegionNode): QualityRun['region'] => ({ code: n.code, name: n.name, fullName: n.fullName, level: n.level });

function toFinding(f: Pick<FindingRow, 'check_id' | 'severity' | 'field' | 'message' | 'code' | 'params' | 'member_id' | 'member_name'>): QualityFinding {
  return {
    checkId: f.check_id, checkName: qualityRuleLabel(f.check_id), severity: f.severity, field: f.field,
    fieldLabel: qualityFieldLabel(f.field, f.member_id !== null), message: f.message, code: f.code ?? null, params: (f.params as Record<string, unknown> | null) ?? null,
    memberId: f.member_id, memberName: f.member_name,
  };
}

/** Rule display order: the data-quality checks as listed in the domain, then the field validations by name. */
function ruleRank(id: string): number {
  const i = QUALITY_RULE_ORDER.indexOf(id);
  return i >= 0 ? i : QUALITY_RULE_ORDER.length;
}

/**
 * The data-quality page: runs every check of the domain (quality checks and field validations) over the
 * households of a region as a background job, keeps the findings per run, and reads them back counted per
 * check and per child region, grouped by household, or as CSV. One household can also be checked live.
 */
export class QualityService {
  private get repo() { return this.d.repos.quality; }
  private get registry() { return this.d.repos.registry; }

  constructor(private readonly d: Deps, private readonly regions: RegionsService, private readonly runs: Runs) {
    // The run kind (services/runs.ts): progress mirrored into quality_runs, which the page shows; a failed or
    // interrupted run becomes failed (no longer blocking its region and year) and can be retried.
    runs.define({
      kind: QUALITY_RUN,
      permissions: { read: 'quality:read', run: 'quality:run' },
      handler: (ctx) => this.run(ctx),
      mirror: (tx, run, p) => this.repo.setState(tx, run.subject_id!, {
        progress: p.fraction, message: p.message?.text, messageCode: p.message?.code ?? null, messageParams: p.message?.params ?? null,
      }),
      cleanup: (tx, run, cause) => this.repo.failRun(tx, run.subject_id!, note(cause.reason === 'interrupted' ? 'quality.state.interrupted' : 'quality.state.failed')),
      retry: async (tx, run) => {
        const r = await this.repo.requeueRun(tx, run.subject_id!);
        if (r === 'busy') throw appError('quality.busy');
        if (r === 'not_failed') throw appError('quality.notFailed');
      },
      subject: async (tx, id) => {
        const q = await this.repo.run(tx, id);
        return q && q.created_by !== null ? { regionCode: q.region_code, userId: q.created_by, username: q.created_by_name } : undefined;
      },
    });
  }

  /** The run ids of quality runs (for their answers). */
  private async runIds(tx: Tx, ids: number[]): Promise<Map<number, number>> {
    return this.runs.latestIds(tx, [QUALITY_RUN], ids);
  }

  private checkYear(year: number | undefined, field: string): number {
    const current = Number(today().slice(0, 4));
    const y = year ?? current;
    if (y > current) throw fieldError(field, 'common.yearAfter', { year: current });
    return y;
  }

  /** Queues a run of the region (default: the user's own) and year; a run already waiting or running is returned instead. */
  async start(actor: Actor, b: { regionCode?: string; year?: number }): Promise<QualityRun> {
    const year = this.checkYear(b.year, 'body.year');
    const { run, queued } = await this.d.db.scoped(actor, async (tx) => {
      const region = await this.regions.visible(tx, b.regionCode ?? actor.regionCode);
      const active = await this.repo.activeRun(tx, region.code, year);
      if (active) return { run: active, queued: null };
      const id = await this.repo.insertRun(tx, {
        regionCode: region.code, regionPrefix: regionPrefix(region.code), year, referenceDate: referenceDateFor(year, today()),
        userId: actor.id, username: actor.username,
      });
      // null: a simultaneous start queued one first (committed meanwhile); that one is returned
      if (id === null) {
        const first = await this.repo.activeRun(tx, region.code, year);
        if (!first) throw appError('quality.concurrentStart');
        return { run: first, queued: null };
      }
      const record = await this.runs.insert(tx, actor, QUALITY_RUN, { regionCode: region.code, subjectId: id });
      return { run: (await this.repo.run(tx, id))!, queued: record };
    });
    if (queued) await this.runs.enqueue(queued);
    return this.d.db.scoped(actor, async (tx) => toRun(run, (await this.runIds(tx, [run.id])).get(run.id) ?? null));
  }

  async get(actor: Actor, id: number): Promise<QualityRun> {
    return this.d.db.scoped(actor, async (tx) => toRun(await this.visibleRun(tx, id), (await this.runIds(tx, [id])).get(id) ?? null));
  }

  /** The newest finished run covering the region (its own or an enclosing region's), and a run of the region in progress. */
  latest(actor: Actor, q: { regionCode?: string; year?: number }): Promise<{ run: QualityRun | null; active: QualityRun | null }> {
    const year = this.checkYear(q.year, 'querystring.year');
    return this.d.db.scoped(actor, async (tx) => {
      const region = await this.regions.visible(tx, q.regionCode ?? actor.regionCode);
      const [done, active] = await Promise.all([this.repo.latestDone(tx, region.code, year), this.repo.activeRun(tx, region.code, year)]);
      const ids = await this.runIds(tx, [done?.id, active?.id].filter((x): x is number => x !== undefined));
      return { run: done ? toRun(done, ids.get(done.id) ?? null) : null, active: active ? toRun(active, ids.get(active.id) ?? null) : null };
    });
  }

  private async visibleRun(tx: Tx, id: number): Promise<QualityRunRow> {
    const run = await this.repo.run(tx, id);
    if (!run) throw appError('quality.runNotFound');
    return run;
  }

  /** The run (finished) and the area inside it that a read is about. */
  private async runAndArea(tx: Tx, id: number, area: string | undefined): Promise<{ run: QualityRunRow; area: RegionNode }> {
    const run = await this.visibleRun(tx, id);
    if (run.status !== 'done') throw appError('quality.notDone');
    const node = await this.regions.visible(tx, area ?? run.region_code);
    if (!node.code.startsWith(run.region_prefix)) throw fieldError('querystring.area', 'quality.areaOutside', { region: run.region_full_name });
    return { run, area: node };
  }

  async summary(actor: Actor, id: number, area: string | undefined) {
    return this.d.db.scoped(actor, async (tx) => {
      const { run, area: node } = await this.runAndArea(tx, id, area);
      const prefix = regionPrefix(node.code);
      const level = regionLevel(node.code);
      const [totals, checks, children, ancestors] = await Promise.all([
        this.repo.totals(tx, run.id, prefix),
        this.repo.checkCounts(tx, run.id, prefix),
        level < 5 ? this.repo.childCounts(tx, run.id, prefix, CHILD_PREFIX[level]!) : Promise.resolve([]),
        this.d.repos.regions.getMany(tx, ancestorCodes(node.code).filter((c) => c.startsWith(run.region_prefix))),
      ]);
      const byRule = new Map(checks.map((c) => [`${c.check_id}|${c.severity}`, c]));
      const rows: QualityCheckCount[] = QUALITY_CHECKS.map((c) => {
        const hit = byRule.get(`${c.id}|${c.severity}`);
        return { checkId: c.id, zh: c.zh, en: c.en, severity: c.severity, households: hit?.households ?? 0, findings: hit?.findings ?? 0 };
      });
      for (const c of checks) {
        if (rows.some((r) => r.checkId === c.check_id && r.severity === c.severity)) continue;
        rows.push({
          checkId: c.check_id, zh: qualityRuleLabel(c.check_id, 'zh'), en: qualityRuleLabel(c.check_id, 'en'), severity: c.severity,
          households: c.households, findings: c.findings,
        });
      }
      rows.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || ruleRank(a.checkId) - ruleRank(b.checkId)
        || (ruleRank(a.checkId) === QUALITY_RULE_ORDER.length ? b.findings - a.findings || a.checkId.localeCompare(b.checkId) : 0));
      const childRows: QualityRegionCount[] = children.map((c) => ({
        region: { code: c.code, name: c.name ?? c.code, fullName: c.full_name ?? c.code, level: c.level ?? level + 1 },
        totals: { households: c.households, withErrors: c.with_errors, withWarnings: c.with_warnings, errors: c.errors, warnings: c.warnings },
      }));
      const path = [...ancestors.map(regionRef), regionRef(node)];
      return { run: toRun(run), area: regionRef(node), path, totals: totals as QualityTotals, checks: rows, children: childRows };
    });
  }

  private filter(run: QualityRunRow, area: RegionNode, q: FindingQuery): FindingFilter {
    return { runId: run.id, areaPrefix: regionPrefix(area.code), checkId: q.checkId, severity: q.severity };
  }

  async findings(actor: Actor, id: number, q: FindingQuery & { after?: string; limit?: number }) {
    return this.d.db.scoped(actor, async (tx) => {
      const { run, area } = await this.runAndArea(tx, id, q.area);
      const f = this.filter(run, area, q);
      const limit = q.limit ?? 20;
      const after = q.after ? { villageCode: q.after.split(':')[0]!, id: Number(q.after.split(':')[1]) } : null;
      const [households, total] = await Promise.all([this.repo.findingHouseholds(tx, f, after, limit + 1), this.repo.countFindingHouseholds(tx, f)]);
      const page = households.slice(0, limit);
      const findings = await this.repo.findingsOf(tx, f, page.map((h) => ({ county_code: h.county_code, id: h.household_id })));
      const byHousehold = new Map<string, FindingRow[]>();
      for (const r of findings) {
        const k = keyOf(r.county_code, r.household_id);
        const list = byHousehold.get(k);
        if (list) list.push(r);
        else byHousehold.set(k, [r]);
      }
      const items: QualityHousehold[] = page.map((h) => {
        const list = byHousehold.get(keyOf(h.county_code, h.household_id)) ?? [];
        return {
          countyCode: h.county_code, id: h.household_id, householdNo: h.household_no, headName: h.head_name,
          village: { code: h.village_code, name: h.village_name, fullName: h.village_full_name, level: 5 },
          errors: list.filter((x) => x.severity === 'error').length, warnings: list.filter((x) => x.severity === 'warning').length,
          findings: list.map(toFinding),
        };
      });
      const last = page[page.length - 1];
      return { items, next: households.length > limit && last ? `${last.village_code}:${last.household_id}` : null, total };
    });
  }

  /** The matching findings of a run as CSV, read in keyset batches inside one scoped transaction. */
  async findingsCsv(actor: Actor, id: number, q: FindingQuery): Promise<{ stream: Readable; fileName: string }> {
    const { run, area } = await this.d.db.scoped(actor, (tx) => this.runAndArea(tx, id, q.area));
    const f = this.filter(run, area, q);
    const stream = csvStream(['所在村', '村代码', '户编号', '成员', '严重程度', '规则', '字段', '问题说明'], (write) =>
      this.d.db.scoped(actor, async (tx) => {
        let after: { villageCode: string; id: number; seq: number } | null = null;
        for (;;) {
          const rows = await this.repo.csvBatch(tx, f, after, CSV_BATCH);
          for (const r of rows) {
            await write([
              r.village_full_name, r.village_code, r.household_no, r.member_name ?? '', r.severity === 'error' ? '错误' : '警告',
              qualityRuleLabel(r.check_id), qualityFieldLabel(r.field, r.member_id !== null), r.message,
            ]);
          }
          if (rows.length < CSV_BATCH) break;
          const last = rows[rows.length - 1]!;
          after = { villageCode: last.village_code, id: last.household_id, seq: last.seq };
        }
      }),
    );
    return { stream, fileName: `数据质量-${area.name}-${run.year}年.csv` };
  }

  /** One household checked now, against the registry as it is (after a correction, without a new run). */
  async household(actor: Actor, countyCode: string, id: number, year: number | undefined) {
    const y = this.checkYear(year, 'querystring.year');
    const referenceDate = referenceDateFor(y, today());
    return this.d.db.scoped(actor, async (tx) => {
      const h = await this.registry.household(tx, countyCode, id);
      if (!h) throw appError('registry.householdNotFound');
      const keys: HouseholdKey[] = [{ county_code: countyCode, id }];
      const [members, incomes, statuses, monitoring] = await Promise.all([
        this.repo.membersOf(tx, keys), this.repo.incomesOf(tx, keys, y), this.repo.statusesOf(tx, keys, y), this.repo.monitoringOf(tx, keys, referenceDate),
      ]);
      const found = evaluateHousehold({ household: h, members, income: incomes[0] ?? null, status: statuses[0] ?? null, monitoring: monitoring[0] ?? null }, referenceDate);
      const head = members.find((m) => m.relation === 'head');
      const findings = found.map((f) => {
        const m = f.memberIndex === null ? null : members[f.memberIndex]!;
        return toFinding({
          check_id: f.checkId, severity: f.severity, field: f.field, message: f.message, code: f.code, params: f.params,
          member_id: m ? m.id : null, member_name: m ? m.name : null,
        });
      });
      const household: QualityHousehold = {
        countyCode, id, householdNo: h.household_no, headName: head ? head.name : null,
        village: { code: h.village_code, name: h.village_name, fullName: h.village_full_name, level: h.village_level },
        errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length,
        findings,
      };
      return { year: y, referenceDate, household };
    });
  }

  // ---- the background run ---------------------------------------------------------------------

  /**
   * A delivery of the run of this quality run (as a job would; tests call it): runs it when it is queued, else
   * nothing (a redelivered job leaves a finished run alone).
   */
  execute(id: number): Promise<void> {
    return this.runs.deliverNow(QUALITY_RUN, id);
  }

  /**
   * The job: reads the households of the region in keyset batches (households, then their members, income and
   * status of the year: four queries per batch), checks each household in JS and writes the batch's findings with
   * one multi-row insert. Everything is written in one scoped transaction as the user who started the run, so a
   * run that fails leaves no partial findings; progress is written outside it for the page to poll.
   */
  private async run(ctx: RunContext): Promise<RunMessage | void> {
    const id = ctx.run.subject_id!;
    const row = await this.d.db.system({ name: 'quality' }, (tx) => this.repo.run(tx, id));
    if (!row || row.status !== 'queued') return runMessage('quality.runNotQueued');
    if (!(await this.d.db.system({ name: 'quality' }, (tx) => this.repo.claim(tx, id, note('quality.state.counting'))))) return runMessage('quality.runNotQueued');
    {
      return ctx.scoped(async (tx) => {
        const total = await this.repo.countHouseholds(tx, row.region_prefix);
        const villages = new Map<string, VillageCounts>();
        const totals: QualityTotals = { households: 0, withErrors: 0, withWarnings: 0, errors: 0, warnings: 0 };
        let after: { villageCode: string; id: number } | null = null;
        for (;;) {
          const households = await this.repo.householdBatch(tx, row.region_prefix, after, QUALITY_BATCH);
          if (households.length === 0) break;
          const keys = households.map((h) => ({ county_code: h.county_code, id: h.id }));
          const members = await this.repo.membersOf(tx, keys);
          const incomes = await this.repo.incomesOf(tx, keys, row.year);
          const statuses = await this.repo.statusesOf(tx, keys, row.year);
          const monitoring = await this.repo.monitoringOf(tx, keys, row.reference_date);
          const membersBy = new Map<string, MemberRow[]>();
          for (const m of members) {
            const k = keyOf(m.county_code, m.household_id);
            const list = membersBy.get(k);
            if (list) list.push(m);
            else membersBy.set(k, [m]);
          }
          const incomeBy = new Map(incomes.map((r) => [keyOf(r.county_code, r.household_id), r]));
          const statusBy = new Map(statuses.map((r) => [keyOf(r.county_code, r.household_id), r]));
          const monitoringBy = new Map(monitoring.map((r) => [keyOf(r.county_code, r.household_id), r]));
          const batch: FindingInsert[] = [];
          for (const h of households) {
            const k = keyOf(h.county_code, h.id);
            const hm = membersBy.get(k) ?? [];
            const found = evaluateHousehold({
              household: h, members: hm, income: incomeBy.get(k) ?? null, status: statusBy.get(k) ?? null, monitoring: monitoringBy.get(k) ?? null,
            }, row.reference_date);
            const villageCode = h.village_code;
            let v = villages.get(villageCode);
            if (!v) villages.set(villageCode, (v = { countyCode: h.county_code, villageCode, households: 0, withErrors: 0, withWarnings: 0, errors: 0, warnings: 0 }));
            const errors = found.filter((f) => f.severity === 'error').length;
            const warnings = found.length - errors;
            v.households++;
            v.errors += errors;
            v.warnings += warnings;
            if (errors) v.withErrors++;
            if (warnings) v.withWarnings++;
            found.forEach((f, seq) => {
              batch.push({
                countyCode: h.county_code, householdId: h.id, seq, villageCode,
                memberId: f.memberIndex === null ? null : hm[f.memberIndex]!.id, checkId: f.checkId, severity: f.severity,
                field: f.field, message: f.message, code: f.code, params: f.params,
              });
            });
          }
          await this.repo.insertFindings(tx, id, batch);
          totals.households += households.length;
          const last = households[households.length - 1]!;
          after = { villageCode: last.village_code, id: last.id };
          await ctx.progress({
            fraction: Math.min(0.99, totals.households / Math.max(total, 1)), done: totals.households, total,
            message: runMessage('quality.progress', { done: totals.households, total }),
          });
          if (households.length < QUALITY_BATCH) break;
        }
        const counts = [...villages.values()];
        for (const v of counts) {
          totals.withErrors += v.withErrors;
          totals.withWarnings += v.withWarnings;
          totals.errors += v.errors;
          totals.warnings += v.warnings;
        }
        await this.repo.insertVillageCounts(tx, id, counts);
        await this.repo.setState(tx, id, {
          status: 'done', progress: 1, finished: true, totals,
          ...stateOf(note('quality.state.done', { households: totals.households, withErrors: totals.withErrors, withWarnings: totals.withWarnings })),
        });
        await this.repo.prune(tx, row.region_code, row.year, KEEP_RUNS);
        return runMessage('quality.state.done', { households: totals.households, withErrors: totals.withErrors, withWarnings: totals.withWarnings });
      });
    }
  }
}
