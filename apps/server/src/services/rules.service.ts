/**
 * Warning rules (预警规则) in CEL: saved only when they type-check and translate to SQL, versioned, previewed
 * on a region before saving (count, households, and the TypeScript evaluation checked against the SQL on the
 * same facts), and run all together over a region as a background job that creates platform clues.
 */
import {
  BUILT_IN_RULES, can, checkRule, msg, compileSql, evaluateRule, MEMBER_FACTS_TABLE, NATION_CODE, parentRegionCode, regionLevel, regionPrefix,
  RISK_TYPES, ruleReferences, type CheckedRule, type HouseholdRuleFacts, type RuleReferences, type RuleDryRun, type RuleRecord, type RuleRun, type RuleVersionRecord,
} from '@tuopin/domain';
import type { Actor } from '../db/database';
import { appError, AppError, dataException, dataExceptionMessage, detail, fieldError, fieldErrorOf } from '../errors';
import { runMessage, type RunContext, type RunMessage, type Runs } from './runs';
import { countyPolicies, factsSql, householdVillage, materializeFacts, readFacts, readHouseholdFacts } from '../repositories/rule-facts.repository';
import {
  collectRuleHitsOrDataError, createHitTable, groupRuleHits, hitCounties, matchFacts, matchingKeys, previewHouseholds, type RulesRepository, type CompiledRule, type RuleListRow, type RuleRow, type RuleRunRow,
} from '../repositories/rules.repository';
import { pgError, type Deps } from './context';
import { todayInChina } from '../clock';
import type { RegionsService } from './regions.service';

export const RULES_RUN = 'rules.run';
const PREVIEW_LIMIT = 20;
/** Households whose facts are read back to check the TypeScript evaluation against the SQL in a dry run. */
const AGREEMENT_SAMPLE = 200;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** Today in China (see clock.ts). */
const today = todayInChina;
/** Ages and durations of a year are computed at its last day, or today for the current year. */
const referenceDateOf = (year: number) => (year >= Number(today().slice(0, 4)) ? today() : `${year}-12-31`);

/** Whether a region lies in the actor's scope (what row-level security lets them write). */
const inScope = (actor: Actor, code: string) => code.startsWith(regionPrefix(actor.regionCode));
/** Whether two regions overlap (one contains the other): a rule of one applies to some households of the other. */
const overlaps = (a: string, b: string) => regionPrefix(a).startsWith(regionPrefix(b)) || regionPrefix(b).startsWith(regionPrefix(a));

const toRecord = (actor: Actor, r: RuleListRow | RuleRow): RuleRecord => ({
  id: r.id, name: r.name, nameEn: r.name_en, description: r.description, severity: r.severity, riskType: r.risk_type, channel: 'platform',
  expression: r.expression, version: r.version, active: r.active, builtin: r.builtin, updatedBy: r.updated_by_name, updatedAt: r.updated_at.toISOString(),
  regionCode: r.region_code, regionName: r.region_code === NATION_CODE ? null : ('region_name' in r ? r.region_name : null),
  editable: can(actor.role, 'rules:write') && inScope(actor, r.region_code),
});

const toRun = (r: RuleRunRow, runId: number | null = null): RuleRun => ({
  runId,
  id: r.id, region: { code: r.region_code, name: r.region_name, fullName: r.region_full_name, level: r.region_level }, year: r.year, period: r.period,
  status: r.status, progress: r.progress, message: r.message, households: r.households, results: r.results ?? [],
  newClues: r.new_clues, extendedClues: r.extended_clues, createdBy: r.created_by_name,
  createdAt: r.created_at.toISOString(), startedAt: iso(r.started_at), finishedAt: iso(r.finished_at),
});

/** Type-checks and translates an expression; a refusal names every error with its line and column. */
function compile(expression: string): { rule: CheckedRule; sql: string; refs: RuleReferences } {
  const c = checkRule(expression);
  if (!c.ok) {
    // The checker gives each error in both languages (a label-pair param); the position is by code.
    const refs = c.errors.map((e) => msg('rules.expressionAt', { line: e.position.line, column: e.position.column, reason: { zh: e.message, en: e.messageEn } }));
    const details = refs.map((m) => detail('expression', m));
    throw (refs.length > 1 ? appError('rules.expressionErrorsMore', { first: refs[0]!, n: refs.length }) : appError('rules.expressionErrors', { first: refs[0]! })).with({ details });
  }
  return { rule: c.rule, sql: compileSql(c.rule, { householdAlias: 'h', memberTable: MEMBER_FACTS_TABLE, literals: 'inline' }).sql, refs: ruleReferences(c.rule) };
}

/** Adds the built-in rules that are not in the table yet (first start and upgrades); edited rules are left alone. */
export async function ensureBuiltInRules(d: Deps): Promise<number> {
  const repo = d.repos.rules;
  return d.db.system({ name: 'bootstrap' }, async (tx) => {
    let added = 0;
    for (const b of BUILT_IN_RULES) {
      if (await repo.get(tx, b.id)) continue;
      compile(b.expression);
      await repo.insert(tx, {
        id: b.id, name: b.name, name_en: b.nameEn, description: b.description, severity: b.severity, risk_type: b.riskType,
        expression: b.expression, version: b.version, active: true, builtin: true, region_code: NATION_CODE, updated_by_name: 'system',
      }, '内置规则');
      added++;
    }
    return added;
  });
}

export class RulesService {
  private get repo() { return this.d.repos.rules; }

  constructor(private readonly d: Deps, private readonly regions: RegionsService, private readonly runs: Runs) {
    // The run kind (services/runs.ts): progress mirrored into rule_runs; a failed or interrupted run (its one
    // transaction rolled back: no clue of it) becomes failed and can be retried.
    runs.define({
      kind: RULES_RUN,
      permissions: { read: 'rules:read', run: 'rules:run' },
      handler: (ctx) => this.run(ctx),
      mirror: (tx, run, p) => this.repo.setRun(tx, run.subject_id!, { progress: p.fraction, message: p.message?.text }),
      cleanup: (tx, run, cause) => this.repo.failRun(tx, run.subject_id!, cause.reason === 'interrupted'
        ? '运行被中断（服务器或数据库重启），没有生成任何线索；请点击“重试”'
        : cause.error instanceof AppError ? cause.error.message : '运行失败，没有生成任何线索'),
      retry: async (tx, run) => {
        if (!(await this.repo.requeueRun(tx, run.subject_id!))) throw appError('rules.runNotFailed');
      },
      subject: async (tx, id) => {
        const r = await this.repo.getRun(tx, id);
        return r && r.created_by !== null ? { regionCode: r.region_code, userId: r.created_by, username: r.created_by_name ?? '' } : undefined;
      },
    });
  }

  list(actor: Actor): Promise<RuleRecord[]> {
    return this.d.db.scoped(actor, async (tx) => (await this.repo.list(tx)).map((r) => toRecord(actor, r)));
  }

  versions(actor: Actor, id: string): Promise<RuleVersionRecord[]> {
    return this.d.db.scoped(actor, async (tx) => {
      if (!(await this.repo.get(tx, id))) throw appError('rules.notFound');
      return (await this.repo.versions(tx, id)).map((v) => ({
        version: v.version, name: v.name, severity: v.severity, riskType: v.risk_type, expression: v.expression, note: v.note,
        createdBy: v.created_by_name, createdAt: v.created_at.toISOString(),
      }));
    });
  }

  private checkBody(b: { riskType: string; expression: string }) {
    if (!RISK_TYPES.some((t) => t.code === b.riskType)) {
      throw appError('rules.riskTypeUnknown', { riskType: b.riskType }).with({ details: [detail('riskType', msg('rules.riskTypeUnknownField'))] });
    }
    compile(b.expression);
  }

  /**
   * Adds a rule of a region: the writer's home region by default (a county administrator's county, national for a
   * national system administrator), or a province, city or county inside the writer's scope.
   */
  create(actor: Actor, b: { id: string; regionCode?: string; name: string; nameEn?: string; description?: string; severity: RuleRow['severity']; riskType: string; expression: string; active: boolean; note?: string }) {
    this.checkBody(b);
    return this.d.db.scoped(actor, async (tx) => {
      const regionCode = b.regionCode ?? actor.regionCode;
      if (regionLevel(regionCode) > 3) throw fieldError('regionCode', 'rules.regionLevel');
      if (!inScope(actor, regionCode)) throw fieldError('regionCode', 'rules.regionOutside');
      await this.regions.visible(tx, regionCode);
      if (await this.repo.idTaken(tx, b.id)) throw fieldError('id', 'rules.idTaken', { id: b.id });
      await this.repo.insert(tx, {
        id: b.id, name: b.name.trim(), name_en: b.nameEn?.trim() || null, description: b.description?.trim() || null, severity: b.severity,
        risk_type: b.riskType, expression: b.expression, version: 1, active: b.active, builtin: false, region_code: regionCode, updated_by_name: actor.username,
      }, b.note?.trim() || null);
      return toRecord(actor, (await this.repo.get(tx, b.id))!);
    }, { reason: b.note ?? null });
  }

  update(actor: Actor, id: string, b: { name: string; nameEn?: string; description?: string; severity: RuleRow['severity']; riskType: string; expression: string; active: boolean; note?: string }) {
    return this.d.db.scoped(actor, async (tx) => {
      const seen = await this.repo.get(tx, id);
      if (!seen) throw appError('rules.notFound');
      if (!inScope(actor, seen.region_code)) {
        throw appError(seen.region_code === NATION_CODE ? 'rules.nationalOnly' : 'rules.upperRegionOnly');
      }
      this.checkBody(b);
      const cur = (await this.repo.get(tx, id, true))!;
      const changed = cur.expression !== b.expression || cur.severity !== b.severity || cur.risk_type !== b.riskType || cur.name !== b.name.trim();
      const next = {
        id, name: b.name.trim(), name_en: b.nameEn?.trim() || null, description: b.description?.trim() || null, severity: b.severity,
        risk_type: b.riskType, expression: b.expression, version: changed ? cur.version + 1 : cur.version, active: b.active,
        updated_by_name: actor.username,
      };
      await this.repo.update(tx, next);
      if (changed) await this.repo.addVersion(tx, next, b.note?.trim() || null);
      return toRecord(actor, (await this.repo.get(tx, id))!);
    }, { reason: b.note ?? null });
  }

  /** Count and preview of the households an expression matches; nothing is written. */
  async dryRun(actor: Actor, b: { expression: string; regionCode?: string; ruleRegionCode?: string; year: number }): Promise<RuleDryRun> {
    const { rule, sql } = compile(b.expression);
    const t = performance.now();
    const { prefix, policies } = await this.d.db.scoped(actor, async (tx) => {
      let region = await this.regions.visible(tx, b.regionCode ?? actor.regionCode);
      // A rule of a province, city or county is tried only on the households it applies to.
      if (b.ruleRegionCode && b.ruleRegionCode !== NATION_CODE && !regionPrefix(region.code).startsWith(regionPrefix(b.ruleRegionCode))) {
        if (!regionPrefix(b.ruleRegionCode).startsWith(regionPrefix(region.code))) {
          throw fieldError('regionCode', 'rules.regionNotApplicable');
        }
        region = await this.regions.visible(tx, b.ruleRegionCode);
      }
      const prefix = regionPrefix(region.code);
      return { prefix, policies: await countyPolicies(tx, this.d.repos.policy, prefix, b.year) };
    });
    const facts = factsSql({ prefix, year: b.year, referenceDate: referenceDateOf(b.year), policies, paramIndex: 1 });
    // An expression that type-checks can still fail on the data (an integer overflow such as 9223372036854775807 + 1,
    // a division by zero): that is an error of the rule, named as such, not of the server.
    return this.d.db.scoped(actor, async (tx) => {
      const { households, total, keys } = await matchFacts(tx, facts, sql, PREVIEW_LIMIT);
      // The TypeScript evaluator must give the same answer on the same facts (a sample of the region).
      const sample = await readFacts(tx, facts, AGREEMENT_SAMPLE);
      const sqlHits = await matchingKeys(tx, facts, sql, sample);
      const agrees = sample.every((s) => {
        try {
          return evaluateRule(rule, s.facts) === sqlHits.has(`${s.countyCode}:${s.householdId}`);
        } catch {
          return false;
        }
      });
      const preview = await previewHouseholds(tx, facts, keys);
      return { households, matches: total, preview, agreesWithTypeScript: agrees, ms: Math.round(performance.now() - t) };
    }).catch((e: unknown) => {
      const code = pgError(e).code;
      if (code?.startsWith('22')) {
        throw fieldErrorOf('body.expression', msg(code === '22003' ? 'rules.computeOverflow' : 'rules.computeError', { reason: dataException(code) }))
          .with({ status: 400 });
      }
      throw e;
    });
  }

  /** The facts the warning rules read for one household and year, built by the same SQL as a run's. */
  async householdFacts(actor: Actor, countyCode: string, id: number, year: number): Promise<HouseholdRuleFacts> {
    const referenceDate = referenceDateOf(year);
    const { village, policies } = await this.d.db.scoped(actor, async (tx) => {
      const village = await householdVillage(tx, countyCode, id);
      if (!village) throw appError('registry.householdNotFound');
      return { village, policies: await countyPolicies(tx, this.d.repos.policy, village, year) };
    });
    const facts = factsSql({ prefix: village, year, referenceDate, policies, paramIndex: 1 });
    const f = await this.d.db.scoped(actor, (tx) => readHouseholdFacts(tx, facts, countyCode, id));
    if (!f) throw appError('registry.householdNotFound');
    return { year, referenceDate, facts: f };
  }

  /** Queues a warning run over a region (the caller's by default) for a year; the period is the current month. */
  async start(actor: Actor, b: { regionCode?: string; year: number }): Promise<RuleRun> {
    const id = await this.d.db.scoped(actor, async (tx) => {
      const region = await this.regions.visible(tx, b.regionCode ?? actor.regionCode);
      const runId = await this.repo.insertRun(tx, { regionCode: region.code, year: b.year, period: today().slice(0, 7), userId: actor.id, username: actor.username });
      return this.runs.insert(tx, actor, RULES_RUN, { regionCode: region.code, subjectId: runId });
    });
    await this.runs.enqueue(id);
    return this.getRun(actor, id.subject_id!);
  }

  getRun(actor: Actor, id: number): Promise<RuleRun> {
    return this.d.db.scoped(actor, async (tx) => {
      const r = await this.repo.getRun(tx, id);
      if (!r) throw appError('rules.runNotFound');
      return toRun(r, (await this.runs.latestIds(tx, [RULES_RUN], [id])).get(id) ?? null);
    });
  }

  /** The runs that covered the caller's region: its own and below, and those of every enclosing region (a county's run covers its townships). */
  listRuns(actor: Actor): Promise<RuleRun[]> {
    const enclosing: string[] = [];
    for (let c = parentRegionCode(actor.regionCode); c !== null; c = parentRegionCode(c)) enclosing.push(c);
    return this.d.db.scoped(actor, async (tx) => {
      const rows = await this.repo.listRuns(tx, regionPrefix(actor.regionCode), enclosing);
      const ids = await this.runs.latestIds(tx, [RULES_RUN], rows.map((r) => r.id));
      return rows.map((r) => toRun(r, ids.get(r.id) ?? null));
    });
  }

  private setRun(id: number, f: Parameters<RulesRepository['setRun']>[2]) {
    return this.d.db.system({ name: 'rules' }, (tx) => this.repo.setRun(tx, id, f));
  }

  /** A delivery of this warning run's run (as a job would; tests call it): runs it when queued, else nothing. */
  execute(id: number): Promise<void> {
    return this.runs.deliverNow(RULES_RUN, id);
  }

  /**
   * The job: as the user who started it (their scope), in one transaction — build the fact tables of the region,
   * then one statement per active rule evaluating it over the region and inserting the new clues. Progress is
   * written outside the transaction; a failure leaves no clue of the run.
   */
  private async run(ctx: RunContext): Promise<RunMessage | void> {
    const id = ctx.run.subject_id!;
    // as the creator (the run's region is named through tuopin_region_ref, which needs a scope)
    const run = await ctx.scoped((tx) => this.repo.getRun(tx, id));
    if (!run) throw new Error(`rule run ${id} not found`);
    const actor = ctx.actor;
    if (!(await this.d.db.system({ name: 'rules' }, (tx) => this.repo.claimRun(tx, id)))) return runMessage('rules.runNotQueued');
    {
      const prefix = regionPrefix(run.region_code);
      const { rules, policies } = await ctx.scoped(async (tx) => ({
        rules: await this.repo.list(tx), policies: await countyPolicies(tx, this.d.repos.policy, prefix, run.year),
      }));
      // Every active rule the creator sees that applies to some household of the region (a county's rules only in runs covering it).
      const compiled: CompiledRule[] = rules.filter((r) => r.active && overlaps(r.region_code, run.region_code)).map((r) => {
        const c = compile(r.expression);
        return {
          id: r.id, version: r.version, name: r.name, sql: c.sql, household: c.refs.household, member: c.refs.members ? c.refs.member : null,
          severity: r.severity, riskType: r.risk_type, regionPrefix: regionPrefix(r.region_code),
        };
      });
      const results = await ctx.scoped(async (tx) => {
        const households = await materializeFacts(tx, factsSql({ prefix, year: run.year, referenceDate: referenceDateOf(run.year), policies, paramIndex: 1 }), {
          household: compiled.flatMap((r) => r.household.map((x) => x.column)),
          member: compiled.flatMap((r) => (r.member ?? []).map((x) => x.column)),
        });
        await this.setRun(id, { households });
        await ctx.progress({
          fraction: 0.3,
          message: runMessage('rules.factsReady', { households, rules: compiled.length }),
        });
        const matches = new Map<string, number>();
        await createHitTable(tx);
        // One statement per rule over the whole region (progress between them): each rule is planned on its own.
        // A rule that cannot be computed on this data (an overflow, say: a county's own rule may be written so) is
        // rolled back alone and reported; the other rules still run.
        const failed = new Map<string, string>();
        for (const [i, r] of compiled.entries()) {
          await ctx.progress({
            fraction: 0.3 + (0.6 * i) / compiled.length, done: i, total: compiled.length,
            message: runMessage('rules.running', { n: i + 1, of: compiled.length, rule: r.name }),
          });
          const hit = await collectRuleHitsOrDataError(tx, r);
          if ('matches' in hit) {
            matches.set(r.id, hit.matches);
          } else {
            console.warn(`[rules] run ${id}: rule ${r.id} failed on the data (${hit.dataError}): ${hit.message}`);
            failed.set(r.id, ruleDataError(hit.dataError));
            matches.set(r.id, 0);
          }
        }
        // Then the hits of a household become one clue listing every rule that fired (set-based, deduplicated).
        await ctx.progress({ fraction: 0.92, message: runMessage('rules.grouping') });
        // The run's audit summary (on its region's chain and on the chain of every county with hits), entering bulk
        // mode (audit_bulk_begin) before the clues are written: the rules' matches are known; the clues each created
        // or extended are in the run record (rule_runs) and the clues.
        await this.d.repos.audit.beginBulk(tx, {
          action: 'run', entity: 'rule_runs', entityId: id, regionCode: run.region_code, counties: await hitCounties(tx),
          summary: {
            year: run.year, period: run.period, households,
            results: compiled.map((r) => ({ ruleId: r.id, ruleName: r.name, version: r.version, matches: matches.get(r.id)!, ...(failed.has(r.id) ? { error: failed.get(r.id)! } : {}) })),
          },
        });
        // The clue's own facts: the household fields the rules read (each rule's hit keeps its members' facts).
        const grouped = await groupRuleHits(tx, { household: compiled.flatMap((r) => r.household), member: null },
          { period: run.period, foundOn: today(), userId: actor.id, username: actor.username });
        const res = compiled.map((r) => ({
          ruleId: r.id, ruleName: r.name, version: r.version, matches: matches.get(r.id)!, newHits: grouped.newHits.get(r.id) ?? 0,
          ...(failed.has(r.id) ? { error: failed.get(r.id)! } : {}),
        }));
        // Done in the same transaction as the clues (and fenced with them: ctx.scoped), so that the clues and the
        // run's results are committed together or not at all.
        await this.repo.setRun(tx, id, {
          status: 'done', progress: 1, finished: true, results: res, new_clues: grouped.created, extended_clues: grouped.extended,
          message: `完成：${households} 户，${res.reduce((s, r) => s + r.matches, 0)} 次命中，新增线索 ${grouped.created} 条`
            + (grouped.extended ? `，补充已有线索 ${grouped.extended} 条` : '')
            + (res.some((r) => r.error) ? `；${res.filter((r) => r.error).length} 条规则计算出错，未记录其命中` : ''),
        });
        return { res, households, created: grouped.created, extended: grouped.extended };
      }, { reason: `预警运行 ${run.period}` });
      return runMessage('rules.done', { households: results.households, newClues: results.created });
    }
  }
}

/** A rule's failure on the data, in words for the run's results (the same wording as the dry run's). */
function ruleDataError(code: string): string {
  return `规则在计算时出错：${dataExceptionMessage(code)}，本条规则未记录命中`;
}
