import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { checkRule, evaluateRule, type RuleFacts, type RuleRecord } from '@tuopin/domain';
import { api } from '../../api/client';
import { useApiQuery, useRefetchOn } from '../../api/queries';
import { useI18n } from '../../i18n';
import { CURRENT_YEAR, SeverityTag } from './shared';

const YEARS = Array.from({ length: 4 }, (_, i) => CURRENT_YEAR - i);

/**
 * The active warning rules this household matches in a year, evaluated here in TypeScript on the facts the
 * server builds for a warning run (the same SQL): instant, and the same answer as the run (proven by the parity
 * tests). `version` changes when the household is reloaded, e.g. after its income was edited.
 */
export function HouseholdRulesPanel({ countyCode, id, version }: { countyCode: string; id: number; version?: unknown }) {
  const { t } = useI18n();
  const [year, setYear] = useState(CURRENT_YEAR);
  const rulesQuery = useApiQuery(api.rulesList);
  const rules: RuleRecord[] | null = rulesQuery.data ?? null;
  // the year's facts (the shown ones stay while another year loads; none on an error)
  const factsQuery = useApiQuery(api.householdRuleFacts, { params: { countyCode, id }, query: { year } }, { keepPrevious: true });
  useRefetchOn(factsQuery.refetch, version);
  const facts: RuleFacts | null = factsQuery.data?.facts ?? null;

  const matched = useMemo(() => {
    if (!rules || !facts) return null;
    return rules.filter((r) => {
      if (!r.active) return false;
      const c = checkRule(r.expression);
      if (!c.ok) return false;
      try {
        return evaluateRule(c.rule, facts);
      } catch {
        return false;
      }
    });
  }, [rules, facts]);

  if (!matched) return null;
  return (
    <Card
      size="small"
      variant="borderless"
      style={{ marginBottom: 12 }}
      data-testid="household-rules"
      data-matched={matched.map((r) => r.id).join(',')}
      title={
        <Space wrap size={8}>
          {t('rules.panel.title')}
          {matched.length ? <Tag color="orange">{t('rules.panel.matched', { n: matched.length })}</Tag> : <Tag color="green">{t('rules.panel.none')}</Tag>}
        </Space>
      }
      extra={
        <Select<number>
          size="small"
          value={year}
          onChange={setYear}
          options={YEARS.map((y) => ({ value: y, label: String(y) }))}
          style={{ width: 84 }}
          data-testid="household-rules-year"
        />
      }
    >
      {matched.length ? (
        <Space orientation="vertical" size={6} style={{ width: '100%' }}>
          {matched.map((r) => (
            <Space key={r.id} wrap size={8} data-testid="household-rule" data-rule={r.id}>
              <SeverityTag severity={r.severity} />
              <Tooltip title={r.description ?? undefined}>
                <Link to={`/monitoring/rules?rule=${r.id}`}>{r.name}</Link>
              </Tooltip>
              <Typography.Text type="secondary">v{r.version}</Typography.Text>
            </Space>
          ))}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rules.panel.note')}</Typography.Text>
        </Space>
      ) : (
        <Typography.Text type="secondary">{t('rules.panel.noneNote')}</Typography.Text>
      )}
    </Card>
  );
}
