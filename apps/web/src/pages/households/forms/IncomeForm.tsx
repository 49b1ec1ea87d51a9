// 收入情况：一个年度的收入记录
import { useMemo } from 'react';
import { Alert, Col, Divider, Form, InputNumber, Row, Select, Typography } from 'antd';
import { explainIncome, formatYuan, INCOME_GROUPS, INCOME_ITEMS, incomeTotals, perCapitaNetIncome, validateIncome, type HouseholdDetail, type IncomeValues } from '@tuopin/domain';
import { api, call } from '../../../api/client';
import { keys } from '../../../api/queries';
import { useI18n } from '../../../i18n';
import { useHhText } from '../messages';
import { byField, errorCount, incomeOf, incomeValuesOf, sizeOfYear, thisYear, today, yearOptions, type Values } from './model';
import { useRecordForm } from './useRecordForm';
import { FormDrawer, FormError, ReasonField } from './widgets';

export function IncomeFormDrawer({ open, household, year: initialYear, onClose, onSaved }: {
  open: boolean; household: HouseholdDetail; year: number | null; onClose: () => void; onSaved: (d: HouseholdDetail, year: number) => void;
}) {
  const t = useHhText();
  const { t: tg, lang, serverText } = useI18n();
  const adding = initialYear === null;
  const start = useMemo(() => {
    const year = initialYear ?? thisYear() - 1;
    return { year, ...incomeValuesOf(household, year) };
  }, [household, initialYear]);

  const check = (vals: Values) => {
    const ref = { referenceDate: today() };
    const y = Number(vals.year ?? start.year);
    const had = household.incomes.some((i) => i.year === y);
    const base = had ? validateIncome(incomeOf(incomeValuesOf(household, y), y), ref) : [];
    return byField(validateIncome(incomeOf(vals, y), ref), base, '', t('form.existing'), serverText, new Set());
  };
  const f = useRecordForm<HouseholdDetail>({
    open, initial: start, check, invalidates: [keys.householdChange],
    save: async (v) => {
      const y = Number(v.year);
      const rec = incomeOf(v, y) as Record<string, unknown>;
      const items = Object.fromEntries(INCOME_ITEMS.map((it) => [it.key, (rec[it.key] as number | null) ?? null]));
      const saved = await call(api.incomeUpsert, {
        params: { countyCode: household.countyCode, id: household.id, year: y },
        body: { items, reason: String(v.reason).trim() },
      });
      return { saved, notice: t('income.saved', { year: y }) };
    },
    onSaved: (saved, v) => onSaved(saved, Number(v.year)),
  });
  const { form, values, problems } = f;

  const year = Number(values.year ?? start.year);
  const existing = household.incomes.find((i) => i.year === year);
  const size = sizeOfYear(household, year);
  const errors = errorCount(problems);
  const record = incomeOf(values, year) as IncomeValues;
  const perCapita = errors === 0 ? perCapitaNetIncome(record, size) : null;
  const explanation = errors === 0 ? explainIncome(record, size, lang) : null;
  const net = errors === 0 ? incomeTotals(record).net : null;

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
      onSave={f.submit}
      saving={f.saving}
      testId="income-form"
    >
      <FormError error={f.error} />
      <Form
        form={form}
        layout="vertical"
        onValuesChange={(changed: Values) => {
          if ('year' in changed) {
            // another year: start from its record when there is one
            const y = Number(changed.year);
            form.setFieldsValue(incomeValuesOf(household, y));
          }
          f.changed(changed);
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
