/**
 * Assistance measures (帮扶措施) of a household: recorded and ended by the registry's writers of its region,
 * checked by the domain's validateMeasure; whether a development measure is in force is what the warning rule
 * and the data-quality check on monitored households with labour read.
 */
import { DEVELOPMENT_MEASURE_FAMILIES, hasDevelopmentMeasure, measureInForce, validateMeasure, validateMeasureEnd, type Measure, type MeasureFamily, type MeasureInput, type MeasureProblem } from '@tuopin/domain';
import type { Actor } from '../db/database';
import { AppError, appError } from '../errors';
import type { MeasureRow } from '../repositories/assistance.repository';
import { todayInChina as today } from '../clock';
import type { Deps } from './context';

const FIELD_ZH: Record<string, string> = { family: '措施类别', title: '措施内容', startedOn: '开始日期', endedOn: '结束日期', amount: '投入资金', note: '备注' };

function toMeasure(r: MeasureRow, now: string): Measure {
  const endedOn = r.ended_on;
  return {
    countyCode: r.county_code, id: r.id, householdId: r.household_id, family: r.family as MeasureFamily,
    development: (DEVELOPMENT_MEASURE_FAMILIES as readonly string[]).includes(r.family),
    title: r.title, startedOn: r.started_on, endedOn, inForce: measureInForce({ startedOn: r.started_on, endedOn }, now),
    amount: r.amount, note: r.note, createdBy: r.created_by_name,
    createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}

function refuse(problems: MeasureProblem[]): never {
  const first = problems[0]!;
  throw new AppError(400, first.code, `${first.message}（字段：${FIELD_ZH[first.field] ?? first.field}）`, problems.map((p) => ({ ...p })), { ...first.params });
}

export class AssistanceService {
  private get repo() { return this.d.repos.assistance; }
  private get registry() { return this.d.repos.registry; }
  private get users() { return this.d.repos.monitoring; }

  constructor(private readonly d: Deps) {}

  list(actor: Actor, countyCode: string, householdId: number): Promise<{ items: Measure[]; hasDevelopmentMeasure: boolean }> {
    return this.d.db.scoped(actor, async (tx) => {
      if (!(await this.registry.household(tx, countyCode, householdId))) throw appError('registry.householdNotFound');
      const now = today();
      const items = (await this.repo.list(tx, countyCode, householdId, now)).map((r) => toMeasure(r, now));
      return { items, hasDevelopmentMeasure: hasDevelopmentMeasure(items, now) };
    });
  }

  create(actor: Actor, countyCode: string, householdId: number, b: MeasureInput): Promise<Measure> {
    const now = today();
    const input = { ...b, title: b.title.trim(), endedOn: b.endedOn || null, note: b.note?.trim() || null, amount: b.amount ?? null };
    const problems = validateMeasure(input, now);
    if (problems.length) refuse(problems);
    return this.d.db.scoped(actor, async (tx) => {
      const h = await this.registry.household(tx, countyCode, householdId);
      if (!h) throw appError('registry.householdNotFound');
      const id = await this.repo.insert(tx, {
        countyCode, householdId, villageCode: h.village_code, family: input.family, title: input.title, startedOn: input.startedOn,
        endedOn: input.endedOn, amount: input.amount, note: input.note, userId: actor.id, userName: (await this.users.userName(tx, actor.id)) ?? actor.username,
      });
      return toMeasure((await this.repo.get(tx, countyCode, householdId, id))!, now);
    }, { reason: `登记帮扶措施：${input.title}` });
  }

  end(actor: Actor, countyCode: string, householdId: number, id: number, b: { endedOn: string; reason?: string }): Promise<Measure> {
    const now = today();
    return this.d.db.scoped(actor, async (tx) => {
      const m = await this.repo.get(tx, countyCode, householdId, id, true);
      if (!m) throw appError('assistance.measureNotFound');
      // A planned end date still to come may be brought forward; a measure that has ended cannot end again.
      if (m.ended_on !== null && m.ended_on <= now) throw appError('assistance.measureEnded', { date: m.ended_on });
      const problems = validateMeasureEnd(m.started_on, b.endedOn, now);
      if (problems.length) refuse(problems);
      await this.repo.end(tx, countyCode, id, b.endedOn);
      return toMeasure((await this.repo.get(tx, countyCode, householdId, id))!, now);
    }, { reason: b.reason?.trim() || '结束帮扶措施' });
  }
}
