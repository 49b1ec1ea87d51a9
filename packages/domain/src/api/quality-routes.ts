/** Data-quality (数据质量) endpoints of the API contract: runs of every check over a region, their findings. */
import { Type, type Static, type TSchema } from 'typebox';
import { endpoint } from './endpoint';
import { CURSOR_ID, Id, RegionCode, RegionRef } from './schemas';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Year = Type.Integer({ minimum: 2013, maximum: 2100 });
const Severity = Type.Enum(['error', 'warning'] as const);
const RuleId = Type.String({ maxLength: 80, pattern: '^[a-z][a-z0-9_.]*$', description: 'A quality check id or validate.<check>' });

export const QUALITY_RUN_STATUSES = ['queued', 'running', 'done', 'failed'] as const;

export const QualityTotals = Type.Object({
  households: Type.Integer({ description: 'Households checked' }),
  withErrors: Type.Integer({ description: 'Households with at least one error' }),
  withWarnings: Type.Integer({ description: 'Households with at least one warning' }),
  errors: Type.Integer({ description: 'Error findings' }),
  warnings: Type.Integer({ description: 'Warning findings' }),
});
export type QualityTotals = Static<typeof QualityTotals>;

export const QualityRun = Type.Object(
  {
    id: Type.Integer(),
    region: RegionRef,
    year: Year,
    referenceDate: Type.String({ description: 'Ages and durations are computed at this date' }),
    status: Type.Enum(QUALITY_RUN_STATUSES),
    progress: Type.Number({ minimum: 0, maximum: 1 }),
    message: Nullable(Type.String({ description: 'The state in Chinese' })),
    messageCode: Nullable(Type.String({ description: 'Catalogue code of the message (null on runs before migration 0022)' })),
    messageParams: Nullable(Type.Record(Type.String(), Type.Unknown())),
    totals: Nullable(QualityTotals),
    createdBy: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    startedAt: Nullable(Type.String({ format: 'date-time' })),
    finishedAt: Nullable(Type.String({ format: 'date-time' })),
    runId: Type.Optional(Nullable(Type.Integer({ description: 'Its background run, GET /api/runs/:id' }))),
  },
  { title: 'QualityRun' },
);
export type QualityRun = Static<typeof QualityRun>;

export const QualityCheckCount = Type.Object({
  checkId: Type.String(),
  zh: Type.String(),
  en: Type.String(),
  severity: Severity,
  households: Type.Integer(),
  findings: Type.Integer(),
});
export type QualityCheckCount = Static<typeof QualityCheckCount>;

export const QualityRegionCount = Type.Object({ region: RegionRef, totals: QualityTotals });
export type QualityRegionCount = Static<typeof QualityRegionCount>;

export const QualityFinding = Type.Object(
  {
    checkId: Type.String(),
    checkName: Type.String({ description: 'Chinese name of the rule' }),
    severity: Severity,
    field: Type.String(),
    fieldLabel: Type.String({ description: 'Chinese name of the field' }),
    message: Type.String({ description: 'Chinese, names the member and the field' }),
    code: Nullable(Type.String({ description: 'Catalogue code of the message (null on findings before migration 0022)' })),
    params: Nullable(Type.Record(Type.String(), Type.Unknown())),
    memberId: Nullable(Type.Integer()),
    memberName: Nullable(Type.String()),
  },
  { title: 'QualityFinding' },
);
export type QualityFinding = Static<typeof QualityFinding>;

export const QualityHousehold = Type.Object(
  {
    countyCode: Type.String(),
    id: Type.Integer(),
    householdNo: Type.String(),
    headName: Nullable(Type.String()),
    village: RegionRef,
    errors: Type.Integer(),
    warnings: Type.Integer(),
    findings: Type.Array(QualityFinding),
  },
  { title: 'QualityHousehold' },
);
export type QualityHousehold = Static<typeof QualityHousehold>;

const RunParams = Type.Object({ id: Id });
const FindingFilter = {
  /** A region inside the run region (default: the run region) */
  area: Type.Optional(RegionCode),
  checkId: Type.Optional(RuleId),
  severity: Type.Optional(Severity),
};

export const qualityApi = {
  qualityRunStart: endpoint({
    method: 'POST', url: '/api/quality/runs', summary: 'Run every data-quality check over a region for a year (background job)', tags: ['quality'],
    access: 'quality:run', status: 201,
    body: Type.Object({ regionCode: Type.Optional(RegionCode), year: Type.Optional(Year) }),
    response: QualityRun,
  }),
  qualityRunGet: endpoint({
    method: 'GET', url: '/api/quality/runs/:id', summary: 'Status and progress of a run', tags: ['quality'], access: 'quality:read',
    params: RunParams,
    response: QualityRun,
  }),
  qualityLatest: endpoint({
    method: 'GET', url: '/api/quality/latest', summary: 'The latest finished run covering a region and year, and a run in progress for it', tags: ['quality'],
    access: 'quality:read',
    querystring: Type.Object({ regionCode: Type.Optional(RegionCode), year: Type.Optional(Year) }),
    response: Type.Object({ run: Nullable(QualityRun), active: Nullable(QualityRun) }),
  }),
  qualitySummary: endpoint({
    method: 'GET', url: '/api/quality/runs/:id/summary', summary: 'Counts of a run per check and per child region of an area', tags: ['quality'],
    access: 'quality:read',
    params: RunParams,
    querystring: Type.Object({ area: FindingFilter.area }),
    response: Type.Object({
      run: QualityRun,
      area: RegionRef,
      path: Type.Array(RegionRef, { description: 'From the run region down to the area' }),
      totals: QualityTotals,
      checks: Type.Array(QualityCheckCount),
      children: Type.Array(QualityRegionCount),
    }),
  }),
  qualityFindings: endpoint({
    method: 'GET', url: '/api/quality/runs/:id/findings', summary: 'Findings of a run grouped by household, filtered, keyset-paged', tags: ['quality'],
    access: 'quality:read',
    params: RunParams,
    querystring: Type.Object({
      ...FindingFilter,
      after: Type.Optional(Type.String({ pattern: `^\\d{12}:${CURSOR_ID}$`, description: 'Keyset cursor from the previous page' })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
    }),
    response: Type.Object({ items: Type.Array(QualityHousehold), next: Nullable(Type.String()), total: Type.Integer({ description: 'Households matching' }) }),
  }),
  qualityFindingsCsv: endpoint({
    method: 'GET', url: '/api/quality/runs/:id/findings.csv', summary: 'Findings of a run as CSV (UTF-8 with BOM), streamed', tags: ['quality'],
    access: 'quality:read',
    params: RunParams,
    querystring: Type.Object(FindingFilter),
    response: Type.String({ description: 'text/csv' }),
  }),
  qualityHousehold: endpoint({
    method: 'GET', url: '/api/quality/households/:countyCode/:id', summary: 'The findings of one household now (computed live)', tags: ['quality'],
    access: 'quality:read',
    params: Type.Object({ countyCode: Type.String({ pattern: '^\\d{6}$' }), id: Id }),
    querystring: Type.Object({ year: Type.Optional(Year) }),
    response: Type.Object({ year: Year, referenceDate: Type.String(), household: QualityHousehold }),
  }),
} as const;
