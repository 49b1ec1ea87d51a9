/**
 * Exit assessment (脱贫标准评估) of the API contract: a region's counts by unmet exit item (and per child region),
 * the households not meeting the standard with their unmet items, and one household's assessment with details.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { endpoint } from './endpoint';
import { PolicySnapshot } from './monitoring-routes';
import { CURSOR_ID, Id, RegionCode, RegionRef } from './schemas';
import { EXIT_GROUPS, EXIT_ITEMS } from '../monitoring/assessment';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Year = Type.Integer({ minimum: 2014, maximum: 2100 });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const CountyCode = Type.String({ pattern: '^\\d{6}$' });

export const ExitItemSchema = Type.Enum(EXIT_ITEMS.map((i) => i.code), { description: 'Exit item (EXIT_ITEMS)' });
export const ExitGroupSchema = Type.Enum(EXIT_GROUPS.map((g) => g.code), { description: 'Households assessed (EXIT_GROUPS; default all)' });

/** Households per unmet exit item. */
const UnmetCounts = Type.Object({
  income: Type.Integer(), education: Type.Integer(), medical: Type.Integer(), housing: Type.Integer(), water: Type.Integer(),
});

export const ExitCounts = Type.Object({
  assessed: Type.Integer({ description: 'Households assessed' }),
  meeting: Type.Integer({ description: 'Households meeting every exit item' }),
  unmet: UnmetCounts,
});
export type ExitCounts = Static<typeof ExitCounts>;

export const ExitRegionView = Type.Object(
  {
    region: RegionRef,
    year: Type.Integer(),
    group: ExitGroupSchema,
    referenceDate: IsoDate,
    totals: ExitCounts,
    children: Type.Array(Type.Object({ code: RegionCode, name: Type.String(), level: Type.Integer(), counts: ExitCounts })),
    ms: Type.Number(),
  },
  { title: 'ExitRegionView' },
);
export type ExitRegionView = Static<typeof ExitRegionView>;

export const ExitHouseholdItem = Type.Object({
  countyCode: Type.String(),
  id: Type.Integer(),
  householdNo: Type.String(),
  villageCode: Type.String(),
  village: Type.String(),
  headName: Nullable(Type.String()),
  perCapitaNet: Nullable(Type.Number()),
  unmet: Type.Array(ExitItemSchema),
});
export type ExitHouseholdItem = Static<typeof ExitHouseholdItem>;

export const ExitHouseholdAssessment = Type.Object(
  {
    countyCode: Type.String(),
    id: Type.Integer(),
    householdNo: Type.String(),
    year: Type.Integer(),
    referenceDate: IsoDate,
    meets: Type.Boolean(),
    perCapitaNetIncome: Nullable(Type.Number()),
    unmet: Type.Array(Type.Object({
      code: ExitItemSchema, zh: Type.String(), en: Type.String(), detail: Type.String({ description: 'What exactly is unmet (zh-CN)' }),
      detailCode: Type.String({ description: "The detail's message code (exit.unmet.*)" }), detailParams: Type.Record(Type.String(), Type.Unknown()),
    })),
    policy: PolicySnapshot,
  },
  { title: 'ExitHouseholdAssessment' },
);
export type ExitHouseholdAssessment = Static<typeof ExitHouseholdAssessment>;

export const exitApi = {
  exitRegion: endpoint({
    method: 'GET', url: '/api/exit-assessment', summary: 'Exit assessment of a region: households assessed, meeting, and per unmet item, in total and per child region',
    tags: ['monitoring'], access: 'exit:read',
    querystring: Type.Object({ regionCode: Type.Optional(RegionCode), year: Type.Optional(Year), group: Type.Optional(ExitGroupSchema) }),
    response: ExitRegionView,
  }),
  exitHouseholds: endpoint({
    method: 'GET', url: '/api/exit-assessment/households', summary: 'Households not meeting the exit standard with their unmet items (keyset paged)',
    tags: ['monitoring'], access: 'exit:read',
    querystring: Type.Object({
      regionCode: Type.Optional(RegionCode),
      year: Type.Optional(Year),
      group: Type.Optional(ExitGroupSchema),
      item: Type.Optional(ExitItemSchema),
      after: Type.Optional(Type.String({ pattern: `^\\d{6}:${CURSOR_ID}$`, description: 'next from the previous page' })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    }),
    response: Type.Object({ items: Type.Array(ExitHouseholdItem), next: Nullable(Type.String()), total: Type.Integer() }),
  }),
  exitHousehold: endpoint({
    method: 'GET', url: '/api/households/:countyCode/:id/exit-assessment', summary: 'One household against the exit standard, with every unmet item and the settings used',
    tags: ['monitoring'], access: 'exit:read',
    params: Type.Object({ countyCode: CountyCode, id: Id }),
    querystring: Type.Object({ year: Type.Optional(Year) }),
    response: ExitHouseholdAssessment,
  }),
} as const;
