import {
  ageAt, can, explainIncome, INCOME_ITEMS, maskIdNumber, maskPhone, perCapitaNetIncome, regionPrefix,
  type HouseholdDetail, type HouseholdListItem, type IncomeValues,
} from '@tuopin/domain';
import type { Actor } from '../db/database';
import { invalid, notFound } from '../errors';
import type { Deps } from './context';
import type { RegionsService } from './regions.service';
import type { RegistryRepository } from '../repositories/registry.repository';

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const today = () => new Date().toISOString().slice(0, 10);

export interface HouseholdListQuery {
  regionCode?: string;
  year?: number;
  q?: string;
  status?: string;
  attribute?: string;
  mainCause?: string;
  monitored?: boolean;
  incomeMin?: number;
  incomeMax?: number;
  dangerousHouse?: boolean;
  uninsured?: boolean;
  after?: string;
  limit?: number;
}

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
}
