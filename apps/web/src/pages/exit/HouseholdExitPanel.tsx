import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Select, Space, Tag, Typography } from 'antd';
import type { ExitHouseholdAssessment } from '@tuopin/domain';
import { api } from '../../api/client';
import { useApiQuery, useRefetchOn } from '../../api/queries';
import { useI18n } from '../../i18n';
import { ExitItemTag, money } from './shared';
import { currentYearInChina } from '../../utils/chinaDate';
import './exit.css';

const CURRENT_YEAR = currentYearInChina();
const YEARS = Array.from({ length: 6 }, (_, i) => CURRENT_YEAR - i);

/**
 * The household against the exit standard (脱贫标准) for a chosen year, for the household page: whether it meets
 * it, and every unmet item with what exactly is unmet. `version` changes when the household is reloaded.
 */
export function HouseholdExitPanel({ countyCode, id, version }: { countyCode: string; id: number; version?: unknown }) {
  const { t, serverText } = useI18n();
  const [year, setYear] = useState(CURRENT_YEAR);
  // the year's assessment (the shown one stays while another year loads; nothing on an error)
  const assessment = useApiQuery(api.exitHousehold, { params: { countyCode, id }, query: { year } }, { keepPrevious: true });
  useRefetchOn(assessment.refetch, version);
  const data: ExitHouseholdAssessment | null = assessment.data ?? null;

  if (!data) return null;
  const line = data.policy.values.povertyLine;
  const lineSet = data.policy.sources.povertyLine?.id != null;
  // From 2021 the line that matters for a household's income is the monitoring line; the exit standard stays the
  // measure of this panel. Before 2021 there is no monitoring line (null) and the exit standard is the headline.
  const monitoring = data.policy.values.monitoringLine ?? null;
  const monitoringSet = data.policy.sources.monitoringLine?.id != null;
  return (
    <Card
      size="small"
      variant="borderless"
      className="tp-exit-panel"
      data-testid="exit-panel"
      data-meets={String(data.meets)}
      title={
        <Space wrap size={8}>
          {t('exit.panel.title')}
          {data.meets ? (
            <Tag color="green" data-testid="exit-panel-status">{t('exit.panel.meets')}</Tag>
          ) : (
            <Tag color="red" data-testid="exit-panel-status">{t('exit.panel.notMeets', { n: data.unmet.length })}</Tag>
          )}
        </Space>
      }
      extra={
        <Select<number>
          size="small"
          value={year}
          onChange={setYear}
          options={YEARS.map((y) => ({ value: y, label: t('household.yearN', { year: y }) }))}
          style={{ width: 96 }}
          data-testid="exit-panel-year"
        />
      }
    >
      <div className="tp-exit-panel-facts">
        <Typography.Text>
          {t('exit.panel.income', { v: data.perCapitaNetIncome === null ? t('exit.noIncome') : t('exit.yuan', { v: money(data.perCapitaNetIncome) }) })}
        </Typography.Text>
        {monitoring !== null && (
          <Typography.Text strong data-testid="exit-panel-monitoring-line">
            {t('exit.panel.monitoringLine', { v: money(monitoring) })}
            {monitoringSet && t('exit.panel.lineSource')}
          </Typography.Text>
        )}
        {line !== undefined && line !== null && (
          <Typography.Text type="secondary" data-testid="exit-panel-line">
            {t('exit.panel.line', { v: money(line) })}
            {lineSet && t('exit.panel.lineSource')}
          </Typography.Text>
        )}
        <Link to={`/monitoring/exit-assessment?region=${data.policy.regionCode}${year !== CURRENT_YEAR ? `&year=${year}` : ''}`} data-testid="exit-panel-region">
          {t('exit.panel.region')}
        </Link>
      </div>
      {data.meets ? (
        <Typography.Text type="secondary" className="tp-exit-panel-all">{t('exit.panel.all')}</Typography.Text>
      ) : (
        <ul className="tp-exit-unmet" data-testid="exit-panel-unmet">
          {data.unmet.map((u) => (
            <li key={u.code} data-item={u.code}>
              <ExitItemTag code={u.code} />
              <span className="tp-exit-unmet-detail">{serverText({ code: u.detailCode, params: u.detailParams, message: u.detail })}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
