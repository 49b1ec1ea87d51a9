/** Warning rules (预警规则) and warning runs (预警运行) of the API contract. */
import { Type, type Static, type TSchema } from 'typebox';
import { endpoint } from './endpoint';
import { Id, RegionCode, RegionRef, RequiredText } from './schemas';
import { factsSchema } from './columns-schema';
import { HOUSEHOLD_FIELDS, INCOME_FIELDS, MEMBER_FIELDS, POLICY_FIELDS, type RuleFacts } from '../rules/environment';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Year = Type.Integer({ minimum: 2014, maximum: 2100 });
const RuleId = Type.String({ pattern: '^[a-z][a-z0-9_]{2,60}$', description: 'Stable rule id (lower-case letters, digits, _)' });
const Severity = Type.Enum(['high', 'medium', 'low'] as const);

export const RuleRecord = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    nameEn: Nullable(Type.String()),
    description: Nullable(Type.String()),
    severity: Severity,
    riskType: Type.String(),
    channel: Type.Literal('platform'),
    expression: Type.String(),
    version: Type.Integer(),
    active: Type.Boolean(),
    builtin: Type.Boolean(),
    regionCode: Type.String({ description: "The rule's region: national ('000000000000') or a province, city or county; it applies only to households there" }),
    regionName: Nullable(Type.String({ description: 'Name of the region (null for a national rule)' })),
    editable: Type.Boolean({ description: 'Whether the caller may change it (rules:write and the rule in their region)' }),
    updatedBy: Nullable(Type.String()),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'RuleRecord' },
);
export type RuleRecord = Static<typeof RuleRecord>;

export const RuleVersionRecord = Type.Object({
  version: Type.Integer(),
  name: Type.String(),
  severity: Severity,
  riskType: Type.String(),
  expression: Type.String(),
  note: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
export type RuleVersionRecord = Static<typeof RuleVersionRecord>;

const ruleBodyProps = {
  name: RequiredText(100),
  nameEn: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.Optional(Type.String({ maxLength: 1000 })),
  severity: Severity,
  riskType: Type.String({ maxLength: 40 }),
  expression: RequiredText(4000),
  active: Type.Boolean(),
  note: Type.Optional(Type.String({ maxLength: 500, description: 'Why the rule is changed (kept with the version)' })),
};
const RuleBody = Type.Object(ruleBodyProps);

export const RulePreviewHousehold = Type.Object({
  countyCode: Type.String(),
  id: Type.Integer(),
  householdNo: Type.String(),
  village: Type.String(),
  headName: Nullable(Type.String()),
  perCapitaNet: Nullable(Type.Number()),
  status: Type.String(),
  monitored: Type.Boolean(),
});

export const RuleDryRun = Type.Object({
  households: Type.Integer({ description: 'Households evaluated' }),
  matches: Type.Integer({ description: 'Households the expression matches (SQL over the fact tables)' }),
  preview: Type.Array(RulePreviewHousehold),
  agreesWithTypeScript: Type.Boolean({ description: 'The TypeScript evaluation gives the same answer on the previewed and sampled households' }),
  ms: Type.Number(),
});
export type RuleDryRun = Static<typeof RuleDryRun>;

export const RuleRunResult = Type.Object({
  ruleId: Type.String(),
  ruleName: Type.String(),
  version: Type.Integer(),
  matches: Type.Integer(),
  newHits: Type.Integer({ description: 'Households this rule fired for that had no hit of it in the period yet (recorded in a new or an existing clue)' }),
  error: Type.Optional(Type.String({ maxLength: 500, description: 'Why the rule could not be computed on this data (nothing of it recorded); the other rules ran' })),
});

export const RuleRun = Type.Object(
  {
    id: Type.Integer(),
    region: RegionRef,
    year: Year,
    period: Type.String(),
    status: Type.Enum(['queued', 'running', 'done', 'failed'] as const),
    progress: Type.Number(),
    message: Nullable(Type.String()),
    households: Nullable(Type.Integer()),
    results: Type.Array(RuleRunResult),
    newClues: Nullable(Type.Integer({ description: 'Clues created (one per household with new hits and no open clue of the period)' })),
    extendedClues: Nullable(Type.Integer({ description: 'Open clues of the period that got further rules' })),
    createdBy: Nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    startedAt: Nullable(Type.String({ format: 'date-time' })),
    finishedAt: Nullable(Type.String({ format: 'date-time' })),
    runId: Type.Optional(Nullable(Type.Integer({ description: 'Its background run, GET /api/runs/:id' }))),
  },
  { title: 'RuleRun' },
);
export type RuleRun = Static<typeof RuleRun>;

/**
 * What warning rules read of one household (RuleFacts), built from the rules' field declarations
 * (rules/environment.ts): the household, its current members, this year's and last year's income and the settings.
 */
export const RuleFactsSchema = Type.Unsafe<RuleFacts>({
  type: 'object',
  properties: {
    household: factsSchema(HOUSEHOLD_FIELDS, { description: 'The household in the assessment year' }),
    members: Type.Array(factsSchema(MEMBER_FIELDS), { description: 'Its current members' }),
    income: Nullable(factsSchema(INCOME_FIELDS, { description: 'Income of the assessment year; null when none is recorded' })),
    lastIncome: Nullable(factsSchema(INCOME_FIELDS, { description: 'Income of the year before; null when none is recorded' })),
    policy: factsSchema(POLICY_FIELDS, { description: 'The policy settings in force' }),
  },
  required: ['household', 'members', 'income', 'lastIncome', 'policy'],
  additionalProperties: false,
  title: 'RuleFacts',
  description: 'The household’s rule facts: what the warning rules read, as the server builds them for a run',
});

export const HouseholdRuleFacts = Type.Object(
  {
    year: Year,
    referenceDate: Type.String(),
    facts: RuleFactsSchema,
  },
  { title: 'HouseholdRuleFacts' },
);
export type HouseholdRuleFacts = Static<typeof HouseholdRuleFacts>;

export const rulesApi = {
  householdRuleFacts: endpoint({
    method: 'GET', url: '/api/households/:countyCode/:id/rule-facts', summary: 'The facts warning rules read for one household and year (the page evaluates the rules on them in TypeScript)',
    tags: ['rules'], access: 'rules:read',
    params: Type.Object({ countyCode: Type.String({ pattern: '^\\d{6}$' }), id: Id }),
    querystring: Type.Object({ year: Year }),
    response: HouseholdRuleFacts,
  }),
  rulesList: endpoint({
    method: 'GET', url: '/api/rules', summary: 'Warning rules with their current version', tags: ['rules'], access: 'rules:read',
    response: Type.Array(RuleRecord),
  }),
  ruleVersions: endpoint({
    method: 'GET', url: '/api/rules/:id/versions', summary: "A rule's versions, newest first", tags: ['rules'], access: 'rules:read',
    params: Type.Object({ id: RuleId }),
    response: Type.Array(RuleVersionRecord),
  }),
  ruleCreate: endpoint({
    method: 'POST', url: '/api/rules', summary: 'Add a rule (type-checked and translated to SQL before it is saved)', tags: ['rules'], access: 'rules:write',
    body: Type.Object({
      id: RuleId,
      regionCode: Type.Optional(Type.String({ pattern: '^\\d{12}$', description: "The rule's region (default: the writer's home region): national, a province, city or county in the writer's scope" })),
      ...ruleBodyProps,
    }),
    response: RuleRecord, status: 201,
  }),
  ruleUpdate: endpoint({
    method: 'PUT', url: '/api/rules/:id', summary: 'Change a rule: a changed expression, severity or risk type makes a new version', tags: ['rules'], access: 'rules:write',
    params: Type.Object({ id: RuleId }),
    body: RuleBody,
    response: RuleRecord,
  }),
  ruleDryRun: endpoint({
    method: 'POST', url: '/api/rules/dry-run', summary: 'Count and preview the households an expression matches in a region (nothing is written)', tags: ['rules'], access: 'rules:read',
    body: Type.Object({
      expression: Type.String({ minLength: 1, maxLength: 4000 }), regionCode: Type.Optional(RegionCode), year: Year,
      ruleRegionCode: Type.Optional(Type.String({ pattern: '^\\d{12}$', description: "The region of the rule being edited: a province's, city's or county's rule is tried on its households only" })),
    }),
    response: RuleDryRun,
  }),
  ruleRunStart: endpoint({
    method: 'POST', url: '/api/rule-runs', summary: 'Run every active rule over a region for a year (background job); creates platform clues', tags: ['rules'], access: 'rules:run',
    body: Type.Object({ regionCode: Type.Optional(RegionCode), year: Year }),
    response: RuleRun, status: 201,
  }),
  ruleRunGet: endpoint({
    method: 'GET', url: '/api/rule-runs/:id', summary: 'A warning run with its progress and results', tags: ['rules'], access: 'rules:read',
    params: Type.Object({ id: Id }),
    response: RuleRun,
  }),
  ruleRunList: endpoint({
    method: 'GET', url: '/api/rule-runs', summary: 'Recent warning runs that covered the caller’s region: its own and below, and those of the regions enclosing it', tags: ['rules'], access: 'rules:read',
    response: Type.Array(RuleRun),
  }),
};
