import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  confirmVerification, currentStep, identificationOutcome, eliminationOutcome, pendingConfirmations, POLICY_DEFAULTS, procedureClock, ProcedureError,
  resolveVerifiers, sendBack, signStep, startProcedure, validateStepData, type ProcedureState, type Role, type StepCode,
} from '../../src/index';

const ctx = (today: string) => ({ policy: POLICY_DEFAULTS, today });
const village = { id: 1, name: '村干部', role: 'village_officer' as const };
const township = { id: 2, name: '乡镇干部', role: 'township_officer' as const };
const county = { id: 3, name: '县管理员', role: 'county_admin' as const };

const DATA: Record<StepCode, Record<string, unknown>> = {
  verification: {
    verifiers: [
      { kind: 'user', id: 1, name: '村干部', confirmation: 'signer' },
      { kind: 'user', id: 7, name: '李四', confirmation: 'on_behalf', enteredBy: { id: 1, name: '村干部' } },
    ],
    findings: '户主住院，自付 3 万元', authorisationSigned: true, visitedOn: '2026-11-02' },
  comparison: { checks: { vehicle: 'none', property: 'none', company: 'none', publicServant: 'none', pension: 'none', deposit: 'none' } },
  assessment: { eliminationType: 'assisted', findings: '务工收入稳定' },
  village_review: { result: 'agree', minutes: '同意纳入', participants: 12 },
  publicity: { startDate: '2026-11-04', endDate: '2026-11-08', objections: [] },
  township_review: { result: 'approve' },
  county_approval: { result: 'approve' },
  announcement: { announcedOn: '2026-11-12', monitoredType: 'sudden_hardship', riskTypes: ['illness', 'lack_labour'] },
};

/** The day each step is signed on in run(): the publicity (11-04 – 11-08) after the review, its result the day after. */
const SIGNED_ON: Record<StepCode, string> = {
  verification: '2026-11-02', comparison: '2026-11-03', assessment: '2026-11-02', village_review: '2026-11-03', publicity: '2026-11-09',
  township_review: '2026-11-10', county_approval: '2026-11-11', announcement: '2026-11-12',
};

function run(kind: 'identification' | 'elimination', upTo: StepCode | null = null): ProcedureState {
  let s = startProcedure(kind, '2026-11-01');
  const signers: Record<StepCode, { id: number; name: string; role: Role }> = {
    verification: village, comparison: township, assessment: township, village_review: village, publicity: village,
    township_review: township, county_approval: county, announcement: county,
  };
  for (;;) {
    const step = currentStep(s);
    if (!step || step.code === upTo) return s;
    s = signStep(s, step.code, DATA[step.code], null, signers[step.code], ctx(SIGNED_ON[step.code]));
  }
}

test('identification: every step signed by its level, in order, to a monitored household', () => {
  const s = run('identification');
  assert.equal(s.status, 'completed');
  assert.deepEqual(s.events.map((e) => `${e.step}:${e.role}`), [
    'verification:village_officer', 'comparison:township_officer', 'village_review:village_officer', 'publicity:village_officer',
    'township_review:township_officer', 'county_approval:county_admin', 'announcement:county_admin',
  ]);
  assert.deepEqual(identificationOutcome(s), { monitoredType: 'sudden_hardship', riskTypes: ['illness', 'lack_labour'], announcedOn: '2026-11-12' });
  assert.throws(() => signStep(s, 'announcement', DATA.announcement, null, county, ctx('2026-11-13')), /已经结束/);
});

test('a step can only be signed by the role at its level, and only the current step', () => {
  const s = startProcedure('identification', '2026-11-01');
  assert.throws(() => signStep(s, 'verification', DATA.verification, null, county, ctx('2026-11-02')),
    (e: unknown) => e instanceof ProcedureError && e.kind === 'forbidden' && /入户核实”只能由村级工作人员或乡镇工作人员办理/.test(e.message));
  assert.throws(() => signStep(s, 'comparison', DATA.comparison, null, township, ctx('2026-11-02')), /当前应办理“入户核实”/);
  const s2 = run('identification', 'county_approval');
  assert.throws(() => signStep(s2, 'county_approval', DATA.county_approval, null, township, ctx('2026-11-12')), /只能由县级管理员办理/);
});

test('step data: each missing or wrong item is named', () => {
  const p = validateStepData('identification', 'verification', { verifiers: [{ id: 4 }, { id: 4 }], findings: ' ', authorisationSigned: false, visitedOn: '2026-12-01' }, ctx('2026-11-30'));
  assert.deepEqual(p.map((x) => x.field), ['verifiers', 'verifiers', 'findings', 'authorisationSigned', 'visitedOn']);
  const pub = validateStepData('identification', 'publicity', { startDate: '2026-11-04', endDate: '2026-11-07', objections: [{ content: '收入不实', answer: '' }] }, ctx('2026-11-30'));
  assert.deepEqual(pub.map((x) => x.message), ['公示期为 4 天，应不少于 5 天', '第 1 条异议还没有答复，答复后才能结束公示']);
  const early = validateStepData('identification', 'publicity', { startDate: '2026-11-04', endDate: '2026-11-08', objections: [] }, ctx('2026-11-07'));
  assert.deepEqual(early.map((x) => x.message), ['公示到 2026-11-08 结束，2026-11-09 起才能登记公示结果并办理下一步']);
  // publicity days are a setting
  const seven = validateStepData('identification', 'publicity', DATA.publicity, { policy: { ...POLICY_DEFAULTS, publicityDays: 7 }, today: '2026-11-30' });
  assert.deepEqual(seven.map((x) => x.message), ['公示期为 5 天，应不少于 7 天']);
  const ann = validateStepData('identification', 'announcement', { announcedOn: '2026-11-12', monitoredType: 'x', riskTypes: ['illness', 'illness'] }, ctx('2026-11-30'));
  assert.deepEqual(ann.map((x) => x.field), ['monitoredType', 'riskTypes']);
  const six = validateStepData('identification', 'announcement', { ...DATA.announcement, riskTypes: ['illness', 'disability', 'schooling', 'accident', 'housing', 'other'] }, ctx('2026-11-30'));
  assert.deepEqual(six.map((x) => x.message), ['风险类型最多 5 项']);
});

test('send back: from a review to an earlier step with a reason, the clock of the step restarts', () => {
  const s = run('identification', 'township_review');
  assert.throws(() => sendBack(s, 'verification', ' ', township, '2026-11-13'), /请填写退回理由/);
  assert.throws(() => sendBack(s, 'announcement', '不对', township, '2026-11-13'), /只能退回到之前/);
  assert.throws(() => sendBack(s, 'verification', '核实不充分', village, '2026-11-13'), /只能由乡镇工作人员办理/);
  const back = sendBack(s, 'verification', '核实不充分，补充住院票据', township, '2026-11-13');
  assert.equal(currentStep(back)?.code, 'verification');
  assert.equal(back.stepSince, '2026-11-13');
  assert.equal(back.events.at(-1)?.action, 'send_back');
  assert.equal(back.events.at(-1)?.comment, '核实不充分，补充住院票据');
  // publicity cannot send back
  const pub = run('identification', 'publicity');
  assert.throws(() => sendBack(pub, 'verification', 'x', village, '2026-11-13'), /“村级公示”环节不能退回/);
});

test('rejections end the procedure: the village disagrees, or a review rejects with a reason', () => {
  const s = run('identification', 'village_review');
  const r = signStep(s, 'village_review', { result: 'disagree', minutes: '多数不同意', participants: 9 }, null, village, ctx('2026-11-05'));
  assert.equal(r.status, 'rejected');
  assert.equal(identificationOutcome(r), null);
  const c = run('identification', 'county_approval');
  assert.throws(() => signStep(c, 'county_approval', { result: 'reject' }, null, county, ctx('2026-11-12')), /请填写不予通过的理由/);
  assert.equal(signStep(c, 'county_approval', { result: 'reject', reason: '比对发现财政供养人员' }, null, county, ctx('2026-11-12')).status, 'rejected');
});

test('clock: 15 days for an identification by default, overdue steps and cases flagged', () => {
  const s = run('identification', 'comparison');
  let c = procedureClock(s, POLICY_DEFAULTS, '2026-11-03');
  assert.equal(c.dueOn, '2026-11-16');
  assert.equal(c.stepDueOn, '2026-11-04'); // signed on 11-02, 2 review days
  assert.deepEqual([c.overdue, c.stepOverdue, c.daysLeft], [false, false, 13]);
  c = procedureClock(s, POLICY_DEFAULTS, '2026-11-17');
  assert.deepEqual([c.overdue, c.stepOverdue, c.daysLeft], [true, true, -1]);
  c = procedureClock(s, { ...POLICY_DEFAULTS, identificationDays: 20 }, '2026-11-17');
  assert.equal(c.overdue, false);
  assert.equal(procedureClock(run('identification'), POLICY_DEFAULTS, '2027-01-01').overdue, false); // finished cases are never overdue
});

test('elimination: assessment first, then the same review and publicity, with the elimination type kept', () => {
  const s = run('elimination');
  assert.equal(s.status, 'completed');
  assert.deepEqual(s.events.map((e) => e.step), ['assessment', 'village_review', 'publicity', 'township_review', 'county_approval', 'announcement']);
  assert.deepEqual(eliminationOutcome(s), { eliminationType: 'assisted', announcedOn: '2026-11-12' });
  assert.deepEqual(validateStepData('elimination', 'assessment', { findings: 'x' }, ctx('2026-11-12')).map((p) => p.field), ['eliminationType']);
  // no monitored type is asked for at the elimination announcement
  assert.deepEqual(validateStepData('elimination', 'announcement', { announcedOn: '2026-11-12' }, ctx('2026-11-12')), []);
  // elimination's total limit is the sum of its steps
  assert.equal(procedureClock(startProcedure('elimination', '2026-11-01'), POLICY_DEFAULTS, '2026-11-01').dueOn, '2026-11-17');
});

// ---- issue 10 item 2: the dates of the steps ------------------------------------------------------------------

const fields = (e: unknown) => (e instanceof ProcedureError ? e.problems.map((p) => `${p.field}: ${p.message}`) : [String(e)]);
const refused = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    return fields(e);
  }
  return [];
};

test('dates: the home visit lies between the clue and today', () => {
  const s = startProcedure('identification', '2026-11-01');
  assert.deepEqual(refused(() => signStep(s, 'verification', { ...DATA.verification, visitedOn: '2026-10-31' }, null, village, ctx('2026-11-02'))),
    ['visitedOn: 入户日期 2026-10-31 早于线索日期（2026-11-01），应在发现或申报之后入户核实']);
  assert.deepEqual(refused(() => signStep(s, 'verification', { ...DATA.verification, visitedOn: '2026-11-03' }, null, village, ctx('2026-11-02'))),
    ['visitedOn: 入户日期不能晚于今天（2026-11-02）']);
  assert.equal(signStep(s, 'verification', { ...DATA.verification, visitedOn: '2026-11-01' }, null, village, ctx('2026-11-02')).stepIndex, 1);
});

test('dates: the publicity starts after the village review, lasts the configured days and is over before its result is signed', () => {
  const s = run('identification', 'publicity'); // village review signed 2026-11-03
  const pub = (startDate: string, endDate: string, today: string, policy = POLICY_DEFAULTS) =>
    refused(() => signStep(s, 'publicity', { startDate, endDate, objections: [] }, null, village, { policy, today }));
  // entered as already over before the village review was signed
  assert.deepEqual(pub('2026-10-25', '2026-10-29', '2026-11-09'),
    ['startDate: 公示开始日期 2026-10-25 早于“村民主评议”签字日期（2026-11-03），每一步的日期不能早于上一步']);
  // still running today: its result cannot be signed on its last day
  assert.deepEqual(pub('2026-11-04', '2026-11-08', '2026-11-08'), ['endDate: 公示到 2026-11-08 结束，2026-11-09 起才能登记公示结果并办理下一步']);
  assert.deepEqual(pub('2026-11-04', '2026-11-12', '2026-11-09'), ['endDate: 公示到 2026-11-12 结束，2026-11-13 起才能登记公示结果并办理下一步']);
  // too short, for the configured days
  assert.deepEqual(pub('2026-11-04', '2026-11-07', '2026-11-09'), ['endDate: 公示期为 4 天，应不少于 5 天']);
  assert.deepEqual(pub('2026-11-04', '2026-11-08', '2026-11-20', { ...POLICY_DEFAULTS, publicityDays: 7 }), ['endDate: 公示期为 5 天，应不少于 7 天']);
  // ends before it starts; starts in the future
  assert.deepEqual(pub('2026-11-08', '2026-11-04', '2026-11-09'), ['endDate: 公示结束日期 2026-11-04 早于开始日期 2026-11-08']);
  assert.deepEqual(pub('2026-11-10', '2026-11-15', '2026-11-09'), ['startDate: 公示开始日期不能晚于今天（2026-11-09）', 'endDate: 公示到 2026-11-15 结束，2026-11-16 起才能登记公示结果并办理下一步']);
  // the day the review was signed is the earliest start
  assert.deepEqual(pub('2026-11-03', '2026-11-07', '2026-11-08'), []);
});

test('dates: an elimination publicity cannot end before the procedure started', () => {
  const s = run('elimination', 'publicity'); // started 2026-11-01, review signed 2026-11-03
  assert.deepEqual(refused(() => signStep(s, 'publicity', { startDate: '2026-10-20', endDate: '2026-10-25', objections: [] }, null, village, ctx('2026-11-09'))),
    ['startDate: 公示开始日期 2026-10-20 早于“村民主评议”签字日期（2026-11-03），每一步的日期不能早于上一步']);
  // the form checks the same rule as one types (validateStepData with the state)
  assert.equal(validateStepData('elimination', 'publicity', { startDate: '2026-10-20', endDate: '2026-10-25', objections: [] }, { ...ctx('2026-11-09'), state: s })[0]?.field, 'startDate');
});

test('dates: an announcement cannot precede the county approval, nor lie in the future', () => {
  const s = run('identification', 'announcement'); // county approval signed 2026-11-11
  assert.deepEqual(refused(() => signStep(s, 'announcement', { ...DATA.announcement, announcedOn: '2026-11-10' }, null, county, ctx('2026-11-12'))),
    ['announcedOn: 公告日期 2026-11-10 早于“县级审定”签字日期（2026-11-11），每一步的日期不能早于上一步']);
  assert.deepEqual(refused(() => signStep(s, 'announcement', { ...DATA.announcement, announcedOn: '2026-11-13' }, null, county, ctx('2026-11-12'))),
    ['announcedOn: 公告日期不能晚于今天（2026-11-12）']);
  assert.equal(signStep(s, 'announcement', { ...DATA.announcement, announcedOn: '2026-11-11' }, null, county, ctx('2026-11-12')).status, 'completed');
});

test('dates: identification and elimination do not finish on one day; a quick elimination is allowed later', () => {
  const s = run('elimination', 'announcement');
  assert.deepEqual(refused(() => signStep(s, 'announcement', { announcedOn: '2026-11-12' }, null, county, { ...ctx('2026-11-12'), identifiedOn: '2026-11-12' })),
    ['announcedOn: 公告日期应晚于纳入监测日期（2026-11-12），纳入监测当天不能公告风险消除']);
  assert.equal(signStep(s, 'announcement', { announcedOn: '2026-11-12' }, null, county, { ...ctx('2026-11-12'), identifiedOn: '2026-11-11' }).status, 'completed');
});

test('dates: after a send back the step is done again no earlier than the send back', () => {
  const back = sendBack(run('identification', 'township_review'), 'village_review', '评议人数不足', township, '2026-11-10');
  const again = signStep(back, 'village_review', DATA.village_review, null, village, ctx('2026-11-11'));
  assert.deepEqual(refused(() => signStep(again, 'publicity', { startDate: '2026-11-10', endDate: '2026-11-14', objections: [] }, null, village, ctx('2026-11-16'))),
    ['startDate: 公示开始日期 2026-11-10 早于“村民主评议”签字日期（2026-11-11），每一步的日期不能早于上一步']);
});

// ---- issue 10 item 4: verifiers chosen from the region's users, each confirming or entered on their behalf ------

const ELIGIBLE = [
  { kind: 'user' as const, id: 1, name: '村干部' }, { kind: 'user' as const, id: 7, name: '李四' }, { kind: 'user' as const, id: 8, name: '周海' },
];

test('verifiers: at least two distinct people, chosen, not typed', () => {
  const shape = (v: unknown) => validateStepData('identification', 'verification', { ...DATA.verification, verifiers: v }, ctx('2026-11-30')).map((p) => `${p.field}: ${p.message}`);
  assert.deepEqual(shape([{ id: 7 }]), ['verifiers: 入户核实应至少由 2 名工作人员进行，请选择至少 2 名核实人']);
  assert.deepEqual(shape(['张三', '李四']), [
    'verifiers.0: 第 1 名核实人应从本村和乡镇的工作人员中选择，不能直接填写姓名',
    'verifiers.1: 第 2 名核实人应从本村和乡镇的工作人员中选择，不能直接填写姓名',
    'verifiers: 入户核实应至少由 2 名工作人员进行，请选择至少 2 名核实人',
  ]);
  assert.deepEqual(shape([{ id: 7 }, { id: 7 }]), ['verifiers: 核实人不能重复', 'verifiers: 入户核实应至少由 2 名工作人员进行，请选择至少 2 名核实人']);
  assert.deepEqual(shape([{ id: 7 }, { id: 8, onBehalf: true }]), []);
  // an unresolved list is never stored
  assert.deepEqual(refused(() => signStep(startProcedure('identification', '2026-11-01'), 'verification', { ...DATA.verification, verifiers: [{ id: 7 }, { id: 8 }] }, null, village, ctx('2026-11-02'))),
    ['verifiers: 核实人未经核对（应由 resolveVerifiers 核对为本村、本乡镇的工作人员）']);
});

test('verifiers: resolved against the eligible officers; unknown or out-of-region refused; the signer, on-behalf and pending entries', () => {
  const bad = resolveVerifiers([{ id: 7 }, { id: 99 }], ELIGIBLE, { id: 1, name: '村干部' });
  assert.deepEqual(bad.problems, [{ field: 'verifiers.1', message: '第 2 名核实人（用户 99）不存在、已停用，或不是本村、本乡镇的工作人员', code: 'monitoring.step.verifierNotEligible', params: { n: 2, id: 99 } }]);
  const ok = resolveVerifiers([{ id: 1 }, { id: 7, onBehalf: true }, { id: 8 }], ELIGIBLE, { id: 1, name: '村干部' });
  assert.deepEqual(ok.problems, []);
  assert.deepEqual(ok.verifiers, [
    { kind: 'user', id: 1, name: '村干部', confirmation: 'signer', confirmedOn: null, enteredBy: null },
    { kind: 'user', id: 7, name: '李四', confirmation: 'on_behalf', confirmedOn: null, enteredBy: { id: 1, name: '村干部' } },
    { kind: 'user', id: 8, name: '周海', confirmation: 'pending', confirmedOn: null, enteredBy: null },
  ]);
});

test('verifiers: a pending confirmation holds the case at the data comparison until the verifier confirms', () => {
  const { verifiers } = resolveVerifiers([{ id: 1 }, { id: 8 }], ELIGIBLE, { id: 1, name: '村干部' });
  const s = signStep(startProcedure('identification', '2026-11-01'), 'verification', { ...DATA.verification, verifiers }, null, village, ctx('2026-11-02'));
  assert.deepEqual(pendingConfirmations(s).map((v) => v.id), [8]);
  assert.throws(() => signStep(s, 'comparison', DATA.comparison, null, township, ctx('2026-11-03')),
    (e: unknown) => e instanceof ProcedureError && e.kind === 'conflict' && /入户核实还有核实人未在系统中确认：周海/.test(e.message));
  assert.throws(() => confirmVerification(s, { id: 7 }, '2026-11-03'), /不是该户入户核实的待确认核实人/);
  const confirmed = confirmVerification(s, { id: 8 }, '2026-11-03');
  assert.deepEqual(pendingConfirmations(confirmed), []);
  assert.deepEqual((confirmed.events[0]!.data.verifiers as { confirmation: string; confirmedOn: string | null }[]).map((v) => [v.confirmation, v.confirmedOn]),
    [['signer', null], ['confirmed', '2026-11-03']]);
  assert.throws(() => confirmVerification(confirmed, { id: 8 }, '2026-11-03'), /已经确认过/);
  assert.equal(signStep(confirmed, 'comparison', DATA.comparison, null, township, ctx('2026-11-03')).stepIndex, 2);
  // sent back to the verification: the old confirmation is no longer asked for
  const back = sendBack(signStep(confirmed, 'comparison', DATA.comparison, null, township, ctx('2026-11-03')), 'verification', '重新核实', village, '2026-11-04');
  assert.deepEqual(pendingConfirmations(back), []);
});
