/**
 * The signed, public procedures of DOMAIN §7 as a pure state machine: identification of a monitored household
 * (入户核实 → 信息比对 → 村民主评议 → 村公示 → 乡镇审核 → 县审定 → 公告) and risk elimination (评估 → 村民主评议 →
 * 村公示 → 乡镇审核 → 县审定 → 公告). Each step belongs to one level and may be signed only by that level's role;
 * reviews may send a case back to an earlier step with a reason; every step runs against a time limit from the
 * policy settings. The server stores the state and the signed records; all decisions about what may happen
 * next are made here.
 */
import type { Role } from '../roles';
import { msg, renderMessage, type Localized, type Message, type ParamValue } from '../messages/index';
import { MONITORED_TYPES, RISK_TYPES } from '../registry/codes';
import { addDays, daysBetween, isIsoDate } from '../registry/dates';
import { MAX_RISK_TYPES } from '../registry/validate';
import type { DatedPolicyKey, PolicyKey, PolicyValues } from '../policy/settings';

export const PROCEDURE_KINDS = ['identification', 'elimination'] as const;
export type ProcedureKind = (typeof PROCEDURE_KINDS)[number];

export type StepCode =
  | 'verification' | 'comparison' | 'assessment' | 'village_review' | 'publicity' | 'township_review' | 'county_approval' | 'announcement';

export interface StepDefinition {
  code: StepCode;
  zh: string;
  en: string;
  /** Roles that may sign the step (the level it belongs to) */
  roles: readonly Role[];
  /** The setting giving the step's time limit in days */
  /** A time-limit setting (never one that starts in a year) */
  daysKey: Exclude<PolicyKey, DatedPolicyKey>;
  /** A reviewer at this step may send the case back to an earlier step */
  canSendBack: boolean;
}

const VILLAGE: readonly Role[] = ['village_officer'];
const VILLAGE_OR_TOWNSHIP: readonly Role[] = ['village_officer', 'township_officer'];
const TOWNSHIP: readonly Role[] = ['township_officer'];
const COUNTY: readonly Role[] = ['county_admin'];

const S = {
  verification: { code: 'verification', zh: '入户核实', en: 'Home verification', roles: VILLAGE_OR_TOWNSHIP, daysKey: 'verificationDays', canSendBack: false },
  comparison: { code: 'comparison', zh: '信息比对', en: 'Data comparison', roles: TOWNSHIP, daysKey: 'reviewDays', canSendBack: true },
  assessment: { code: 'assessment', zh: '风险消除评估', en: 'Elimination assessment', roles: VILLAGE_OR_TOWNSHIP, daysKey: 'verificationDays', canSendBack: false },
  village_review: { code: 'village_review', zh: '村民主评议', en: 'Village democratic review', roles: VILLAGE, daysKey: 'reviewDays', canSendBack: true },
  publicity: { code: 'publicity', zh: '村级公示', en: 'Village publicity', roles: VILLAGE, daysKey: 'publicityDays', canSendBack: false },
  township_review: { code: 'township_review', zh: '乡镇审核', en: 'Township review', roles: TOWNSHIP, daysKey: 'reviewDays', canSendBack: true },
  county_approval: { code: 'county_approval', zh: '县级审定', en: 'County approval', roles: COUNTY, daysKey: 'reviewDays', canSendBack: true },
  announcement: { code: 'announcement', zh: '公告', en: 'Announcement', roles: COUNTY, daysKey: 'reviewDays', canSendBack: false },
} as const satisfies Record<StepCode, StepDefinition>;

export const PROCEDURE_STEPS: Record<ProcedureKind, readonly StepDefinition[]> = {
  identification: [S.verification, S.comparison, S.village_review, S.publicity, S.township_review, S.county_approval, S.announcement],
  elimination: [S.assessment, S.village_review, S.publicity, S.township_review, S.county_approval, S.announcement],
};

export const PROCEDURE_TITLES: Record<ProcedureKind, { zh: string; en: string }> = {
  identification: { zh: '监测对象识别', en: 'Identification of a monitored household' },
  elimination: { zh: '风险消除', en: 'Risk elimination' },
};

export const ELIMINATION_TYPES = [
  { code: 'assisted', zh: '帮扶消除', en: 'Eliminated through assistance' },
  { code: 'natural', zh: '自然消除', en: 'Eliminated by itself' },
] as const;
export type EliminationTypeCode = (typeof ELIMINATION_TYPES)[number]['code'];

export type ProcedureStatus = 'active' | 'completed' | 'rejected' | 'withdrawn';

/** One entry of the signed record. */
export interface ProcedureEvent {
  action: 'sign' | 'send_back' | 'reject' | 'withdraw';
  step: StepCode;
  /** For send_back: the step the case returns to */
  toStep?: StepCode;
  data: Record<string, unknown>;
  comment: string | null;
  signerId: number;
  signerName: string;
  role: Role;
  /** 'YYYY-MM-DD' */
  on: string;
}

export interface ProcedureState {
  kind: ProcedureKind;
  status: ProcedureStatus;
  /** Index into PROCEDURE_STEPS[kind] of the step to be signed next */
  stepIndex: number;
  /** 'YYYY-MM-DD' the clock started (the clue's date for an identification) */
  startedOn: string;
  /** 'YYYY-MM-DD' the current step became current */
  stepSince: string;
  events: ProcedureEvent[];
}

export interface StepProblem {
  field: string;
  /** Chinese text. */
  message: string;
  /** Catalogue code and params, where the problem has one. */
  code?: string;
  params?: Readonly<Record<string, ParamValue>>;
}

/** A step's label in both languages (the code itself for an unknown step). */
function stepLabel(kind: ProcedureKind, code: string): { zh: string; en: string } | string {
  const d = stepDefinition(kind, code);
  return d ? { zh: d.zh, en: d.en } : code;
}

export function startProcedure(kind: ProcedureKind, startedOn: string): ProcedureState {
  return { kind, status: 'active', stepIndex: 0, startedOn, stepSince: startedOn, events: [] };
}

export function currentStep(state: ProcedureState): StepDefinition | null {
  return state.status === 'active' ? (PROCEDURE_STEPS[state.kind][state.stepIndex] ?? null) : null;
}

export function stepDefinition(kind: ProcedureKind, code: string): StepDefinition | undefined {
  return PROCEDURE_STEPS[kind].find((s) => s.code === code);
}

/** Why a role may not act on the current step, or null when it may. */
export function roleProblem(state: ProcedureState, role: Role): string | null {
  const p = roleProblemMessage(state, role);
  return p ? renderMessage(p, 'zh')! : null;
}

/** The same as roleProblem, as a catalogue message. */
export function roleProblemMessage(state: ProcedureState, role: Role): Message | null {
  const step = currentStep(state);
  if (!step) return msg('monitoring.procedureOver');
  if (!step.roles.includes(role)) {
    const roles = {
      zh: step.roles.map((r) => ROLE_LEVEL[r]?.zh ?? r).join('或'),
      en: step.roles.map((r) => ROLE_LEVEL[r]?.en ?? r).join(' or '),
    };
    return msg('monitoring.stepRoles', { step: { zh: step.zh, en: step.en }, roles });
  }
  return null;
}

const ROLE_LEVEL: Partial<Record<Role, { zh: string; en: string }>> = {
  village_officer: { zh: '村级工作人员', en: 'village officers' },
  township_officer: { zh: '乡镇工作人员', en: 'township officers' },
  county_admin: { zh: '县级管理员', en: 'county administrators' },
};

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
/** Longest text of a step's data (as every free text of the API). */
export const STEP_TEXT_MAX = 2000;
/** The one date check of the product (a real day, 1900–2100). */
const isDate = (v: unknown): v is string => isIsoDate(v);
const COMPARISON_CHECKS = ['vehicle', 'property', 'company', 'publicServant', 'pension', 'deposit'] as const;
export const COMPARISON_CHECK_LABELS: Record<(typeof COMPARISON_CHECKS)[number], string> = {
  vehicle: '车辆', property: '城镇房产', company: '工商注册', publicServant: '财政供养人员', pension: '养老金领取', deposit: '大额存款',
};

export interface StepContext {
  policy: PolicyValues;
  /** 'YYYY-MM-DD', today in China */
  today: string;
  /**
   * The procedure so far: its start (the clue's date for an identification) and the signed record. With it the step's
   * dates are checked against the previous step's (signStep always passes it; a form passes it to check as one types).
   */
  state?: Pick<ProcedureState, 'startedOn' | 'events' | 'kind'>;
  /** Elimination: the date the household was identified as monitored (its open monitoring record) */
  identifiedOn?: string | null;
}

/**
 * The date the previous step was done on, which the next step's dates may not precede: the latest entry of the signed
 * record (a signature, or a send back), or the start of the procedure before any step. With its name for messages.
 */
export function previousStepDate(state: Pick<ProcedureState, 'startedOn' | 'events' | 'kind'>): { on: string; zh: string } {
  const last = state.events.at(-1);
  if (!last) return { on: state.startedOn, zh: state.kind === 'identification' ? '线索日期' : '发起日期' };
  const name = stepDefinition(state.kind, last.step)?.zh ?? last.step;
  return { on: last.on, zh: last.action === 'send_back' ? `“${name}”退回日期` : `“${name}”签字日期` };
}

/** The name of the previous step's date (previousStepDate's) in both languages. */
function previousStepName(state: Pick<ProcedureState, 'startedOn' | 'events' | 'kind'>): Localized {
  const last = state.events.at(-1);
  if (!last) return stepField(state.kind === 'identification' ? '线索日期' : '发起日期');
  const d = stepDefinition(state.kind, last.step);
  const zh = d?.zh ?? last.step;
  const en = d?.en ?? last.step;
  return last.action === 'send_back' ? { zh: `“${zh}”退回日期`, en: `the date “${en}” was sent back` } : { zh: `“${zh}”签字日期`, en: `the date “${en}” was signed` };
}

/**
 * Checks the data a step is signed with. Returns every problem (Chinese, naming the field); an empty list means
 * the step may be signed with this data.
 */
export function validateStepData(kind: ProcedureKind, step: StepCode, data: Record<string, unknown>, ctx: StepContext): StepProblem[] {
  const p: StepProblem[] = [];
  const add = (field: string, m: Message) => p.push(stepProblem(field, m));
  const need = (field: string, label: string) => {
    if (!text(data[field])) add(field, msg('monitoring.step.required', { what: stepField(label) }));
  };
  // Text of a step (findings, minutes, objections and answers, names) at most STEP_TEXT_MAX characters, at any depth.
  const long = (v: unknown, field: string): void => {
    if (typeof v === 'string' && v.length > STEP_TEXT_MAX) add(field, msg('monitoring.step.textTooLong', { max: STEP_TEXT_MAX, length: v.length }));
    else if (Array.isArray(v)) v.forEach((x, i) => long(x, `${field}.${i}`));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) long(x, `${field}.${k}`);
  };
  for (const [k, v] of Object.entries(data)) long(v, k);
  // Every step date lies between the previous step's date and today.
  const prev = ctx.state ? previousStepDate(ctx.state) : null;
  const prevName = ctx.state ? previousStepName(ctx.state) : null;
  const inRange = (field: string, label: string, v: string) => {
    if (v > ctx.today) add(field, msg('monitoring.step.dateAfterToday', { what: stepField(label), today: ctx.today }));
    else if (prev && prevName && v < prev.on) {
      add(field, msg('monitoring.step.dateBeforePrevious', { what: stepField(label), date: v, previous: prevName, previousOn: prev.on }));
    }
  };
  switch (step) {
    case 'verification': {
      p.push(...verifierShapeProblems(data.verifiers));
      need('findings', '核实情况');
      if (data.authorisationSigned !== true) add('authorisationSigned', msg('monitoring.step.authorisation'));
      if (!isDate(data.visitedOn)) add('visitedOn', msg('monitoring.step.required', { what: stepField('入户日期') }));
      else if (data.visitedOn > ctx.today) add('visitedOn', msg('monitoring.step.dateAfterToday', { what: stepField('入户日期'), today: ctx.today }));
      else if (ctx.state && data.visitedOn < ctx.state.startedOn) {
        add('visitedOn', msg('monitoring.step.visitBeforeClue', { date: data.visitedOn, startedOn: ctx.state.startedOn }));
      }
      break;
    }
    case 'comparison': {
      const checks = (data.checks ?? {}) as Record<string, unknown>;
      for (const c of COMPARISON_CHECKS) {
        if (checks[c] !== 'none' && checks[c] !== 'found') add(`checks.${c}`, msg('monitoring.step.comparisonResult', { check: { zh: COMPARISON_CHECK_LABELS[c], en: COMPARISON_CHECK_EN[c] } }));
      }
      if (COMPARISON_CHECKS.some((c) => checks[c] === 'found')) need('findings', '比对发现情况的说明');
      break;
    }
    case 'assessment': {
      if (data.eliminationType !== 'assisted' && data.eliminationType !== 'natural') add('eliminationType', msg('monitoring.step.eliminationType'));
      need('findings', '评估情况');
      break;
    }
    case 'village_review': {
      if (data.result !== 'agree' && data.result !== 'disagree') add('result', msg('monitoring.step.villageResult'));
      need('minutes', '评议会议记录');
      const n = data.participants;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 3) add('participants', msg('monitoring.step.participants'));
      break;
    }
    case 'publicity': {
      const { startDate, endDate } = data;
      if (!isDate(startDate)) add('startDate', msg('monitoring.step.required', { what: stepField('公示开始日期') }));
      if (!isDate(endDate)) add('endDate', msg('monitoring.step.required', { what: stepField('公示结束日期') }));
      if (isDate(startDate)) inRange('startDate', '公示开始日期', startDate);
      if (isDate(startDate) && isDate(endDate)) {
        const days = daysBetween(startDate, endDate) + 1;
        if (endDate < startDate) add('endDate', msg('monitoring.step.publicityEndBeforeStart', { end: endDate, start: startDate }));
        else if (days < ctx.policy.publicityDays) add('endDate', msg('monitoring.step.publicityTooShort', { days, min: ctx.policy.publicityDays }));
        // The publicity is over at the end of its last day: its result is signed (and the next step done) from the day after.
        if (endDate >= ctx.today) add('endDate', msg('monitoring.step.publicityNotOver', { end: endDate, next: addDays(endDate, 1) }));
      }
      const objections = Array.isArray(data.objections) ? (data.objections as Record<string, unknown>[]) : [];
      objections.forEach((o, i) => {
        if (!text(o.content)) add(`objections.${i}.content`, msg('monitoring.step.objectionContent', { n: i + 1 }));
        if (!text(o.answer)) add(`objections.${i}.answer`, msg('monitoring.step.objectionAnswer', { n: i + 1 }));
      });
      break;
    }
    case 'township_review':
    case 'county_approval': {
      if (data.result !== 'approve' && data.result !== 'reject') add('result', msg('monitoring.step.reviewResult'));
      if (data.result === 'reject') need('reason', '不予通过的理由');
      break;
    }
    case 'announcement': {
      if (!isDate(data.announcedOn)) add('announcedOn', msg('monitoring.step.required', { what: stepField('公告日期') }));
      else {
        // not before the county approval it announces, not after today
        inRange('announcedOn', '公告日期', data.announcedOn);
        // Identification and elimination do not both finish on one day: a risk is eliminated on a later day than it was
        // identified (an elimination within quickEliminationMonths is allowed, and flagged as quick).
        if (kind === 'elimination' && ctx.identifiedOn && data.announcedOn <= ctx.identifiedOn) {
          add('announcedOn', msg('monitoring.step.announcedBeforeIdentified', { date: ctx.identifiedOn }));
        }
      }
      if (kind === 'identification') {
        if (!MONITORED_TYPES.some((t) => t.code === data.monitoredType)) add('monitoredType', msg('monitoring.step.monitoredType'));
        const risks = Array.isArray(data.riskTypes) ? (data.riskTypes as unknown[]) : [];
        if (risks.length === 0) add('riskTypes', msg('monitoring.step.riskRequired'));
        else if (risks.length > MAX_RISK_TYPES) add('riskTypes', msg('monitoring.step.maxRiskTypes', { max: MAX_RISK_TYPES }));
        else if (new Set(risks).size !== risks.length) add('riskTypes', msg('monitoring.step.riskDuplicate'));
        else if (risks.some((r) => !RISK_TYPES.some((t) => t.code === r))) add('riskTypes', msg('monitoring.step.riskNotInTable'));
      }
      break;
    }
  }
  return p;
}

// ---- verifiers of the home verification (入户核实) -------------------------------------------------------------

/**
 * Who a verifier is: a user of the platform (an officer of the village or its township) — and, once helper records
 * exist (帮扶责任人, issue 12), a helper: `kind` keeps the stored shape open for them.
 */
export const VERIFIER_KINDS = ['user', 'helper'] as const;
export type VerifierKind = (typeof VERIFIER_KINDS)[number];

/**
 * How a verifier's part is confirmed: 'signer' — the user signing the step was there, the signature confirms it;
 * 'pending' → 'confirmed' — the verifier confirms in the product (a pending confirmation they see and sign);
 * 'on_behalf' — the signing user entered it for them (代录, `enteredBy`), e.g. for a verifier without an account.
 */
export type VerifierConfirmation = 'signer' | 'pending' | 'confirmed' | 'on_behalf';

/** A verifier as the form sends it: who, and whether the signing user enters it on their behalf. */
export interface VerifierInput {
  kind?: VerifierKind;
  id: number;
  onBehalf?: boolean;
}

/** A verifier as stored in the signed step (names kept, so the record reads as it was signed). */
export interface Verifier {
  kind: VerifierKind;
  id: number;
  name: string;
  confirmation: VerifierConfirmation;
  /** 'YYYY-MM-DD' the verifier confirmed in the product ('confirmed') */
  confirmedOn?: string | null;
  /** Who entered it on the verifier's behalf ('on_behalf') */
  enteredBy?: { id: number; name: string } | null;
}

/** The minimum number of verifiers of a home verification (DOMAIN §7: at least two people). */
export const MIN_VERIFIERS = 2;

const isVerifierRef = (v: unknown): v is { kind?: unknown; id: number } =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as { id?: unknown }).id) && (v as { id: number }).id > 0;
const verifierKey = (v: { kind?: unknown; id: number }) => `${typeof v.kind === 'string' ? v.kind : 'user'}:${v.id}`;

/** The shape of the verifiers of a step: a list of at least two distinct people, chosen (by id), not typed names. */
/** A step problem from a catalogue message (its Chinese text as the message). */
export function stepProblem(field: string, m: Message): StepProblem {
  return { field, message: renderMessage(m, 'zh')!, code: m.code, params: m.params };
}

/** The message of a refusal naming several problems: each problem in turn ('；' in Chinese), as monitoring.stepProblems. */
export function stepProblemsMessage(problems: readonly StepProblem[]): Message {
  const list: Localized = {
    zh: problems.map((p) => p.message).join('；'),
    en: problems.map((p) => (p.code ? (renderMessage({ code: p.code, params: p.params }, 'en') ?? p.message) : p.message)).join('; '),
  };
  return msg('monitoring.stepProblems', { list });
}

/** English names of the step fields, by their Chinese name. */
const STEP_FIELD_EN: Record<string, string> = {
  核实情况: 'the findings of the visit', 比对发现情况的说明: 'an explanation of what the comparison found', 评估情况: 'the assessment',
  评议会议记录: 'the minutes of the review', 不予通过的理由: 'the reason for rejecting', 入户日期: 'the date of the visit',
  公示开始日期: 'the publicity start date', 公示结束日期: 'the publicity end date', 公告日期: 'the announcement date',
  线索日期: 'the date of the clue', 发起日期: 'the start date',
};
const stepField = (zh: string): Localized => ({ zh, en: STEP_FIELD_EN[zh] ?? zh });
const COMPARISON_CHECK_EN: Record<(typeof COMPARISON_CHECKS)[number], string> = {
  vehicle: 'vehicle', property: 'urban property', company: 'business registration', publicServant: 'public payroll', pension: 'pension', deposit: 'large deposit',
};

export function verifierShapeProblems(list: unknown): StepProblem[] {
  const out: StepProblem[] = [];
  const items = Array.isArray(list) ? list : [];
  items.forEach((v, i) => {
    if (!isVerifierRef(v)) out.push(stepProblem(`verifiers.${i}`, msg('monitoring.step.verifierNotChosen', { n: i + 1 })));
    else if (v.kind !== undefined && !(VERIFIER_KINDS as readonly unknown[]).includes(v.kind)) out.push(stepProblem(`verifiers.${i}`, msg('monitoring.step.verifierKind', { n: i + 1 })));
  });
  const keys = items.filter(isVerifierRef).map(verifierKey);
  if (new Set(keys).size !== keys.length) out.push(stepProblem('verifiers', msg('monitoring.step.verifierDuplicate')));
  if (new Set(keys).size < MIN_VERIFIERS) out.push(stepProblem('verifiers', msg('monitoring.step.verifierMin', { min: MIN_VERIFIERS })));
  return out;
}

/**
 * Resolves the verifiers chosen on the form against the people who may verify the household (the active officers of
 * its village and township, `eligible`): each must be one of them. The signing user's own entry is confirmed by the
 * signature; every other verifier confirms in the product, or is entered on their behalf by the signing user (代录).
 */
export function resolveVerifiers(
  list: unknown, eligible: readonly { kind: VerifierKind; id: number; name: string }[], signer: { id: number; name: string },
): { verifiers: Verifier[]; problems: StepProblem[] } {
  const problems = verifierShapeProblems(list);
  const items = Array.isArray(list) ? list : [];
  const verifiers: Verifier[] = [];
  items.forEach((v, i) => {
    if (!isVerifierRef(v)) return;
    const kind = (v.kind ?? 'user') as VerifierKind;
    const who = eligible.find((e) => e.kind === kind && e.id === v.id);
    if (!who) {
      problems.push(stepProblem(`verifiers.${i}`, kind === 'helper'
        ? msg('monitoring.step.helperNotEligible', { n: i + 1, id: v.id }) : msg('monitoring.step.verifierNotEligible', { n: i + 1, id: v.id })));
      return;
    }
    const self = kind === 'user' && who.id === signer.id;
    const onBehalf = (v as VerifierInput).onBehalf === true;
    verifiers.push({
      kind, id: who.id, name: who.name,
      confirmation: self ? 'signer' : onBehalf ? 'on_behalf' : 'pending',
      confirmedOn: null,
      enteredBy: !self && onBehalf ? { id: signer.id, name: signer.name } : null,
    });
  });
  return { verifiers, problems };
}

/** The latest signed home verification, while it is the one the case goes on from (not sent back to be done again). */
function currentVerification(state: Pick<ProcedureState, 'kind' | 'status' | 'stepIndex' | 'events'>): ProcedureEvent | null {
  if (state.kind !== 'identification' || state.status !== 'active' || state.stepIndex === 0) return null;
  return [...state.events].reverse().find((e) => e.action === 'sign' && e.step === 'verification') ?? null;
}

const verifiersOf = (e: ProcedureEvent | null): Verifier[] =>
  (Array.isArray(e?.data.verifiers) ? e!.data.verifiers : []).filter((v): v is Verifier => typeof v === 'object' && v !== null && 'confirmation' in v);

/** Users who still have to confirm the current home verification in the product. */
export function pendingConfirmations(state: Pick<ProcedureState, 'kind' | 'status' | 'stepIndex' | 'events'>): Verifier[] {
  return verifiersOf(currentVerification(state)).filter((v) => v.confirmation === 'pending');
}

/** A verifier confirms the home verification they were named in. */
export function confirmVerification(state: ProcedureState, user: { id: number }, today: string): ProcedureState {
  const event = currentVerification(state);
  const mine = verifiersOf(event).find((v) => v.kind === 'user' && v.id === user.id && v.confirmation === 'pending');
  if (!event || !mine) throw new ProcedureError(msg('monitoring.notPendingVerifier'), [], 'conflict');
  const index = state.events.lastIndexOf(event);
  const verifiers = verifiersOf(event).map((v) => (v === mine ? { ...v, confirmation: 'confirmed' as const, confirmedOn: today } : v));
  const events = state.events.map((e, i) => (i === index ? { ...e, data: { ...e.data, verifiers } } : e));
  return { ...state, events };
}

export class ProcedureError extends Error {
  /** The catalogue message, when the error has one (its Chinese text is `message`). */
  readonly code?: Message;
  constructor(message: string | Message, readonly problems: StepProblem[] = [], readonly kind: 'forbidden' | 'conflict' | 'invalid' = 'invalid') {
    super(typeof message === 'string' ? message : renderMessage(message, 'zh')!);
    if (typeof message !== 'string') this.code = message;
  }
}

type Signer = { id: number; name: string; role: Role };

/**
 * Signs the current step. A village review that disagrees or a review that rejects ends the procedure as
 * rejected; signing the announcement completes it. Throws ProcedureError naming every problem.
 */
export function signStep(state: ProcedureState, step: StepCode, data: Record<string, unknown>, comment: string | null, signer: Signer, ctx: StepContext): ProcedureState {
  const cur = currentStep(state);
  if (!cur) throw new ProcedureError(msg('monitoring.procedureEndedSign'), [], 'conflict');
  if (cur.code !== step) throw new ProcedureError(msg('monitoring.wrongStep', { current: { zh: cur.zh, en: cur.en }, step: stepLabel(state.kind, step) }), [], 'conflict');
  const who = roleProblemMessage(state, signer.role);
  if (who) throw new ProcedureError(who, [], 'forbidden');
  const waiting = pendingConfirmations(state);
  if (waiting.length) {
    throw new ProcedureError(msg('monitoring.verifiersPending', { names: { zh: waiting.map((v) => v.name).join('、'), en: waiting.map((v) => v.name).join(', ') }, step: { zh: cur.zh, en: cur.en } }), [], 'conflict');
  }
  const problems = validateStepData(state.kind, step, data, { ...ctx, state });
  // The verifiers are stored resolved (resolveVerifiers: names and how each confirms), never as the form sent them.
  if (step === 'verification' && !problems.length && verifiersOf({ data } as ProcedureEvent).length !== (data.verifiers as unknown[]).length) {
    problems.push(stepProblem('verifiers', msg('monitoring.step.verifiersUnresolved')));
  }
  if (problems.length) throw new ProcedureError(stepProblemsMessage(problems), problems);
  const event: ProcedureEvent = { action: 'sign', step, data, comment: comment?.trim() || null, signerId: signer.id, signerName: signer.name, role: signer.role, on: ctx.today };
  const rejected = (step === 'village_review' && data.result === 'disagree') || ((step === 'township_review' || step === 'county_approval') && data.result === 'reject');
  const last = state.stepIndex === PROCEDURE_STEPS[state.kind].length - 1;
  return {
    ...state,
    status: rejected ? 'rejected' : last ? 'completed' : 'active',
    stepIndex: rejected || last ? state.stepIndex : state.stepIndex + 1,
    stepSince: ctx.today,
    events: [...state.events, event],
  };
}

/** Sends the case back from a reviewing step to an earlier step, with the reason. */
export function sendBack(state: ProcedureState, toStep: StepCode, reason: string, signer: Signer, today: string): ProcedureState {
  const cur = currentStep(state);
  if (!cur) throw new ProcedureError(msg('monitoring.procedureEndedSendBack'), [], 'conflict');
  if (!cur.canSendBack) throw new ProcedureError(msg('monitoring.stepNoSendBack', { step: { zh: cur.zh, en: cur.en } }), [], 'conflict');
  const who = roleProblemMessage(state, signer.role);
  if (who) throw new ProcedureError(who, [], 'forbidden');
  const steps = PROCEDURE_STEPS[state.kind];
  const to = steps.findIndex((s) => s.code === toStep);
  if (to < 0 || to >= state.stepIndex) throw new ProcedureError(msg('monitoring.sendBackEarlier'), [stepProblem('toStep', msg('monitoring.sendBackEarlier'))]);
  if (!reason.trim()) throw new ProcedureError(msg('monitoring.sendBackReason'), [stepProblem('reason', msg('monitoring.sendBackReason'))]);
  const event: ProcedureEvent = { action: 'send_back', step: cur.code, toStep, data: {}, comment: reason.trim(), signerId: signer.id, signerName: signer.name, role: signer.role, on: today };
  return { ...state, stepIndex: to, stepSince: today, events: [...state.events, event] };
}

export interface ProcedureClock {
  /** 'YYYY-MM-DD' by which the whole procedure is due (identification: identificationDays from the start) */
  dueOn: string;
  /** 'YYYY-MM-DD' by which the current step is due, or null when the procedure has ended */
  stepDueOn: string | null;
  overdue: boolean;
  stepOverdue: boolean;
  /** Days left for the whole procedure (negative when overdue) */
  daysLeft: number;
}

/**
 * Time limits. Identification: policy.identificationDays from the clue; elimination: the sum of its steps' limits.
 * A step is due policy[daysKey] days after it became current (publicity: after its required days).
 */
export function procedureClock(state: ProcedureState, policy: PolicyValues, today: string): ProcedureClock {
  const steps = PROCEDURE_STEPS[state.kind];
  const total = state.kind === 'identification' ? policy.identificationDays : steps.reduce((s, x) => s + policy[x.daysKey], 0);
  const dueOn = addDays(state.startedOn, total);
  const cur = currentStep(state);
  const stepDueOn = cur ? addDays(state.stepSince, policy[cur.daysKey]) : null;
  const active = state.status === 'active';
  return {
    dueOn,
    stepDueOn,
    overdue: active && today > dueOn,
    stepOverdue: active && stepDueOn !== null && today > stepDueOn,
    daysLeft: daysBetween(today, dueOn),
  };
}

/** The facts of a finished identification: monitored type and ordered risk types, from the announcement. */
export function identificationOutcome(state: ProcedureState): { monitoredType: string; riskTypes: string[]; announcedOn: string } | null {
  if (state.kind !== 'identification' || state.status !== 'completed') return null;
  const a = [...state.events].reverse().find((e) => e.action === 'sign' && e.step === 'announcement');
  if (!a) return null;
  return { monitoredType: String(a.data.monitoredType), riskTypes: (a.data.riskTypes as string[]) ?? [], announcedOn: String(a.data.announcedOn) };
}

/** The elimination type chosen in the assessment, once the elimination is announced. */
export function eliminationOutcome(state: ProcedureState): { eliminationType: EliminationTypeCode; announcedOn: string } | null {
  if (state.kind !== 'elimination' || state.status !== 'completed') return null;
  const assess = [...state.events].reverse().find((e) => e.action === 'sign' && e.step === 'assessment');
  const a = [...state.events].reverse().find((e) => e.action === 'sign' && e.step === 'announcement');
  if (!assess || !a) return null;
  return { eliminationType: assess.data.eliminationType as EliminationTypeCode, announcedOn: String(a.data.announcedOn) };
}
