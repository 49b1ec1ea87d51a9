/**
 * The registry forms: new household (with its head and the status of the current year), household fields, new member,
 * member fields, member move, the income record of a year (with the per-capita net income computed live by the domain's
 * perCapitaNetIncome and explained by explainIncome), the status of a year (the monitoring fields read-only).
 * Every change runs the domain's validation (validateHousehold / validateMember) in the browser as the user types
 * and shows each problem at its field, in Chinese; the server validates again and its refusals are put at the
 * fields too. As on the server, only errors a change introduces block it: problems the record already had are shown
 * as warnings.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Alert, App, Button, Col, DatePicker, Descriptions, Divider, Drawer, Form, Input, InputNumber, Modal, Radio, Row, Select, Space, Switch, Typography } from 'antd';
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import {
  DIBAO_TYPES, DISABILITY_CATEGORIES, DISABILITY_GRADES, DROPOUT_REASONS, EDUCATION_LEVELS, ETHNICITIES, explainIncome, formatYuan, FUELS,
  HEALTH_CONDITIONS, HOUSEHOLD_ATTRIBUTES, HOUSEHOLD_STATUSES, HOUSING_RATINGS, ID_TYPES, INCOME_GROUPS, INCOME_ITEMS, incomeTotals, LABOUR_SKILLS,
  label, MEDICAL_INSURANCES, MEMBER_MOVE_IN_KINDS, MEMBER_MOVE_LABELS, MEMBER_MOVE_OUT_KINDS, MONITORED_TYPES, parseIdNumber, perCapitaNetIncome,
  POVERTY_CAUSES, REGISTRY_FIRST_YEAR, RELATIONS, RISK_TYPES, ROAD_TYPES, SCHOOL_STATUSES, SEXES, TEKUN_TYPES, validateHousehold, validateIncome,
  validateMember, validateYearStatus, WATER_PROBLEMS, WORK_PLACES, type CodeTable, type Household, type HouseholdDetail, type HouseholdListItem,
  type IncomeRecord, type IncomeValues, type Member, type ValidationProblem, type YearStatus,
} from '@tuopin/domain';
import { api, call, isApiError } from '../../api/client';
import { useI18n } from '../../i18n';
import { RegionPicker } from '../../components/RegionPicker';
import { useIsMobile } from '../../utils/hooks';
import { fieldLabel, useHhText } from './messages';
import { afterChinaToday, chinaToday, currentYearInChina, todayInChina } from '../../utils/chinaDate';

type DetailMember = HouseholdDetail['members'][number];
type Values = Record<string, unknown>;
type Problems = Record<string, { errors: string[]; warnings: string[] }>;

/** Today in China (the product's calendar, whatever the browser's zone). */
const today = todayInChina;
const LAND_KEYS = ['cultivated', 'forest', 'returnedForest', 'orchard', 'pasture', 'waterSurface'] as const;
const MEMBER_FIELDS = [
  'idType', 'idNumber', 'name', 'relation', 'sex', 'birthDate', 'ethnicity', 'education', 'schoolStatus', 'dropoutReason', 'health',
  'disabilityCategory', 'disabilityGrade', 'labour', 'workMonths', 'workPlace', 'employer', 'publicWelfareMonths', 'monthlyWorkIncome',
  'medicalInsurance', 'criticalIllnessInsurance', 'commercialMedicalInsurance', 'pensionInsurance', 'medicalAid', 'dibao', 'tekun', 'phone',
] as const;
const HOUSEHOLD_FIELDS = [
  'address', 'phone', 'attribute', 'isMilitaryFamily', 'identifiedYear', 'exitYear', 'mainCause', 'otherCauses', 'housingRating', 'housingArea',
  'relocated', 'relocationKeysReceived', 'safeWater', 'waterProblem', 'roadType', 'roadDistanceKm', 'electricity', 'sanitaryToilet', 'fuel',
  'dibao', 'tekun', 'wholeNoLabour',
] as const;

/** A masked value as the server sends it to roles that may not see it (211204********1234, 138****5678). */
const isMasked = (v: unknown) => typeof v === 'string' && v.includes('*');

// ------------------------------------------------------------------------------------------
// Values ↔ domain objects

const blank = (v: unknown) => (v === undefined || v === '' ? null : typeof v === 'string' ? v.trim() || null : v);
const dateText = (v: unknown) => (dayjs.isDayjs(v) ? (v as Dayjs).format('YYYY-MM-DD') : typeof v === 'string' && v ? v : null);

function memberOf(v: Values): Partial<Member> {
  const m: Record<string, unknown> = {};
  for (const k of MEMBER_FIELDS) m[k] = k === 'birthDate' ? dateText(v[k]) : k === 'health' ? (v[k] ?? []) : blank(v[k]);
  for (const k of ['criticalIllnessInsurance', 'commercialMedicalInsurance', 'pensionInsurance', 'medicalAid']) m[k] = Boolean(v[k]);
  if (typeof m.idNumber === 'string') m.idNumber = m.idNumber.toUpperCase();
  return m as Partial<Member>;
}

function memberValues(m: DetailMember | null): Values {
  if (!m) {
    return { idType: 'resident_id', ethnicity: '01', health: ['healthy'], medicalInsurance: 'resident', dibao: 'none', tekun: 'none' };
  }
  const v: Values = {};
  for (const k of MEMBER_FIELDS) v[k] = (m as unknown as Values)[k] ?? null;
  v.birthDate = m.birthDate ? dayjs(m.birthDate) : null;
  // a masked number cannot be edited as it stands: the box starts empty ("leave empty to keep")
  if (isMasked(m.idNumber)) v.idNumber = '';
  if (isMasked(m.phone)) v.phone = '';
  return v;
}

function householdOf(v: Values, base: { householdNo: string; villageCode: string }): Partial<Household> {
  const h: Record<string, unknown> = { householdNo: base.householdNo, villageCode: base.villageCode, countyCode: base.villageCode.slice(0, 6) };
  for (const k of HOUSEHOLD_FIELDS) h[k] = k === 'otherCauses' ? (v[k] ?? []) : blank(v[k]);
  const land = (v.land ?? {}) as Values;
  h.land = Object.fromEntries(LAND_KEYS.map((k) => [k, blank(land[k])]));
  return h as Partial<Household>;
}

function householdValues(d: HouseholdDetail | null): Values {
  if (!d) {
    return {
      attribute: 'none', dibao: 'none', tekun: 'none', otherCauses: [], land: {}, head: { ...memberValues(null), relation: 'head' },
      status: { status: 'ordinary', exitYear: null },
    };
  }
  const f = d.fields;
  const v: Values = {};
  for (const k of HOUSEHOLD_FIELDS) v[k] = f[k] ?? null;
  if (isMasked(v.phone)) v.phone = '';
  v.land = Object.fromEntries(LAND_KEYS.map((k) => [k, f[`land${k[0]!.toUpperCase()}${k.slice(1)}`] ?? null]));
  return v;
}

/**
 * Problems by form field ('land.cultivated', 'head.idNumber'); errors the record already had become warnings.
 * `hide` leaves out problems not to be shown yet (an empty required field of a new record nobody has touched).
 */
function byField(
  list: ValidationProblem[], before: ValidationProblem[], prefix: string, note: string, localize: (s: string) => string, skip: Set<string>,
  hide: (key: string, check: string) => boolean = () => false,
): Problems {
  const old = new Set(before.filter((p) => p.severity === 'error').map((p) => `${p.field}|${p.check}|${p.message}`));
  const out: Problems = {};
  for (const p of list) {
    const key = prefix + p.field.replace(/\.\d+$/, '');
    if (skip.has(key) || hide(key, p.check)) continue;
    const slot = (out[key] ??= { errors: [], warnings: [] });
    if (p.severity === 'error' && !old.has(`${p.field}|${p.check}|${p.message}`)) slot.errors.push(localize(p.message));
    else slot.warnings.push(localize(p.message) + (p.severity === 'error' ? note : ''));
  }
  return out;
}

const merge = (...all: Problems[]): Problems => {
  const out: Problems = {};
  for (const p of all) for (const [k, v] of Object.entries(p)) {
    const slot = (out[k] ??= { errors: [], warnings: [] });
    slot.errors.push(...v.errors);
    slot.warnings.push(...v.warnings);
  }
  return out;
};

const errorCount = (p: Problems) => Object.values(p).reduce((n, s) => n + s.errors.length, 0);

/** The field paths of a changed-values object ({ head: { idNumber } } → head.idNumber). */
function pathsOf(changed: Values, prefix = ''): string[] {
  return Object.entries(changed).flatMap(([k, v]) =>
    v && typeof v === 'object' && !Array.isArray(v) && !dayjs.isDayjs(v) ? pathsOf(v as Values, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

/**
 * Which fields of a new record were touched, and whether saving was tried: until then an empty required field
 * nobody has touched is not shown as an error (every other problem is, as the user types).
 */
function useTouched(open: boolean) {
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [tried, setTried] = useState(false);
  useEffect(() => {
    if (!open) return;
    setTouched(new Set());
    setTried(false);
  }, [open]);
  return {
    touch: (changed: Values) => setTouched((old) => new Set([...old, ...pathsOf(changed)])),
    tried: () => setTried(true),
    hide: (key: string, check: string) => !tried && check === 'required' && !touched.has(key),
  };
}

/** Server refusals (details with body.changes.x, body.member.x, body.household.x, body.head.x, body.date …) by form field. */
function serverProblems(e: unknown, localize: (s: string) => string): Problems {
  if (!isApiError(e)) return {};
  const out: Problems = {};
  for (const d of e.details) {
    const key = d.field.replace(/^\/?(body|params)[./]/, '').replace(/^(changes|member|household|items)\./, '').replace(/\.\d+$/, '');
    (out[key] ??= { errors: [], warnings: [] }).errors.push(localize(d.message));
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// Widgets

function useCodeOptions() {
  const { lang } = useI18n();
  return (table: CodeTable) => table.map((e) => ({ value: e.code, label: label(table, e.code, lang) ?? e.code }));
}

function CodeSelect({ table, multiple, testId, ...rest }: { table: CodeTable; multiple?: boolean; testId?: string; value?: unknown; onChange?: (v: unknown) => void; disabled?: boolean }) {
  const options = useCodeOptions();
  return (
    <Select
      {...rest}
      value={rest.value ?? undefined}
      onChange={(v) => rest.onChange?.(v ?? null)}
      mode={multiple ? 'multiple' : undefined}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      options={options(table)}
      popupMatchSelectWidth={false}
      data-testid={testId}
    />
  );
}

function YesNo({ value, onChange, testId }: { value?: boolean | null; onChange?: (v: boolean) => void; testId?: string }) {
  const t = useHhText();
  return (
    <Radio.Group
      optionType="button"
      value={value ?? undefined}
      onChange={(e) => onChange?.(e.target.value as boolean)}
      options={[
        { value: true, label: t('form.yes') },
        { value: false, label: t('form.no') },
      ]}
      data-testid={testId}
    />
  );
}

/** One form field: its label, and the domain's or the server's problems at it. */
function Field({
  name, entity, problems, children, extra, prefix = '', label: text, valuePropName,
}: {
  name: string; entity: 'household' | 'member'; problems: Problems; children: ReactNode; extra?: ReactNode; prefix?: string; label?: string; valuePropName?: string;
}) {
  const { lang } = useI18n();
  const key = prefix + name;
  const p = problems[key];
  const help = p && (p.errors.length > 0 || p.warnings.length > 0) ? (
    <div data-testid={`field-help-${key}`}>
      {[...p.errors, ...p.warnings].map((m, i) => (
        <div key={i}>{m}</div>
      ))}
    </div>
  ) : undefined;
  const path = [...(prefix ? [prefix.replace(/\.$/, '')] : []), ...name.split('.')];
  return (
    <Form.Item
      name={path}
      label={text ?? fieldLabel(entity, name, lang)}
      validateStatus={p?.errors.length ? 'error' : p?.warnings.length ? 'warning' : undefined}
      help={help}
      extra={extra}
      valuePropName={valuePropName}
      data-testid={`field-${key}`}
    >
      {children}
    </Form.Item>
  );
}

const half = { xs: 24, sm: 12 } as const;
const third = { xs: 24, sm: 8 } as const;

function ReasonField({ isNew }: { isNew?: boolean }) {
  const t = useHhText();
  return (
    <Form.Item name="reason" label={isNew ? t('form.reasonNew') : t('form.reason')} rules={[{ required: true, whitespace: true, message: t('form.reasonRequired') }, { max: 500 }]}>
      <Input.TextArea rows={2} maxLength={500} placeholder={t('form.reasonPlaceholder')} data-testid="form-reason" />
    </Form.Item>
  );
}

/** The member fields; `prefix` nests them ('head.' in the new-household form). */
function MemberFields({ form, problems, prefix = '', masked }: { form: FormInstance; problems: Problems; prefix?: string; masked?: { idNumber?: string; phone?: string } }) {
  const t = useHhText();
  const path = (k: string) => (prefix ? [prefix.replace(/\.$/, ''), k] : [k]);
  const health = Form.useWatch(path('health'), form) as string[] | undefined;
  const disabled = Array.isArray(health) && health.includes('disabled');
  const f = (name: string, child: ReactNode, span: object = half, extra?: ReactNode, valuePropName?: string) => (
    <Col {...span}>
      <Field name={name} entity="member" problems={problems} prefix={prefix} extra={extra} valuePropName={valuePropName}>
        {child}
      </Field>
    </Col>
  );
  const keep = (v?: string) => (v ? t('form.keepMasked', { value: v }) : undefined);
  return (
    <>
      <Divider titlePlacement="start" plain>{t('member.section.identity')}</Divider>
      <Row gutter={12}>
        {f('name', <Input maxLength={30} data-testid="member-name" />)}
        {f('relation', <CodeSelect table={RELATIONS} testId="member-relation" disabled={prefix === 'head.'} />)}
        {f('idType', <CodeSelect table={ID_TYPES} testId="member-idType" />)}
        {f('idNumber', <Input maxLength={22} placeholder={masked?.idNumber} autoComplete="off" className="tp-mono" data-testid="member-idNumber" />, half, keep(masked?.idNumber))}
        {f('sex', <CodeSelect table={SEXES} testId="member-sex" />)}
        {f('birthDate', <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" data-testid="member-birthDate" />)}
        {f('ethnicity', <CodeSelect table={ETHNICITIES} testId="member-ethnicity" />)}
        {f('phone', <Input maxLength={20} inputMode="tel" placeholder={masked?.phone} data-testid="member-phone" />, half, keep(masked?.phone))}
      </Row>
      <Divider titlePlacement="start" plain>{t('member.section.education')}</Divider>
      <Row gutter={12}>
        {f('education', <CodeSelect table={EDUCATION_LEVELS} testId="member-education" />, third)}
        {f('schoolStatus', <CodeSelect table={SCHOOL_STATUSES} testId="member-schoolStatus" />, third)}
        {f('dropoutReason', <CodeSelect table={DROPOUT_REASONS} testId="member-dropoutReason" />, third)}
      </Row>
      <Divider titlePlacement="start" plain>{t('member.section.health')}</Divider>
      <Row gutter={12}>
        {f('health', <CodeSelect table={HEALTH_CONDITIONS} multiple testId="member-health" />)}
        {f('labour', <CodeSelect table={LABOUR_SKILLS} testId="member-labour" />)}
        {(disabled || problems[`${prefix}disabilityCategory`]) && f('disabilityCategory', <CodeSelect table={DISABILITY_CATEGORIES} testId="member-disabilityCategory" />)}
        {(disabled || problems[`${prefix}disabilityGrade`]) && f('disabilityGrade', <CodeSelect table={DISABILITY_GRADES} testId="member-disabilityGrade" />)}
      </Row>
      <Divider titlePlacement="start" plain>{t('member.section.work')}</Divider>
      <Row gutter={12}>
        {f('workMonths', <InputNumber<number> min={0} max={12} precision={0} style={{ width: '100%' }} data-testid="member-workMonths" />, third)}
        {f('workPlace', <CodeSelect table={WORK_PLACES} testId="member-workPlace" />, third)}
        {f('employer', <Input maxLength={100} data-testid="member-employer" />, third)}
        {f('publicWelfareMonths', <InputNumber<number> min={0} max={12} precision={0} style={{ width: '100%' }} />, half)}
        {f('monthlyWorkIncome', <InputNumber<number> min={0} precision={2} style={{ width: '100%' }} />, half)}
      </Row>
      <Divider titlePlacement="start" plain>{t('member.section.security')}</Divider>
      <Row gutter={12}>
        {f('medicalInsurance', <CodeSelect table={MEDICAL_INSURANCES} testId="member-medicalInsurance" />)}
        {f('dibao', <CodeSelect table={DIBAO_TYPES} />, { xs: 12, sm: 6 })}
        {f('tekun', <CodeSelect table={TEKUN_TYPES} />, { xs: 12, sm: 6 })}
        {f('criticalIllnessInsurance', <Switch />, { xs: 12, sm: 6 }, undefined, 'checked')}
        {f('commercialMedicalInsurance', <Switch />, { xs: 12, sm: 6 }, undefined, 'checked')}
        {f('pensionInsurance', <Switch />, { xs: 12, sm: 6 }, undefined, 'checked')}
        {f('medicalAid', <Switch />, { xs: 12, sm: 6 }, undefined, 'checked')}
      </Row>
    </>
  );
}

/** The household fields (without number and village). */
function HouseholdFields({ problems }: { problems: Problems }) {
  const t = useHhText();
  const f = (name: string, child: ReactNode, span: object = half) => (
    <Col {...span}>
      <Field name={name} entity="household" problems={problems}>
        {child}
      </Field>
    </Col>
  );
  const area = (k: string) => f(`land.${k}`, <InputNumber<number> min={0} precision={2} style={{ width: '100%' }} data-testid={`household-land-${k}`} />, third);
  return (
    <>
      <Row gutter={12}>
        {f('attribute', <CodeSelect table={HOUSEHOLD_ATTRIBUTES} testId="household-attribute" />)}
        {f('mainCause', <CodeSelect table={POVERTY_CAUSES} testId="household-mainCause" />)}
        {f('otherCauses', <CodeSelect table={POVERTY_CAUSES} multiple testId="household-otherCauses" />)}
        {f('identifiedYear', <InputNumber<number> min={2013} max={2100} precision={0} style={{ width: '100%' }} data-testid="household-identifiedYear" />, { xs: 12, sm: 6 })}
        {f('exitYear', <InputNumber<number> min={2013} max={2100} precision={0} style={{ width: '100%' }} data-testid="household-exitYear" />, { xs: 12, sm: 6 })}
        {f('phone', <Input maxLength={20} inputMode="tel" data-testid="household-phone" />)}
        {f('isMilitaryFamily', <YesNo />)}
        {f('address', <Input maxLength={200} data-testid="household-address" />, { xs: 24 })}
      </Row>
      <Divider titlePlacement="start" plain>{t('hh.sectionLand')}</Divider>
      <Row gutter={12}>{LAND_KEYS.map(area)}</Row>
      <Divider titlePlacement="start" plain>{t('hh.sectionLiving')}</Divider>
      <Row gutter={12}>
        {f('housingRating', <CodeSelect table={HOUSING_RATINGS} testId="household-housingRating" />, third)}
        {f('housingArea', <InputNumber<number> min={0} precision={2} style={{ width: '100%' }} />, third)}
        {f('relocated', <YesNo />, third)}
        {f('relocationKeysReceived', <YesNo />, third)}
        {f('safeWater', <YesNo testId="household-safeWater" />, third)}
        {f('waterProblem', <CodeSelect table={WATER_PROBLEMS} testId="household-waterProblem" />, third)}
        {f('roadType', <CodeSelect table={ROAD_TYPES} />, third)}
        {f('roadDistanceKm', <InputNumber<number> min={0} precision={2} style={{ width: '100%' }} />, third)}
        {f('fuel', <CodeSelect table={FUELS} />, third)}
        {f('electricity', <YesNo />, third)}
        {f('sanitaryToilet', <YesNo />, third)}
      </Row>
      <Divider titlePlacement="start" plain>{t('hh.sectionSecurity')}</Divider>
      <Row gutter={12}>
        {f('dibao', <CodeSelect table={DIBAO_TYPES} />, third)}
        {f('tekun', <CodeSelect table={TEKUN_TYPES} />, third)}
        {f('wholeNoLabour', <YesNo />, third)}
      </Row>
    </>
  );
}

/** Shared drawer frame: a phone gets the whole width. */
function FormDrawer({ open, title, onClose, onSave, saving, children, testId }: {
  open: boolean; title: string; onClose: () => void; onSave: () => void; saving: boolean; children: ReactNode; testId: string;
}) {
  const t = useHhText();
  const isMobile = useIsMobile();
  return (
    <Drawer
      open={open}
      title={title}
      onClose={onClose}
      size={isMobile ? '100%' : 760}
      destroyOnHidden
      data-testid={testId}
      footer={
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('form.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={onSave} data-testid="form-save">
            {t('form.save')}
          </Button>
        </Space>
      }
    >
      {children}
    </Drawer>
  );
}

/** After an ID number is typed: birth date and sex follow from a valid resident ID (they must match it anyway). */
function fillFromId(form: FormInstance, prefix: string, value: unknown, notify: () => void) {
  if (typeof value !== 'string') return;
  const r = parseIdNumber(value.trim(), { referenceDate: today() });
  if (!r.ok) return;
  const at = (k: string) => (prefix ? [prefix.replace(/\.$/, ''), k] : [k]);
  const birth = form.getFieldValue(at('birthDate')) as Dayjs | null;
  const sex = form.getFieldValue(at('sex')) as string | null;
  if (birth && dayjs.isDayjs(birth) && birth.format('YYYY-MM-DD') === r.birthDate && sex === r.sex) return;
  form.setFieldValue(at('birthDate'), dayjs(r.birthDate));
  form.setFieldValue(at('sex'), r.sex);
  notify();
}

function useSubmitError() {
  const { errorText } = useI18n();
  const [error, setError] = useState<string | null>(null);
  return { error, setError, show: (e: unknown) => setError(errorText(e)) };
}

// ------------------------------------------------------------------------------------------
// 新增户 / 编辑户信息

export function HouseholdFormDrawer({ open, household, onClose, onSaved }: {
  open: boolean; household: HouseholdDetail | null; onClose: () => void; onSaved: (d: HouseholdDetail) => void;
}) {
  const t = useHhText();
  const { serverText } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [values, setValues] = useState<Values>({});
  const [server, setServer] = useState<Problems>({});
  const [saving, setSaving] = useState(false);
  const { error, setError, show } = useSubmitError();
  const creating = household === null;
  const initial = useMemo(() => householdValues(household), [household]);
  const touched = useTouched(open);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(initial);
    setValues(initial);
    setServer({});
    setError(null);
  }, [open, initial, form, setError]);

  /** The domain's problems of the typed values (all of them, or without those `hide` holds back). */
  const check = (vals: Values, hide?: (key: string, check: string) => boolean) => {
    const ref = { referenceDate: today() };
    const base = { householdNo: creating ? String(vals.householdNo ?? '').trim() : household.householdNo, villageCode: creating ? String(vals.villageCode ?? '') : household.village.code };
    const note = t('form.existing');
    const values = vals;
    const hh = byField(
      validateHousehold(householdOf(values, base), ref),
      creating ? [] : validateHousehold(householdOf(initial, base), ref),
      '', note, serverText, new Set(['countyCode']), hide,
    );
    if (!creating) return merge(hh, server);
    const head = memberOf((values.head ?? {}) as Values);
    const m = byField(validateMember(head, { ...ref, regionCode: base.villageCode || undefined }), [], 'head.', note, serverText, new Set(), hide);
    const st = byField(validateYearStatus(yearStatusOf((values.status ?? {}) as Values, thisYear(), undefined), ref), [], 'status.', note, serverText, new Set(['status.year']), hide);
    return merge(hh, m, st, server);
  };
  const problems = check(values, creating ? touched.hide : undefined);

  const save = async () => {
    touched.tried();
    const n = errorCount(check(form.getFieldsValue(true) as Values));
    const reasonOk = await form.validateFields(['reason']).then(() => true, () => false);
    if (!reasonOk && n === 0) return;
    if (n > 0) {
      setError(t('form.fixErrors', { n }));
      return;
    }
    const v = form.getFieldsValue(true) as Values;
    setSaving(true);
    setError(null);
    try {
      let saved: HouseholdDetail;
      if (creating) {
        const h = householdOf(v, { householdNo: String(v.householdNo ?? '').trim(), villageCode: String(v.villageCode ?? '') });
        const body: Values = { householdNo: h.householdNo, villageCode: h.villageCode };
        for (const k of HOUSEHOLD_FIELDS) if (h[k] !== null && !(Array.isArray(h[k]) && (h[k] as unknown[]).length === 0)) body[k] = h[k];
        const land = Object.fromEntries(Object.entries(h.land ?? {}).filter(([, x]) => x !== null));
        if (Object.keys(land).length > 0) body.land = land;
        const head = Object.fromEntries(Object.entries(memberOf((v.head ?? {}) as Values)).filter(([, x]) => x !== null));
        const st = (v.status ?? {}) as Values;
        const status = { status: String(st.status ?? 'ordinary'), exitYear: (blank(st.exitYear) as number | null) ?? null };
        saved = await call(api.householdCreate, { body: { household: body, head: { ...head, relation: 'head' }, status, reason: String(v.reason).trim() } });
        message.success(t('hh.created', { no: saved.householdNo }));
      } else {
        const base = { householdNo: household.householdNo, villageCode: household.village.code };
        const before = householdOf(initial, base) as Values;
        const after = householdOf(v, base) as Values;
        const changes: Values = {};
        for (const k of HOUSEHOLD_FIELDS) {
          if (k === 'phone' && isMasked(household.fields.phone) && after[k] === null) continue;
          if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) changes[k] = after[k];
        }
        const land: Values = {};
        for (const k of LAND_KEYS) {
          const b = (before.land as Values)[k];
          const a = (after.land as Values)[k];
          if (b !== a) land[k] = a;
        }
        if (Object.keys(land).length > 0) changes.land = land;
        if (Object.keys(changes).length === 0) {
          message.info(t('hh.noChanges'));
          setSaving(false);
          return;
        }
        saved = await call(api.householdUpdate, {
          params: { countyCode: household.countyCode, id: household.id },
          body: { changes, reason: String(v.reason).trim() },
        });
        message.success(t('hh.saved'));
      }
      onSaved(saved);
    } catch (e) {
      const fromServer = serverProblems(e, serverText);
      setServer(fromServer);
      show(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <FormDrawer
      open={open}
      title={creating ? t('hh.newTitle') : t('hh.editTitle', { no: household.householdNo })}
      onClose={onClose}
      onSave={() => void save()}
      saving={saving}
      testId="household-form"
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="form-error" />}
      <Form
        form={form}
        layout="vertical"
        onValuesChange={(changed: Values, all: Values) => {
          setServer({});
          touched.touch(changed);
          const head = changed.head as Values | undefined;
          if (head && 'idNumber' in head) fillFromId(form, 'head.', head.idNumber, () => undefined);
          setValues({ ...(form.getFieldsValue(true) as Values), ...all });
        }}
      >
        {creating && (
          <>
            <Divider titlePlacement="start" plain>{t('hh.sectionBasic')}</Divider>
            <Row gutter={12}>
              <Col {...half}>
                <Field name="householdNo" entity="household" problems={problems}>
                  <Input maxLength={30} className="tp-mono" data-testid="household-householdNo" />
                </Field>
              </Col>
              <Col {...half}>
                <Field name="villageCode" entity="household" problems={problems}>
                  <RegionPicker allowedLevels={[5]} placeholder={t('hh.villagePlaceholder')} style={{ width: '100%' }} data-testid="household-form-village" />
                </Field>
              </Col>
            </Row>
            <Divider titlePlacement="start" plain>{t('hh.sectionStatus', { year: thisYear() })}</Divider>
            <StatusFields problems={problems} prefix="status." />
          </>
        )}
        <HouseholdFields problems={problems} />
        {creating && (
          <>
            <Divider titlePlacement="start">{t('hh.sectionHead')}</Divider>
            <MemberFields form={form} problems={problems} prefix="head." />
          </>
        )}
        <Divider />
        <ReasonField isNew={creating} />
      </Form>
    </FormDrawer>
  );
}

// ------------------------------------------------------------------------------------------
// 新增成员 / 编辑成员

export function MemberFormDrawer({ open, household, member, onClose, onSaved }: {
  open: boolean; household: HouseholdDetail; member: DetailMember | null; onClose: () => void; onSaved: (d: HouseholdDetail) => void;
}) {
  const t = useHhText();
  const { lang, serverText } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [values, setValues] = useState<Values>({});
  const [server, setServer] = useState<Problems>({});
  const [saving, setSaving] = useState(false);
  const { error, setError, show } = useSubmitError();
  const adding = member === null;
  const initial = useMemo(() => ({ ...memberValues(member), ...(adding ? { kind: 'birth', date: chinaToday() } : {}) }), [member, adding]);
  const touched = useTouched(open);
  const masked = useMemo(
    () => ({ idNumber: member && isMasked(member.idNumber) ? member.idNumber : undefined, phone: member && isMasked(member.phone) ? (member.phone ?? undefined) : undefined }),
    [member],
  );

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(initial);
    setValues(initial);
    setServer({});
    setError(null);
  }, [open, initial, form, setError]);

  /** What is validated: the typed values, with masked numbers that were left empty taken as unchanged. */
  const skip = useMemo(() => {
    const s = new Set<string>();
    if (masked.idNumber && !blank(values.idNumber)) s.add('idNumber').add('sex').add('birthDate');
    if (masked.phone && !blank(values.phone)) s.add('phone');
    return s;
  }, [masked, values.idNumber, values.phone]);

  /** The domain's problems of the typed values (all of them, or without those `hide` holds back). */
  const check = (vals: Values, hide?: (key: string, check: string) => boolean) => {
    const ref = { referenceDate: today(), regionCode: household.village.code };
    const base = adding ? [] : validateMember(memberOf(initial), ref);
    return merge(byField(validateMember(memberOf(vals), ref), base, '', t('form.existing'), serverText, skip, hide), server);
  };
  const problems = check(values, adding ? touched.hide : undefined);

  const save = async () => {
    touched.tried();
    const n = errorCount(check(form.getFieldsValue(true) as Values));
    const fieldsOk = await form.validateFields(['reason', ...(adding ? ['date'] : [])]).then(() => true, () => false);
    if (!fieldsOk && n === 0) return;
    if (n > 0) {
      setError(t('form.fixErrors', { n }));
      return;
    }
    const v = form.getFieldsValue(true) as Values;
    const reason = String(v.reason).trim();
    setSaving(true);
    setError(null);
    try {
      let saved: HouseholdDetail;
      const m = memberOf(v) as Values;
      if (adding) {
        const body = Object.fromEntries(Object.entries(m).filter(([, x]) => x !== null));
        saved = await call(api.memberAdd, {
          params: { countyCode: household.countyCode, id: household.id },
          body: { member: body, kind: v.kind as (typeof MEMBER_MOVE_IN_KINDS)[number], date: dateText(v.date) ?? today(), reason },
        });
        message.success(t('member.added', { name: String(m.name) }));
      } else {
        const before = memberOf(initial) as Values;
        const changes: Values = {};
        for (const k of MEMBER_FIELDS) {
          if ((k === 'idNumber' && masked.idNumber && m[k] === null) || (k === 'phone' && masked.phone && m[k] === null)) continue;
          if (JSON.stringify(before[k]) !== JSON.stringify(m[k])) changes[k] = m[k];
        }
        if (Object.keys(changes).length === 0) {
          message.info(t('hh.noChanges'));
          setSaving(false);
          return;
        }
        saved = await call(api.memberUpdate, {
          params: { countyCode: household.countyCode, id: household.id, memberId: member.id },
          body: { changes, reason },
        });
        message.success(t('hh.saved'));
      }
      onSaved(saved);
    } catch (e) {
      setServer(serverProblems(e, serverText));
      show(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <FormDrawer
      open={open}
      title={adding ? t('member.addTitle') : t('member.editTitle', { name: member.name })}
      onClose={onClose}
      onSave={() => void save()}
      saving={saving}
      testId="member-form"
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="form-error" />}
      <Form
        form={form}
        layout="vertical"
        onValuesChange={(changed: Values) => {
          setServer({});
          touched.touch(changed);
          if ('idNumber' in changed) fillFromId(form, '', changed.idNumber, () => message.info(t('member.idFromNumber'), 1.5));
          setValues({ ...(form.getFieldsValue(true) as Values) });
        }}
      >
        {adding && (
          <Row gutter={12}>
            <Col {...half}>
              <Form.Item name="kind" label={t('member.addKind')} rules={[{ required: true }]}>
                <Select
                  options={MEMBER_MOVE_IN_KINDS.map((k) => ({ value: k, label: MEMBER_MOVE_LABELS[k][lang] }))}
                  data-testid="member-kind"
                />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item
                name="date"
                label={t('member.addDate')}
                rules={[{ required: true }]}
                help={problems.date?.errors.join(' ')}
                validateStatus={problems.date?.errors.length ? 'error' : undefined}
              >
                <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" disabledDate={afterChinaToday} />
              </Form.Item>
            </Col>
          </Row>
        )}
        <MemberFields form={form} problems={problems} masked={masked} />
        <Divider />
        <ReasonField isNew={adding} />
      </Form>
    </FormDrawer>
  );
}

// ------------------------------------------------------------------------------------------
// 成员迁出

export function MoveMemberModal({ open, household, member, onClose, onSaved }: {
  open: boolean; household: HouseholdDetail; member: DetailMember | null; onClose: () => void; onSaved: (d: HouseholdDetail) => void;
}) {
  const t = useHhText();
  const { lang, serverText } = useI18n();
  const { message } = App.useApp();
  const isMobile = useIsMobile();
  const [form] = Form.useForm();
  const kind = Form.useWatch('kind', form) as string | undefined;
  const [saving, setSaving] = useState(false);
  const [server, setServer] = useState<Problems>({});
  const { error, setError, show } = useSubmitError();
  const [search, setSearch] = useState('');
  const [targets, setTargets] = useState<HouseholdListItem[]>([]);
  const options = useCodeOptions();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ kind: 'marriage_out', date: chinaToday() });
    setServer({});
    setError(null);
  }, [open, form, setError]);

  useEffect(() => {
    if (kind !== 'transfer' || !open) return;
    const ctl = new AbortController();
    const id = setTimeout(() => {
      call(api.householdList, { query: { q: search.trim() || undefined, limit: 20, withTotals: false }, signal: ctl.signal })
        .then((r) => setTargets(r.items.filter((h) => !(h.countyCode === household.countyCode && h.id === household.id))))
        .catch(() => undefined);
    }, 250);
    return () => {
      clearTimeout(id);
      ctl.abort();
    };
  }, [kind, search, open, household.countyCode, household.id]);

  if (!member) return null;

  const save = async () => {
    let v: Values;
    try {
      v = (await form.validateFields()) as Values;
    } catch {
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const [countyCode, householdId] = String(v.target ?? '').split(':');
      const saved = await call(api.memberMove, {
        params: { countyCode: household.countyCode, id: household.id, memberId: member.id },
        body: {
          kind: v.kind as (typeof MEMBER_MOVE_OUT_KINDS)[number],
          date: dateText(v.date) ?? today(),
          reason: String(v.reason).trim(),
          ...(v.kind === 'transfer' ? { target: { countyCode: countyCode!, householdId: Number(householdId), relation: String(v.relation) } } : {}),
        },
      });
      message.success(t('member.moved', { name: member.name }));
      onSaved(saved);
    } catch (e) {
      setServer(serverProblems(e, serverText));
      show(e);
    } finally {
      setSaving(false);
    }
  };

  const status = (k: string) => (server[k]?.errors.length ? { validateStatus: 'error' as const, help: server[k]!.errors.join(' ') } : {});
  return (
    <Modal
      open={open}
      title={t('member.moveTitle', { name: member.name })}
      onCancel={onClose}
      onOk={() => void save()}
      okText={t('form.save')}
      cancelText={t('form.cancel')}
      confirmLoading={saving}
      width={isMobile ? '100%' : 560}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'move-save' }}
      data-testid="member-move-modal"
    >
      <Typography.Paragraph type="secondary">{t('member.moveHint')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="form-error" />}
      <Form form={form} layout="vertical" onValuesChange={() => setServer({})}>
        <Form.Item name="kind" label={t('member.moveKind')} rules={[{ required: true }]}>
          <Select options={MEMBER_MOVE_OUT_KINDS.map((k) => ({ value: k, label: MEMBER_MOVE_LABELS[k][lang] }))} data-testid="move-kind" />
        </Form.Item>
        <Form.Item name="date" label={t('member.moveDate')} rules={[{ required: true }]} {...status('date')}>
          <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" disabledDate={afterChinaToday} data-testid="move-date" />
        </Form.Item>
        {kind === 'transfer' && (
          <>
            <Form.Item name="target" label={t('member.moveTarget')} rules={[{ required: true }]} {...status('target')}>
              <Select
                showSearch={{ filterOption: false, onSearch: setSearch }}
                placeholder={t('member.moveTargetPlaceholder')}
                options={targets.map((h) => ({ value: `${h.countyCode}:${h.id}`, label: `${h.householdNo} · ${h.headName ?? ''} · ${h.village.name}` }))}
                data-testid="move-target"
              />
            </Form.Item>
            <Form.Item name="relation" label={t('member.moveRelation')} rules={[{ required: true }]} {...status('target.relation')}>
              <Select options={options(RELATIONS).filter((o) => o.value !== 'head')} data-testid="move-relation" />
            </Form.Item>
          </>
        )}
        <Form.Item name="reason" label={t('form.reason')} rules={[{ required: true, whitespace: true, message: t('form.reasonRequired') }, { max: 500 }]} {...status('reason')}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('form.reasonPlaceholder')} data-testid="move-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// ------------------------------------------------------------------------------------------
// 收入情况：一个年度的收入记录

const thisYear = currentYearInChina;
/** Years a record may be set for (the domain accepts 2013 … next year), newest first. */
const yearOptions = () => Array.from({ length: thisYear() + 2 - REGISTRY_FIRST_YEAR }, (_, i) => thisYear() + 1 - i);

/** The typed income values as the domain's record (numbers, or null when empty). */
function incomeOf(v: Values, year: number): Partial<IncomeRecord> {
  const r: Record<string, unknown> = { year };
  for (const it of INCOME_ITEMS) r[it.key] = v[it.key] === undefined || v[it.key] === '' ? null : v[it.key];
  return r as Partial<IncomeRecord>;
}

function incomeValuesOf(d: HouseholdDetail, year: number): Values {
  const rec = d.incomes.find((i) => i.year === year);
  return Object.fromEntries(INCOME_ITEMS.map((it) => [it.key, rec?.items[it.key] ?? null]));
}

/** Members at the end of a year, as the server computes it for the income of that year. */
const sizeOfYear = (d: HouseholdDetail, year: number) =>
  d.yearSizes.find((y) => y.year === year)?.size ?? d.incomes.find((i) => i.year === year)?.size ?? d.members.filter((m) => m.active).length;

export function IncomeFormDrawer({ open, household, year: initialYear, onClose, onSaved }: {
  open: boolean; household: HouseholdDetail; year: number | null; onClose: () => void; onSaved: (d: HouseholdDetail, year: number) => void;
}) {
  const t = useHhText();
  const { t: tg, lang, serverText } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [values, setValues] = useState<Values>({});
  const [server, setServer] = useState<Problems>({});
  const [saving, setSaving] = useState(false);
  const { error, setError, show } = useSubmitError();
  const adding = initialYear === null;
  const start = useMemo(() => {
    const year = initialYear ?? thisYear() - 1;
    return { year, ...incomeValuesOf(household, year) };
  }, [household, initialYear]);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(start);
    setValues(start);
    setServer({});
    setError(null);
  }, [open, start, form, setError]);

  const year = Number(values.year ?? start.year);
  const existing = household.incomes.find((i) => i.year === year);
  const size = sizeOfYear(household, year);
  const check = (vals: Values) => {
    const ref = { referenceDate: today() };
    const y = Number(vals.year ?? start.year);
    const base = existing ? validateIncome(incomeOf(incomeValuesOf(household, y), y), ref) : [];
    return merge(byField(validateIncome(incomeOf(vals, y), ref), base, '', t('form.existing'), serverText, new Set()), server);
  };
  const problems = check(values);
  const errors = errorCount(problems);
  const record = incomeOf(values, year) as IncomeValues;
  const perCapita = errors === 0 ? perCapitaNetIncome(record, size) : null;
  const explanation = errors === 0 ? explainIncome(record, size, lang) : null;
  const net = errors === 0 ? incomeTotals(record).net : null;

  const save = async () => {
    const n = errorCount(check(form.getFieldsValue(true) as Values));
    const reasonOk = await form.validateFields(['reason']).then(() => true, () => false);
    if (!reasonOk && n === 0) return;
    if (n > 0) {
      setError(t('form.fixErrors', { n }));
      return;
    }
    const v = form.getFieldsValue(true) as Values;
    const y = Number(v.year);
    const rec = incomeOf(v, y) as Record<string, unknown>;
    const items = Object.fromEntries(INCOME_ITEMS.map((it) => [it.key, (rec[it.key] as number | null) ?? null]));
    setSaving(true);
    setError(null);
    try {
      const saved = await call(api.incomeUpsert, {
        params: { countyCode: household.countyCode, id: household.id, year: y },
        body: { items, reason: String(v.reason).trim() },
      });
      message.success(t('income.saved', { year: y }));
      onSaved(saved, y);
    } catch (e) {
      setServer(serverProblems(e, serverText));
      show(e);
    } finally {
      setSaving(false);
    }
  };

  const itemField = (it: (typeof INCOME_ITEMS)[number]) => {
    const p = problems[it.key];
    return (
      <Col key={it.key} xs={24} sm={12}>
        <Form.Item
          name={it.key}
          label={lang === 'zh' ? it.zh : it.en}
          validateStatus={p?.errors.length ? 'error' : p?.warnings.length ? 'warning' : undefined}
          help={
            p && (p.errors.length > 0 || p.warnings.length > 0) ? (
              <div data-testid={`field-help-${it.key}`}>
                {[...p.errors, ...p.warnings].map((m, i) => (
                  <div key={i}>{m}</div>
                ))}
              </div>
            ) : undefined
          }
          data-testid={`field-${it.key}`}
        >
          <InputNumber<number> style={{ width: '100%' }} suffix={tg('income.yuan')} inputMode="decimal" data-testid={`income-${it.key}`} />
        </Form.Item>
      </Col>
    );
  };

  return (
    <FormDrawer
      open={open}
      title={adding ? t('income.newTitle') : t('income.editTitle', { year })}
      onClose={onClose}
      onSave={() => void save()}
      saving={saving}
      testId="income-form"
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="form-error" />}
      <Form
        form={form}
        layout="vertical"
        onValuesChange={(changed: Values) => {
          setServer({});
          if ('year' in changed) {
            // another year: start from its record when there is one
            const y = Number(changed.year);
            form.setFieldsValue(incomeValuesOf(household, y));
          }
          setValues({ ...(form.getFieldsValue(true) as Values) });
        }}
      >
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="year"
              label={t('income.year')}
              extra={t('income.sizeOfYear', { year, n: size })}
              validateStatus={problems.year?.errors.length ? 'error' : undefined}
              help={problems.year?.errors.join(' ') || undefined}
            >
              <Select<number>
                disabled={!adding}
                options={yearOptions().map((y) => ({ value: y, label: lang === 'zh' ? `${y} 年` : String(y) }))}
                data-testid="income-year-select"
              />
            </Form.Item>
          </Col>
        </Row>
        {adding && existing && <Alert type="info" showIcon title={t('income.yearHasRecord', { year })} style={{ marginBottom: 12 }} />}
        <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
          {t('income.itemsHint')}
        </Typography.Paragraph>
        {INCOME_GROUPS.map((g) => (
          <div key={g.code}>
            <Divider titlePlacement="start" plain>
              {lang === 'zh' ? g.zh : g.en}
            </Divider>
            <Row gutter={12}>{INCOME_ITEMS.filter((it) => it.group === g.code).map(itemField)}</Row>
          </div>
        ))}
        <Divider titlePlacement="start" plain>
          {t('income.live')}
        </Divider>
        <div className="tp-hh-kpis" data-testid="income-form-result">
          <div>
            <Typography.Text type="secondary">{tg('income.perCapita')}</Typography.Text>
            <div style={{ fontSize: 22, fontWeight: 600 }} data-testid="income-form-per-capita">
              {perCapita !== null ? formatYuan(perCapita) : '—'}
            </div>
          </div>
          <div>
            <Typography.Text type="secondary">{tg('income.net')}</Typography.Text>
            <div style={{ fontSize: 22, fontWeight: 600 }}>{net !== null ? formatYuan(net) : '—'}</div>
          </div>
          <div>
            <Typography.Text type="secondary">{tg('household.size')}</Typography.Text>
            <div style={{ fontSize: 22, fontWeight: 600 }}>{tg('households.persons', { n: size })}</div>
          </div>
        </div>
        {explanation ? (
          <pre className="tp-hh-explain tp-mono" data-testid="income-form-explanation">
            {explanation.join('\n')}
          </pre>
        ) : (
          <Typography.Text type="secondary" data-testid="income-form-explanation">
            {t('income.fixFirst')}
          </Typography.Text>
        )}
        <Divider />
        <ReasonField />
      </Form>
    </FormDrawer>
  );
}

// ------------------------------------------------------------------------------------------
// 状态历史：一个年度的户状态

type DetailStatus = HouseholdDetail['statuses'][number];

/** The year's status as the domain's record: the typed status and exit year, the monitoring fields as stored. */
function yearStatusOf(v: Values, year: number, stored: DetailStatus | undefined): Partial<YearStatus> {
  return {
    year, status: (blank(v.status) ?? undefined) as YearStatus['status'] | undefined, exitYear: (blank(v.exitYear) as number | null) ?? null,
    monitored: stored?.monitored ?? false, monitoredType: (stored?.monitoredType ?? null) as YearStatus['monitoredType'],
    riskTypes: (stored?.riskTypes ?? []) as YearStatus['riskTypes'],
  };
}

const statusValuesOf = (d: HouseholdDetail, year: number): Values => {
  const s = d.statuses.find((x) => x.year === year);
  return { status: s?.status ?? 'ordinary', exitYear: s?.exitYear ?? null };
};

/** Statuses that carry an exit year. */
const WITH_EXIT = ['exited', 'returned'];

/** 户状态 and 脱贫年度 of a status form (the create-household form nests them under `status.`). */
function StatusFields({ problems, prefix = '' }: { problems: Problems; prefix?: string }) {
  const t = useHhText();
  const form = Form.useFormInstance();
  const path = (k: string) => (prefix ? [prefix.replace(/\.$/, ''), k] : [k]);
  const status = Form.useWatch(path('status'), form) as string | undefined;
  const showExit = WITH_EXIT.includes(status ?? '') || !!problems[`${prefix}exitYear`];
  const options = useCodeOptions();
  // four buttons do not fit a phone's width: a list there
  const isMobile = useIsMobile();
  return (
    <Row gutter={12}>
      <Col xs={24} sm={14}>
        <Field name="status" entity="household" problems={problems} prefix={prefix}>
          {isMobile ? (
            <Select options={options(HOUSEHOLD_STATUSES)} data-testid="status-status" />
          ) : (
            <Radio.Group optionType="button" options={options(HOUSEHOLD_STATUSES)} data-testid="status-status" />
          )}
        </Field>
      </Col>
      {showExit && (
        <Col xs={24} sm={10}>
          <Field name="exitYear" entity="household" problems={problems} prefix={prefix} extra={t('status.exitHint')}>
            <InputNumber<number> min={2013} max={2100} precision={0} style={{ width: '100%' }} data-testid="status-exitYear" />
          </Field>
        </Col>
      )}
    </Row>
  );
}

/** The monitoring fields of a year, read-only (set by the monitoring procedures). */
function MonitoringReadOnly({ stored }: { stored: DetailStatus | undefined }) {
  const t = useHhText();
  const { t: tg, lang } = useI18n();
  const risks = stored?.riskTypes ?? [];
  return (
    <div data-testid="status-monitoring">
      <Divider titlePlacement="start" plain>
        {t('status.monitoring')}
      </Divider>
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          { key: 'monitored', label: fieldLabel('household', 'monitored', lang), children: stored?.monitored ? tg('common.yes') : tg('common.no') },
          {
            key: 'type', label: fieldLabel('household', 'monitoredType', lang),
            children: stored?.monitoredType ? (label(MONITORED_TYPES, stored.monitoredType, lang) ?? stored.monitoredType) : '—',
          },
          {
            key: 'risks', label: fieldLabel('household', 'riskTypes', lang),
            children: risks.length > 0 ? risks.map((r) => label(RISK_TYPES, r, lang) ?? r).join('、') : '—',
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 13, marginTop: 8 }}>
        {t('status.monitoringNote')}
      </Typography.Paragraph>
    </div>
  );
}

export function StatusFormDrawer({ open, household, year: initialYear, onClose, onSaved }: {
  open: boolean; household: HouseholdDetail; year: number | null; onClose: () => void; onSaved: (d: HouseholdDetail) => void;
}) {
  const t = useHhText();
  const { lang, serverText } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [values, setValues] = useState<Values>({});
  const [server, setServer] = useState<Problems>({});
  const [saving, setSaving] = useState(false);
  const { error, setError, show } = useSubmitError();
  const adding = initialYear === null;
  const start = useMemo(() => {
    const year = initialYear ?? thisYear();
    return { year, ...statusValuesOf(household, year) };
  }, [household, initialYear]);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(start);
    setValues(start);
    setServer({});
    setError(null);
  }, [open, start, form, setError]);

  const year = Number(values.year ?? start.year);
  const stored = household.statuses.find((s) => s.year === year);
  const check = (vals: Values) => {
    const ref = { referenceDate: today() };
    const y = Number(vals.year ?? start.year);
    const st = household.statuses.find((s) => s.year === y);
    const base = st ? validateYearStatus(yearStatusOf(statusValuesOf(household, y), y, st), ref) : [];
    return merge(byField(validateYearStatus(yearStatusOf(vals, y, st), ref), base, '', t('form.existing'), serverText, new Set()), server);
  };
  const problems = check(values);

  const save = async () => {
    const n = errorCount(check(form.getFieldsValue(true) as Values));
    const reasonOk = await form.validateFields(['reason']).then(() => true, () => false);
    if (!reasonOk && n === 0) return;
    if (n > 0) {
      setError(t('form.fixErrors', { n }));
      return;
    }
    const v = form.getFieldsValue(true) as Values;
    const y = Number(v.year);
    setSaving(true);
    setError(null);
    try {
      const saved = await call(api.statusUpsert, {
        params: { countyCode: household.countyCode, id: household.id, year: y },
        body: { status: String(v.status), exitYear: (blank(v.exitYear) as number | null) ?? null, reason: String(v.reason).trim() },
      });
      message.success(t('status.saved', { year: y }));
      onSaved(saved);
    } catch (e) {
      setServer(serverProblems(e, serverText));
      show(e);
    } finally {
      setSaving(false);
    }
  };

  const householdExit = typeof household.fields.exitYear === 'number' ? household.fields.exitYear : null;
  return (
    <FormDrawer
      open={open}
      title={adding ? t('status.newTitle') : t('status.editTitle', { year })}
      onClose={onClose}
      onSave={() => void save()}
      saving={saving}
      testId="status-form"
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="form-error" />}
      <Form
        form={form}
        layout="vertical"
        onValuesChange={(changed: Values) => {
          setServer({});
          if ('year' in changed) form.setFieldsValue(statusValuesOf(household, Number(changed.year)));
          // an exited or returned household: start from the household's exit year
          if ('status' in changed && WITH_EXIT.includes(String(changed.status)) && blank(form.getFieldValue('exitYear')) === null && householdExit !== null) {
            form.setFieldValue('exitYear', householdExit);
          }
          setValues({ ...(form.getFieldsValue(true) as Values) });
        }}
      >
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="year" label={t('income.year')} validateStatus={problems.year?.errors.length ? 'error' : undefined} help={problems.year?.errors.join(' ') || undefined}>
              <Select<number>
                disabled={!adding}
                options={yearOptions().map((y) => ({ value: y, label: lang === 'zh' ? `${y} 年` : String(y) }))}
                data-testid="status-year-select"
              />
            </Form.Item>
          </Col>
        </Row>
        {adding && stored && <Alert type="info" showIcon title={t('status.yearHasRecord', { year })} style={{ marginBottom: 12 }} />}
        <StatusFields problems={problems} />
        <MonitoringReadOnly stored={stored} />
        <Divider />
        <ReasonField />
      </Form>
    </FormDrawer>
  );
}
