/** Registry (建档立卡) endpoints of the API contract. */
import { Type, type Static, type TSchema } from 'typebox';
import { endpoint } from './endpoint';
import { AuditEntry, CURSOR_ID, DateInput, Id, MAX_YUAN, RegionCode, RegionRef, RequiredText, SequenceCursor, TEXT, Yuan } from './schemas';
import { INCOME_ITEMS } from '../registry/income';
import type { IncomeItemKey } from '../registry/types';
import { HOUSEHOLD_COLUMNS, MEMBER_COLUMNS } from '../registry/columns';
import { RELATIONS, type RelationCode } from '../registry/codes';
import { columnProperty, columnsSchema, columnsWithout } from './columns-schema';

const Code = Type.String({ maxLength: TEXT.code, description: 'A code of a registry code table (packages/domain/src/registry/codes.ts)' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Year = Type.Integer({ minimum: 2013, maximum: 2100 });

export const HouseholdListItem = Type.Object(
  {
    id: Type.Integer(),
    countyCode: Type.String(),
    householdNo: Type.String(),
    village: RegionRef,
    headName: Nullable(Type.String()),
    headIdNumber: Nullable(Type.String({ description: 'Masked unless the role may see it' })),
    size: Type.Integer({ description: 'Members at the end of the selected year (today for the current year)' }),
    attribute: Nullable(Code),
    status: Nullable(Code),
    monitored: Type.Boolean(),
    mainCause: Nullable(Code),
    housingRating: Nullable(Code),
    perCapitaNetIncome: Nullable(Type.Number()),
    uninsuredMembers: Type.Integer(),
  },
  { title: 'HouseholdListItem' },
);
export type HouseholdListItem = Static<typeof HouseholdListItem>;

export const HouseholdListQuery = Type.Object({
  regionCode: Type.Optional(RegionCode),
  year: Type.Optional(Year),
  q: Type.Optional(Type.String({ maxLength: 50, description: 'Household number, head name or ID number' })),
  status: Type.Optional(Code),
  attribute: Type.Optional(Code),
  mainCause: Type.Optional(Code),
  monitored: Type.Optional(Type.Boolean()),
  incomeMin: Type.Optional(Yuan),
  incomeMax: Type.Optional(Yuan),
  dangerousHouse: Type.Optional(Type.Boolean({ description: 'Housing rated C or D' })),
  uninsured: Type.Optional(Type.Boolean({ description: 'At least one member without medical insurance' })),
  after: Type.Optional(Type.String({ pattern: `^\\d{12}:${CURSOR_ID}$`, description: 'Keyset cursor from the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  withTotals: Type.Optional(Type.Boolean({
    description: 'false: leave out total and totals (a pass over the whole filtered list; the client already has them for this filter)',
  })),
});

/*
 * The household and member parts of requests and responses, built from the registry's column declarations
 * (registry/columns.ts, via columns-schema.ts): one property per field with its type, codes and bounds; unknown keys
 * are refused by the validator with the field named.
 */
/** The status columns of the import's household sheet: a year's status, not household fields. */
const STATUS_KEYS = ['year', 'status', 'monitored', 'monitoredType', 'riskTypes', 'identifiedOn'] as const;
/** The household's own fields (without number and village, which do not change). */
export const HOUSEHOLD_FIELD_COLUMNS = columnsWithout(HOUSEHOLD_COLUMNS, ['householdNo', 'villageCode', ...STATUS_KEYS]);
/** A member's fields. */
export const MEMBER_FIELD_COLUMNS = columnsWithout(MEMBER_COLUMNS, ['householdNo']);

/** Household fields to change (camelCase as in the domain's Household; land areas nested: `land.cultivated`). */
export const HouseholdChanges = columnsSchema(HOUSEHOLD_FIELD_COLUMNS, 'input', {
  description: 'Household fields to change, camelCase as in the domain types (land areas nested: { land: { cultivated } }); null clears a field',
});
export type HouseholdChanges = Static<typeof HouseholdChanges>;
/** A new household: its number, village and fields. */
export const NewHousehold = columnsSchema(columnsWithout(HOUSEHOLD_COLUMNS, STATUS_KEYS), 'input', {
  description: 'The new household: number, village (12-digit code) and fields as in householdUpdate',
});
export type NewHousehold = Static<typeof NewHousehold>;
/** Member fields to set (a new member) or change. */
export const MemberChanges = columnsSchema(MEMBER_FIELD_COLUMNS, 'input', {
  description: 'Member fields, camelCase as in the domain types; null clears a field',
});
export type MemberChanges = Static<typeof MemberChanges>;

/** The household's fields on its page (land areas flat: landCultivated). */
export const HouseholdFields = columnsSchema(HOUSEHOLD_FIELD_COLUMNS, 'output', {
  description: 'Household fields (camelCase, land areas flat as landCultivated …), codes as codes; the phone masked unless the role may see it',
});
export type HouseholdFields = Static<typeof HouseholdFields>;

const MemberFields = columnsSchema(MEMBER_FIELD_COLUMNS, 'output');
const MemberExtra = Type.Object({
  id: Type.Integer(),
  idNumber: Type.String({ description: 'Masked unless the role may see it' }),
  age: Nullable(Type.Integer()),
  active: Type.Boolean(),
  joinedOn: Nullable(Type.String({ description: 'Date of the recorded move into the household (birth, marriage …); null for founding or imported members' })),
  leftOn: Nullable(Type.String()),
  leftReason: Nullable(Type.String()),
});
/** A member on the household page: the member's fields and its membership. */
export const MemberRecord = Type.Unsafe<Static<typeof MemberFields> & Static<typeof MemberExtra>>({
  ...MemberFields,
  properties: { ...(MemberFields as unknown as { properties: object }).properties, ...MemberExtra.properties },
  required: [...new Set([...(MemberFields as unknown as { required: string[] }).required, ...(MemberExtra.required ?? [])])],
  title: 'MemberRecord',
});
export type MemberRecord = Static<typeof MemberRecord>;

/** The items of a year's income on the household page: every item, null when not recorded. */
const IncomeItems = Type.Unsafe<Record<IncomeItemKey, number | null>>({
  type: 'object',
  properties: Object.fromEntries(INCOME_ITEMS.map((i) => [i.key, { type: ['number', 'null'], title: i.zh }])),
  required: INCOME_ITEMS.map((i) => i.key),
  additionalProperties: false,
});

const IncomeYear = Type.Object({
  year: Type.Integer(),
  items: IncomeItems,
  size: Type.Integer({ description: 'Members at the end of that year (today for the current year)' }),
  perCapitaNetIncome: Nullable(Type.Number()),
  explanation: Type.Array(Type.String()),
});

const StatusYear = Type.Object({
  year: Type.Integer(),
  status: Code,
  exitYear: Nullable(Type.Integer()),
  monitored: Type.Boolean(),
  monitoredType: Nullable(Code),
  riskTypes: Type.Array(Code),
});

export const HouseholdDetail = Type.Object(
  {
    id: Type.Integer(),
    countyCode: Type.String(),
    householdNo: Type.String(),
    village: RegionRef,
    fields: HouseholdFields,
    members: Type.Array(MemberRecord),
    incomes: Type.Array(IncomeYear),
    statuses: Type.Array(StatusYear),
    yearSizes: Type.Array(Type.Object({ year: Type.Integer(), size: Type.Integer() }), {
      description: 'Members at the end of each year from 2013 to next year (today for the current year), computed as for income',
    }),
    incomeLines: Type.Array(
      Type.Object({
        year: Type.Integer(),
        key: Type.Enum(['monitoringLine', 'povertyLine'] as const, { description: 'The line that matters in the year: the monitoring line from 2021, the exit standard before' }),
        value: Type.Number(),
        monitoringLine: Nullable(Type.Number({ description: 'null before 2021 (the setting did not exist)' })),
        povertyLine: Type.Number(),
      }),
      { description: "The income lines in force for the household's county in each year from 2013 to the current year (policy settings)" },
    ),
  },
  { title: 'HouseholdDetail' },
);
export type HouseholdDetail = Static<typeof HouseholdDetail>;

const HouseholdParams = Type.Object({ countyCode: Type.String({ pattern: '^\\d{6}$' }), id: Id });
const HouseholdYearParams = Type.Object({ countyCode: Type.String({ pattern: '^\\d{6}$' }), id: Id, year: Year });

/**
 * The items of an income record (the domain's INCOME_ITEMS, in yuan); a missing or null item is not recorded (counts as
 * 0). "Number or null" is a type list, so that the validator's type coercion keeps null apart from 0 (columns-schema.ts);
 * the sign and precision of each item are the domain's validateIncome (only new errors refused), the schema bounds them.
 */
export const IncomeItemsBody = Type.Unsafe<Partial<Record<IncomeItemKey, number | null>>>({
  type: 'object',
  properties: Object.fromEntries(INCOME_ITEMS.map((i) => [i.key, {
    type: ['number', 'null'], minimum: -MAX_YUAN, maximum: MAX_YUAN, title: i.zh, description: `${i.en}: yuan, a number or null`,
  }])),
  additionalProperties: false,
  description: 'Income items in yuan (keys of INCOME_ITEMS; other keys are refused)',
});
export type IncomeItemsBody = Static<typeof IncomeItemsBody>;

/** The part of a year's status that people set: 户状态 and 脱贫年度. The monitoring flag, type and risks are the monitoring procedure's. */
const yearStatusProps = {
  status: columnProperty(HOUSEHOLD_COLUMNS, 'status'),
  exitYear: Type.Optional(columnProperty(HOUSEHOLD_COLUMNS, 'exitYear')),
};
export const YearStatusBody = Type.Object(yearStatusProps, { additionalProperties: false });

/** Totals of the filtered list; households without an income record of the year are left out of the income figures. */
export const HouseholdListTotals = Type.Object(
  {
    households: Type.Integer(),
    persons: Type.Integer({ description: 'Members of the listed households at the end of the year' }),
    withIncome: Type.Integer({ description: 'Households with an income record of the year (and at least one member)' }),
    averagePerCapitaNetIncome: Nullable(Type.Number({ description: 'Mean of the per-capita net incomes of the households with income; null when none' })),
  },
  { title: 'HouseholdListTotals' },
);
export type HouseholdListTotals = Static<typeof HouseholdListTotals>;

const ChangeReason = RequiredText(500, { description: 'Why (kept in the audit log)' });
const DateString = DateInput;
const MemberParams = Type.Object({ countyCode: Type.String({ pattern: '^\\d{6}$' }), id: Id, memberId: Id });

export const MEMBER_MOVE_IN_KINDS = ['birth', 'marriage_in', 'other_in'] as const;
/** The member's relation to the head of the household it moves to (a code of RELATIONS; the validator names the field). */
const TargetRelation = Type.Enum(RELATIONS.map((r) => r.code) as RelationCode[], {
  title: '与新户主关系', description: `Codes: ${RELATIONS.map((r) => `${r.code} (${r.zh})`).join(', ')}`,
});
export const MEMBER_MOVE_OUT_KINDS = ['death', 'marriage_out', 'transfer', 'other_out'] as const;
export const MEMBER_MOVE_LABELS: Record<(typeof MEMBER_MOVE_IN_KINDS)[number] | (typeof MEMBER_MOVE_OUT_KINDS)[number], { zh: string; en: string }> = {
  birth: { zh: '出生', en: 'Birth' },
  marriage_in: { zh: '婚入', en: 'Married in' },
  other_in: { zh: '其他迁入', en: 'Other move in' },
  death: { zh: '死亡', en: 'Death' },
  marriage_out: { zh: '婚出', en: 'Married out' },
  transfer: { zh: '转入其他农户（分户、投靠等）', en: 'Moved to another household (split etc.)' },
  other_out: { zh: '其他迁出', en: 'Other move out' },
};

const ChangeCounts = Type.Object({ new: Type.Integer(), changed: Type.Integer(), unchanged: Type.Integer() });
export const ImportInfo = Type.Object(
  {
    id: Type.Integer(),
    status: Type.Enum(['queued', 'validating', 'validated', 'invalid', 'committing', 'committed', 'failed'] as const),
    progress: Type.Number({ minimum: 0, maximum: 1 }),
    message: Nullable(Type.String({ description: 'The state in Chinese' })),
    messageCode: Nullable(Type.String({ description: 'Catalogue code of the message (null on imports before migration 0022)' })),
    messageParams: Nullable(Type.Record(Type.String(), Type.Unknown())),
    fileNames: Type.Array(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    createdBy: Type.String(),
    counts: Type.Object({
      households: Type.Optional(ChangeCounts),
      members: Type.Optional(ChangeCounts),
      income: Type.Optional(ChangeCounts),
      rows: Type.Optional(Type.Object({ households: Type.Integer(), members: Type.Integer(), income: Type.Integer() })),
    }),
    errorCount: Type.Integer(),
    warningCount: Type.Integer(),
    committedAt: Nullable(Type.String({ format: 'date-time' })),
    runId: Type.Optional(Nullable(Type.Integer({ description: 'The latest background run of the import (validation or commit), GET /api/runs/:id' }))),
  },
  { title: 'ImportInfo' },
);
export type ImportInfo = Static<typeof ImportInfo>;
export const ImportProblem = Type.Object({
  sheet: Type.String({ description: 'Sheet title (户信息 / 成员信息 / 收入信息) or file name' }),
  row: Nullable(Type.Integer()),
  column: Nullable(Type.String()),
  severity: Type.Enum(['error', 'warning'] as const),
  message: Type.String({ description: 'Chinese' }),
  code: Nullable(Type.String({ description: 'Catalogue code of the message (null on problems before migration 0022)' })),
  params: Nullable(Type.Record(Type.String(), Type.Unknown())),
});
export type ImportProblem = Static<typeof ImportProblem>;
const ImportParams = Type.Object({ id: Id });

export const registryApi = {
  householdList: endpoint({
    method: 'GET', url: '/api/households', summary: 'Households in the region subtree, filtered, keyset-paged', tags: ['registry'], access: 'households:read',
    querystring: HouseholdListQuery,
    response: Type.Object({
      items: Type.Array(HouseholdListItem), next: Nullable(Type.String()),
      total: Nullable(Type.Integer({ description: 'null when withTotals=false' })), totals: Nullable(HouseholdListTotals),
    }),
  }),
  householdExport: endpoint({
    method: 'GET', url: '/api/households/export.csv',
    summary: 'The filtered household list as CSV (UTF-8 with BOM), streamed; ID numbers and phones in full only for roles that may reveal them; logged',
    tags: ['registry'], access: 'households:read',
    querystring: Type.Omit(HouseholdListQuery, ['after', 'limit', 'withTotals']),
    response: Type.String({ description: 'text/csv' }),
  }),
  householdExportXlsx: endpoint({
    method: 'GET', url: '/api/households/export.xlsx',
    summary: 'The filtered household list as XLSX, streamed; the same columns and masking as the CSV export; logged',
    tags: ['registry'], access: 'households:read',
    querystring: Type.Omit(HouseholdListQuery, ['after', 'limit', 'withTotals']),
    response: Type.String({ description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
  }),
  memberExport: endpoint({
    method: 'GET', url: '/api/households/members.csv',
    summary: 'The current members of the households of the filtered list as CSV (UTF-8 with BOM; ID numbers as text), streamed; the same filter and masking as the household export; logged',
    tags: ['registry'], access: 'households:read',
    querystring: Type.Omit(HouseholdListQuery, ['after', 'limit', 'withTotals']),
    response: Type.String({ description: 'text/csv' }),
  }),
  memberExportXlsx: endpoint({
    method: 'GET', url: '/api/households/members.xlsx',
    summary: 'The current members of the households of the filtered list as XLSX, streamed; the same columns and masking as the CSV; logged',
    tags: ['registry'], access: 'households:read',
    querystring: Type.Omit(HouseholdListQuery, ['after', 'limit', 'withTotals']),
    response: Type.String({ description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
  }),
  householdCreate: endpoint({
    method: 'POST', url: '/api/households', summary: 'Register a household with its head (validated, audited)', tags: ['registry'], access: 'households:write', status: 201,
    body: Type.Object({
      household: NewHousehold,
      head: Type.Unsafe<MemberChanges>({ ...MemberChanges, description: 'The head of household (first member), fields as in memberAdd' }),
      status: Type.Optional(Type.Object(yearStatusProps, { additionalProperties: false, description: "The household's status of the current year; 一般农户 (ordinary) when left out" })),
      reason: ChangeReason,
    }),
    response: HouseholdDetail,
  }),
  householdHistory: endpoint({
    method: 'GET', url: '/api/households/:countyCode/:id/history',
    summary: 'Audit history of a household, its members (also those who left), moves, income and statuses; newest first; ID numbers and phones masked',
    tags: ['registry'], access: 'households:read',
    params: HouseholdParams,
    querystring: Type.Object({
      before: Type.Optional(SequenceCursor),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    }),
    response: Type.Object({ items: Type.Array(AuditEntry), nextBefore: Nullable(Type.String()) }),
  }),
  householdGet: endpoint({
    method: 'GET', url: '/api/households/:countyCode/:id', summary: 'One household with members, income by year and statuses', tags: ['registry'], access: 'households:read',
    params: HouseholdParams,
    querystring: Type.Object({ reveal: Type.Optional(Type.Boolean({ description: 'Show full ID numbers and phones (logged)' })) }),
    response: HouseholdDetail,
  }),
  householdUpdate: endpoint({
    method: 'PATCH', url: '/api/households/:countyCode/:id', summary: 'Change household fields (validated, audited)', tags: ['registry'], access: 'households:write',
    params: HouseholdParams,
    body: Type.Object({ changes: HouseholdChanges, reason: ChangeReason }),
    response: HouseholdDetail,
  }),
  memberUpdate: endpoint({
    method: 'PATCH', url: '/api/households/:countyCode/:id/members/:memberId', summary: 'Change a member (validated, audited)', tags: ['registry'], access: 'members:write',
    params: MemberParams,
    body: Type.Object({ changes: MemberChanges, reason: ChangeReason }),
    response: HouseholdDetail,
  }),
  incomeUpsert: endpoint({
    method: 'PUT', url: '/api/households/:countyCode/:id/income/:year',
    summary: "Set a household's income record of a year (every item; validated, only new errors refused; audited with the reason)",
    tags: ['registry'], access: 'households:write',
    params: HouseholdYearParams,
    body: Type.Object({ items: IncomeItemsBody, reason: ChangeReason }),
    response: HouseholdDetail,
  }),
  statusUpsert: endpoint({
    method: 'PUT', url: '/api/households/:countyCode/:id/status/:year',
    summary: "Set a household's status of a year (一般农户 / 未脱贫户 / 已脱贫户 with exit year / 返贫户); the monitoring flag, type and risk types are kept (set by the monitoring procedure); audited",
    tags: ['registry'], access: 'households:write',
    params: HouseholdYearParams,
    body: Type.Object({ ...yearStatusProps, reason: ChangeReason }),
    response: HouseholdDetail,
  }),
  memberAdd: endpoint({
    method: 'POST', url: '/api/households/:countyCode/:id/members', summary: 'Add a member (birth, marriage …), recorded as a move', tags: ['registry'], access: 'members:write', status: 201,
    params: HouseholdParams,
    body: Type.Object({ member: MemberChanges, kind: Type.Enum(MEMBER_MOVE_IN_KINDS), date: DateString, reason: ChangeReason }),
    response: HouseholdDetail,
  }),
  importTemplate: endpoint({
    method: 'GET', url: '/api/imports/template.xlsx', summary: 'The XLSX import template (three sheets, dropdowns for codes)', tags: ['import'], access: 'imports:read',
    response: Type.String({ description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
  }),
  importTemplateCsv: endpoint({
    method: 'GET', url: '/api/imports/template/:sheet', summary: 'CSV template (header row) of one sheet', tags: ['import'], access: 'imports:read',
    params: Type.Object({ sheet: Type.Enum(['households', 'members', 'income'] as const) }),
    response: Type.String({ description: 'text/csv' }),
  }),
  importCreate: endpoint({
    method: 'POST', url: '/api/imports', summary: 'Upload one XLSX workbook or up to three CSV files (multipart/form-data, field "files"); validation starts at once', tags: ['import'], access: 'imports:run', status: 201,
    response: ImportInfo,
  }),
  importList: endpoint({
    method: 'GET', url: '/api/imports', summary: 'Recent imports in the user region', tags: ['import'], access: 'imports:read',
    response: Type.Array(ImportInfo),
  }),
  importGet: endpoint({
    method: 'GET', url: '/api/imports/:id', summary: 'Status, progress, counts and the first problems of an import', tags: ['import'], access: 'imports:read',
    params: ImportParams,
    response: Type.Object({ import: ImportInfo, problems: Type.Array(ImportProblem) }),
  }),
  importProblems: endpoint({
    method: 'GET', url: '/api/imports/:id/problems.xlsx', summary: 'Every problem of an import as XLSX', tags: ['import'], access: 'imports:read',
    params: ImportParams,
    response: Type.String({ description: 'XLSX' }),
  }),
  importCommit: endpoint({
    method: 'POST', url: '/api/imports/:id/commit', summary: 'Write a validated import into the registry (all or nothing)', tags: ['import'], access: 'imports:run',
    params: ImportParams,
    response: ImportInfo,
  }),
  importRevalidate: endpoint({
    method: 'POST', url: '/api/imports/:id/revalidate', summary: 'Validate an import again from its stored files (after a failed commit or lost staging); not once committed', tags: ['import'], access: 'imports:run',
    params: ImportParams,
    response: ImportInfo,
  }),
  memberMove: endpoint({
    method: 'POST', url: '/api/households/:countyCode/:id/members/:memberId/move', summary: 'A member leaves the household (death, marriage, split …); history stays', tags: ['registry'], access: 'members:write',
    params: MemberParams,
    body: Type.Object({
      kind: Type.Enum(MEMBER_MOVE_OUT_KINDS),
      date: DateString,
      reason: ChangeReason,
      target: Type.Optional(Type.Object({ countyCode: Type.String({ pattern: '^\\d{6}$' }), householdId: Id, relation: TargetRelation })),
    }),
    response: HouseholdDetail,
  }),
} as const;
