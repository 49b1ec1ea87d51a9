/** Policy settings (政策参数) endpoints of the API contract. */
import { Type, type Static, type TSchema } from 'typebox';
import { endpoint, Ok } from './endpoint';
import { RegionCode, RegionRef } from './schemas';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Year = Type.Integer({ minimum: 2013, maximum: 2100 });
const Key = Type.String({ pattern: '^[a-zA-Z]{1,60}$', description: 'A key of POLICY_DEFINITIONS (packages/domain/src/policy/settings.ts)' });
const Note = Type.String({ maxLength: 500, description: 'Why (document number, meeting …); kept with the value and in the audit log' });

export const PolicySourceSchema = Type.Object({
  id: Nullable(Type.Integer({ description: 'The stored value used; null = the built-in default' })),
  regionCode: Nullable(Type.String()),
  regionName: Nullable(Type.String()),
  year: Nullable(Year),
});

export const PolicyValueRecord = Type.Object(
  {
    id: Type.Integer(),
    regionCode: Type.String(),
    regionName: Type.String(),
    year: Year,
    key: Type.String(),
    value: Type.Number(),
    note: Nullable(Type.String()),
    setBy: Nullable(Type.String()),
    setAt: Type.String({ format: 'date-time' }),
    retiredAt: Nullable(Type.String({ format: 'date-time' })),
    retiredBy: Nullable(Type.String()),
    retireNote: Nullable(Type.String()),
  },
  { title: 'PolicyValueRecord' },
);
export type PolicyValueRecord = Static<typeof PolicyValueRecord>;

export const EffectivePolicySetting = Type.Object(
  {
    key: Type.String(),
    value: Nullable(Type.Number({ description: 'In force for the region and year; null when the setting did not exist yet in the year (see since)' })),
    defaultValue: Nullable(Type.Number({ description: "The built-in default of the year (defaults carry the year they start from); null before the setting's first year" })),
    since: Nullable(Type.Integer({ description: 'The first year the setting exists; null: every year' })),
    source: PolicySourceSchema,
    setHere: Nullable(PolicyValueRecord),
    inherited: Nullable(Type.Number({ description: 'What applies here without the value set at this region and year' })),
  },
  { title: 'EffectivePolicySetting' },
);
export type EffectivePolicySetting = Static<typeof EffectivePolicySetting>;

export const EffectivePolicyResponse = Type.Object({
  region: RegionRef,
  year: Year,
  editable: Type.Boolean({ description: 'Whether the caller may set values at this region' }),
  settings: Type.Array(EffectivePolicySetting),
});
export type EffectivePolicyResponse = Static<typeof EffectivePolicyResponse>;

export const policyApi = {
  policyEffective: endpoint({
    method: 'GET', url: '/api/policy', summary: 'The settings in force for a region and year, with where each comes from', tags: ['policy'], access: 'policy:read',
    querystring: Type.Object({ regionCode: Type.Optional(RegionCode), year: Year }),
    response: EffectivePolicyResponse,
  }),
  policySet: endpoint({
    method: 'PUT', url: '/api/policy/values', summary: 'Set a value at a region (nation, province, city or county) for a year', tags: ['policy'], access: 'policy:write',
    body: Type.Object({
      regionCode: RegionCode, year: Year, key: Key,
      value: Type.Number({ minimum: -1e9, maximum: 1e9, description: 'Within the bounds of the setting (POLICY_DEFINITIONS), checked by the server' }),
      note: Type.Optional(Note),
    }),
    response: PolicyValueRecord,
  }),
  policyClear: endpoint({
    method: 'POST', url: '/api/policy/values/clear', summary: 'Remove the value set at a region for a year: the inherited value applies again', tags: ['policy'], access: 'policy:write',
    body: Type.Object({ regionCode: RegionCode, year: Year, key: Key, note: Type.Optional(Note) }),
    response: Ok,
  }),
  policyHistory: endpoint({
    method: 'GET', url: '/api/policy/history', summary: "A setting's history on the region's chain (current and replaced values)", tags: ['policy'], access: 'policy:read',
    querystring: Type.Object({ regionCode: RegionCode, key: Key }),
    response: Type.Array(PolicyValueRecord),
  }),
};
