import { useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import {
  Alert, App, Badge, Button, Card, Checkbox, Col, DatePicker, Descriptions, Form, Input, InputNumber, Radio, Row, Select, Skeleton, Space, Steps, Tag, Timeline, Typography,
} from 'antd';
import dayjs from 'dayjs';
import {
  COMPARISON_CHECK_LABELS, ELIMINATION_TYPES, formatYuan, MONITORED_TYPES, policyDefinition, PROCEDURE_STEPS, RISK_TYPES,
  validateStepData,
  type EndpointResponse, type FactsSnapshot, type PolicyValues, type ProcedureDetail, type ProcedureState, type StepCode,
} from '@tuopin/domain';
import { api, isApiError } from '../../api/client';
import { setQueryAnswer, useApiMutation, useApiQuery } from '../../api/queries';
import { useI18n } from '../../i18n';
import { PageHeader } from '../../components/PageHeader';
import { useIsMobile } from '../../utils/hooks';
import { afterChinaToday, chinaToday, todayInChina } from '../../utils/chinaDate';
import { useMe } from '../../auth/AuthContext';
import { fmtValue } from '../policy/format';
import { ProcStatusTag, unmetMessage, useMonLabels } from './shared';
import { checkLabel, stepDataLines } from './stepData';
import './monitoring.css';

type Data = Record<string, unknown>;

/** What a step signed, sent back or confirmed makes stale besides the procedure (which the answer replaces). */
const PROCEDURE_CHANGE = [api.procedureList, api.householdMonitoring, api.clueList, api.publicityList];
type Officer = EndpointResponse<typeof api.clueVerifiers>[number];

/** The form values of a step as the data the domain validates. */
function toData(step: StepCode, v: Record<string, unknown>): Data {
  const d = (x: unknown) => (dayjs.isDayjs(x) ? x.format('YYYY-MM-DD') : undefined);
  switch (step) {
    case 'verification':
      // chosen officers (ids); those the signer enters on their behalf (代录) are marked, the others confirm in the product
      return {
        verifiers: ((v.verifiers as number[] | undefined) ?? []).map((id) => ({ kind: 'user', id, onBehalf: ((v.onBehalf as number[] | undefined) ?? []).includes(id) })),
        findings: v.findings ?? '', authorisationSigned: v.authorisationSigned === true, visitedOn: d(v.visitedOn),
      };
    case 'comparison':
      return { checks: v.checks ?? {}, findings: v.findings ?? '' };
    case 'assessment':
      return { eliminationType: v.eliminationType, findings: v.findings ?? '' };
    case 'village_review':
      return { result: v.result, minutes: v.minutes ?? '', participants: v.participants, proposedMonitoredType: v.proposedMonitoredType, proposedRiskTypes: v.proposedRiskTypes ?? [] };
    case 'publicity':
      return { startDate: d(v.startDate), endDate: d(v.endDate), objections: (v.objections as Data[] | undefined) ?? [] };
    case 'township_review':
    case 'county_approval':
      return { result: v.result, reason: v.reason ?? '' };
    case 'announcement':
      return { announcedOn: d(v.announcedOn), monitoredType: v.monitoredType, riskTypes: v.riskTypes ?? [] };
    default:
      return {};
  }
}

/** The verifiers of a home visit: officers of the household's village and township; each one not the signer confirms in the product or is entered by the signer. */
function VerifierFields({ p, form }: { p: ProcedureDetail; form: ReturnType<typeof Form.useForm>[0] }) {
  const { t } = useI18n();
  const me = useMe();
  // the officers of the household's village and township (none on an error)
  const verifiers = useApiQuery(api.clueVerifiers, { query: { regionCode: p.household.villageCode } });
  const officers: Officer[] = verifiers.data ?? [];
  const chosen = (Form.useWatch('verifiers', form) as number[] | undefined) ?? [];
  const others = officers.filter((o) => chosen.includes(o.id) && o.id !== me.id);
  return (<>
    <Form.Item name="verifiers" label={t('mon.field.verifiers')} extra={t('mon.field.verifiersHelp')}>
      <Select mode="multiple" data-testid="f-verifiers" optionFilterProp="label" placeholder={t('mon.field.verifiersPlaceholder')} style={{ width: '100%' }}
        options={officers.map((o) => ({ value: o.id, label: `${o.name}（${o.regionName}）`, 'data-testid': `verifier-option-${o.username}` }))} />
    </Form.Item>
    {others.length > 0 && (
      <Form.Item name="onBehalf" label={t('mon.field.confirmation')} extra={t('mon.field.confirmationHelp')}>
        <Checkbox.Group data-testid="f-onBehalf" style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
          options={others.map((o) => ({ value: o.id, label: t('mon.field.onBehalfOf', { name: o.name }) }))} />
      </Form.Item>
    )}
  </>);
}

function StepFields({ p, step, form }: { p: ProcedureDetail; step: StepCode; form: ReturnType<typeof Form.useForm>[0] }) {
  const { t, lang, label } = useI18n();
  const result = Form.useWatch('result', form);
  const types = MONITORED_TYPES.map((x) => ({ value: x.code, label: label(x) }));
  const risks = RISK_TYPES.map((x) => ({ value: x.code, label: label(x) }));
  switch (step) {
    case 'verification':
      return (<>
        <VerifierFields p={p} form={form} />
        <Form.Item name="findings" label={t('mon.field.findings')}><Input.TextArea rows={3} data-testid="f-findings" /></Form.Item>
        <Form.Item name="visitedOn" label={t('mon.field.visitedOn')}><DatePicker data-testid="f-visitedOn" disabledDate={afterChinaToday} /></Form.Item>
        <Form.Item name="authorisationSigned" valuePropName="checked"><Checkbox data-testid="f-authorisation">{t('mon.field.authorisationSigned')}</Checkbox></Form.Item>
      </>);
    case 'comparison':
      return (<>
        <Typography.Text strong>{t('mon.field.checks')}</Typography.Text>
        {Object.keys(COMPARISON_CHECK_LABELS).map((k) => (
          <Form.Item key={k} name={['checks', k]} label={checkLabel(k, lang)} style={{ marginBottom: 8 }}>
            <Radio.Group data-testid={`f-check-${k}`} options={[{ value: 'none', label: t('mon.field.none') }, { value: 'found', label: t('mon.field.found') }]} />
          </Form.Item>
        ))}
        <Form.Item name="findings" label={t('mon.field.findings')}><Input.TextArea rows={2} /></Form.Item>
      </>);
    case 'assessment':
      return (<>
        <Form.Item name="eliminationType" label={t('mon.field.eliminationType')}>
          <Radio.Group data-testid="f-eliminationType" options={ELIMINATION_TYPES.map((x) => ({ value: x.code, label: label(x) }))} />
        </Form.Item>
        <Form.Item name="findings" label={t('mon.field.findings')}><Input.TextArea rows={3} data-testid="f-findings" /></Form.Item>
      </>);
    case 'village_review':
      return (<>
        <Form.Item name="result" label={t('mon.field.result')}>
          <Radio.Group data-testid="f-result" options={[{ value: 'agree', label: t('mon.field.agree') }, { value: 'disagree', label: t('mon.field.disagree') }]} />
        </Form.Item>
        <Form.Item name="participants" label={t('mon.field.participants')}><InputNumber min={0} data-testid="f-participants" /></Form.Item>
        <Form.Item name="minutes" label={t('mon.field.minutes')}><Input.TextArea rows={3} data-testid="f-minutes" /></Form.Item>
        {p.kind === 'identification' && (<>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('mon.field.proposedHelp')}</Typography.Paragraph>
          <Form.Item name="proposedMonitoredType" label={t('mon.field.proposedType')}><Select allowClear options={types} data-testid="f-proposedType" /></Form.Item>
          <Form.Item name="proposedRiskTypes" label={t('mon.field.proposedRisks')}><Select mode="multiple" maxCount={5} options={risks} data-testid="f-proposedRisks" /></Form.Item>
        </>)}
      </>);
    case 'publicity':
      return (<>
        <Space wrap>
          <Form.Item name="startDate" label={t('mon.field.startDate')}><DatePicker data-testid="f-startDate" /></Form.Item>
          <Form.Item name="endDate" label={t('mon.field.endDate')}><DatePicker data-testid="f-endDate" /></Form.Item>
        </Space>
        <Form.List name="objections">
          {(fields, { add, remove }) => (<div className="mon-objections">
            <Typography.Text strong style={{ display: 'block', marginBottom: 8 }}>{t('mon.field.objections')}</Typography.Text>
            {fields.map((f) => (
              <Row key={f.key} gutter={8}>
                <Col xs={24} md={11}><Form.Item name={[f.name, 'content']} label={t('mon.field.objection')}><Input /></Form.Item></Col>
                <Col xs={20} md={11}><Form.Item name={[f.name, 'answer']} label={t('mon.field.answer')}><Input /></Form.Item></Col>
                <Col xs={4} md={2}><Button type="link" danger onClick={() => remove(f.name)} style={{ marginTop: 30 }}>×</Button></Col>
              </Row>
            ))}
            <Button size="small" onClick={() => add({ content: '', answer: '' })}>{t('mon.field.addObjection')}</Button>
          </div>)}
        </Form.List>
      </>);
    case 'township_review':
    case 'county_approval':
      return (<>
        <Form.Item name="result" label={t('mon.field.result')}>
          <Radio.Group data-testid="f-result" options={[{ value: 'approve', label: t('mon.field.approve') }, { value: 'reject', label: t('mon.field.reject') }]} />
        </Form.Item>
        {result === 'reject' && <Form.Item name="reason" label={t('mon.field.reason')}><Input.TextArea rows={2} /></Form.Item>}
      </>);
    case 'announcement':
      return (<>
        <Form.Item name="announcedOn" label={t('mon.field.announcedOn')}><DatePicker data-testid="f-announcedOn" disabledDate={afterChinaToday} /></Form.Item>
        {p.kind === 'identification' && (<>
          <Form.Item name="monitoredType" label={t('mon.field.monitoredType')}><Select options={types} data-testid="f-monitoredType" /></Form.Item>
          <Form.Item name="riskTypes" label={t('mon.field.riskTypes')}><Select mode="multiple" maxCount={5} options={risks} data-testid="f-riskTypes" /></Form.Item>
        </>)}
      </>);
    default:
      return null;
  }
}

/** The initial values of a step's form: dates of today, the village review's proposal carried into the announcement. */
function initialValues(p: ProcedureDetail, step: StepCode, meId: number): Record<string, unknown> {
  const review = [...p.state.events].reverse().find((e) => e.action === 'sign' && e.step === 'village_review');
  switch (step) {
    case 'verification': return { visitedOn: chinaToday(), verifiers: [meId], onBehalf: [] };
    case 'publicity': return { startDate: dayjs(p.stepSince), endDate: dayjs(p.stepSince).add((p.policyNow.values.publicityDays ?? 5) - 1, 'day'), objections: [] };
    case 'announcement': return { announcedOn: chinaToday(), monitoredType: review?.data.proposedMonitoredType, riskTypes: review?.data.proposedRiskTypes ?? [] };
    default: return {};
  }
}

function StepForm({ p, onDone }: { p: ProcedureDetail; onDone: (d: ProcedureDetail) => void }) {
  const { t, errorText, serverText } = useI18n();
  const { message } = App.useApp();
  const step = p.step as StepCode;
  const def = PROCEDURE_STEPS[p.kind].find((s) => s.code === step)!;
  const [form] = Form.useForm();
  const [backForm] = Form.useForm();
  const values = Form.useWatch([], form) as Record<string, unknown> | undefined;
  const [touched, setTouched] = useState(false);
  const sign = useApiMutation(api.procedureSign, { invalidates: PROCEDURE_CHANGE });
  const sendBack = useApiMutation(api.procedureSendBack, { invalidates: PROCEDURE_CHANGE });
  const busy = sign.isPending;
  const me = useMe();
  // the same checks as the server: the data, and its dates against the previous step's and today in China
  const problems = useMemo(
    () => (values ? validateStepData(p.kind, step, toData(step, values), {
      policy: p.policyNow.values as PolicyValues, today: todayInChina(), state: p.state as ProcedureState, identifiedOn: p.identifiedOn,
    }) : []),
    [values, p, step],
  );
  const submit = async () => {
    setTouched(true);
    if (problems.length) return;
    try {
      const d = await sign.mutateAsync({ params: { countyCode: p.countyCode, id: p.id }, body: { step, data: toData(step, form.getFieldsValue(true)), comment: (form.getFieldValue('comment') as string) || undefined } });
      message.success(t('mon.proc.signed'));
      form.resetFields();
      setTouched(false);
      onDone(d);
    } catch (e) {
      message.error(errorText(e));
      if (isApiError(e) && e.details?.length) message.error(e.details.map((x) => serverText(x)).join('；'));
    }
  };
  const back = async () => {
    const v = await backForm.validateFields();
    try {
      onDone(await sendBack.mutateAsync({ params: { countyCode: p.countyCode, id: p.id }, body: { toStep: v.toStep, reason: v.reason } }));
      backForm.resetFields();
    } catch (e) { message.error(errorText(e)); }
  };
  const earlier = PROCEDURE_STEPS[p.kind].slice(0, p.state.stepIndex);
  const l = useMonLabels();
  return (
    <Card size="small" title={t('mon.proc.current', { step: l.step(p.kind, step) })} data-testid="step-form">
      <Form form={form} layout="vertical" initialValues={initialValues(p, step, me.id)} key={`${p.id}-${p.state.events.length}`}>
        <StepFields p={p} step={step} form={form} />
        <Form.Item name="comment" label={t('mon.proc.comment')}><Input.TextArea rows={2} data-testid="f-comment" /></Form.Item>
      </Form>
      {touched && problems.length > 0 && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} data-testid="step-problems"
          title={<ul style={{ margin: 0, paddingLeft: 18 }}>{problems.map((x) => <li key={x.field + x.message}>{serverText(x)}</li>)}</ul>} />
      )}
      <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="sign">{t('mon.proc.sign')}</Button>
      {def.canSendBack && earlier.length > 0 && (
        <Card size="small" type="inner" title={t('mon.proc.sendBack')} style={{ marginTop: 16 }}>
          <Form form={backForm} layout="vertical">
            <Form.Item name="toStep" label={t('mon.proc.sendBackTo')} rules={[{ required: true }]}>
              <Select options={earlier.map((s) => ({ value: s.code, label: l.step(p.kind, s.code) }))} data-testid="back-to" />
            </Form.Item>
            <Form.Item name="reason" label={t('mon.proc.sendBackReason')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={2} data-testid="back-reason" /></Form.Item>
          </Form>
          <Button danger onClick={() => void back()} data-testid="send-back">{t('mon.proc.sendBack')}</Button>
        </Card>
      )}
    </Card>
  );
}

/**
 * The home verification waits for verifiers to confirm it in the product: who, and for a verifier named in it, the
 * button to confirm (their own signature on the visit).
 */
function ConfirmCard({ p, onDone }: { p: ProcedureDetail; onDone: (d: ProcedureDetail) => void }) {
  const { t, errorText } = useI18n();
  const { message } = App.useApp();
  const confirmation = useApiMutation(api.procedureConfirm, { invalidates: PROCEDURE_CHANGE });
  const busy = confirmation.isPending;
  const confirm = async () => {
    try {
      onDone(await confirmation.mutateAsync({ params: { countyCode: p.countyCode, id: p.id } }));
      message.success(t('mon.proc.confirmed'));
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="pending-confirmations"
      title={t('mon.proc.pendingConfirm', { names: p.pendingConfirmations.map((x) => x.name).join('、') })}
      action={p.canConfirm ? <Button size="small" type="primary" loading={busy} onClick={() => void confirm()} data-testid="confirm-verification">{t('mon.proc.confirm')}</Button> : undefined} />
  );
}

const yuan = (v: number | null, unit: string) => (v === null ? '—' : `${formatYuan(v)} ${unit}`);

export function FactsView({ f }: { f: FactsSnapshot }) {
  const { t, lang, serverText } = useI18n();
  const isMobile = useIsMobile();
  const unmet = f.eliminationCheck ? f.eliminationCheck.blockers : f.exitAssessment?.unmet ?? [];
  const unit = t('mon.facts.yuan');
  return (
    <Descriptions size="small" column={1} bordered className="mon-facts" layout={isMobile ? 'vertical' : 'horizontal'}
      styles={{ label: isMobile ? undefined : { width: lang === 'zh' ? 130 : 170 } }} items={[
      { key: 'i', label: t('mon.facts.income'), children: <span data-testid="facts-income">{yuan(f.perCapitaNetIncome, unit)}</span> },
      { key: 'l', label: t('mon.facts.lastIncome'), children: yuan(f.lastPerCapitaNetIncome, unit) },
      { key: 'm', label: t('mon.facts.members'), children: f.members.map((m) => `${String(m.name)}${lang === 'zh' ? `（${String(m.idNumber ?? '')}）` : ` (${String(m.idNumber ?? '')})`}`).join(lang === 'zh' ? '、' : ', ') },
      { key: 'u', label: t('mon.facts.unmet'), children: unmet.length ? <ul style={{ margin: 0, paddingLeft: 18 }}>{unmet.map((u) => <li key={u.code}>{serverText(unmetMessage(u))}</li>)}</ul> : t('mon.facts.none') },
    ]} />
  );
}

export default function ProcedurePage() {
  const { countyCode = '', id = '' } = useParams();
  const { t, lang, errorText } = useI18n();
  const l = useMonLabels();
  const isMobile = useIsMobile();
  const client = useQueryClient();
  const input = { params: { countyCode, id: Number(id) } };
  const procedure = useApiQuery(api.procedureGet, input);
  const p: ProcedureDetail | null = procedure.data ?? null;
  // a signed step, a send back or a confirmation answers with the procedure as it is now: shown at once
  const setP = (d: ProcedureDetail) => setQueryAnswer(client, api.procedureGet, input, d);
  if (!p && procedure.error) return <Alert type="error" title={errorText(procedure.error)} />;
  if (!p) return <Skeleton active />;
  const steps = PROCEDURE_STEPS[p.kind];
  const done = p.status === 'completed';
  const sources = p.policy.sources;
  const keys = ['monitoringLine', 'povertyLine', 'publicityDays', 'identificationDays', 'reviewDays', 'eliminationStableMonths', 'quickEliminationMonths'].filter((k) => k in p.policy.values);
  return (
    <div data-testid="procedure-page">
      <PageHeader
        title={t('mon.proc.title', { kind: l.kind(p.kind), name: p.household.headName ?? p.household.householdNo })}
        subtitle={<Space wrap><ProcStatusTag status={p.status} /><span>{p.household.villageName}</span><Link to={`/households/${p.countyCode}/${p.household.id}`}>{t('mon.proc.household')}</Link>
          {p.quick && <Tag color="orange" data-testid="quick-flag">{t('mon.proc.quick')}</Tag>}</Space>}
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Steps size="small" orientation={isMobile ? 'vertical' : 'horizontal'} titlePlacement={isMobile || lang === 'zh' ? 'horizontal' : 'vertical'} current={done ? steps.length : p.state.stepIndex}
          status={p.status === 'rejected' ? 'error' : done ? 'finish' : 'process'}
          items={steps.map((s) => ({ title: l.step(p.kind, s.code) }))} data-testid="steps" />
        {p.status === 'active' ? (
          <Space wrap style={{ marginTop: 12 }} data-testid="clock">
            <Badge status={p.clock.overdue ? 'error' : 'processing'} text={t('mon.proc.clock', { date: p.clock.dueOn, days: p.clock.daysLeft })} />
            {p.clock.overdue && <Tag color="red" data-testid="overdue">{t('mon.proc.overdue')}</Tag>}
            {p.clock.stepDueOn && <span>{t('mon.proc.stepDue', { date: p.clock.stepDueOn })}</span>}
            {p.clock.stepOverdue && <Tag color="red">{t('mon.proc.stepOverdue')}</Tag>}
          </Space>
        ) : (
          <Alert style={{ marginTop: 12 }} type={done ? 'success' : 'warning'} title={t('mon.proc.ended', { status: t(`mon.status.${p.status}` as 'mon.status.active') })}
            description={p.outcome && p.kind === 'identification' && done ? `${l.monitoredType(String(p.outcome.monitoredType))} · ${l.riskTypes((p.outcome.riskTypes as string[]) ?? [])}` : p.outcome && done ? l.eliminationType(String(p.outcome.eliminationType)) : null} />
        )}
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          {p.pendingConfirmations.length > 0 && <ConfirmCard p={p} onDone={setP} />}
          {p.status === 'active' && (p.canAct ? <StepForm p={p} onDone={setP} /> : <Alert type="info" showIcon title={t('mon.proc.waiting', { who: p.waitingFor ?? '' })} data-testid="waiting" />)}
          <Card size="small" title={t('mon.proc.timeline')} style={{ marginTop: 12 }}>
            {p.state.events.length === 0 && <Typography.Text type="secondary" data-testid="timeline-empty">{t('mon.proc.noEvents')}</Typography.Text>}
            <Timeline data-testid="timeline" items={p.state.events.map((e, i) => ({
              key: i,
              color: e.action === 'send_back' ? 'red' : 'green',
              content: (
                <div>
                  <Typography.Text strong>{l.step(p.kind, e.step)}{e.action === 'send_back' ? ` → ${t('mon.proc.sendBack')} ${l.step(p.kind, e.toStep ?? null)}` : ''}</Typography.Text>
                  <div><Typography.Text type="secondary">{e.signerName} · {e.on}</Typography.Text></div>
                  {e.comment && <div>{e.comment}</div>}
                  {stepDataLines(e.step, e.data, lang).length > 0 && (
                    <div className="mon-step-data" data-testid="event-data">
                      {stepDataLines(e.step, e.data, lang).map((x) => (
                        <div key={x.field} data-field={x.field}>
                          <span className="k">{x.label}{lang === 'zh' ? '：' : ': '}</span><span className="v">{x.value}</span>
                        </div>
                      ))}
                    </div>
                  )}
                </div>
              ),
            }))} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('mon.proc.facts')} data-testid="facts">
            <Typography.Text strong>{t('mon.proc.factsStart')}{lang === 'zh' ? `（${p.factsStart.takenOn}）` : ` (${p.factsStart.takenOn})`}</Typography.Text>
            <FactsView f={p.factsStart} />
            {p.snapshots.length > 0 && (() => {
              const s = p.snapshots.at(-1)!;
              return (<><Typography.Text strong style={{ display: 'block', marginTop: 12 }}>{t('mon.proc.factsAt', { step: l.step(p.kind, s.step), date: s.on })}</Typography.Text><FactsView f={s.facts} /></>);
            })()}
          </Card>
          <Card size="small" title={t('mon.proc.policy')} style={{ marginTop: 12 }} data-testid="policy-used">
            <Descriptions size="small" column={1} items={keys.map((k) => {
              const s = sources[k];
              const def = policyDefinition(k);
              const value = p.policy.values[k]!;
              return {
                key: k,
                label: def ? def[lang] : k,
                children: (
                  <span data-testid={`policy-${k}`}>
                    {def ? fmtValue(def, value, lang, t) : value}
                    <Typography.Text type="secondary">{lang === 'zh' ? '（' : ' ('}{s?.id == null ? t('mon.proc.source.default') : t('mon.proc.source.row', { region: s.regionCode ?? '', year: s.year ?? '', id: s.id })}{lang === 'zh' ? '）' : ')'}</Typography.Text>
                  </span>
                ),
              };
            })} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
