import {
  ageAt, can, explainIncome, HOUSEHOLD_ATTRIBUTES, HOUSEHOLD_STATUSES, label, MEMBER_MOVE_LABELS, POVERTY_CAUSES, parseIdNumber, RELATIONS, validateHousehold, validateMember,
  type Household, type Member, type ValidationProblem, INCOME_ITEMS, maskIdNumber, maskPhone, perCapitaNetIncome, regionPrefix,
  type HouseholdDetail, type HouseholdListItem, type IncomeValues,
} from '@tuopin/domain';
import type { Actor } from '../db/database';
import { AppError, conflict, invalid, notFound } from '../errors';
import type { Tx } from '../db/database';
import { HOUSEHOLD_KEYS, householdFromRow, householdToColumns, LAND_KEYS, MEMBER_KEYS, memberFromRow, memberToColumns } from './registry.mapping';
import { pgError } from './context';
import { csvStream } from '../http/csv';
import type { Deps } from './context';
import type { RegionsService } from './regions.service';
import type { HouseholdFilter, RegistryRepository } from '../repositories/registry.repository';

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const today = () => new Date().toISOString().slice(0, 10);

export type HouseholdListQuery = Partial<Omit<HouseholdFilter, 'regionPrefix'>> & { regionCode?: string; after?: string; limit?: number };

export class RegistryService {
  constructor(
    private readonly d: Deps,
    private readonly regions: RegionsService,
    private readonly repo: RegistryRepository,
  ) {}

  list(actor: Actor, q: HouseholdListQuery): Promise<{ items: HouseholdListItem[]; next: string | null; total: number }> {
    return this.d.db.scoped(actor, async (tx) => {
      const region = await this.regions.visible(tx, q.regionCode ?? actor.regionCode);
      if (q.incomeMin !== undefined && q.incomeMax !== undefined && q.incomeMin > q.incomeMax) {
        throw invalid('querystring.incomeMax', '收入上限不能小于下限');
      }
      const filter = {
        regionPrefix: regionPrefix(region.code), year: q.year ?? new Date().getFullYear(), q: q.q?.trim() || undefined,
        status: q.status, attribute: q.attribute, mainCause: q.mainCause, monitored: q.monitored,
        incomeMin: q.incomeMin, incomeMax: q.incomeMax, dangerousHouse: q.dangerousHouse, uninsured: q.uninsured,
      };
      const limit = q.limit ?? 50;
      const after = q.after ? { villageCode: q.after.split(':')[0]!, id: Number(q.after.split(':')[1]) } : null;
      const [rows, total] = await Promise.all([this.repo.list(tx, filter, after, limit + 1), this.repo.count(tx, filter)]);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({
          id: r.id, countyCode: r.county_code, householdNo: r.household_no,
          village: { code: r.village_code, name: r.village_name, fullName: r.village_full_name, level: 5 },
          headName: r.head_name, headIdNumber: r.head_id_number ? maskIdNumber(r.head_id_number) : null,
          size: r.size, attribute: r.attribute, status: r.status, monitored: r.monitored, mainCause: r.main_cause,
          housingRating: r.housing_rating, perCapitaNetIncome: num(r.per_capita), uninsuredMembers: r.uninsured,
        })),
        next: rows.length > limit && last ? `${last.village_code}:${last.id}` : null,
        total,
      };
    });
  }

  /**
   * The filtered list as CSV, read in keyset batches of 2,000 inside one scoped transaction, so memory stays flat
   * for a million rows. ID numbers are always masked in exports.
   */
  async exportCsv(actor: Actor, q: HouseholdListQuery) {
    const region = await this.d.db.scoped(actor, (tx) => this.regions.visible(tx, q.regionCode ?? actor.regionCode));
    const filter = { ...q, regionPrefix: regionPrefix(region.code), year: q.year ?? new Date().getFullYear(), q: q.q?.trim() || undefined };
    const lab = (table: Parameters<typeof label>[0], code: string | null) => (code ? (label(table, code) ?? code) : '');
    return csvStream(
      ['户编号', '户主', '户主证件号码', '所在村', '村代码', '人口', '户属性', '户状态', '是否监测', '主要致贫原因', '住房安全等级', '人均纯收入（元）', '未参保人数'],
      (write) =>
        this.d.db.scoped(actor, async (tx) => {
          let after: { villageCode: string; id: number } | null = null;
          for (;;) {
            const rows = await this.repo.list(tx, filter, after, 2000);
            for (const r of rows) {
              await write([
                r.household_no, r.head_name, r.head_id_number ? maskIdNumber(r.head_id_number) : '', r.village_full_name, r.village_code, r.size,
                lab(HOUSEHOLD_ATTRIBUTES, r.attribute), lab(HOUSEHOLD_STATUSES, r.status), r.monitored ? '是' : '否', lab(POVERTY_CAUSES, r.main_cause),
                r.housing_rating ?? '', r.per_capita ?? '', r.uninsured,
              ]);
            }
            if (rows.length < 2000) break;
            const last = rows[rows.length - 1]!;
            after = { villageCode: last.village_code, id: last.id };
          }
        }),
    );
  }

  /** One household. Full ID numbers and phones only for roles that may reveal them, and only on request (logged). */
  async get(actor: Actor, countyCode: string, id: number, reveal = false): Promise<HouseholdDetail> {
    const show = reveal && can(actor.role, 'registry:reveal');
    return this.d.db.scoped(actor, async (tx) => {
      const h = await this.repo.household(tx, countyCode, id);
      if (!h) throw notFound('农户');
      const [members, incomes, statuses] = await Promise.all([
        this.repo.members(tx, countyCode, id), this.repo.incomes(tx, countyCode, id), this.repo.statuses(tx, countyCode, id),
      ]);
      if (show) {
        await this.d.repos.audit.append(tx, {
          action: 'reveal', entity: 'households', entityId: String(id), regionCode: String(h.village_code),
          after: { fields: ['idNumber', 'phone'] },
        });
      }
      const size = members.filter((m) => m.active).length;
      const fields: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(h)) {
        if (['county_code', 'id', 'household_no', 'village_code', 'village_name', 'village_full_name', 'village_level', 'created_at', 'updated_at'].includes(k)) continue;
        fields[camel(k)] = k === 'phone' && !show ? maskPhone(v as string | null) || null : typeof v === 'string' && /^-?\d+\.\d+$/.test(v) ? Number(v) : v;
      }
      return {
        id, countyCode, householdNo: String(h.household_no),
        village: { code: String(h.village_code), name: String(h.village_name), fullName: String(h.village_full_name), level: Number(h.village_level) },
        fields,
        members: members.map((m) => ({
          id: Number(m.id), idType: String(m.id_type),
          idNumber: show ? String(m.id_number) : maskIdNumber(String(m.id_number)),
          name: String(m.name), relation: String(m.relation), sex: (m.sex as string) ?? null,
          birthDate: (m.birth_date_text as string) ?? null, age: ageAt((m.birth_date_text as string) ?? null, today()),
          ethnicity: (m.ethnicity as string) ?? null, education: (m.education as string) ?? null, schoolStatus: (m.school_status as string) ?? null,
          dropoutReason: (m.dropout_reason as string) ?? null, health: (m.health as string[]) ?? [],
          disabilityCategory: num(m.disability_category), disabilityGrade: num(m.disability_grade), labour: (m.labour as string) ?? null,
          workMonths: num(m.work_months), workPlace: (m.work_place as string) ?? null, employer: (m.employer as string) ?? null,
          publicWelfareMonths: num(m.public_welfare_months), monthlyWorkIncome: num(m.monthly_work_income),
          medicalInsurance: (m.medical_insurance as string) ?? null, criticalIllnessInsurance: Boolean(m.critical_illness_insurance),
          commercialMedicalInsurance: Boolean(m.commercial_medical_insurance), pensionInsurance: Boolean(m.pension_insurance),
          medicalAid: Boolean(m.medical_aid), dibao: String(m.dibao), tekun: String(m.tekun),
          phone: show ? ((m.phone as string) ?? null) : maskPhone(m.phone as string | null) || null,
          active: Boolean(m.active), leftOn: (m.left_on_text as string) ?? null, leftReason: (m.left_reason as string) ?? null,
        })),
        incomes: incomes.map((r) => {
          const items: IncomeValues = {};
          for (const it of INCOME_ITEMS) items[it.key] = num(r[it.key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]);
          return {
            year: Number(r.year), items: items as Record<string, number | null>, size,
            perCapitaNetIncome: perCapitaNetIncome(items, size), explanation: explainIncome(items, size),
          };
        }),
        statuses: statuses.map((s) => ({
          year: Number(s.year), status: String(s.status), exitYear: num(s.exit_year), monitored: Boolean(s.monitored),
          monitoredType: (s.monitored_type as string) ?? null, riskTypes: (s.risk_types as string[]) ?? [],
        })),
      };
    });
  }

  // ---- changes ------------------------------------------------------------------------------

  async updateHousehold(actor: Actor, countyCode: string, id: number, changes: Record<string, unknown>, reason: string): Promise<HouseholdDetail> {
    const allowed = new Set<string>([...HOUSEHOLD_KEYS, 'land']);
    await this.d.db.scoped(
      actor,
      async (tx) => {
        const row = await this.repo.household(tx, countyCode, id);
        if (!row) throw notFound('农户');
        for (const k of Object.keys(changes)) if (!allowed.has(k)) throw invalid(`body.changes.${k}`, '该字段不能在此修改');
        const current = householdFromRow(row);
        const land = changes.land as Record<string, unknown> | undefined;
        if (land !== undefined) for (const k of Object.keys(land ?? {})) if (!(LAND_KEYS as readonly string[]).includes(k)) throw invalid(`body.changes.land.${k}`, '未知的土地类型');
        const merged = { ...current, ...changes, land: { ...current.land, ...(land ?? {}) } } as Household;
        const opts = { referenceDate: today() };
        rejectErrors(validateHousehold(merged, opts), 'body.changes', validateHousehold(current, opts));
        await this.repo.updateHousehold(tx, countyCode, id, householdToColumns(changes as Partial<Household>));
      },
      { reason },
    );
    return this.get(actor, countyCode, id);
  }

  async updateMember(actor: Actor, countyCode: string, id: number, memberId: number, changes: Record<string, unknown>, reason: string): Promise<HouseholdDetail> {
    await this.d.db.scoped(
      actor,
      async (tx) => {
        const { household, member } = await this.activeMember(tx, countyCode, id, memberId);
        for (const k of Object.keys(changes)) if (!(MEMBER_KEYS as readonly string[]).includes(k)) throw invalid(`body.changes.${k}`, '该字段不能在此修改');
        const current = memberFromRow(member);
        const next = { ...current, ...changes } as Member;
        if (typeof next.idNumber === 'string') next.idNumber = normalizedId(next.idNumber);
        const opts = { referenceDate: today(), regionCode: String(household.village_code) };
        rejectErrors(validateMember(next, opts), 'body.changes', validateMember(current, opts));
        try {
          if (next.idNumber !== current.idNumber) await this.repo.renamePerson(tx, current.idNumber, next.idNumber);
          await this.repo.updateMember(tx, countyCode, memberId, memberToColumns({ ...(changes as Partial<Member>), ...('idNumber' in changes ? { idNumber: next.idNumber } : {}) }));
        } catch (e) {
          throw duplicateId(e, next.idNumber, 'body.changes.idNumber');
        }
      },
      { reason },
    );
    return this.get(actor, countyCode, id);
  }

  async addMember(
    actor: Actor, countyCode: string, id: number,
    b: { member: Record<string, unknown>; kind: 'birth' | 'marriage_in' | 'other_in'; date: string; reason: string },
  ): Promise<HouseholdDetail> {
    await this.d.db.scoped(
      actor,
      async (tx) => {
        const household = await this.repo.household(tx, countyCode, id);
        if (!household) throw notFound('农户');
        for (const k of Object.keys(b.member)) if (!(MEMBER_KEYS as readonly string[]).includes(k)) throw invalid(`body.member.${k}`, '未知字段');
        const m = { idType: 'resident_id', health: [], ...b.member } as unknown as Member;
        if (typeof m.idNumber === 'string') m.idNumber = normalizedId(m.idNumber);
        rejectErrors(validateMember(m, { referenceDate: today(), regionCode: String(household.village_code) }), 'body.member');
        checkDate(b.date, m.birthDate);
        const village = String(household.village_code);
        try {
          const memberId = await this.repo.insertMember(tx, countyCode, id, village, memberToColumns(m));
          await this.repo.insertPerson(tx, { idNumber: m.idNumber, countyCode, villageCode: village, householdId: id, memberId });
          await this.repo.insertMove(tx, {
            countyCode, villageCode: village, memberId, idNumber: m.idNumber, kind: b.kind, fromHouseholdId: null, toCountyCode: countyCode, toHouseholdId: id,
            date: b.date, reason: b.reason,
          });
        } catch (e) {
          throw duplicateId(e, m.idNumber, 'body.member.idNumber');
        }
      },
      { reason: `${MEMBER_MOVE_LABELS[b.kind].zh}：${b.reason}` },
    );
    return this.get(actor, countyCode, id);
  }

  /** A member leaves: the row stays (inactive, with date and reason); a transfer creates the membership in the target household. */
  async moveMember(
    actor: Actor, countyCode: string, id: number, memberId: number,
    b: { kind: 'death' | 'marriage_out' | 'transfer' | 'other_out'; date: string; reason: string; target?: { countyCode: string; householdId: number; relation: string } },
  ): Promise<HouseholdDetail> {
    const why = `${MEMBER_MOVE_LABELS[b.kind].zh}：${b.reason}`;
    await this.d.db.scoped(
      actor,
      async (tx) => {
        const { household, member } = await this.activeMember(tx, countyCode, id, memberId);
        const current = memberFromRow(member);
        checkDate(b.date, current.birthDate);
        const village = String(household.village_code);
        if (b.kind === 'transfer') {
          if (!b.target) throw invalid('body.target', '转入其他农户时必须指定目标农户');
          if (b.target.countyCode === countyCode && b.target.householdId === id) throw invalid('body.target', '目标农户不能是本户');
          if (!label(RELATIONS, b.target.relation)) throw invalid('body.target.relation', '与新户主关系不正确');
          const target = await this.repo.household(tx, b.target.countyCode, b.target.householdId);
          if (!target) throw invalid('body.target', '目标农户不存在或不在您的管辖范围内');
          const tVillage = String(target.village_code);
          const newId = await this.repo.insertMember(tx, b.target.countyCode, b.target.householdId, tVillage, memberToColumns({ ...current, relation: b.target.relation as Member['relation'] }));
          await this.repo.movePerson(tx, current.idNumber, { countyCode: b.target.countyCode, villageCode: tVillage, householdId: b.target.householdId, memberId: newId });
          await this.repo.insertMove(tx, {
            countyCode: b.target.countyCode, villageCode: tVillage, memberId: newId, idNumber: current.idNumber, kind: 'transfer_in',
            fromHouseholdId: id, toCountyCode: b.target.countyCode, toHouseholdId: b.target.householdId, date: b.date, reason: b.reason,
          });
        } else {
          if (b.target) throw invalid('body.target', '只有“转入其他农户”需要目标农户');
          await this.repo.deletePerson(tx, current.idNumber);
        }
        await this.repo.endMembership(tx, countyCode, memberId, b.date, why);
        await this.repo.insertMove(tx, {
          countyCode, villageCode: village, memberId, idNumber: current.idNumber, kind: b.kind, fromHouseholdId: id,
          toCountyCode: b.target?.countyCode ?? null, toHouseholdId: b.target?.householdId ?? null, date: b.date, reason: b.reason,
        });
      },
      { reason: why },
    );
    return this.get(actor, countyCode, id);
  }

  private async activeMember(tx: Tx, countyCode: string, id: number, memberId: number) {
    const household = await this.repo.household(tx, countyCode, id);
    if (!household) throw notFound('农户');
    const member = await this.repo.member(tx, countyCode, id, memberId);
    if (!member) throw notFound('成员');
    if (!member.active) throw conflict(`该成员已于 ${String(member.left_on)} 迁出，不能再修改`);
    return { household, member };
  }
}

function normalizedId(raw: string): string {
  const p = parseIdNumber(raw.trim(), { referenceDate: today() });
  return p.ok ? p.normalized : raw.trim();
}

/**
 * Errors stop the change (named by field); warnings do not. When a record is changed, only errors that the
 * change introduces count: a user can correct one field of a record that still has other problems (which the
 * data-quality page lists), but cannot make it worse.
 */
function rejectErrors(problems: ValidationProblem[], prefix: string, before: ValidationProblem[] = []) {
  const existing = new Set(before.filter((p) => p.severity === 'error').map((p) => `${p.field}|${p.check}|${p.message}`));
  const errors = problems.filter((p) => p.severity === 'error' && !existing.has(`${p.field}|${p.check}|${p.message}`));
  if (errors.length === 0) return;
  const details = errors.map((p) => ({ field: `${prefix}.${p.field}`, message: p.message }));
  throw new AppError(400, 'VALIDATION', `${details[0]!.message}（字段：${details[0]!.field}）`, details);
}

function checkDate(date: string, birthDate: string | null) {
  if (date > today()) throw invalid('body.date', '日期不能晚于今天');
  if (birthDate && date < birthDate) throw invalid('body.date', '日期不能早于出生日期');
}

function duplicateId(e: unknown, idNumber: string, field: string): unknown {
  if (pgError(e).code === '23505') return conflict(`证件号码 ${idNumber} 已登记在其他农户中，同一证件号码只能属于一户`, field);
  return e;
}
