import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Empty, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckCircleOutlined, ExperimentOutlined, WarningOutlined } from '@ant-design/icons';
import type { RuleDryRun } from '@tuopin/domain';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/queries';
import { useMe } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { RegionPicker } from '../../components/RegionPicker';
import { useIsMobile } from '../../utils/hooks';
import { CURRENT_YEAR, fmtYuan, useRuleLabels, YEARS } from './shared';

type Preview = RuleDryRun['preview'][number];
const DEBOUNCE_MS = 500;
type DryInput = { expression: string; regionCode: string; year: number; ruleRegionCode?: string };
const keyOf = (i: DryInput) => `${i.regionCode}|${i.year}|${i.expression}`;

interface Props {
  expression: string;
  /** false while the expression does not type-check (nothing is sent then) */
  valid: boolean;
  /** the region of the rule being edited: a county's rule is tried on its households only */
  ruleRegionCode?: string;
}

/**
 * 试运行: counts and previews the households of a region and year the expression matches (ruleDryRun; nothing
 * is written). After the first run, a changed expression, region or year is counted again automatically.
 */
export function DryRun({ expression, valid, ruleRegionCode }: Props) {
  const me = useMe();
  const { t, errorText } = useI18n();
  const isMobile = useIsMobile();
  const labels = useRuleLabels();
  const [region, setRegion] = useState<string>(me.region.code);
  const [year, setYear] = useState(CURRENT_YEAR);
  const [live, setLive] = useState(false);
  const input = { expression, regionCode: region, year, ruleRegionCode };
  const key = keyOf(input);
  // What was sent last (the query's input): the first run at once, then every change after a pause.
  const [asked, setAsked] = useState<DryInput | null>(null);
  const dry = useApiQuery(api.ruleDryRun, asked && { body: asked }, { keepPrevious: true, staleTime: Infinity, retry: false });

  // Once started, follow the expression, region and year.
  useEffect(() => {
    if (!live || !valid) return;
    const id = setTimeout(() => setAsked(input), DEBOUNCE_MS);
    return () => clearTimeout(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` covers the input
  }, [live, valid, key]);

  const start = () => {
    setLive(true);
    if (asked && keyOf(asked) === key) void dry.refetch();
    else setAsked(input);
  };

  const loading = dry.isFetching;
  const error = dry.error && !loading ? errorText(dry.error) : null;
  const data = dry.data;
  const stale = !!data && (dry.isPlaceholderData || !asked || keyOf(asked) !== key);

  const columns: TableColumnsType<Preview> = [
    {
      title: t('rules.col.householdNo'),
      key: 'no',
      render: (_: unknown, h) => (
        <Link to={`/households/${h.countyCode}/${h.id}`} className="tp-mono" data-testid="dry-household-link">
          {h.householdNo}
        </Link>
      ),
    },
    { title: t('rules.col.head'), key: 'head', render: (_: unknown, h) => <span data-testid="dry-household-head">{h.headName ?? t('rules.noHead')}</span> },
    { title: t('rules.col.village'), dataIndex: 'village' },
    {
      title: t('rules.col.perCapita'),
      key: 'pc',
      align: 'right',
      render: (_: unknown, h) => (h.perCapitaNet === null ? <Typography.Text type="secondary">{t('rules.noIncome')}</Typography.Text> : t('rules.yuan', { v: fmtYuan(h.perCapitaNet) })),
    },
    { title: t('rules.col.status'), key: 'status', render: (_: unknown, h) => labels.status(h.status) },
    { title: t('rules.col.monitored'), key: 'mon', render: (_: unknown, h) => (h.monitored ? <Tag color="orange">{t('common.yes')}</Tag> : t('common.no')) },
  ];

  return (
    <div className="tp-r-dry" data-testid="rule-dry">
      <Typography.Paragraph type="secondary" className="tp-r-dry-hint">
        {t('rules.dryHint')}
      </Typography.Paragraph>
      <div className="tp-filters tp-r-dry-bar">
        <RegionPicker value={region} allowClear={false} onChange={(c) => c && setRegion(c)} style={{ width: isMobile ? '100%' : 280 }} data-testid="dry-region" />
        <Select<number>
          value={year}
          onChange={setYear}
          options={YEARS.map((y) => ({ value: y, label: t('households.yearOption', { year: y }) }))}
          style={{ width: isMobile ? '100%' : 110 }}
          data-testid="dry-year"
        />
        <Button icon={<ExperimentOutlined />} onClick={start} loading={loading} disabled={!valid} data-testid="dry-run">
          {t('rules.dryRun')}
        </Button>
      </div>
      {!valid && live && <Typography.Text type="warning">{t('rules.dryInvalid')}</Typography.Text>}
      {error && <Alert type="error" showIcon title={error} className="tp-r-dry-error" data-testid="dry-error" />}
      {data && (
        <div className={`tp-r-dry-result${stale || loading ? ' tp-r-dry-stale' : ''}`} aria-busy={loading}>
          <div className="tp-r-dry-count">
            <span className="tp-r-dry-number" data-testid="dry-count">
              {t('rules.dryResult', { matches: data.matches, households: data.households })}
            </span>
            <Typography.Text type="secondary" className="tp-r-dry-ms">
              {t('rules.dryMs', { ms: data.ms })}
            </Typography.Text>
          </div>
          <div className={data.agreesWithTypeScript ? 'tp-r-agree' : 'tp-r-disagree'} data-testid="dry-agreement" data-agrees={String(data.agreesWithTypeScript)}>
            {data.agreesWithTypeScript ? <CheckCircleOutlined /> : <WarningOutlined />} {t(data.agreesWithTypeScript ? 'rules.dryAgrees' : 'rules.dryDisagrees')}
          </div>
          {stale && !loading && <Typography.Text type="secondary">{t('rules.dryStale')}</Typography.Text>}
          {data.preview.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rules.dryNone')} />
          ) : (
            <>
              <Typography.Text type="secondary" className="tp-r-dry-preview-title">
                {t('rules.dryPreview', { n: data.preview.length })}
              </Typography.Text>
              {isMobile ? (
                <div className="tp-r-dry-cards" data-testid="dry-preview">
                  {data.preview.map((h) => (
                    <div key={`${h.countyCode}:${h.id}`} className="tp-r-dry-card" data-testid="dry-household" data-household-no={h.householdNo}>
                      <div className="tp-r-dry-card-head">
                        <span data-testid="dry-household-head">{h.headName ?? t('rules.noHead')}</span>
                        <Link to={`/households/${h.countyCode}/${h.id}`} className="tp-mono" data-testid="dry-household-link">
                          {h.householdNo}
                        </Link>
                      </div>
                      <div className="tp-r-dry-card-sub">
                        {h.village} · {labels.status(h.status)}
                        {h.monitored ? ` · ${t('rules.col.monitored')}` : ''}
                      </div>
                      <div className="tp-r-dry-card-sub">
                        {t('rules.col.perCapita')}：{h.perCapitaNet === null ? t('rules.noIncome') : t('rules.yuan', { v: fmtYuan(h.perCapitaNet) })}
                      </div>
                    </div>
                  ))}
                </div>
              ) : (
                <Table<Preview>
                  size="small"
                  rowKey={(h) => `${h.countyCode}:${h.id}`}
                  columns={columns}
                  dataSource={data.preview}
                  pagination={false}
                  data-testid="dry-preview"
                  onRow={(h) => ({ 'data-testid': 'dry-household', 'data-household-no': h.householdNo }) as React.HTMLAttributes<HTMLElement>}
                />
              )}
            </>
          )}
        </div>
      )}
    </div>
  );
}
