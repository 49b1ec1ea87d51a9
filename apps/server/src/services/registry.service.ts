import type { Readable } from 'node:stream';
import {
  ancestorCodes, codeFromPrefix, columnsOutput, HOUSEHOLD_FIELD_COLUMNS, incomeLineOf, MEMBER_FIELD_COLUMNS, regionLevel, resolvePolicy,
  ageAt, explainIncome, HOUSEHOLD_ATTRIBUTES, HOUSEHOLD_STATUSES, HOUSING_RATINGS, isReadOnlyRole, label, MEMBER_MOVE_LABELS, POVERTY_CAUSES,
  parseIdNumber, REGISTRY_FIRST_YEAR, validateHousehold, validateIncome, validateMember, validateYearStatus,
  type AuditEntry, type MessageCode, type Household, type Member, type ValidationProblem, INCOME_ITEMS, perCapitaNetIncome, regionPrefix,
  type HouseholdChanges, type HouseholdDetail, type IncomeItemKey, type RelationCode, type IncomeItemsBody, type HouseholdListItem, type HouseholdStatusCode, type MemberChanges, type NewHousehold, type HouseholdListTotals, type IncomeRecord, type YearStatus,
} from '@tuopin/domain';
import type { Actor } from '../db/database';
import { AppError, appError, fieldError } from '../errors';
import type { Tx } from '../db/database';
import { householdFromRow, householdToColumns, incomeValuesFromRow, memberFromRow, memberToColumns, type MemberRow } from '../repositories/registry.mapping';
import { pgError } from './context';
import { maskPrivateValues, PRIVATE_FIELDS, privacyFor, type Privacy } from './privacy';
import { csvStream } from '../http/csv';
import { xlsxStream } from '../http/xlsx';
import { MEMBER_EXPORT_COLUMNS, MEMBER_EXPORT_HEADERS } from './registry.export';
import { referenceDateFor } from './quality.evaluate';
import type { Deps } from './context';
import { currentYearInChina, todayInChina } from '../clock';
import type { RegionsService } from './regions.service';
import {
  MOVE_IN_KINDS, MOVE_OUT_KINDS, type HouseholdFilter, type HouseholdListRow, type MoveRow,
} from '../repositories/registry.repository';

/** Land areas of a new household where the form gives none: not recorded. */
const NO_LAND: Household['land'] = Object.freeze({ cultivated: null, forest: null, returnedForest: null, orchard: null, pasture: null, waterSurface: null });
/** Today in China (see clock.ts). */
const today = todayInChina;

export type HouseholdListQuery = Partial<Omit<HouseholdFilter, 'regionPrefix'>> & { regionCode?: string; after?: string; limit?: number; withTotals?: boolean };

export { PRIVATE_FIELDS, privacyFor, type Privacy };

/** Household size at the end of a year: today's members, plus those who left after it, minus those who joined after it. */
export function sizeAtYearEnd(activeNow: number, moves: readonly Pick<MoveRow, 'kind' | 'moved_on'>[], year: number): number {
  const end = `${year}-12-31`;
  let size = activeNow;
  for (const mv of moves) {
    if (mv.moved_on <= end) continue;
    if ((MOVE_OUT_KINDS as readonly string[]).includes(mv.kind)) size++;
    else if ((MOVE_IN_KINDS as readonly string[]).includes(mv.kind)) size--;
  }
  return size;
}

const lab = (table: Parameters<typeof label>[0], code: string | null) => (code ? (label(table, code) ?? code) : '');

/** The columns of the household export, one definition for CSV and XLSX. */
const EXPORT_COLUMNS: { header: string; width: number; value: (r: HouseholdListRow, p: Privacy) => string | number | null }[] = [
  { header: '户编号', width: 18, value: (r) => r.household_no },
  { header: '户主', width: 10, value: (r) => r.head_name },
  { header: '户主证件号码', width: 22, value: (r, p) => p.idNumber(r.head_id_number) },
  { header: '所在村', width: 40, value: (r) => r.village_full_name },
  { header: '村代码', width: 14, value: (r) => r.village_code },
  { header: '人口', width: 6, value: (r) => r.size },
  { header: '户属性', width: 14, value: (r) => lab(HOUSEHOLD_ATTRIBUTES, r.attribute) },
  { header: '户状态', width: 10, value: (r) => lab(HOUSEHOLD_STATUSES, r.status) },
  { header: '是否监测', width: 8, value: (r) => (r.monitored ? '是' : '否') },
  { header: '主要致贫原因', width: 14, value: (r) => lab(POVERTY_CAUSES, r.main_cause) },
  { header: '住房安全等级', width: 12, value: (r) => lab(HOUSING_RATINGS, r.housing_rating) },
  { header: '人均纯收入（元）', width: 14, value: (r) => r.per_capita },
  { header: '未参保人数', width: 10, value: (r) => r.uninsured },
  { header: '联系电话', width: 14, value: (r, p) => p.phone(r.phone) },
];
export const EXPORT_HEADERS = EXPORT_COLUMNS.map((c) => c.header);

export class RegistryService {
  constructor(
    private readonly d: Deps,
    private readonly regions: RegionsService,
  ) {}

  private get repo() { return this.d.repos.registry; }

  /**
   * A page of the filtered list (keyset paging: as fast on the last page as on the first). The totals of the whole
   * filtered list are a pass over all of it (4 s for a province of 440,000 households), so a client paging through
   * a list it already has the totals of asks without them (withTotals=false).
   */
  list(actor: Actor, q: HouseholdListQuery): Promise<{ items: HouseholdListItem[]; next: string | null; total: number | null; totals: HouseholdListTotals | null }> {
    return this.d.db.scoped(actor, async (tx) => {
      const region = await this.regions.visible(tx, q.regionCode ?? actor.regionCode);
      if (q.incomeMin !== undefined && q.incomeMax !== undefined && q.incomeMin > q.incomeMax) {
        throw fieldError('querystring.incomeMax', 'registry.incomeRange');
      }
      const filter = filterOf(region.code, q);
      const privacy = privacyFor(actor.role, false);
      const limit = q.limit ?? 50;
      const after = q.after ? { villageCode: q.after.split(':')[0]!, id: Number(q.after.split(':')[1]) } : null;
      const rows = await this.repo.list(tx, filter, after, limit + 1);
      const totals = q.withTotals === false ? null : await this.repo.totals(tx, filter);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({
          id: r.id, countyCode: r.county_code, householdNo: r.household_no,
          village: { code: r.village_code, name: r.village_name, fullName: r.village_full_name, level: 5 },
          headName: r.head_name, headIdNumber: privacy.idNumber(r.head_id_number),
          size: r.size, attribute: r.attribute, status: r.status, monitored: r.monitored, mainCause: r.main_cause,
          housingRating: r.housing_rating, perCapitaNetIncome: r.per_capita, uninsuredMembers: r.uninsured,
        })),
        next: rows.length > limit && last ? `${last.village_code}:${last.id}` : null,
        total: totals ? totals.households : null,
        totals: totals && {
          households: totals.households, persons: totals.persons, withIncome: totals.with_income,
          averagePerCapitaNetIncome: totals.average_per_capita,
        },
      };
    });
  }

  /**
   * The filtered list as CSV or XLSX, read in keyset batches of 2,000 inside one scoped transaction, so memory stays
   * flat for a million rows. Private fields follow privacyFor (an export asks for full values: roles that may reveal
   * them get them); every export is logged with its filter and whether full values were included.
   */
  async export(actor: Actor, q: HouseholdListQuery, format: 'csv' | 'xlsx'): Promise<{ stream: Readable; fileName: string }> {
    const region = await this.d.db.scoped(actor, (tx) => this.regions.visible(tx, q.regionCode ?? actor.regionCode));
    const filter = filterOf(region.code, q);
    const privacy = privacyFor(actor.role, true);
    await this.logExport(actor, region.code, {
      format, fields: privacy.full ? [...PRIVATE_FIELDS] : [], filter: { ...q, regionCode: region.code, year: filter.year },
    });
    const produce = (write: (row: unknown[]) => Promise<void>) =>
      this.d.db.scoped(actor, async (tx) => {
        let after: { villageCode: string; id: number } | null = null;
        for (;;) {
          const rows = await this.repo.list(tx, filter, after, 2000);
          for (const r of rows) await write(EXPORT_COLUMNS.map((c) => c.value(r, privacy)));
          if (rows.length < 2000) break;
          const last = rows[rows.length - 1]!;
          after = { villageCode: last.village_code, id: last.id };
        }
      });
    const fileName = `农户列表-${region.name}-${filter.year}.${format}`;
    return format === 'csv'
      ? { stream: csvStream(EXPORT_HEADERS, produce), fileName }
      : { stream: xlsxStream('农户列表', EXPORT_COLUMNS, produce), fileName };
  }

  /**
   * The current members of the households of the filtered list (the same filter as the list and its export), as
   * CSV or XLSX: households in keyset batches of 2,000 and their members in one query per batch, inside one scoped
   * transaction; private fields and the audit entry as in the household export.
   */
  async exportMembers(actor: Actor, q: HouseholdListQuery, format: 'csv' | 'xlsx'): Promise<{ stream: Readable; fileName: string }> {
    const region = await this.d.db.scoped(actor, (tx) => this.regions.visible(tx, q.regionCode ?? actor.regionCode));
    const filter = filterOf(region.code, q);
    const privacy = privacyFor(actor.role, true);
    const referenceDate = referenceDateFor(filter.year, today());
    await this.logExport(actor, region.code, {
      format, list: 'members', fields: privacy.full ? [...PRIVATE_FIELDS] : [], filter: { ...q, regionCode: region.code, year: filter.year },
    });
    const produce = (write: (row: unknown[]) => Promise<void>) =>
      this.d.db.scoped(actor, async (tx) => {
        let after: { villageCode: string; id: number } | null = null;
        for (;;) {
          const rows = await this.repo.list(tx, filter, after, 2000);
          const byKey = new Map(rows.map((r) => [`${r.county_code}:${r.id}`, r]));
          for (const m of await this.repo.membersOf(tx, rows)) {
            const household = byKey.get(`${m.county_code}:${m.household_id}`)!;
            await write(MEMBER_EXPORT_COLUMNS.map((c) => c.value({ household, member: m, referenceDate }, privacy)));
          }
          if (rows.length < 2000) break;
          const last = rows[rows.length - 1]!;
          after = { villageCode: last.village_code, id: last.id };
        }
      });
    const fileName = `成员名单-${region.name}-${filter.year}.${format}`;
    return format === 'csv'
      ? { stream: csvStream(MEMBER_EXPORT_HEADERS, produce), fileName }
      : { stream: xlsxStream('成员名单', MEMBER_EXPORT_COLUMNS, produce), fileName };
  }

  /**
   * The export's audit entry, in its own short transaction (the audit chain's lock must not be held while a long
   * export streams). Read-only roles have READ ONLY scoped transactions, so their entry is written by a system
   * transaction that still names the user as the actor.
   */
  private logExport(actor: Actor, regionCode: string, details: Record<string, unknown>): Promise<void> {
    const append = (tx: Tx) => this.d.repos.audit.append(tx, { action: 'export', entity: 'households', entityId: null, regionCode, after: details });
    return isReadOnlyRole(actor.role)
      ? this.d.db.system({ name: actor.username, userId: actor.id, ip: actor.ip }, append)
      : this.d.db.scoped(actor, append);
  }

  /** One household. Full ID numbers and phones only for roles that may reveal them, and only on request (logged). */
  async get(actor: Actor, countyCode: string, id: number, reveal = false): Promise<HouseholdDetail> {
    const privacy = privacyFor(actor.role, reveal);
    return this.d.db.scoped(actor, async (tx) => {
      // The village's policy chain (its ancestors down to the county) is its county's: households.county_code is the
      // village code's first six digits (a check constraint), so the page is one statement.
      const county = codeFromPrefix(countyCode);
      const chain = [...ancestorCodes(county), county].filter((c) => regionLevel(c) <= 3).map(regionPrefix);
      const h = await this.repo.householdPage(tx, countyCode, id, chain, currentYearInChina());
      if (!h) throw appError('registry.householdNotFound');
      const village = h.village_code;
      const { members, incomes, statuses, moves } = h;
      const valueRows = h.policy.map((r) => ({ id: r.id, regionCode: r.region_code, year: r.year, key: r.key, value: r.value }));
      if (privacy.full) {
        await this.d.repos.audit.append(tx, {
          action: 'reveal', entity: 'households', entityId: id, regionCode: h.village_code,
          after: { fields: [...PRIVATE_FIELDS] },
        });
      }
      const joinedOn = new Map<number, string>();
      for (const mv of moves) if ((MOVE_IN_KINDS as readonly string[]).includes(mv.kind) && mv.to_household_id === id) joinedOn.set(mv.member_id, mv.moved_on);
      const activeNow = members.filter((m) => m.active).length;
      // the response parts of the contract, from the domain records (cleared fields as their column defaults)
      const household = columnsOutput(HOUSEHOLD_FIELD_COLUMNS, householdFromRow(h));
      return {
        id, countyCode, householdNo: h.household_no,
        village: { code: h.village_code, name: h.village_name, fullName: h.village_full_name, level: h.village_level },
        fields: { ...household, phone: privacy.phone(household.phone) },
        members: members.map((r) => {
          // the JSON form of the row: dates as text, the numeric as a number (memberFromRow reads both forms)
          const m = memberFromRow(r as unknown as MemberRow);
          return {
            ...columnsOutput(MEMBER_FIELD_COLUMNS, m),
            id: r.id, idNumber: privacy.idNumber(m.idNumber) ?? '', phone: privacy.phone(m.phone), age: ageAt(m.birthDate, today()),
            active: r.active, joinedOn: joinedOn.get(r.id) ?? null,
            leftOn: r.left_on_text, leftReason: r.left_reason,
          };
        }),
        incomes: incomes.map((r) => {
          const items = incomeValuesFromRow(r);
          const year = r.year;
          const size = sizeAtYearEnd(activeNow, moves, year);
          return {
            year, items, size,
            perCapitaNetIncome: perCapitaNetIncome(items, size), explanation: explainIncome(items, size),
          };
        }),
        statuses: statuses.map((s) => ({
          year: s.year, status: s.status, exitYear: s.exit_year, monitored: s.monitored,
          monitoredType: s.monitored_type, riskTypes: s.risk_types,
        })),
        yearSizes: Array.from({ length: currentYearInChina() + 2 - REGISTRY_FIRST_YEAR }, (_, i) => REGISTRY_FIRST_YEAR + i)
          .map((year) => ({ year, size: sizeAtYearEnd(activeNow, moves, year) })),
        incomeLines: Array.from({ length: currentYearInChina() + 1 - REGISTRY_FIRST_YEAR }, (_, i) => REGISTRY_FIRST_YEAR + i).map((year) => {
          const { values } = resolvePolicy(valueRows, village, year);
          return { year, ...incomeLineOf(values), monitoringLine: values.monitoringLine, povertyLine: values.povertyLine };
        }),
      };
    });
  }

  /**
   * The change history of a household page: the household, its income and statuses, and all its members (also those
   * who left) with their moves; newest first. ID numbers and phones are masked (the page's reveal is the logged way
   * to see them).
   */
  history(actor: Actor, countyCode: string, id: number, q: { before?: string; limit?: number }): Promise<{ items: AuditEntry[]; nextBefore: string | null }> {
    const privacy = privacyFor(actor.role, false);
    return this.d.db.scoped(actor, async (tx) => {
      const h = await this.repo.household(tx, countyCode, id);
      if (!h) throw appError('registry.householdNotFound');
      const members = await this.repo.members(tx, countyCode, id);
      const limit = q.limit ?? 20;
      const rows = await this.repo.history(tx, id, members.map((m) => m.id), q.before ?? null, limit + 1);
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => {
          const b = (maskPrivateValues(r.before, privacy) ?? {}) as Record<string, unknown>;
          const a = (maskPrivateValues(r.after, privacy) ?? {}) as Record<string, unknown>;
          return {
            id: r.id, at: new Date(r.at).toISOString(), actorId: r.actor_id, actorName: r.actor_name, ip: r.ip,
            action: r.action, entity: r.entity, entityId: r.entity_id, regionCode: r.region_code, reason: r.reason,
            changes: [...new Set([...Object.keys(b), ...Object.keys(a)])].map((field) => ({ field, before: b[field] ?? null, after: a[field] ?? null })),
          };
        }),
        nextBefore: rows.length > limit ? page[page.length - 1]!.id : null,
      };
    });
  }

  // ---- changes ------------------------------------------------------------------------------

  /** A new household with its head (the first member); the village must be in the user's region. */
  async createHousehold(
    actor: Actor,
    b: { household: NewHousehold; head: MemberChanges; status?: { status: HouseholdStatusCode; exitYear?: number | null }; reason: string },
  ): Promise<HouseholdDetail> {
    // The keys and types of the household, head and status are the contract's (schemas from the column declarations).
    const { land, ...fields } = b.household;
    if (b.head.relation !== undefined && b.head.relation !== 'head') throw fieldError('body.head.relation', 'registry.firstMemberHead');
    const villageCode = fields.villageCode ?? '';
    const countyCode = villageCode.slice(0, 6);
    const h = {
      otherCauses: [], ...fields, householdNo: fields.householdNo?.trim(), countyCode,
      land: { ...NO_LAND, ...land },
    } as Household;
    const head = { idType: 'resident_id', health: [], ...b.head, relation: 'head' } as Member;
    if (typeof head.idNumber === 'string') head.idNumber = normalizedId(head.idNumber);
    const opts = { referenceDate: today() };
    rejectErrors(validateHousehold(h, opts), 'body.household');
    // the status of the current year (一般农户 unless given); a new household is not monitored
    const year = Number(today().slice(0, 4));
    const status: YearStatus = { householdNo: String(h.householdNo), year, status: b.status?.status ?? 'ordinary', exitYear: b.status?.exitYear ?? null, monitored: false, monitoredType: null, riskTypes: [] };
    rejectErrors(validateYearStatus(status, opts), 'body.status', [], statusFieldZh);
    const id = await this.d.db.scoped(
      actor,
      async (tx) => {
        const village = await this.regions.visible(tx, villageCode).catch((e: unknown) => {
          throw e instanceof AppError && e.status === 404 ? fieldError('body.household.villageCode', 'registry.villageNotFound') : e;
        });
        if (village.level !== 5) throw fieldError('body.household.villageCode', 'registry.chooseVillage');
        rejectErrors(validateMember(head, { ...opts, regionCode: villageCode }), 'body.head');
        try {
          const newId = await this.repo.insertHousehold(tx, countyCode, h.householdNo, villageCode, householdToColumns(h));
          const memberId = await this.repo.insertMember(tx, countyCode, newId, villageCode, memberToColumns(head));
          await this.repo.insertPerson(tx, { idNumber: head.idNumber, countyCode, villageCode, householdId: newId, memberId });
          await this.repo.upsertStatus(tx, { countyCode, householdId: newId, year, villageCode, status: status.status, exitYear: status.exitYear });
          return newId;
        } catch (e) {
          const pe = pgError(e);
          if (pe.code === '23505' && pe.constraint?.startsWith('households')) {
            throw fieldError('body.household.householdNo', 'registry.householdNoTaken', { no: h.householdNo });
          }
          throw duplicateId(e, head.idNumber, 'body.head.idNumber');
        }
      },
      { reason: b.reason },
    );
    return this.get(actor, countyCode, id);
  }

  async updateHousehold(actor: Actor, countyCode: string, id: number, changes: HouseholdChanges, reason: string): Promise<HouseholdDetail> {
    await this.d.db.scoped(
      actor,
      async (tx) => {
        const row = await this.repo.household(tx, countyCode, id);
        if (!row) throw appError('registry.householdNotFound');
        const current = householdFromRow(row);
        const merged = { ...current, ...changes, land: { ...current.land, ...changes.land } } as Household;
        const opts = { referenceDate: today() };
        rejectErrors(validateHousehold(merged, opts), 'body.changes', validateHousehold(current, opts));
        await this.repo.updateHousehold(tx, countyCode, id, householdToColumns(changes as Partial<Household>));
      },
      { reason },
    );
    return this.get(actor, countyCode, id);
  }

  async updateMember(actor: Actor, countyCode: string, id: number, memberId: number, changes: MemberChanges, reason: string): Promise<HouseholdDetail> {
    await this.d.db.scoped(
      actor,
      async (tx) => {
        const { household, member } = await this.activeMember(tx, countyCode, id, memberId);
        const current = memberFromRow(member);
        const next = { ...current, ...changes } as Member;
        if (typeof next.idNumber === 'string') next.idNumber = normalizedId(next.idNumber);
        const opts = { referenceDate: today(), regionCode: household.village_code };
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
    b: { member: MemberChanges; kind: 'birth' | 'marriage_in' | 'other_in'; date: string; reason: string },
  ): Promise<HouseholdDetail> {
    await this.d.db.scoped(
      actor,
      async (tx) => {
        const household = await this.repo.household(tx, countyCode, id);
        if (!household) throw appError('registry.householdNotFound');
        const m = { idType: 'resident_id', health: [], ...b.member } as Member;
        if (typeof m.idNumber === 'string') m.idNumber = normalizedId(m.idNumber);
        rejectErrors(validateMember(m, { referenceDate: today(), regionCode: household.village_code }), 'body.member');
        checkDate(b.date, m.birthDate);
        const village = household.village_code;
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
    b: { kind: 'death' | 'marriage_out' | 'transfer' | 'other_out'; date: string; reason: string; target?: { countyCode: string; householdId: number; relation: RelationCode } },
  ): Promise<HouseholdDetail> {
    const why = `${MEMBER_MOVE_LABELS[b.kind].zh}：${b.reason}`;
    await this.d.db.scoped(
      actor,
      async (tx) => {
        // A transfer writes audited rows of two counties: both chains locked first, in sorted order, so that two
        // transfers in opposite directions queue instead of deadlocking on the chains (audit_lock_chains, 0024).
        if (b.target) await this.d.repos.audit.lockChains(tx, [countyCode, b.target.countyCode]);
        const { household, member } = await this.activeMember(tx, countyCode, id, memberId);
        const current = memberFromRow(member);
        checkDate(b.date, current.birthDate);
        const village = household.village_code;
        if (b.kind === 'transfer') {
          if (!b.target) throw fieldError('body.target', 'registry.targetRequired');
          if (b.target.countyCode === countyCode && b.target.householdId === id) throw fieldError('body.target', 'registry.targetSelf');
          const target = await this.repo.household(tx, b.target.countyCode, b.target.householdId);
          if (!target) throw fieldError('body.target', 'registry.targetNotFound');
          const tVillage = target.village_code;
          const newId = await this.repo.insertMember(tx, b.target.countyCode, b.target.householdId, tVillage, memberToColumns({ ...current, relation: b.target.relation }));
          await this.repo.movePerson(tx, current.idNumber, { countyCode: b.target.countyCode, villageCode: tVillage, householdId: b.target.householdId, memberId: newId });
          await this.repo.insertMove(tx, {
            countyCode: b.target.countyCode, villageCode: tVillage, memberId: newId, idNumber: current.idNumber, kind: 'transfer_in',
            fromHouseholdId: id, toCountyCode: b.target.countyCode, toHouseholdId: b.target.householdId, date: b.date, reason: b.reason,
          });
        } else {
          if (b.target) throw fieldError('body.target', 'registry.targetOnlyForMove');
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

  /**
   * Sets the income record of a year: every item of INCOME_ITEMS (a missing one is stored as not recorded). Validated
   * with the domain's validateIncome; only errors the change introduces are refused, each named by its field in
   * Chinese. Audited by the row trigger with the reason.
   */
  async upsertIncome(actor: Actor, countyCode: string, id: number, year: number, items: IncomeItemsBody, reason: string): Promise<HouseholdDetail> {
    await this.d.db.scoped(
      actor,
      async (tx) => {
        const household = await this.repo.household(tx, countyCode, id);
        if (!household) throw appError('registry.householdNotFound');
        const existing = await this.repo.income(tx, countyCode, id, year);
        const record = (value: (key: IncomeItemKey) => number | null) =>
          ({ householdNo: household.household_no, year, ...Object.fromEntries(INCOME_ITEMS.map((i) => [i.key, value(i.key)])) }) as IncomeRecord;
        const next = record((k) => items[k] ?? null);
        const opts = { referenceDate: today() };
        const stored = existing ? incomeValuesFromRow(existing) : null;
        const before = stored ? validateIncome(record((k) => stored[k]), opts) : [];
        const problems = validateIncome(next, opts);
        rejectErrors(problems.filter((p) => p.field === 'year'), 'params', [], incomeFieldZh);
        rejectErrors(problems.filter((p) => p.field !== 'year'), 'body.items', before, incomeFieldZh);
        await this.repo.upsertIncome(tx, {
          countyCode, householdId: id, year, villageCode: household.village_code,
          items: Object.fromEntries(INCOME_ITEMS.map((i) => [i.key, next[i.key]])),
        });
      },
      { reason },
    );
    return this.get(actor, countyCode, id);
  }

  /**
   * Sets the status of a year (一般农户 / 未脱贫户 / 已脱贫户 with exit year / 返贫户). The monitoring flag, type and risk
   * types stay as the monitoring procedure set them; they take part in the validation (only new errors are refused).
   */
  async upsertStatus(
    actor: Actor, countyCode: string, id: number, year: number, b: { status: HouseholdStatusCode; exitYear?: number | null; reason: string },
  ): Promise<HouseholdDetail> {
    await this.d.db.scoped(
      actor,
      async (tx) => {
        const household = await this.repo.household(tx, countyCode, id);
        if (!household) throw appError('registry.householdNotFound');
        const [row] = await this.repo.statuses(tx, countyCode, id, year);
        const monitoring = {
          monitored: row?.monitored ?? false, monitoredType: (row?.monitored_type as YearStatus['monitoredType']) ?? null,
          riskTypes: (row?.risk_types as YearStatus['riskTypes']) ?? [],
        };
        const householdNo = household.household_no;
        const next: YearStatus = { householdNo, year, status: b.status, exitYear: b.exitYear ?? null, ...monitoring };
        const opts = { referenceDate: today() };
        const before = row ? validateYearStatus({ householdNo, year, status: row.status as YearStatus['status'], exitYear: row.exit_year, ...monitoring }, opts) : [];
        const problems = validateYearStatus(next, opts);
        rejectErrors(problems.filter((p) => p.field === 'year'), 'params', [], statusFieldZh);
        rejectErrors(problems.filter((p) => p.field !== 'year'), 'body', before, statusFieldZh);
        await this.repo.upsertStatus(tx, { countyCode, householdId: id, year, villageCode: household.village_code, status: b.status, exitYear: next.exitYear });
      },
      { reason: b.reason },
    );
    return this.get(actor, countyCode, id);
  }

  private async activeMember(tx: Tx, countyCode: string, id: number, memberId: number) {
    const household = await this.repo.household(tx, countyCode, id);
    if (!household) throw appError('registry.householdNotFound');
    const member = await this.repo.member(tx, countyCode, id, memberId);
    if (!member) throw appError('registry.memberNotFound');
    if (!member.active) throw appError('registry.memberLeft', { date: member.left_on_text ?? '' });
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
function rejectErrors(problems: ValidationProblem[], prefix: string, before: ValidationProblem[] = [], fieldZh?: (field: string) => string | undefined) {
  const existing = new Set(before.filter((p) => p.severity === 'error').map((p) => `${p.field}|${p.check}|${p.message}`));
  const errors = problems.filter((p) => p.severity === 'error' && !existing.has(`${p.field}|${p.check}|${p.message}`));
  if (errors.length === 0) return;
  const details = errors.map((p) => ({ field: `${prefix}.${p.field}`, message: p.message, ...(p.code && { code: p.code }), ...(p.params && { params: { ...p.params } }) }));
  const first = errors[0]!;
  const code = (first.code ?? 'VALIDATION') as MessageCode;
  throw new AppError(400, code, `${first.message}（字段：${fieldZh?.(first.field) ?? details[0]!.field}）`, details, first.params && { ...first.params });
}

/** Chinese names of the fields of an income record and of a year status, for refusals. */
const incomeFieldZh = (field: string) => (field === 'year' ? '年度' : INCOME_ITEMS.find((i) => i.key === field)?.zh);
const STATUS_FIELDS_ZH: Record<string, string> = {
  year: '年度', status: '户状态', exitYear: '脱贫年度', monitored: '是否监测对象', monitoredType: '监测对象类型', riskTypes: '风险类型',
};
const statusFieldZh = (field: string) => STATUS_FIELDS_ZH[field.replace(/\.\d+$/, '')];

function checkDate(date: string, birthDate: string | null) {
  if (date > today()) throw fieldError('body.date', 'common.dateAfterToday');
  if (birthDate && date < birthDate) throw fieldError('body.date', 'registry.dateBeforeBirth');
}

function duplicateId(e: unknown, idNumber: string, field: string): unknown {
  if (pgError(e).code === '23505') return fieldError(field, 'registry.idNumberTaken', { idNumber });
  return e;
}

function filterOf(regionCode: string, q: HouseholdListQuery): HouseholdFilter {
  return {
    regionPrefix: regionPrefix(regionCode), year: q.year ?? currentYearInChina(), q: q.q?.trim() || undefined,
    status: q.status, attribute: q.attribute, mainCause: q.mainCause, monitored: q.monitored,
    incomeMin: q.incomeMin, incomeMax: q.incomeMax, dangerousHouse: q.dangerousHouse, uninsured: q.uninsured,
  };
}
