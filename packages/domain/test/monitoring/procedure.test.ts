import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  currentStep, identificationOutcome, eliminationOutcome, POLICY_DEFAULTS, procedureClock, ProcedureError, sendBack, signStep, startProcedure,
  validateStepData, type ProcedureState, type Role, type StepCode,
} from '../../src/index';

const ctx = (today: string) => ({ policy: POLICY_DEFAULTS, today });
const village = { id: 1, name: '村干部', role: 'village_officer' as const };
const township = { id: 2, name: '乡镇干部', role: 'township_officer' as const };
const county = { id: 3, name: '县管理员', role: 'county_admin' as const };

const DATA: Record<StepCode, Record<string, unknown>> = {
  verification: { verifiers: ['张三', '李四'], findings: '户主住院，自付 3 万元', authorisationSigned: true, visitedOn: '2026-11-02' },
  comparison: { checks: { vehicle: 'none', property: 'none', company: 'none', publicServant: 'none', pension: 'none', deposit: 'none' } },
  assessment: { eliminationType: 'assisted', findings: '务工收入稳定' },
  village_review: { result: 'agree', minutes: '同意纳入', participants: 12 },
  publicity: { startDate: '2026-11-04', endDate: '2026-11-08', objections: [] },
  township_review: { result: 'approve' },
  county_approval: { result: 'approve' },
  announcement: { announcedOn: '2026-11-12', monitoredType: 'sudden_hardship', riskTypes: ['illness', 'lack_labour'] },
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
    s = signStep(s, step.code, DATA[step.code], null, signers[step.code], ctx('2026-11-12'));
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
  const p = validateStepData('identification', 'verification', { verifiers: ['张三', '张三'], findings: ' ', authorisationSigned: false, visitedOn: '2026-12-01' }, ctx('2026-11-30'));
  assert.deepEqual(p.map((x) => x.field), ['verifiers', 'findings', 'authorisationSigned', 'visitedOn']);
  const pub = validateStepData('identification', 'publicity', { startDate: '2026-11-04', endDate: '2026-11-07', objections: [{ content: '收入不实', answer: '' }] }, ctx('2026-11-30'));
  assert.deepEqual(pub.map((x) => x.message), ['公示期为 4 天，不少于 5 天', '第 1 条异议还没有答复，答复后才能结束公示']);
  const early = validateStepData('identification', 'publicity', { startDate: '2026-11-04', endDate: '2026-11-08', objections: [] }, ctx('2026-11-07'));
  assert.deepEqual(early.map((x) => x.message), ['公示到 2026-11-08 才结束，结束后才能办理下一步']);
  // publicity days are a setting
  const seven = validateStepData('identification', 'publicity', DATA.publicity, { policy: { ...POLICY_DEFAULTS, publicityDays: 7 }, today: '2026-11-30' });
  assert.deepEqual(seven.map((x) => x.message), ['公示期为 5 天，不少于 7 天']);
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
  let c = procedureClock(s, POLICY_DEFAULTS, '2026-11-13');
  assert.equal(c.dueOn, '2026-11-16');
  assert.equal(c.stepDueOn, '2026-11-14'); // signed on 11-12, 2 review days
  assert.deepEqual([c.overdue, c.stepOverdue, c.daysLeft], [false, false, 3]);
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
