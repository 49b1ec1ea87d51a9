/** The widgets of the registry forms: code selects, fields with their problems, the member and household field sets, the drawer frame. */
import type { ReactNode } from 'react';
import { Alert, Button, Col, DatePicker, Descriptions, Divider, Drawer, Form, Input, InputNumber, Radio, Row, Select, Space, Switch, Typography } from 'antd';
import type { FormInstance } from 'antd';
import {
  DIBAO_TYPES, DISABILITY_CATEGORIES, DISABILITY_GRADES, DROPOUT_REASONS, EDUCATION_LEVELS, ETHNICITIES, FUELS, HEALTH_CONDITIONS,
  HOUSEHOLD_ATTRIBUTES, HOUSEHOLD_STATUSES, HOUSING_RATINGS, ID_TYPES, label, LABOUR_SKILLS, MEDICAL_INSURANCES, MONITORED_TYPES,
  POVERTY_CAUSES, RELATIONS, RISK_TYPES, ROAD_TYPES, SCHOOL_STATUSES, SEXES, TEKUN_TYPES, WATER_PROBLEMS, WORK_PLACES, type CodeTable,
} from '@tuopin/domain';
import { useI18n } from '../../../i18n';
import { useIsMobile } from '../../../utils/hooks';
import { fieldLabel, useHhText } from '../messages';
import { LAND_KEYS, WITH_EXIT, type DetailStatus, type Problems } from './model';

export function useCodeOptions() {
  const { lang } = useI18n();
  return (table: CodeTable) => table.map((e) => ({ value: e.code, label: label(table, e.code, lang) ?? e.code }));
}

export function CodeSelect({ table, multiple, testId, ...rest }: { table: CodeTable; multiple?: boolean; testId?: string; value?: unknown; onChange?: (v: unknown) => void; disabled?: boolean }) {
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

export function YesNo({ value, onChange, testId }: { value?: boolean | null; onChange?: (v: boolean) => void; testId?: string }) {
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
export function Field({
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

export const half = { xs: 24, sm: 12 } as const;
export const third = { xs: 24, sm: 8 } as const;

export function ReasonField({ isNew }: { isNew?: boolean }) {
  const t = useHhText();
  return (
    <Form.Item name="reason" label={isNew ? t('form.reasonNew') : t('form.reason')} rules={[{ required: true, whitespace: true, message: t('form.reasonRequired') }, { max: 500 }]}>
      <Input.TextArea rows={2} maxLength={500} placeholder={t('form.reasonPlaceholder')} data-testid="form-reason" />
    </Form.Item>
  );
}

/** The member fields; `prefix` nests them ('head.' in the new-household form). */
export function MemberFields({ form, problems, prefix = '', masked }: { form: FormInstance; problems: Problems; prefix?: string; masked?: { idNumber?: string; phone?: string } }) {
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
export function HouseholdFields({ problems }: { problems: Problems }) {
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
export function FormDrawer({ open, title, onClose, onSave, saving, children, testId }: {
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

/** 户状态 and 脱贫年度 of a status form (the create-household form nests them under `status.`). */
export function StatusFields({ problems, prefix = '' }: { problems: Problems; prefix?: string }) {
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
export function MonitoringReadOnly({ stored }: { stored: DetailStatus | undefined }) {
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

/** The form's error above its fields (the count of problems to fix, or the server's refusal). */
export function FormError({ error }: { error: string | null }) {
  return error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="form-error" /> : null;
}

