/**
 * Monitoring (防返贫监测): the clue inbox, the identification and risk-elimination procedures and a household's
 * monitoring path. Every decision about what may happen next is the domain's (packages/domain/src/monitoring);
 * this service loads the facts and the settings in force, stores the state, the facts and the settings (values and
 * the ids of the stored rows used) with every step, and applies the outcome to the registry. Scoping is the
 * database's: everything runs in Database.scoped, so a case outside the caller's region is not found (404).
 */
import {
  addDays, can, ELIMINATION_BLOCKERS, confirmVerification, currentStep, eliminationOutcome, identificationOutcome, isWithinRegion, MAX_RISK_TYPES, MONITORED_TYPES, pendingConfirmations,
  ProcedureError, procedureClock, regionPrefix, resolveVerifiers, RISK_TYPES, roleProblem, roleProblemMessage, rolesWith, sendBack, signStep, startProcedure, validateStepData,
  type ClueDetail, type ClueItem, type FactsSnapshot, type HouseholdMonitoring, type PolicySnapshot, type PolicyValues, type ProcedureDetail,
  type ProcedureKind, type ProcedureState, type ProcedureSummary, type PublicityEntry, type Role, type StepCode, type StepProblem,
  type MessageRef, type Localized, type ParamValue, type UnmetItem, joinMessages, msg, stepProblem, stepProblemsMessage,
} from '@tuopin/domain';
import type { Actor, Tx } from '../db/database';
import { AppError, appError, detail, errorOf, fieldError } from '../errors';
import type { ClueRow, HouseholdColsRow, ProcedureRow } from '../repositories/monitoring.repository';
import type { Deps } from './context';
import { todayInChina } from '../clock';
import { loadFacts, policySnapshot } from './monitoring.facts';
import type { PolicyService } from './policy.service';
import type { RegionsService } from './regions.service';

/** Today in China: the date officers sign with and every clock runs on (see clock.ts). */
export const today = todayInChina;
const yearOf = (d: string) => Number(d.slice(0, 4));
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v == null ? null : String(v));
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/**
 * A refused risk elimination: the catalogue code with the list of blockers (each blocker's name and detail, joined),
 * and one detail per blocker (monitoring.blockerItem: the blocker's name and its detail message as params).
 */
function blockedError(code: 'monitoring.eliminationBlocked' | 'monitoring.reviewFailed', blockers: readonly UnmetItem[]): AppError {
  const items = blockers.map((b) => {
    const def = ELIMINATION_BLOCKERS.find((x) => x.code === b.code);
    const name: Localized = { zh: def?.zh ?? b.zh, en: def?.en ?? b.code };
    const reason: ParamValue = b.detailCode ? { code: b.detailCode, params: (b.detailParams ?? {}) as Record<string, ParamValue> } : b.detail;
    return { field: `blockers.${b.code}`, m: msg('monitoring.blockerItem', { name, detail: reason }) };
  });
  return appError(code, { list: joinMessages(items.map((x) => x.m)) }).with({ details: items.map((x) => detail(x.field, x.m)) });
}

/** A ProcedureError of the domain as an API error: forbidden → 403, conflict → 409, invalid → 400 with the fields. */
function procedureError(e: unknown, fieldPrefix = ''): unknown {
  if (!(e instanceof ProcedureError)) return e;
  const details = e.problems.map((p) => ({ field: fieldPrefix + p.field, message: p.message, ...(p.code && { code: p.code }), ...(p.params && { params: { ...p.params } }) }));
  const status = e.kind === 'forbidden' ? 403 : e.kind === 'conflict' ? 409 : 400;
  const withDetails = e.kind === 'forbidden' ? undefined : e.kind === 'conflict' && !details.length ? undefined : details;
  if (e.code) return errorOf(e.code).with({ status, ...(withDetails && { details: withDetails }) });
  if (e.kind === 'forbidden') return new AppError(403, 'FORBIDDEN', e.message);
  if (e.kind === 'conflict') return new AppError(409, 'CONFLICT', e.message, withDetails);
  return new AppError(400, 'VALIDATION', e.message, details);
}

function householdRef(r: HouseholdColsRow & { county_code: string; household_id: number; village_code: string }) {
  return {
    countyCode: r.county_code, id: r.household_id, householdNo: r.household_no, headName: r.head_name,
    villageCode: r.village_code, villageName: r.village_name,
  };
}

function toClue(r: ClueRow): ClueItem {
  const rules = (r.rules as ClueItem['rules']).map((x) => ({ ...x, foundOn: x.foundOn.slice(0, 10) }));
  return {
    countyCode: r.county_code, id: r.id, household: householdRef(r), channel: r.channel as ClueItem['channel'],
    rules, riskTypes: [...new Set(rules.map((x) => x.riskType))], period: r.period,
    summary: r.summary, foundOn: r.found_on, appliedOn: r.applied_on, acceptDueOn: r.accept_due_on,
    acceptOverdue: r.accept_overdue === true, sourceNote: r.source_note, status: r.status as ClueItem['status'],
    dismissReason: r.dismiss_reason,
    assignee: r.assignee_id == null ? null : { id: r.assignee_id, name: r.assignee_name ?? '' },
    assignedAt: iso(r.assigned_at), procedureId: r.procedure_id,
    createdBy: r.created_by_name, createdAt: iso(r.created_at) ?? '',
  };
}

const toClueDetail = (r: ClueRow): ClueDetail => ({ ...toClue(r), facts: (r.facts ?? {}) as Record<string, unknown>, policy: (r.policy ?? {}) as Record<string, unknown> });

/** The stored state, with the clock dates taken from the columns (the same values; the columns are what queries use). */
function stateOf(r: Pick<ProcedureRow, 'state' | 'started_on' | 'step_since'>): ProcedureState {
  const s = r.state as ProcedureState;
  return { ...s, startedOn: r.started_on, stepSince: r.step_since };
}

function toSummary(r: ProcedureRow): ProcedureSummary {
  return {
    countyCode: r.county_code, id: r.id, kind: r.kind as ProcedureKind, status: r.status as ProcedureSummary['status'],
    step: r.step, household: householdRef(r), startedOn: r.started_on, stepSince: r.step_since,
    dueOn: r.due_on, stepDueOn: r.step_due_on, overdue: r.overdue === true, stepOverdue: r.step_overdue === true,
    clueId: r.clue_id, quick: r.quick === true, outcome: (r.outcome as Record<string, unknown>) ?? null,
  };
}

interface Snapshot { eventIndex: number; step: string; on: string; facts: FactsSnapshot }

export class MonitoringService {
  private get repo() { return this.d.repos.monitoring; }
  private get registry() { return this.d.repos.registry; }

  constructor(private readonly d: Deps, private readonly regions: RegionsService, private readonly policy: PolicyService) {}

  private async resolve(tx: Tx, villageCode: string, year: number): Promise<PolicySnapshot> {
    return policySnapshot(await this.policy.resolve(tx, villageCode, year), villageCode, year);
  }

  private async signer(tx: Tx, actor: Actor) {
    return { id: actor.id, name: (await this.repo.userName(tx, actor.id)) ?? actor.username, role: actor.role };
  }

  // ---- clues ---------------------------------------------------------------------------

  clueList(actor: Actor, q: { regionCode?: string; status?: string; channel?: string; overdue?: boolean; assigneeId?: number; ruleId?: string; period?: string; after?: string; limit?: number }) {
    return this.d.db.scoped(actor, async (tx) => {
      const region = await this.regions.visible(tx, q.regionCode ?? actor.regionCode);
      const f = { regionPrefix: regionPrefix(region.code), status: q.status, channel: q.channel, overdue: q.overdue, assigneeId: q.assigneeId, ruleId: q.ruleId, period: q.period };
      const limit = q.limit ?? 50;
      const [rows, total] = await Promise.all([this.repo.clueList(tx, f, q.after ? Number(q.after) : null, limit), this.repo.clueCount(tx, f)]);
      return { items: rows.map(toClue), next: rows.length === limit ? String(rows.at(-1)!.id) : null, total };
    });
  }

  clueGet(actor: Actor, countyCode: string, id: number): Promise<ClueDetail> {
    return this.d.db.scoped(actor, async (tx) => {
      const r = await this.repo.clue(tx, countyCode, id);
      if (!r) throw appError('monitoring.clueNotFound');
      return toClueDetail(r);
    });
  }

  clueCreate(actor: Actor, b: { countyCode: string; householdId: number; channel: string; foundOn: string; summary: string; sourceNote?: string }): Promise<ClueDetail> {
    return this.d.db.scoped(actor, async (tx) => {
      const summary = b.summary.trim();
      if (!summary) throw fieldError('summary', 'monitoring.summaryRequired');
      if (!isDate(b.foundOn)) throw fieldError('foundOn', 'common.dateInvalid');
      const now = today();
      if (b.foundOn > now) throw fieldError('foundOn', b.channel === 'application' ? 'monitoring.applicationAfterToday' : 'monitoring.foundAfterToday');
      const h = await this.registry.household(tx, b.countyCode, b.householdId);
      if (!h) throw appError('registry.householdNotFound');
      const village = h.village_code;
      const year = yearOf(b.foundOn);
      const effective = await this.policy.resolve(tx, village, year);
      const facts = await loadFacts(tx, this.registry, b.countyCode, b.householdId, year, effective, now, null);
      const application = b.channel === 'application';
      const id = await this.repo.insertClue(tx, {
        countyCode: b.countyCode, householdId: b.householdId, villageCode: village, channel: b.channel, summary, facts: facts.snapshot,
        policy: policySnapshot(effective, village, year), foundOn: b.foundOn, appliedOn: application ? b.foundOn : null,
        acceptDueOn: application ? addDays(b.foundOn, effective.values.acceptanceDays) : null, sourceNote: b.sourceNote?.trim() || null,
        userId: actor.id, userName: (await this.repo.userName(tx, actor.id)) ?? actor.username,
      });
      return toClueDetail((await this.repo.clue(tx, b.countyCode, id))!);
    });
  }

  verifiers(actor: Actor, regionCode: string | undefined) {
    return this.d.db.scoped(actor, async (tx) => {
      const region = await this.regions.visible(tx, regionCode ?? actor.regionCode);
      return this.officersOf(tx, region.code, region.level);
    });
  }

  /**
   * Active township and village officers of a region and below; for a village also those of its township (who verify
   * its clues too) — the people a clue can be assigned to and who may be named as verifiers of a home visit there.
   */
  private async officersOf(tx: Tx, regionCode: string, level: number) {
    // a village: through the security-definer function (a village officer does not see the township's users)
    // (the roles that verify are the domain's: those with clues:verify)
    const rows = level === 5 ? await this.repo.villageVerifiers(tx, regionCode) : await this.repo.verifiers(tx, regionPrefix(regionCode), rolesWith('clues:verify'));
    return rows
      .filter((u) => can(u.role as Role, 'clues:verify'))
      .filter((u) => isWithinRegion(regionCode, u.region_code) || isWithinRegion(u.region_code, regionCode))
      .map((u) => ({ id: u.id, name: u.display_name, username: u.username, role: u.role, regionCode: u.region_code, regionName: u.region_name }));
  }

  /**
   * Assigns several clues to one verifier, all or none: every clue must be found in the caller's region, still open
   * or assigned, and in the assignee's region; otherwise nothing is changed and the answer names the first that is not.
   */
  clueAssign(actor: Actor, b: { clues: { countyCode: string; id: number }[]; assigneeId: number }): Promise<{ assigned: number }> {
    return this.d.db.scoped(actor, async (tx) => {
      if (!can(actor.role, 'clues:assign')) throw appError('monitoring.assignDenied');
      const keys = [...new Map(b.clues.map((k) => [`${k.countyCode}:${k.id}`, k])).values()];
      const found = new Map((await this.repo.lockClues(tx, keys)).map((c) => [`${c.county_code}:${c.id}`, c]));
      const clues = keys.map((k) => {
        const c = found.get(`${k.countyCode}:${k.id}`);
        if (!c) throw appError('monitoring.clueIdNotFound', { id: k.id });
        if (c.status !== 'open' && c.status !== 'assigned') throw fieldError('clues', 'monitoring.clueClosedAssign', { id: k.id, household: c.head_name ?? c.household_no, status: clueStatus(c.status) });
        return c;
      });
      const u = await this.repo.user(tx, b.assigneeId);
      if (!u || u.status !== 'active') throw fieldError('assigneeId', 'monitoring.assigneeInvalid');
      if (!can(u.role as Role, 'clues:verify')) throw fieldError('assigneeId', 'monitoring.assigneeRole');
      const outside = clues.find((c) => !isWithinRegion(c.village_code, u.region_code));
      if (outside) throw fieldError('assigneeId', 'monitoring.assigneeVillage', { name: u.display_name, id: `${outside.id}`, village: outside.village_name });
      const n = await this.repo.assignClues(tx, keys, { id: u.id, name: u.display_name });
      if (n !== keys.length) throw fieldError('clues', 'monitoring.cluesChanged');
      return { assigned: n };
    });
  }

  clueDismiss(actor: Actor, countyCode: string, id: number, reason: string): Promise<ClueItem> {
    return this.d.db.scoped(actor, async (tx) => {
      const r = reason.trim();
      if (!r) throw fieldError('reason', 'monitoring.dismissReason');
      const c = await this.repo.clue(tx, countyCode, id, true);
      if (!c) throw appError('monitoring.clueNotFound');
      if (c.status !== 'open' && c.status !== 'assigned') throw appError('monitoring.clueClosedDismiss', { status: clueStatus(c.status) });
      await this.repo.setClueStatus(tx, countyCode, id, 'dismissed', { dismissReason: r });
      return toClue((await this.repo.clue(tx, countyCode, id))!);
    }, { reason });
  }

  /**
   * Dismisses several clues with one reason, all or none: every clue must be found in the caller's region and still
   * open or assigned, otherwise nothing is changed and the answer names the first clue that is not. Each change is
   * audited by the row trigger with the reason.
   */
  clueDismissBulk(actor: Actor, b: { clues: { countyCode: string; id: number }[]; reason: string }): Promise<{ dismissed: number }> {
    return this.d.db.scoped(actor, async (tx) => {
      const reason = b.reason.trim();
      if (!reason) throw fieldError('reason', 'monitoring.dismissReason');
      const keys = [...new Map(b.clues.map((k) => [`${k.countyCode}:${k.id}`, k])).values()];
      const found = new Map((await this.repo.lockClues(tx, keys)).map((c) => [`${c.county_code}:${c.id}`, c]));
      for (const k of keys) {
        const c = found.get(`${k.countyCode}:${k.id}`);
        if (!c) throw appError('monitoring.clueIdNotFound', { id: k.id });
        if (c.status !== 'open' && c.status !== 'assigned') {
          throw fieldError('clues', 'monitoring.clueClosedDismissMany', { id: k.id, household: c.head_name ?? c.household_no, status: clueStatus(c.status) });
        }
      }
      const n = await this.repo.dismissClues(tx, keys, reason);
      if (n !== keys.length) throw fieldError('clues', 'monitoring.cluesChanged');
      return { dismissed: n };
    }, { reason: b.reason.trim() });
  }

  // ---- procedures ----------------------------------------------------------------------

  identificationStart(actor: Actor, countyCode: string, clueId: number): Promise<ProcedureDetail> {
    return this.d.db.scoped(actor, async (tx) => {
      const c = await this.repo.clue(tx, countyCode, clueId, true);
      if (!c) throw appError('monitoring.clueNotFound');
      if (c.status !== 'open' && c.status !== 'assigned') throw appError('monitoring.clueClosedIdentify', { status: clueStatus(c.status) });
      const startedOn = c.applied_on ?? c.found_on;
      const state = startProcedure('identification', startedOn);
      const who = roleProblemMessage(state, actor.role);
      if (who) throw errorOf(who);
      const householdId = c.household_id;
      if (await this.repo.openRecord(tx, countyCode, householdId)) throw fieldError('clue', 'monitoring.alreadyMonitoredClue');
      const id = await this.insertProcedure(tx, actor, countyCode, householdId, c.village_code, state, clueId, null);
      await this.repo.setClueStatus(tx, countyCode, clueId, 'verifying', { procedureId: id });
      return this.detail(tx, actor, countyCode, id);
    });
  }

  eliminationStart(actor: Actor, countyCode: string, householdId: number): Promise<ProcedureDetail> {
    return this.d.db.scoped(actor, async (tx) => {
      const h = await this.registry.household(tx, countyCode, householdId);
      if (!h) throw appError('registry.householdNotFound');
      const rec = await this.repo.openRecord(tx, countyCode, householdId);
      if (!rec) throw appError('monitoring.notMonitoredElimination');
      const now = today();
      const state = startProcedure('elimination', now);
      const who = roleProblemMessage(state, actor.role);
      if (who) throw errorOf(who);
      const village = h.village_code;
      const effective = await this.policy.resolve(tx, village, yearOf(now));
      const facts = await loadFacts(tx, this.registry, countyCode, householdId, yearOf(now), effective, now, rec.identified_on);
      const check = facts.elimination!;
      if (!check.allowed) {
        throw blockedError('monitoring.eliminationBlocked', facts.snapshot.eliminationCheck!.blockers);
      }
      const id = await this.insertProcedure(tx, actor, countyCode, householdId, village, state, null, { effective, facts: facts.snapshot, quick: check.quick });
      return this.detail(tx, actor, countyCode, id);
    });
  }

  private async insertProcedure(
    tx: Tx, actor: Actor, countyCode: string, householdId: number, village: string, state: ProcedureState, clueId: number | null,
    pre: { effective: Awaited<ReturnType<PolicyService['resolve']>>; facts: FactsSnapshot; quick: boolean } | null,
  ): Promise<number> {
    const now = today();
    const year = yearOf(now);
    const effective = pre?.effective ?? (await this.policy.resolve(tx, village, year));
    const facts = pre?.facts ?? (await loadFacts(tx, this.registry, countyCode, householdId, year, effective, now, null)).snapshot;
    const clock = procedureClock(state, effective.values, now);
    try {
      return await this.repo.insertProcedure(tx, {
        countyCode, householdId, villageCode: village, kind: state.kind, state, step: currentStep(state)!.code, startedOn: state.startedOn,
        stepSince: state.stepSince, dueOn: clock.dueOn, stepDueOn: clock.stepDueOn, year, clueId, factsStart: facts,
        policy: policySnapshot(effective, village, year), quick: pre?.quick ?? false, userId: actor.id,
        userName: (await this.repo.userName(tx, actor.id)) ?? actor.username,
      });
    } catch (e) {
      if ((e as { constraint?: string }).constraint === 'procedures_one_active_uq') {
        throw appError(state.kind === 'identification' ? 'monitoring.identificationOpen' : 'monitoring.eliminationOpen');
      }
      throw e;
    }
  }

  procedureGet(actor: Actor, countyCode: string, id: number): Promise<ProcedureDetail> {
    return this.d.db.scoped(actor, (tx) => this.detail(tx, actor, countyCode, id));
  }

  private async detail(tx: Tx, actor: Actor, countyCode: string, id: number): Promise<ProcedureDetail> {
    const r = await this.repo.procedure(tx, countyCode, id);
    if (!r) throw appError('monitoring.procedureNotFound');
    const state = stateOf(r);
    const policyNow = await this.resolve(tx, r.village_code, r.year);
    const now = today();
    const clock = procedureClock(state, policyNow.values as PolicyValues, now);
    const who = state.status === 'active' ? roleProblem(state, actor.role) : null;
    const pending = pendingConfirmations(state);
    return {
      ...toSummary(r),
      overdue: clock.overdue, stepOverdue: clock.stepOverdue,
      state: { kind: state.kind, status: state.status, stepIndex: state.stepIndex, startedOn: state.startedOn, stepSince: state.stepSince, events: state.events },
      clock, policyNow, policy: r.policy as PolicySnapshot, factsStart: r.facts_start as FactsSnapshot, snapshots: (r.snapshots ?? []) as Snapshot[],
      canAct: state.status === 'active' && who === null, waitingFor: who, year: r.year,
      identifiedOn: state.kind === 'elimination' && state.status === 'active'
        ? ((await this.repo.openRecord(tx, countyCode, r.household_id))?.identified_on as string | undefined) ?? null : null,
      pendingConfirmations: pending.map((v) => ({ id: v.id, name: v.name })),
      canConfirm: pending.some((v) => v.kind === 'user' && v.id === actor.id),
    };
  }

  procedureSign(actor: Actor, countyCode: string, id: number, b: { step: string; data: Record<string, unknown>; comment?: string }): Promise<ProcedureDetail> {
    return this.d.db.scoped(actor, async (tx) => {
      const r = await this.repo.procedure(tx, countyCode, id, true);
      if (!r) throw appError('monitoring.procedureNotFound');
      const state = stateOf(r);
      const village = r.village_code;
      const householdId = r.household_id;
      const now = today();
      const year = yearOf(now);
      const effective = await this.policy.resolve(tx, village, r.year);
      const rec = await this.repo.openRecord(tx, countyCode, householdId);
      const factsYear = await this.policy.resolve(tx, village, year);
      const facts = await loadFacts(tx, this.registry, countyCode, householdId, year, factsYear, now, state.kind === 'elimination' && rec ? rec.identified_on : null);
      const signer = await this.signer(tx, actor);
      let data = b.data;
      // The verifiers are chosen from the officers of the household's village and township: resolved to ids and names,
      // each confirming in the product or entered on their behalf by the signer.
      if (b.step === 'verification' && currentStep(state)?.code === 'verification' && roleProblem(state, actor.role) === null) {
        const eligible = (await this.officersOf(tx, village, 5)).map((u) => ({ kind: 'user' as const, id: u.id, name: u.name }));
        const resolved = resolveVerifiers(b.data.verifiers, eligible, signer);
        if (resolved.problems.length) {
          // with the other fields' problems, so that the form learns everything at once
          const rest = validateStepData(state.kind, 'verification', b.data, { policy: effective.values, today: now, state }).filter((x) => !x.field.startsWith('verifiers'));
          const all = [...resolved.problems, ...rest];
          throw procedureError(new ProcedureError(stepProblemsMessage(all), all), 'data.');
        }
        data = { ...b.data, verifiers: resolved.verifiers };
      }
      let next: ProcedureState;
      try {
        next = signStep(state, b.step as StepCode, data, b.comment ?? null, signer, {
          policy: effective.values, today: now, identifiedOn: state.kind === 'elimination' && rec ? rec.identified_on : null,
        });
      } catch (e) {
        throw procedureError(e, 'data.');
      }
      if (state.kind === 'identification' && b.step === 'village_review') {
        const problems = proposalProblems(b.data);
        if (problems.length) throw procedureError(new ProcedureError(stepProblemsMessage(problems), problems), 'data.');
      }
      let quick = r.quick === true;
      // Risk elimination is checked again at county approval on the facts of that day.
      if (state.kind === 'elimination' && b.step === 'county_approval' && b.data.result === 'approve') {
        const check = facts.snapshot.eliminationCheck;
        if (!rec || !check) throw appError('monitoring.noLongerMonitored');
        if (!check.allowed) {
          throw blockedError('monitoring.reviewFailed', check.blockers);
        }
        quick = check.quick;
      }
      const snapshots = [...((r.snapshots ?? []) as Snapshot[]), { eventIndex: next.events.length - 1, step: b.step, on: now, facts: facts.snapshot }];
      let outcome: Record<string, unknown> | null = null;
      if (next.status === 'completed' && next.kind === 'identification') {
        const o = identificationOutcome(next)!;
        if (rec) throw appError('monitoring.alreadyMonitored');
        await this.repo.insertRecord(tx, { countyCode, householdId, villageCode: village, identifiedOn: o.announcedOn, monitoredType: o.monitoredType, riskTypes: o.riskTypes, procedureId: id });
        await this.repo.setYearMonitoring(tx, countyCode, householdId, village, year, { monitored: true, monitoredType: o.monitoredType, riskTypes: o.riskTypes });
        outcome = o;
      } else if (next.status === 'completed' && next.kind === 'elimination') {
        const o = eliminationOutcome(next)!;
        if (!rec) throw appError('monitoring.noLongerMonitored');
        await this.repo.closeRecord(tx, countyCode, rec.id, { eliminatedOn: o.announcedOn, eliminationType: o.eliminationType, procedureId: id, quick });
        await this.repo.setYearMonitoring(tx, countyCode, householdId, village, year, { monitored: false, monitoredType: null, riskTypes: [] });
        outcome = { ...o, quick };
      } else if (next.status === 'rejected') {
        const last = next.events.at(-1)!;
        outcome = { rejectedAt: last.step, reason: last.data.reason ?? last.data.minutes ?? null };
      }
      if (r.clue_id != null && (next.status === 'completed' || next.status === 'rejected')) {
        await this.repo.setClueStatus(tx, countyCode, r.clue_id, next.status === 'completed' ? 'identified' : 'rejected');
      }
      await this.save(tx, countyCode, id, next, effective.values, snapshots, outcome, quick);
      return this.detail(tx, actor, countyCode, id);
    }, { reason: b.comment ?? null });
  }

  procedureSendBack(actor: Actor, countyCode: string, id: number, b: { toStep: string; reason: string }): Promise<ProcedureDetail> {
    return this.d.db.scoped(actor, async (tx) => {
      const r = await this.repo.procedure(tx, countyCode, id, true);
      if (!r) throw appError('monitoring.procedureNotFound');
      const state = stateOf(r);
      const effective = await this.policy.resolve(tx, r.village_code, r.year);
      let next: ProcedureState;
      try {
        next = sendBack(state, b.toStep as StepCode, b.reason, await this.signer(tx, actor), today());
      } catch (e) {
        throw procedureError(e);
      }
      await this.save(tx, countyCode, id, next, effective.values, (r.snapshots ?? []) as Snapshot[], null, r.quick === true);
      return this.detail(tx, actor, countyCode, id);
    }, { reason: b.reason });
  }

  private async save(tx: Tx, countyCode: string, id: number, s: ProcedureState, policy: PolicyValues, snapshots: Snapshot[], outcome: unknown, quick: boolean) {
    const clock = procedureClock(s, policy, today());
    await this.repo.updateProcedure(tx, countyCode, id, {
      status: s.status, state: s, step: currentStep(s)?.code ?? null, stepSince: s.stepSince, dueOn: clock.dueOn, stepDueOn: clock.stepDueOn,
      snapshots, outcome, quick, pendingConfirmations: pendingConfirmations(s).filter((v) => v.kind === 'user').map((v) => v.id),
    });
  }

  /** A verifier named in the home verification confirms it in the product (their signature on the step). */
  procedureConfirm(actor: Actor, countyCode: string, id: number): Promise<ProcedureDetail> {
    return this.d.db.scoped(actor, async (tx) => {
      const r = await this.repo.procedure(tx, countyCode, id, true);
      if (!r) throw appError('monitoring.procedureNotFound');
      const effective = await this.policy.resolve(tx, r.village_code, r.year);
      let next: ProcedureState;
      try {
        next = confirmVerification(stateOf(r), { id: actor.id }, today());
      } catch (e) {
        throw procedureError(e);
      }
      await this.save(tx, countyCode, id, next, effective.values, (r.snapshots ?? []) as Snapshot[], r.outcome ?? null, r.quick === true);
      return this.detail(tx, actor, countyCode, id);
    }, { reason: '确认入户核实' });
  }

  procedureList(actor: Actor, q: { regionCode?: string; kind?: string; status?: string; step?: string; overdue?: boolean; confirming?: boolean; after?: string; limit?: number }) {
    return this.d.db.scoped(actor, async (tx) => {
      const region = await this.regions.visible(tx, q.regionCode ?? actor.regionCode);
      const limit = q.limit ?? 50;
      const rows = await this.repo.procedureList(tx, {
        regionPrefix: regionPrefix(region.code), kind: q.kind, status: q.status, step: q.step, overdue: q.overdue, confirmingUserId: q.confirming ? actor.id : undefined,
      },
        q.after ? Number(q.after) : null, limit);
      return { items: rows.map(toSummary), next: rows.length === limit ? String(rows.at(-1)!.id) : null };
    });
  }

  householdMonitoring(actor: Actor, countyCode: string, householdId: number): Promise<HouseholdMonitoring> {
    return this.d.db.scoped(actor, async (tx) => {
      const h = await this.registry.household(tx, countyCode, householdId);
      if (!h) throw appError('registry.householdNotFound');
      const [records, procs, clues] = await Promise.all([
        this.repo.records(tx, countyCode, householdId), this.repo.householdProcedures(tx, countyCode, householdId), this.repo.householdClues(tx, countyCode, householdId),
      ]);
      const open = records.find((x) => x.eliminated_on == null);
      const eliminationActive = procs.some((p) => p.kind === 'elimination' && p.status === 'active');
      let elimination: HouseholdMonitoring['elimination'] = null;
      if (open && !eliminationActive) {
        const now = today();
        const effective = await this.policy.resolve(tx, h.village_code, yearOf(now));
        const f = await loadFacts(tx, this.registry, countyCode, householdId, yearOf(now), effective, now, open.identified_on);
        const c = f.snapshot.eliminationCheck!;
        elimination = { allowed: c.allowed, quick: c.quick, blockers: c.blockers, perCapitaNetIncome: f.elimination!.perCapitaNetIncome };
      }
      const head = await this.registry.members(tx, countyCode, householdId);
      return {
        household: {
          countyCode, id: householdId, householdNo: h.household_no, headName: (head.find((m) => m.active && m.relation === 'head')?.name as string) ?? null,
          villageCode: h.village_code, villageName: h.village_name,
        },
        monitored: open !== undefined,
        records: records.map((x) => ({
          id: x.id, identifiedOn: x.identified_on, monitoredType: x.monitored_type, riskTypes: (x.risk_types as string[]) ?? [],
          source: x.source === 'migrated' ? 'migrated' as const : 'signed' as const,
          identificationId: x.identification_id, importId: x.import_id,
          eliminatedOn: x.eliminated_on, eliminationType: x.elimination_type,
          eliminationId: x.elimination_id, quickElimination: x.quick_elimination === true,
        })),
        procedures: procs.map(toSummary),
        clues: clues.map(toClue),
        elimination,
      };
    });
  }

  /**
   * The publicity list of a village (or any region): cases at the publicity step. Built from named, public fields
   * only — head of household, village, type, risk types, dates — never ID numbers, phones, bank accounts or health.
   */
  publicity(actor: Actor, regionCode: string) {
    return this.d.db.scoped(actor, async (tx) => {
      const region = await this.regions.visible(tx, regionCode);
      const effective = await this.policy.resolve(tx, region.code, yearOf(today()));
      const days = effective.values.publicityDays;
      const rows = await this.repo.publicity(tx, regionPrefix(region.code));
      const entries: PublicityEntry[] = rows.map((r) => {
        const state = r.state as ProcedureState;
        const signed = (step: string) => [...state.events].reverse().find((e) => e.action === 'sign' && e.step === step);
        const review = signed('village_review');
        const assessment = signed('assessment');
        const identification = state.kind === 'identification';
        const proposedRisks = review?.data.proposedRiskTypes;
        return {
          procedureId: r.id, countyCode: r.county_code, kind: state.kind, headName: r.head_name ?? '', villageName: r.village_name,
          townshipName: r.township_name, householdSize: r.size,
          monitoredType: identification ? ((review?.data.proposedMonitoredType as string) || null) : r.monitored_type,
          riskTypes: identification ? (Array.isArray(proposedRisks) ? proposedRisks.map(String) : []) : ((r.risk_types as string[]) ?? []),
          eliminationType: identification ? null : ((assessment?.data.eliminationType as string) ?? null),
          startedOn: r.started_on, reviewedOn: review?.on ?? null,
          publicityFrom: r.step_since, publicityTo: addDays(r.step_since, days - 1),
        };
      });
      return { regionName: region.fullName || region.name, publicityDays: days, today: today(), entries };
    });
  }
}

/**
 * The village review's proposal (拟认定类型和风险) is optional, but the publicity list prints it: when given it must be
 * a monitored type of the code table and at most MAX_RISK_TYPES distinct risk types of theirs.
 */
function proposalProblems(data: Record<string, unknown>): StepProblem[] {
  const out: StepProblem[] = [];
  const type = data.proposedMonitoredType;
  if (type !== undefined && type !== null && type !== '' && !MONITORED_TYPES.some((t) => t.code === type)) {
    out.push(stepProblem('proposedMonitoredType', msg('monitoring.proposal.typeNotInTable')));
  }
  const risks = data.proposedRiskTypes;
  if (risks !== undefined && risks !== null) {
    if (!Array.isArray(risks)) out.push(stepProblem('proposedRiskTypes', msg('monitoring.proposal.risksNotList')));
    else if (risks.length > MAX_RISK_TYPES) out.push(stepProblem('proposedRiskTypes', msg('monitoring.proposal.maxRiskTypes', { max: MAX_RISK_TYPES })));
    else if (new Set(risks).size !== risks.length) out.push(stepProblem('proposedRiskTypes', msg('monitoring.proposal.riskDuplicate')));
    else if (risks.some((x) => !RISK_TYPES.some((t) => t.code === x))) out.push(stepProblem('proposedRiskTypes', msg('monitoring.proposal.riskNotInTable')));
  }
  return out;
}

/** A clue status as a catalogue label (a nested message param). */
function clueStatus(s: unknown): MessageRef {
  return { code: `monitoring.status.${String(s)}`, params: {} };
}
