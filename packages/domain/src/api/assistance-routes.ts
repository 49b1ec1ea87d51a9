/**
 * Assistance measures (帮扶措施) of a household in the API contract: list, record, end.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { endpoint } from './endpoint';
import { DateInput, Id, Yuan } from './schemas';
import { MEASURE_FAMILIES, type MeasureFamily } from '../assistance/measures';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** For request bodies: null first, or the validator's type coercion turns null into 0 or '' before trying null. */
const OrNull = <T extends TSchema>(t: T) => Type.Union([Type.Null(), t]);
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const CountyCode = Type.String({ pattern: '^\\d{6}$' });
const HouseholdParams = Type.Object({ countyCode: CountyCode, id: Id });
const FamilySchema = Type.Enum(MEASURE_FAMILIES.map((f) => f.code) as MeasureFamily[]);

export const Measure = Type.Object(
  {
    countyCode: Type.String(),
    id: Type.Integer(),
    householdId: Type.Integer(),
    family: FamilySchema,
    development: Type.Boolean({ description: 'An industry or employment measure (开发式帮扶)' }),
    title: Type.String(),
    startedOn: IsoDate,
    endedOn: Nullable(IsoDate),
    inForce: Type.Boolean({ description: 'Started and not ended as of today' }),
    amount: Nullable(Type.Number({ description: 'Funds put in, yuan' })),
    note: Nullable(Type.String()),
    createdBy: Nullable(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { title: 'Measure' },
);
export type Measure = Static<typeof Measure>;

export const assistanceApi = {
  measureList: endpoint({
    method: 'GET', url: '/api/households/:countyCode/:id/measures', summary: "A household's assistance measures (in force first, newest first)", tags: ['assistance'],
    access: 'measures:read', params: HouseholdParams,
    response: Type.Object({ items: Type.Array(Measure), hasDevelopmentMeasure: Type.Boolean({ description: 'An industry or employment measure is in force today' }) }),
  }),
  measureCreate: endpoint({
    method: 'POST', url: '/api/households/:countyCode/:id/measures', summary: 'Record an assistance measure of a household', tags: ['assistance'],
    access: 'measures:write', status: 201, params: HouseholdParams,
    body: Type.Object({
      family: Type.String({ maxLength: 40 }),
      title: Type.String({ maxLength: 400 }),
      startedOn: DateInput,
      endedOn: Type.Optional(OrNull(DateInput)),
      amount: Type.Optional(OrNull(Yuan)),
      note: Type.Optional(OrNull(Type.String({ maxLength: 2000 }))),
    }),
    response: Measure,
  }),
  measureEnd: endpoint({
    method: 'POST', url: '/api/households/:countyCode/:id/measures/:measureId/end', summary: 'End an assistance measure on a date', tags: ['assistance'],
    access: 'measures:write', params: Type.Object({ countyCode: CountyCode, id: Id, measureId: Id }),
    body: Type.Object({ endedOn: DateInput, reason: Type.Optional(Type.String({ maxLength: 500 })) }),
    response: Measure,
  }),
};
