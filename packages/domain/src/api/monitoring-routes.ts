/**
 * Monitoring (防返贫监测) endpoints of the API contract: the clue inbox, the identification and risk-elimination
 * procedures, a household's monitoring path and the printable publicity list.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { endpoint } from './endpoint';
import { DateInput, Id, IdCursor, RegionCode, RequiredText } from './schemas';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const CountyCode = Type.String({ pattern: '^\\d{6}$' });
const Loose = Type.Record(Type.String(), Type.Unknown());

export const CLUE_CHANNELS = [
  { code: 'application', zh: '农户自主申报', en: 'Application by the household' },
  { code: 'cadre', zh: '乡村干部排查', en: 'Found by village or township cadres' },
  { code: 'department', zh: '行业部门筛查预警', en: 'Department data screening' },
  { code: 'supervision', zh: '监督渠道反馈', en: 'Supervision channel' },
  { code: 'platform', zh: '平台监测分析', en: 'Platform warning rule' },
] as const;
export type ClueChannel = (typeof CLUE_CHANNELS)[number]['code'];
/** Channels a clue may be entered through by hand or the API (platform clues come from the warning run). */
export const MANUAL_CLUE_CHANNELS = ['application', 'cadre', 'department', 'supervision'] as const;

export const CLUE_STATUSES = [
  { code: 'open', zh: '待受理', en: 'Open' },
  { code: 'assigned', zh: '已分派', en: 'Assigned' },
  { code: 'verifying', zh: '识别中', en: 'In identification' },
  { code: 'identified', zh: '已纳入监测', en: 'Identified' },
  { code: 'rejected', zh: '未纳入', en: 'Not identified' },
  { code: 'dismissed', zh: '已排除', en: 'Dismissed' },
] as const;
export type ClueStatus = (typeof CLUE_STATUSES)[number]['code'];

const ChannelSchema = Type.Enum(CLUE_CHANNELS.map((c) => c.code) as ClueChannel[]);
const ClueStatusSchema = Type.Enum(CLUE_STATUSES.map((c) => c.code) as ClueStatus[]);
const KindSchema = Type.Enum(['identification', 'elimination'] as const);
const ProcStatusSchema = Type.Enum(['active', 'completed', 'rejected', 'withdrawn'] as const);

/** The policy values a decision was made on and, per key, the stored setting row used (null id = built-in default). */
export const PolicySnapshot = Type.Object(
  {
    regionCode: Type.String(),
    year: Type.Integer(),
    values: Type.Record(Type.String(), Nullable(Type.Number({ description: 'null: the setting did not exist yet in the year (the monitoring line before 2021)' }))),
    sources: Type.Record(Type.String(), Type.Object({ id: Nullable(Type.Integer()), regionCode: Nullable(Type.String()), year: Nullable(Type.Integer()) })),
  },
  { title: 'PolicySnapshot' },
);
export type PolicySnapshot = Static<typeof PolicySnapshot>;

/**
 * An unmet exit item or elimination condition: its code, Chinese name, what exactly is unmet (Chinese) and, as the
 * web renders it, the detail's catalogue code and params (exit.unmet.*, monitoring.blocker.*; absent in snapshots
 * stored before the details were coded).
 */
export const UnmetItem = Type.Object({
  code: Type.String(), zh: Type.String(), detail: Type.String(),
  detailCode: Type.Optional(Type.String()), detailParams: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
}, { title: 'UnmetItem' });
export type UnmetItem = Static<typeof UnmetItem>;

/** What the registry said about a household at one moment (ID numbers masked, no phones). */
export const FactsSnapshot = Type.Object(
  {
    takenOn: IsoDate,
    year: Type.Integer(),
    household: Loose,
    members: Type.Array(Loose),
    income: Nullable(Type.Record(Type.String(), Nullable(Type.Number()))),
    lastIncome: Nullable(Type.Record(Type.String(), Nullable(Type.Number()))),
    perCapitaNetIncome: Nullable(Type.Number()),
    lastPerCapitaNetIncome: Nullable(Type.Number()),
    status: Nullable(Loose),
    exitAssessment: Nullable(Type.Object({ meets: Type.Boolean(), unmet: Type.Array(UnmetItem) })),
    eliminationCheck: Nullable(Type.Object({ allowed: Type.Boolean(), quick: Type.Boolean(), blockers: Type.Array(UnmetItem) })),
  },
  { title: 'FactsSnapshot' },
);
export type FactsSnapshot = Static<typeof FactsSnapshot>;

const HouseholdRef = Type.Object({
  countyCode: Type.String(), id: Type.Integer(), householdNo: Type.String(), headName: Nullable(Type.String()),
  villageCode: Type.String(), villageName: Type.String(),
});
const UserRef = Type.Object({ id: Type.Integer(), name: Type.String() });

/** One warning rule that fired for a platform clue, with exactly the facts it read when it fired. */
export const ClueRuleHit = Type.Object(
  {
    ruleId: Type.String(),
    version: Type.Integer(),
    name: Type.String(),
    severity: Type.Enum(['high', 'medium', 'low'] as const),
    riskType: Type.String({ description: 'Risk type code of the rule (RISK_TYPES)' }),
    foundOn: IsoDate,
    facts: Loose,
  },
  { title: 'ClueRuleHit' },
);
export type ClueRuleHit = Static<typeof ClueRuleHit>;

export const ClueItem = Type.Object(
  {
    countyCode: Type.String(),
    id: Type.Integer(),
    household: HouseholdRef,
    channel: ChannelSchema,
    rules: Type.Array(ClueRuleHit, { description: 'Platform clues: every rule that fired for the household in the period, most severe first (empty for other channels)' }),
    riskTypes: Type.Array(Type.String(), { description: 'The distinct risk types of the rules, most severe rule first' }),
    period: Nullable(Type.String()),
    summary: Type.String(),
    foundOn: IsoDate,
    appliedOn: Nullable(IsoDate),
    acceptDueOn: Nullable(IsoDate),
    acceptOverdue: Type.Boolean({ description: 'An application not accepted (assigned or taken up) within the acceptance days' }),
    sourceNote: Nullable(Type.String()),
    status: ClueStatusSchema,
    dismissReason: Nullable(Type.String()),
    assignee: Nullable(UserRef),
    assignedAt: Nullable(Type.String()),
    procedureId: Nullable(Type.Integer()),
    createdBy: Nullable(Type.String()),
    createdAt: Type.String(),
  },
  { title: 'ClueItem' },
);
export type ClueItem = Static<typeof ClueItem>;

export const ClueDetail = Type.Intersect([ClueItem, Type.Object({ facts: Loose, policy: Loose })], { title: 'ClueDetail' });
export type ClueDetail = Static<typeof ClueDetail>;

export const ProcedureEventSchema = Type.Object({
  action: Type.Enum(['sign', 'send_back', 'reject', 'withdraw'] as const),
  step: Type.String(),
  toStep: Type.Optional(Type.String()),
  data: Loose,
  comment: Nullable(Type.String()),
  signerId: Type.Integer(),
  signerName: Type.String(),
  role: Type.String(),
  on: IsoDate,
});

export const ProcedureClockSchema = Type.Object({
  dueOn: IsoDate, stepDueOn: Nullable(IsoDate), overdue: Type.Boolean(), stepOverdue: Type.Boolean(), daysLeft: Type.Integer(),
});

export const ProcedureSummary = Type.Object(
  {
    countyCode: Type.String(),
    id: Type.Integer(),
    kind: KindSchema,
    status: ProcStatusSchema,
    step: Nullable(Type.String()),
    household: HouseholdRef,
    startedOn: IsoDate,
    stepSince: IsoDate,
    dueOn: IsoDate,
    stepDueOn: Nullable(IsoDate),
    overdue: Type.Boolean(),
    stepOverdue: Type.Boolean(),
    clueId: Nullable(Type.Integer()),
    quick: Type.Boolean(),
    outcome: Nullable(Loose),
  },
  { title: 'ProcedureSummary' },
);
export type ProcedureSummary = Static<typeof ProcedureSummary>;

export const ProcedureDetail = Type.Intersect(
  [
    ProcedureSummary,
    Type.Object({
      state: Type.Object({
        kind: KindSchema, status: ProcStatusSchema, stepIndex: Type.Integer(), startedOn: IsoDate, stepSince: IsoDate,
        events: Type.Array(ProcedureEventSchema),
      }),
      clock: ProcedureClockSchema,
      /** The settings in force now for the household's region and the procedure's year (the clock uses them) */
      policyNow: PolicySnapshot,
      /** The settings the procedure was started on */
      policy: PolicySnapshot,
      factsStart: FactsSnapshot,
      /** The facts when each step was signed (index into state.events) */
      snapshots: Type.Array(Type.Object({ eventIndex: Type.Integer(), step: Type.String(), on: IsoDate, facts: FactsSnapshot })),
      /** Whether the caller's role may sign the current step, and if not, who must */
      canAct: Type.Boolean(),
      waitingFor: Nullable(Type.String()),
      year: Type.Integer(),
      /** Elimination: the identification date of the household's open monitoring record (the elimination is announced later) */
      identifiedOn: Nullable(IsoDate),
      /** Verifiers named in the home verification who have not yet confirmed it in the product (the next step waits for them) */
      pendingConfirmations: Type.Array(UserRef),
      /** Whether the caller is one of them */
      canConfirm: Type.Boolean(),
    }),
  ],
  { title: 'ProcedureDetail' },
);
export type ProcedureDetail = Static<typeof ProcedureDetail>;

export const MonitoringRecord = Type.Object(
  {
    id: Type.Integer(),
    identifiedOn: IsoDate,
    monitoredType: Type.String(),
    riskTypes: Type.Array(Type.String()),
    /** 'signed': identified through the procedure here (identificationId); 'migrated': monitored before the platform (import, demo data) */
    source: Type.Enum(['signed', 'migrated'] as const),
    identificationId: Nullable(Type.Integer()),
    /** The import that brought a migrated record, when there is one */
    importId: Nullable(Type.Integer()),
    eliminatedOn: Nullable(IsoDate),
    eliminationType: Nullable(Type.String()),
    eliminationId: Nullable(Type.Integer()),
    quickElimination: Type.Boolean(),
  },
  { title: 'MonitoringRecord' },
);
export type MonitoringRecord = Static<typeof MonitoringRecord>;

export const HouseholdMonitoring = Type.Object(
  {
    household: HouseholdRef,
    monitored: Type.Boolean(),
    records: Type.Array(MonitoringRecord),
    procedures: Type.Array(ProcedureSummary),
    clues: Type.Array(ClueItem),
    /** For a monitored household without an elimination under way: the live check of the elimination conditions */
    elimination: Nullable(Type.Object({ allowed: Type.Boolean(), quick: Type.Boolean(), blockers: Type.Array(UnmetItem), perCapitaNetIncome: Nullable(Type.Number()) })),
  },
  { title: 'HouseholdMonitoring' },
);
export type HouseholdMonitoring = Static<typeof HouseholdMonitoring>;

export const PublicityEntry = Type.Object(
  {
    procedureId: Type.Integer(),
    countyCode: Type.String(),
    kind: KindSchema,
    headName: Type.String(),
    villageName: Type.String(),
    townshipName: Nullable(Type.String()),
    householdSize: Type.Integer(),
    monitoredType: Nullable(Type.String()),
    riskTypes: Type.Array(Type.String()),
    eliminationType: Nullable(Type.String()),
    startedOn: IsoDate,
    reviewedOn: Nullable(IsoDate),
    publicityFrom: IsoDate,
    publicityTo: IsoDate,
  },
  { title: 'PublicityEntry' },
);
export type PublicityEntry = Static<typeof PublicityEntry>;

const ProcParams = Type.Object({ countyCode: CountyCode, id: Id });
const HouseholdParams = Type.Object({ countyCode: CountyCode, id: Id });
const Reason = RequiredText(1000);

export const monitoringApi = {
  clueList: endpoint({
    method: 'GET', url: '/api/monitoring/clues', summary: 'Clue inbox of a region (newest first, keyset paged)', tags: ['monitoring'], access: 'clues:read',
    querystring: Type.Object({
      regionCode: Type.Optional(RegionCode),
      status: Type.Optional(ClueStatusSchema),
      channel: Type.Optional(ChannelSchema),
      overdue: Type.Optional(Type.Boolean({ description: 'Only applications past their acceptance days' })),
      assigneeId: Type.Optional(Id),
      ruleId: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{2,60}$', description: 'Platform clues of this warning rule' })),
      period: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'Platform clues of this run period (YYYY-MM)' })),
      after: Type.Optional(IdCursor),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    }),
    response: Type.Object({ items: Type.Array(ClueItem), next: Nullable(Type.String()), total: Type.Integer() }),
  }),
  clueCreate: endpoint({
    method: 'POST', url: '/api/monitoring/clues', summary: 'Enter a clue by hand (application, cadre, department, supervision)', tags: ['monitoring'],
    access: 'clues:create', status: 201,
    body: Type.Object({
      countyCode: CountyCode,
      householdId: Id,
      channel: Type.Enum(MANUAL_CLUE_CHANNELS),
      foundOn: DateInput,
      summary: Type.String({ maxLength: 2000 }),
      sourceNote: Type.Optional(Type.String({ maxLength: 500 })),
    }),
    response: ClueDetail,
  }),
  clueGet: endpoint({
    method: 'GET', url: '/api/monitoring/clues/:countyCode/:id', summary: 'One clue with the facts and settings it was raised on', tags: ['monitoring'], access: 'clues:read',
    params: ProcParams,
    response: ClueDetail,
  }),
  clueAssign: endpoint({
    method: 'POST', url: '/api/monitoring/clues/assign', summary: 'Assign clues to a verifier (township or village officer of their region)', tags: ['monitoring'], access: 'clues:assign',
    body: Type.Object({ clues: Type.Array(Type.Object({ countyCode: CountyCode, id: Id }), { minItems: 1, maxItems: 500 }), assigneeId: Id }),
    response: Type.Object({ assigned: Type.Integer() }),
  }),
  clueDismiss: endpoint({
    method: 'POST', url: '/api/monitoring/clues/:countyCode/:id/dismiss', summary: 'Dismiss a clue with a reason', tags: ['monitoring'], access: 'clues:dismiss',
    params: ProcParams, body: Type.Object({ reason: Reason }),
    response: ClueItem,
  }),
  clueDismissBulk: endpoint({
    method: 'POST', url: '/api/monitoring/clues/dismiss', summary: 'Dismiss several clues with one reason (all or none)', tags: ['monitoring'], access: 'clues:dismiss',
    body: Type.Object({ clues: Type.Array(Type.Object({ countyCode: CountyCode, id: Id }), { minItems: 1, maxItems: 500 }), reason: Reason }),
    response: Type.Object({ dismissed: Type.Integer() }),
  }),
  clueVerifiers: endpoint({
    method: 'GET', url: '/api/monitoring/verifiers', summary: 'Township and village officers who may verify clues of a region', tags: ['monitoring'], access: 'clues:read',
    querystring: Type.Object({ regionCode: Type.Optional(RegionCode) }),
    response: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), username: Type.String(), role: Type.String(), regionCode: Type.String(), regionName: Type.String() })),
  }),
  identificationStart: endpoint({
    method: 'POST', url: '/api/monitoring/clues/:countyCode/:id/identification', summary: 'Start the identification procedure from a clue', tags: ['monitoring'],
    access: 'procedures:start', status: 201,
    params: ProcParams,
    response: ProcedureDetail,
  }),
  procedureGet: endpoint({
    method: 'GET', url: '/api/monitoring/procedures/:countyCode/:id', summary: 'A procedure: steps, signatures, clock, facts and settings as they were', tags: ['monitoring'],
    access: 'procedures:read', params: ProcParams,
    response: ProcedureDetail,
  }),
  procedureSign: endpoint({
    method: 'POST', url: '/api/monitoring/procedures/:countyCode/:id/sign', summary: 'Sign the current step with its data', tags: ['monitoring'], access: 'procedures:sign',
    params: ProcParams,
    body: Type.Object({ step: Type.String({ maxLength: 40 }), data: Loose, comment: Type.Optional(Type.String({ maxLength: 2000 })) }),
    response: ProcedureDetail,
  }),
  procedureSendBack: endpoint({
    method: 'POST', url: '/api/monitoring/procedures/:countyCode/:id/send-back', summary: 'Send the case back to an earlier step with a reason', tags: ['monitoring'],
    access: 'procedures:sign', params: ProcParams,
    body: Type.Object({ toStep: Type.String({ maxLength: 40 }), reason: Type.String({ maxLength: 1000 }) }),
    response: ProcedureDetail,
  }),
  procedureConfirm: endpoint({
    method: 'POST', url: '/api/monitoring/procedures/:countyCode/:id/confirm-verification',
    summary: 'A verifier named in the home verification confirms it (their own signature on it)', tags: ['monitoring'], access: 'procedures:verify',
    params: ProcParams,
    response: ProcedureDetail,
  }),
  procedureList: endpoint({
    method: 'GET', url: '/api/monitoring/procedures', summary: 'Procedures of a region (overdue ones, by status or kind), newest first', tags: ['monitoring'],
    access: 'procedures:read',
    querystring: Type.Object({
      regionCode: Type.Optional(RegionCode),
      kind: Type.Optional(KindSchema),
      status: Type.Optional(ProcStatusSchema),
      step: Type.Optional(Type.String({ maxLength: 40 })),
      overdue: Type.Optional(Type.Boolean()),
      confirming: Type.Optional(Type.Boolean({ description: "Only procedures whose home verification waits for the caller's confirmation" })),
      after: Type.Optional(IdCursor),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    }),
    response: Type.Object({ items: Type.Array(ProcedureSummary), next: Nullable(Type.String()) }),
  }),
  householdMonitoring: endpoint({
    method: 'GET', url: '/api/monitoring/households/:countyCode/:id', summary: "A household's monitoring path: episodes, procedures, clues, the elimination check", tags: ['monitoring'],
    access: 'procedures:read', params: HouseholdParams,
    response: HouseholdMonitoring,
  }),
  eliminationStart: endpoint({
    method: 'POST', url: '/api/monitoring/households/:countyCode/:id/elimination', summary: 'Start risk elimination (refused with every unmet condition)', tags: ['monitoring'],
    access: 'procedures:start', status: 201, params: HouseholdParams,
    response: ProcedureDetail,
  }),
  publicityList: endpoint({
    method: 'GET', url: '/api/monitoring/publicity', summary: 'Printable publicity list of a village: cases at the publicity step, without private data', tags: ['monitoring'],
    access: 'publicity:read',
    querystring: Type.Object({ regionCode: RegionCode }),
    response: Type.Object({ regionName: Type.String(), publicityDays: Type.Integer(), today: IsoDate, entries: Type.Array(PublicityEntry) }),
  }),
};
