import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, App, Breadcrumb, Button, Card, Empty, Segmented, Select, Skeleton, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CloseOutlined, DownloadOutlined, PlayCircleOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { regionPrefix, type EndpointResponse, type QualityCheckCount, type QualityHousehold, type QualityRegionCount, type QualityRun, type RunInfo } from '@tuopin/domain';
import { useQueryClient } from '@tanstack/react-query';
import { api, buildUrl } from '../../api/client';
import { invalidate, queryKeyOf, useApiMutation, useApiQuery } from '../../api/queries';
import { currentYearInChina } from '../../utils/chinaDate';
import { useAuth, useMe } from '../../auth/AuthContext';
import { useI18n, type MsgKey } from '../../i18n';
import { KeysetPager } from '../../components/KeysetPager';
import { PageHeader } from '../../components/PageHeader';
import { RunProgress, runMessage } from '../../components/RunProgress';
import { isRunFinished, useRun } from '../../components/runs/useRun';
import { RegionPicker } from '../../components/RegionPicker';
import { useIsMobile } from '../../utils/hooks';
import { FindingLine, SeverityTag } from './shared';
import './quality.css';

type Latest = EndpointResponse<typeof api.qualityLatest>;
type Summary = EndpointResponse<typeof api.qualitySummary>;
type FindingsPage = EndpointResponse<typeof api.qualityFindings>;
type Severity = 'error' | 'warning';

const CURRENT_YEAR = currentYearInChina();
const YEARS = Array.from({ length: CURRENT_YEAR - 2014 + 1 }, (_, i) => CURRENT_YEAR - i);
const POLL_MS = 700;

/** A run's state message with its code (runs before the codes: the Chinese text only). */
const runState = (r: QualityRun) => ({ code: r.messageCode, params: r.messageParams, message: r.message });
const PAGE_SIZE = 20;
const RUNNING: readonly QualityRun['status'][] = ['queued', 'running'];

/** The view as kept in the URL: region and year of the run, then the area, rule and severity of the list. */
interface View {
  region?: string;
  year: number;
  area?: string;
  check?: string;
  severity?: Severity;
}

function readView(sp: URLSearchParams): View {
  const code = (k: string) => {
    const v = sp.get(k);
    return v && /^\d{12}$/.test(v) ? v : undefined;
  };
  const year = Number(sp.get('year'));
  const check = sp.get('check');
  const severity = sp.get('severity');
  return {
    region: code('region'),
    year: Number.isInteger(year) && year >= 2014 && year <= CURRENT_YEAR ? year : CURRENT_YEAR,
    area: code('area'),
    check: check && /^[a-z][a-z0-9_.]*$/.test(check) ? check : undefined,
    severity: severity === 'error' || severity === 'warning' ? severity : undefined,
  };
}

function writeView(v: View): URLSearchParams {
  const sp = new URLSearchParams();
  if (v.region) sp.set('region', v.region);
  if (v.year !== CURRENT_YEAR) sp.set('year', String(v.year));
  if (v.area) sp.set('area', v.area);
  if (v.check) sp.set('check', v.check);
  if (v.severity) sp.set('severity', v.severity);
  return sp;
}

export default function QualityPage() {
  const me = useMe();
  const { can } = useAuth();
  const { t, lang, errorText, serverText } = useI18n();
  const { message } = App.useApp();
  const isMobile = useIsMobile();
  const [sp, setSp] = useSearchParams();
  const spText = sp.toString();
  const view = useMemo(() => readView(new URLSearchParams(spText)), [spText]);
  const region = view.region ?? me.region.code;
  const canRun = can('quality:run');

  /** A run that failed while shown here: its retry button. */
  const [failedRun, setFailedRun] = useState<QualityRun | null>(null);
  /** Keyset cursors: the current page's and those before it ('' = first page). */
  const [cursors, setCursors] = useState<string[]>(['']);
  /** On a phone, rules without findings are folded away unless asked for. */
  const [allRules, setAllRules] = useState(false);
  const client = useQueryClient();

  const patch = (p: Partial<View>) => {
    setSp(writeView({ ...view, ...p }), { replace: true });
    setCursors(['']);
  };

  // Another region or year: the failed run shown was of the previous one.
  useEffect(() => setFailedRun(null), [region, view.year]);

  // The latest finished run covering the region, and a run of the region in progress (its background run is
  // followed by useRun; a run recorded without one is followed by reading this again).
  const latestInput = { query: { regionCode: region, year: view.year } };
  const latestQuery = useApiQuery(api.qualityLatest, latestInput, {
    refetchInterval: (q) => (q.state.data?.active && !q.state.data.active.runId ? POLL_MS : false),
  });
  const latest: Latest | null = latestQuery.data ?? null;
  const active = latest?.active ?? null;
  const activeId = active && RUNNING.includes(active.status) ? active.id : null;
  const reloadLatest = () => invalidate(client, api.qualityLatest, api.qualitySummary, api.qualityFindings);

  const run = latest?.run ?? null;
  // Without a chosen area, a run of an enclosing region is shown for the chosen region.
  const area = view.area ?? (run && run.region.code !== region && region.startsWith(regionPrefix(run.region.code)) ? region : undefined);

  const summaryQuery = useApiQuery(api.qualitySummary, run ? { params: { id: run.id }, query: { area } } : null);
  const summary: Summary | null = summaryQuery.data ?? null;

  const after = cursors[cursors.length - 1] || undefined;
  const findingsQuery = useApiQuery(
    api.qualityFindings,
    run ? { params: { id: run.id }, query: { area, checkId: view.check, severity: view.severity, after, limit: PAGE_SIZE } } : null,
    { keepPrevious: true },
  );
  const findings: FindingsPage | null = run ? (findingsQuery.data ?? null) : null;
  const findingsLoading = findingsQuery.isFetching;
  const failure = latestQuery.error ?? summaryQuery.error ?? findingsQuery.error;
  const error = failure ? errorText(failure) : null;

  const startRun = useApiMutation(api.qualityRunStart, {
    onSuccess: (started) => {
      // shown at once as the region's run in progress; the next read of `latest` agrees
      client.setQueryData<Latest>(queryKeyOf(api.qualityLatest, latestInput), (old) => ({ run: old?.run ?? null, active: started }));
    },
  });
  const starting = startRun.isPending;
  const start = () => startRun.mutateAsync({ body: { regionCode: region, year: view.year } }).catch((e: unknown) => void message.error(errorText(e)));

  /** The run in progress ended (seen by RunProgress): its failure with a retry, then the newest results. */
  const onRunFinished = (r: RunInfo) => {
    if (r.status !== 'succeeded') {
      void message.error(r.message ? runMessage(lang, r) : t('quality.failed'));
      if (active) setFailedRun({ ...active, status: 'failed' });
    }
    setCursors(['']);
    void reloadLatest();
  };
  // The active run as RunProgress shows it (the same cached query): handled once per attempt when seen finished,
  // also when it had already ended by the time it was first read.
  const { run: activeRun } = useRun(activeId !== null ? active?.runId : null);
  const handled = useRef<string | null>(null);
  useEffect(() => {
    if (!active?.runId || !activeRun || activeRun.id !== active.runId || !isRunFinished(activeRun)) return;
    const key = `${activeRun.id}:${activeRun.attempt}`;
    if (handled.current === key) return;
    handled.current = key;
    onRunFinished(activeRun);
  });

  const running = activeId !== null && active !== null;
  const ruleName = (c: { checkId: string; zh: string; en: string }) => (lang === 'zh' ? c.zh : c.en);
  const checkRow = summary?.checks.find((c) => c.checkId === view.check && (!view.severity || c.severity === view.severity));

  // ---- toolbar

  const toolbar = (
    <div className="tp-filters tp-q-toolbar">
      <RegionPicker
        value={region}
        allowClear={false}
        onChange={(c) => c && patch({ region: c, area: undefined, check: undefined, severity: undefined })}
        style={{ width: isMobile ? '100%' : 280 }}
        data-testid="quality-region"
      />
      <Select<number>
        value={view.year}
        onChange={(y) => patch({ year: y, area: undefined })}
        options={YEARS.map((y) => ({ value: y, label: t('households.yearOption', { year: y }) }))}
        style={{ width: isMobile ? '100%' : 110 }}
        data-testid="quality-year"
      />
      {canRun && (
        <Button type="primary" icon={<PlayCircleOutlined />} loading={starting} disabled={running} onClick={() => void start()} data-testid="quality-run">
          {t('quality.run')}
        </Button>
      )}
      {run && (
        <Button
          icon={<DownloadOutlined />}
          href={buildUrl(api.qualityFindingsCsv.url, { id: run.id }, { area, checkId: view.check, severity: view.severity })}
          download
          data-testid="quality-csv"
        >
          {t('quality.csv')}
        </Button>
      )}
    </div>
  );

  const progress = running ? (
    <div className="tp-q-progress">
      <RunProgress
        runId={active.runId}
        fallback={{ progress: active.progress, message: active.status === 'queued' ? t('quality.queued') : active.message ? serverText(runState(active)) : t('quality.running') }}
        testId="quality-progress"
        messageTestId="quality-progress-message"
      />
    </div>
  ) : failedRun && failedRun.runId ? (
    <div className="tp-q-progress">
      {/* the failed run with its retry (the same run queued again) */}
      <RunProgress
        runId={failedRun.runId}
        testId="quality-failed-run"
        onRetried={() => {
          setFailedRun(null);
          void reloadLatest();
        }}
      />
    </div>
  ) : null;

  const lastRun = run && (
    <Typography.Paragraph type="secondary" className="tp-q-last" data-testid="quality-last-run">
      {t('quality.lastRun', {
        time: dayjs(run.finishedAt ?? run.createdAt).format('YYYY-MM-DD HH:mm'),
        user: run.createdBy,
        region: run.region.fullName,
        date: run.referenceDate,
      })}
    </Typography.Paragraph>
  );

  // ---- summary

  const totals = summary?.totals;
  const cards = totals && (
    <div className="tp-q-cards" data-testid="quality-cards">
      {(
        [
          ['households', totals.households, ''],
          ['withErrors', totals.withErrors, 'tp-q-card-error'],
          ['withWarnings', totals.withWarnings, 'tp-q-card-warning'],
          ['findings', `${totals.errors} / ${totals.warnings}`, ''],
        ] as const
      ).map(([k, v, cls]) => (
        <Card key={k} size="small" variant="borderless" className={`tp-q-card ${cls}`}>
          <div className="tp-q-card-label">{t(`quality.card.${k}` as MsgKey)}</div>
          <div className="tp-q-card-value" data-testid={`quality-total-${k}`}>
            {v}
          </div>
        </Card>
      ))}
    </div>
  );

  const path = summary && summary.path.length > 1 && (
    <Breadcrumb
      className="tp-q-path"
      data-testid="quality-path"
      items={summary.path.map((p, i) => ({
        key: p.code,
        title:
          i < summary.path.length - 1 ? (
            <a onClick={() => patch({ area: p.code })} data-testid={`quality-path-${p.code}`}>
              {p.name}
            </a>
          ) : (
            p.name
          ),
      }))}
    />
  );

  const checkColumns: TableColumnsType<QualityCheckCount> = [
    {
      title: t('quality.col.rule'),
      key: 'rule',
      render: (_: unknown, c) => (
        <span className="tp-q-rule">
          <SeverityTag severity={c.severity} />
          <span data-testid="quality-check-name">{ruleName(c)}</span>
        </span>
      ),
    },
    {
      title: t('quality.col.households'),
      dataIndex: 'households',
      align: 'right',
      width: 80,
      render: (v: number, c) => (
        <span className={v > 0 ? (c.severity === 'error' ? 'tp-q-num-error' : 'tp-q-num-warning') : 'tp-q-num-zero'} data-testid="quality-check-households">
          {v}
        </span>
      ),
    },
    ...(isMobile
      ? []
      : [{ title: t('quality.col.findings'), dataIndex: 'findings', align: 'right' as const, width: 80, render: (v: number) => <span data-testid="quality-check-findings">{v}</span> }]),
  ];
  const foldRules = isMobile && !allRules;
  const shownChecks = summary ? (foldRules ? summary.checks.filter((c) => c.findings > 0 || c.checkId === view.check) : summary.checks) : [];

  const regionColumns: TableColumnsType<QualityRegionCount> = [
    {
      title: t('quality.col.region'),
      key: 'region',
      render: (_: unknown, r) => (r.region.level < 5 ? <a data-testid="quality-region-name">{r.region.name}</a> : <span data-testid="quality-region-name">{r.region.name}</span>),
    },
    { title: t('quality.col.checked'), key: 'h', align: 'right', width: 76, render: (_: unknown, r) => r.totals.households },
    {
      title: t('quality.col.withErrors'),
      key: 'e',
      align: 'right',
      width: 90,
      render: (_: unknown, r) => <span className={r.totals.withErrors ? 'tp-q-num-error' : 'tp-q-num-zero'} data-testid="quality-region-errors">{r.totals.withErrors}</span>,
    },
    {
      title: t('quality.col.withWarnings'),
      key: 'w',
      align: 'right',
      width: 90,
      render: (_: unknown, r) => <span className={r.totals.withWarnings ? 'tp-q-num-warning' : 'tp-q-num-zero'}>{r.totals.withWarnings}</span>,
    },
  ];

  const tables = summary && (
    <div className="tp-q-tables">
      <Card size="small" variant="borderless" title={t('quality.byCheck')} className="tp-q-table-card" data-testid="quality-checks">
        <Table<QualityCheckCount>
          size="small"
          rowKey={(c) => `${c.checkId}|${c.severity}`}
          columns={checkColumns}
          dataSource={shownChecks}
          pagination={false}
          locale={{ emptyText: t('quality.emptyNone') }}
          footer={
            isMobile && (allRules || summary.checks.length > shownChecks.length)
              ? () => (
                  <Button type="link" size="small" onClick={() => setAllRules((v) => !v)} data-testid="quality-all-rules">
                    {allRules ? t('quality.fewerRules') : t('quality.allRules', { n: summary.checks.length })}
                  </Button>
                )
              : undefined
          }
          rowClassName={(c) => `tp-q-click${c.checkId === view.check && c.severity === (view.severity ?? c.severity) ? ' tp-q-selected' : ''}`}
          onRow={(c) =>
            ({
              onClick: () => (c.checkId === view.check ? patch({ check: undefined, severity: undefined }) : patch({ check: c.checkId, severity: c.severity })),
              'data-testid': 'quality-check-row',
              'data-check': c.checkId,
            }) as React.HTMLAttributes<HTMLElement>
          }
        />
      </Card>
      {summary.children.length > 0 && (
        <Card size="small" variant="borderless" title={t('quality.byRegion')} className="tp-q-table-card" data-testid="quality-regions">
          <Table<QualityRegionCount>
            size="small"
            rowKey={(r) => r.region.code}
            columns={regionColumns}
            dataSource={summary.children}
            pagination={summary.children.length > 30 ? { pageSize: 30, showSizeChanger: false } : false}
            rowClassName={(r) => (r.region.level < 5 ? 'tp-q-click' : '')}
            onRow={(r) =>
              ({
                onClick: () => r.region.level < 5 && patch({ area: r.region.code }),
                'data-testid': 'quality-region-row',
                'data-code': r.region.code,
              }) as React.HTMLAttributes<HTMLElement>
            }
          />
        </Card>
      )}
    </div>
  );

  // ---- the households and their findings

  const listFilters = (
    <div className="tp-q-list-filters">
      <Segmented<string>
        value={view.severity ?? 'all'}
        onChange={(v) => patch({ severity: v === 'all' ? undefined : (v as Severity) })}
        options={[
          { value: 'all', label: t('quality.all') },
          { value: 'error', label: t('quality.severity.error') },
          { value: 'warning', label: t('quality.severity.warning') },
        ]}
        data-testid="quality-severity"
      />
      {view.check && (
        <Tag closable closeIcon={<CloseOutlined />} onClose={() => patch({ check: undefined })} className="tp-q-check-filter" data-testid="quality-check-filter">
          {checkRow ? ruleName(checkRow) : view.check}
        </Tag>
      )}
    </div>
  );

  const list = findings && (
    <>
      {findings.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(view.check || view.severity ? 'quality.emptyFiltered' : 'quality.emptyNone')} data-testid="quality-empty" />
      ) : (
        <div className="tp-q-households" data-testid="quality-households">
          {findings.items.map((h) => (
            <HouseholdBlock key={`${h.countyCode}:${h.id}`} h={h} />
          ))}
        </div>
      )}
      <KeysetPager
        total={t('quality.listTotal', { n: findings.total })}
        hasPrev={cursors.length > 1}
        hasNext={!!findings.next}
        onPrev={() => setCursors((c) => c.slice(0, -1))}
        onNext={() => findings.next && setCursors((c) => [...c, findings.next!])}
        testId="quality"
      />
    </>
  );

  return (
    <div className="tp-q" data-testid="quality-page">
      <PageHeader title={t('menu.quality')} subtitle={t('quality.subtitle')} />
      <Card variant="borderless" className="tp-q-top">
        {toolbar}
        {progress}
        {lastRun}
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="quality-error" />}
        {latest && !run && !running && (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={canRun ? t('quality.noRun') : t('quality.noRunReadOnly')}
            className="tp-q-norun"
            data-testid="quality-no-run"
          />
        )}
      </Card>
      {run && !summary && (
        <Card variant="borderless" style={{ marginTop: 16 }}>
          <Skeleton active />
        </Card>
      )}
      {summary && (
        <>
          {path}
          {cards}
          {tables}
          <Card
            variant="borderless"
            title={t('quality.households')}
            className="tp-q-list"
            loading={findingsLoading && !findings}
            styles={{ body: { padding: isMobile ? 12 : 16 } }}
          >
            {listFilters}
            {list}
          </Card>
        </>
      )}
    </div>
  );
}

/** One household with its findings, linking to the household page. */
function HouseholdBlock({ h }: { h: QualityHousehold }) {
  const { t } = useI18n();
  return (
    <div className="tp-q-household" data-testid="quality-household" data-household-no={h.householdNo}>
      <div className="tp-q-household-head">
        <Link to={`/households/${h.countyCode}/${h.id}`} className="tp-q-household-link" data-testid="quality-household-link">
          <span className="tp-q-household-name">{h.headName ?? t('households.noHead')}</span>
          <span className="tp-mono tp-q-household-no">{h.householdNo}</span>
        </Link>
        <span className="tp-q-household-counts">
          {h.errors > 0 && <Tag color="error">{t('quality.nErrors', { n: h.errors })}</Tag>}
          {h.warnings > 0 && <Tag color="warning">{t('quality.nWarnings', { n: h.warnings })}</Tag>}
        </span>
      </div>
      <Tooltip title={h.village.fullName}>
        <div className="tp-q-household-village">{h.village.fullName}</div>
      </Tooltip>
      <ul className="tp-q-findings">
        {h.findings.map((f, i) => (
          <FindingLine key={i} f={f} />
        ))}
      </ul>
    </div>
  );
}
