// 状态历史：一个年度的户状态
import { useMemo } from 'react';
import { Alert, Col, Divider, Form, Row, Select } from 'antd';
import { validateYearStatus, type HouseholdDetail, type HouseholdStatusCode } from '@tuopin/domain';
import { api, call } from '../../../api/client';
import { keys } from '../../../api/queries';
import { useI18n } from '../../../i18n';
import { useHhText } from '../messages';
import { blank, byField, statusValuesOf, thisYear, today, WITH_EXIT, yearOptions, yearStatusOf, type Values } from './model';
import { useRecordForm } from './useRecordForm';
import { FormDrawer, FormError, MonitoringReadOnly, ReasonField, StatusFields } from './widgets';

export function StatusFormDrawer({ open, household, year: initialYear, onClose, onSaved }: {
  open: boolean; household: HouseholdDetail; year: number | null; onClose: () => void; onSaved: (d: HouseholdDetail) => void;
}) {
  const t = useHhText();
  const { lang, serverText } = useI18n();
  const adding = initialYear === null;
  const start = useMemo(() => {
    const year = initialYear ?? thisYear();
    return { year, ...statusValuesOf(household, year) };
  }, [household, initialYear]);

  const check = (vals: Values) => {
    const ref = { referenceDate: today() };
    const y = Number(vals.year ?? start.year);
    const st = household.statuses.find((s) => s.year === y);
    const base = st ? validateYearStatus(yearStatusOf(statusValuesOf(household, y), y, st), ref) : [];
    return byField(validateYearStatus(yearStatusOf(vals, y, st), ref), base, '', t('form.existing'), serverText, new Set());
  };
  const f = useRecordForm<HouseholdDetail>({
    open, initial: start, check, invalidates: [keys.householdChange],
    save: async (v) => {
      const y = Number(v.year);
      const saved = await call(api.statusUpsert, {
        params: { countyCode: household.countyCode, id: household.id, year: y },
        body: { status: String(v.status) as HouseholdStatusCode, exitYear: (blank(v.exitYear) as number | null) ?? null, reason: String(v.reason).trim() },
      });
      return { saved, notice: t('status.saved', { year: y }) };
    },
    onSaved: (saved) => onSaved(saved),
  });
  const { form, values, problems } = f;

  const year = Number(values.year ?? start.year);
  const stored = household.statuses.find((s) => s.year === year);
  const householdExit = typeof household.fields.exitYear === 'number' ? household.fields.exitYear : null;
  return (
    <FormDrawer
      open={open}
      title={adding ? t('status.newTitle') : t('status.editTitle', { year })}
      onClose={onClose}
      onSave={f.submit}
      saving={f.saving}
      testId="status-form"
    >
      <FormError error={f.error} />
      <Form
        form={form}
        layout="vertical"
        onValuesChange={(changed: Values) => {
          if ('year' in changed) form.setFieldsValue(statusValuesOf(household, Number(changed.year)));
          // an exited or returned household: start from the household's exit year
          if ('status' in changed && WITH_EXIT.includes(String(changed.status)) && blank(form.getFieldValue('exitYear')) === null && householdExit !== null) {
            form.setFieldValue('exitYear', householdExit);
          }
          f.changed(changed);
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
