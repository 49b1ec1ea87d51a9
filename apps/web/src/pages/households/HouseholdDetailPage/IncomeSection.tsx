/** 收入情况: the income of each year against the line of that year, with the chart and the explanation. */
import { useEffect, useMemo, useState } from 'react';
import { Button, Empty, Segmented, Space, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { explainIncome, formatYuan, INCOME_GROUPS, INCOME_ITEMS, incomeTotals, type HouseholdDetail } from '@tuopin/domain';
import { useI18n } from '../../../i18n';
import { EChart, type EChartsCoreOption } from '../../../components/EChart';
import { Money } from '../shared';
import { useHhText } from '../messages';
import { type IncomeYear } from './fields';

// ------------------------------------------------------------------------------------------
// 收入情况

/** Add / edit buttons of the income and status tabs, for roles that may change the registry. */
export type YearActions = { onAdd: () => void; onEdit: (year: number) => void } | null;

export type IncomeLine = HouseholdDetail['incomeLines'][number];

/**
 * The income of each year, measured against the line that matters in that year (policy settings of the county):
 * the monitoring line from 2021, the exit standard (脱贫标准) before.
 */
export function IncomeSection({ incomes, lines, actions, shownYear }: { incomes: IncomeYear[]; lines: IncomeLine[]; actions: YearActions; shownYear?: number }) {
  const { t, lang } = useI18n();
  const tt = useHhText();
  const years = useMemo(() => [...incomes].sort((a, b) => b.year - a.year), [incomes]);
  const [year, setYear] = useState<number | undefined>(shownYear ?? years[0]?.year);
  // a year just saved is shown
  useEffect(() => {
    if (shownYear !== undefined) setYear(shownYear);
  }, [shownYear, incomes]);
  const current = years.find((y) => y.year === year) ?? years[0];
  const lineOf = useMemo(() => {
    const byYear = new Map(lines.map((l) => [l.year, l]));
    const latest = lines[lines.length - 1];
    return (y: number) => byYear.get(y) ?? (latest && y > latest.year ? latest : undefined);
  }, [lines]);

  const chart = useMemo<EChartsCoreOption | null>(() => {
    if (years.length < 2) return null;
    const asc = [...years].reverse();
    const yearLine = asc.map((y) => lineOf(y.year)?.value ?? null);
    const top = Math.max(0, ...yearLine.map((v) => v ?? 0));
    return {
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (typeof v === 'number' ? `${formatYuan(v)} ${t('income.yuan')}` : '—'),
      },
      xAxis: { type: 'category', data: asc.map((y) => String(y.year)) },
      // keep the lines in view even when every year is far below them
      yAxis: { type: 'value', max: (v: { max: number }) => (v.max < top * 1.1 ? Math.ceil(top * 1.1) : null) },
      series: [
        {
          type: 'bar',
          name: t('income.perCapita'),
          barMaxWidth: 48,
          data: asc.map((y, i) => ({
            value: y.perCapitaNetIncome,
            itemStyle: { color: y.perCapitaNetIncome !== null && yearLine[i] !== null && y.perCapitaNetIncome < yearLine[i]! ? '#ff7875' : '#1677ff' },
          })),
          label: {
            show: true,
            position: 'top',
            formatter: (p: { value: unknown }) => (typeof p.value === 'number' ? formatYuan(p.value) : ''),
          },
        },
        {
          // the line of each year: the exit standard up to 2020, the monitoring line from 2021
          type: 'line',
          name: t('income.line.series'),
          step: 'middle',
          symbol: 'none',
          silent: true,
          lineStyle: { color: '#cf1322', type: 'dashed', width: 1.5 },
          data: asc.map((y, i) => ({
            value: yearLine[i],
            name: lineOf(y.year) ? t(`income.line.${lineOf(y.year)!.key}`) : '',
          })),
        },
      ],
    };
  }, [years, t, lineOf]);
  const line = current ? lineOf(current.year) : undefined;
  const lineName = line ? t(`income.line.${line.key}`) : undefined;

  const addButton = actions && (
    <Button icon={<PlusOutlined />} onClick={actions.onAdd} data-testid="income-add">
      {tt('income.add')}
    </Button>
  );
  if (!current) {
    return (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('income.none')}>
        {addButton}
      </Empty>
    );
  }

  const totals = incomeTotals(current.items);
  const explanation = lang === 'zh' ? current.explanation : explainIncome(current.items, current.size, lang);
  const itemLabel = (i: (typeof INCOME_ITEMS)[number]) => (lang === 'zh' ? i.zh : i.en);

  return (
    <div data-testid="income">
      <div className="tp-hh-income-bar">
        {years.length > 1 ? (
          <Segmented<number>
            value={current.year}
            onChange={setYear}
            options={years.map((y) => ({ value: y.year, label: t('household.yearN', { year: y.year }) }))}
            className="tp-hh-year-switch"
            data-testid="income-year"
          />
        ) : (
          <Typography.Text strong>{t('income.yearTitle', { year: current.year })}</Typography.Text>
        )}
        {actions && (
          <Space wrap>
            <Button icon={<EditOutlined />} onClick={() => actions.onEdit(current.year)} data-testid="income-edit">
              {tt('income.edit', { year: current.year })}
            </Button>
            {addButton}
          </Space>
        )}
      </div>
      <div className="tp-hh-kpis">
        <div>
          <Typography.Text type="secondary">{t('income.perCapita')}</Typography.Text>
          <div style={{ fontSize: 22, fontWeight: 600 }}>
            <Money value={current.perCapitaNetIncome} warn testId="income-per-capita" line={line?.value} lineLabel={lineName} />
          </div>
        </div>
        {line && (
          <div data-testid="income-line" data-key={line.key}>
            <Typography.Text type="secondary">{t('income.line.kpi', { year: current.year, line: lineName ?? '' })}</Typography.Text>
            <div style={{ fontSize: 22, fontWeight: 600 }}>
              <Money value={line.value} testId="income-line-value" />
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="income-line-note">
              {line.key === 'monitoringLine'
                ? t('income.line.note.monitoringLine', { poverty: formatYuan(line.povertyLine) })
                : t('income.line.note.povertyLine', { year: current.year })}
            </Typography.Text>
          </div>
        )}
        <div>
          <Typography.Text type="secondary">{t('income.net')}</Typography.Text>
          <div style={{ fontSize: 22, fontWeight: 600 }}>
            <Money value={totals.net} />
          </div>
        </div>
        <div>
          <Typography.Text type="secondary">{t('household.size')}</Typography.Text>
          <div style={{ fontSize: 22, fontWeight: 600 }}>{t('households.persons', { n: current.size })}</div>
        </div>
      </div>
      <div className="tp-hh-income-groups">
        {INCOME_GROUPS.map((g) => {
          const items = INCOME_ITEMS.filter((i) => i.group === g.code);
          return (
            <div key={g.code} className="tp-hh-income-group" data-testid={`income-group-${g.code}`}>
              <div className={items.length > 1 ? 'tp-hh-income-group-head tp-hh-income-group-split' : 'tp-hh-income-group-head'}>
                <span>
                  {lang === 'zh' ? g.zh : g.en}
                  {g.code === 'expense' && <div className="tp-hh-income-note">{t('income.subtracted')}</div>}
                  {g.code === 'outOfPocket' && <div className="tp-hh-income-note">{t('income.notCounted')}</div>}
                </span>
                <Money value={totals[g.code]} />
              </div>
              {items.length > 1 &&
                items.map((i) => (
                  <div key={i.key} className="tp-hh-income-item">
                    <span>{itemLabel(i)}</span>
                    <Money value={current.items[i.key] ?? 0} />
                  </div>
                ))}
            </div>
          );
        })}
      </div>
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t('income.explanation')}
      </Typography.Title>
      <pre className="tp-hh-explain tp-mono" data-testid="income-explanation">
        {explanation.join('\n')}
      </pre>
      {chart && (
        <>
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {t('income.chart')}
          </Typography.Title>
          <EChart option={chart} height={260} testId="income-chart" />
        </>
      )}
    </div>
  );
}
