import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Empty, Select, Skeleton, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { InboxOutlined, PlayCircleOutlined, SettingOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useQueryClient } from '@tanstack/react-query';
import { isWithinRegion, type RuleRun } from '@tuopin/domain';
import { api } from '../../api/client';
import { invalidate, keys, queryKeyOf, useApiMutation, useApiQuery } from '../../api/queries';
import { useAuth, useMe } from '../../auth/AuthContext';
import { useI18n, type MsgKey } from '../../i18n';
import { PageHeader } from '../../components/PageHeader';
import { RunProgress } from '../../components/RunProgress';
import { isRunFinished, useRun } from '../../components/runs/useRun';
import { RegionPicker } from '../../components/RegionPicker';
import { useIsMobile } from '../../utils/hooks';
import { CURRENT_YEAR, YEARS } from './shared';
import './rules.css';

type Result = RuleRun['results'][number];
const RUNNING: readonly RuleRun['status'][] = ['queued', 'running'];
const STATUS_COLORS: Record<RuleRun['status'], string> = { queued: 'default', running: 'processing', done: 'success', failed: 'error' };
const fmtTime = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');
const sum = (r: RuleRun, k: 'matches' | 'newHits') => r.results.reduce((s, x) => s + x[k], 0);
/** Clues created by a run (older runs before grouping: the new hits). */
const newClues = (r: RuleRun) => r.newClues ?? sum(r, 'newHits');
/** Whether a run is of a region enclosing the user's (a county's run seen from a township). */
const covering = (run: RuleRun, home: string) => run.region.code !== home && isWithinRegion(home, run.region.code);
/** The region whose clues a run's links show: the run's, or the user's own when the run was of an enclosing region. */
const clueRegion = (run: RuleRun, home: string) => (covering(run, home) ? home : run.region.code);

/** 预警运行: run every active rule over a region and year, follow its progress, read the results. */
export default function RuleRunsPage() {
  const me = useMe();
  const { can } = useAuth();
  const { t, errorText, serverText } = useI18n();
  const { message } = App.useApp();
  const isMobile = useIsMobile();
  const canRun = can('rules:run');
  const [sp, setSp] = useSearchParams();
  const region = useMemo(() => {
    const r = sp.get('region');
    return r && /^\d{12}$/.test(r) ? r : me.region.code;
  }, [sp, me.region.code]);
  const year = useMemo(() => {
    const y = Number(sp.get('year'));
    return Number.isInteger(y) && YEARS.includes(y) ? y : CURRENT_YEAR;
  }, [sp]);
  const selectedId = Number(sp.get('run')) || null;
  /** The clue inbox filtered to the platform clues of a run's period (and one rule) in the region the user may see. */
  const cluesOf = (run: RuleRun, ruleId?: string) =>
    `/monitoring/clues?channel=platform&region=${clueRegion(run, me.region.code)}&period=${run.period}${ruleId ? `&rule=${ruleId}` : ''}`;
  const summary = (r: RuleRun) =>
    t('runs.resultSummary', { households: r.households ?? 0, matches: sum(r, 'matches'), newClues: newClues(r) })
    + (r.extendedClues ? t('runs.resultExtended', { n: r.extendedClues }) : '');

  const client = useQueryClient();
  const list = useApiQuery(api.ruleRunList);
  const runs: RuleRun[] | null = list.data ?? null;
  /** The run followed: the one started or retried here, or one the list shows waiting or running. */
  const [active, setActive] = useState<RuleRun | null>(null);
  const going = runs?.find((x) => RUNNING.includes(x.status));
  if (going && !active) setActive(going);
  // (the list is refetched when the run has ended, with its results)
  const startRun = useApiMutation(api.ruleRunStart);
  const [error, setError] = useState<string | null>(null);

  const patch = (p: { region?: string; year?: number; run?: number | null }) => {
    const next = new URLSearchParams(sp);
    if (p.region !== undefined) next.set('region', p.region);
    if (p.year !== undefined) next.set('year', String(p.year));
    if (p.run !== undefined) {
      if (p.run === null) next.delete('run');
      else next.set('run', String(p.run));
    }
    setSp(next, { replace: true });
  };

  // Follow the active run (components/runs: its background run polled); when it has ended, refetch the list and show
  // the run's results (also when it had already ended when first read).
  const { run: bg } = useRun(active?.runId);
  const ended = !!active && RUNNING.includes(active.status) && !!bg && bg.id === active.runId && isRunFinished(bg);
  useEffect(() => {
    if (!ended || !bg) return;
    void invalidate(client, keys.ruleRuns).then(() => {
      const done = client.getQueryData<RuleRun[]>(queryKeyOf(api.ruleRunList))?.find((x) => x.runId === bg.id);
      // the progress stays until the list shows the ended run
      setActive((a) => done ?? (a && { ...a, status: bg.status === 'succeeded' ? 'done' : 'failed' }));
      if (bg.status === 'failed') void message.error(serverText(done?.message ?? t('runs.failed')));
    });
  }, [ended, bg, client, message, serverText, t]);
  const activeId = active && RUNNING.includes(active.status) ? active.id : null;

  const start = async () => {
    setError(null);
    try {
      const r = await startRun.mutateAsync({ body: { regionCode: region, year } });
      setActive(r);
      patch({ run: r.id });
      void message.info(t('runs.started'));
    } catch (e) {
      setError(errorText(e));
    }
  };
  const starting = startRun.isPending;
  const shownError = error ?? (list.error ? errorText(list.error) : null);

  const running = activeId !== null && active !== null;
  // The run shown: the chosen one, else the newest finished one.
  const shown = runs ? (runs.find((r) => r.id === selectedId) ?? (selectedId === null ? runs.find((r) => r.status === 'done') : undefined)) : undefined;

  const toolbar = (
    <div className="tp-filters">
      <RegionPicker
        value={region}
        allowClear={false}
        onChange={(c) => c && patch({ region: c })}
        style={{ width: isMobile ? '100%' : 280 }}
        data-testid="runs-region"
      />
      <Select<number>
        value={year}
        onChange={(y) => patch({ year: y })}
        options={YEARS.map((y) => ({ value: y, label: t('households.yearOption', { year: y }) }))}
        style={{ width: isMobile ? '100%' : 110 }}
        data-testid="runs-year"
      />
      {canRun && (
        <Button type="primary" icon={<PlayCircleOutlined />} loading={starting} disabled={running} onClick={() => void start()} data-testid="runs-start">
          {t('runs.run')}
        </Button>
      )}
    </div>
  );

  const progress = running && (
    <div className="tp-r-progress">
      <RunProgress
        runId={active.runId}
        fallback={{ progress: active.progress, message: active.status === 'queued' ? t('runs.queued') : active.message ? serverText(active.message) : t('runs.running') }}
        testId="runs-progress"
        messageTestId="runs-progress-message"
      />
    </div>
  );

  const resultColumns: TableColumnsType<Result> = [
    {
      title: t('runs.col.rule'),
      key: 'rule',
      render: (_: unknown, r) => (
        <>
          <Link to={`/monitoring/rules?rule=${r.ruleId}`} data-testid="run-result-rule">
            {r.ruleName}
          </Link>
          {r.error && <div><Typography.Text type="danger" data-testid="run-result-error">{serverText(r.error)}</Typography.Text></div>}
        </>
      ),
    },
    { title: t('runs.col.version'), key: 'v', width: 70, render: (_: unknown, r) => t('rules.versionN', { n: r.version }) },
    {
      title: t('runs.col.matches'),
      dataIndex: 'matches',
      align: 'right',
      width: 100,
      render: (v: number) => <span className={v ? 'tp-r-num' : 'tp-r-num-zero'} data-testid="run-result-matches">{v}</span>,
    },
    {
      title: t('runs.col.newHits'),
      dataIndex: 'newHits',
      align: 'right',
      width: 110,
      render: (v: number, r) => (shown
        ? <Link to={cluesOf(shown, r.ruleId)} className={v ? 'tp-r-num-new' : 'tp-r-num-zero'} data-testid="run-result-new">{v}</Link>
        : <span data-testid="run-result-new">{v}</span>),
    },
  ];

  const resultCard = shown && (
    <Card
      variant="borderless"
      size="small"
      className="tp-r-run-result"
      data-testid="run-result"
      data-run={shown.id}
      title={
        <span className="tp-r-run-title" data-testid="run-result-title">
          {t('runs.result', { region: shown.region.fullName || shown.region.name, year: shown.year, period: shown.period })}
        </span>
      }
      extra={
        !isMobile && (
          <Link to={cluesOf(shown)} data-testid="run-to-clues">
            <InboxOutlined /> {t('runs.toClues')}
          </Link>
        )
      }
    >
      <div className="tp-r-run-summary">
        <Tag color={STATUS_COLORS[shown.status]}>{t(`runs.status.${shown.status}` as MsgKey)}</Tag>
        {covering(shown, me.region.code) && <Tag color="blue" title={t('runs.coveringHint')} data-testid="run-covering">{t('runs.covering')}</Tag>}
        <span data-testid="run-result-summary">{summary(shown)}</span>
        <Typography.Text type="secondary">{t('runs.resultBy', { user: shown.createdBy ?? '—', time: fmtTime(shown.finishedAt ?? shown.createdAt) })}</Typography.Text>
      </div>
      {shown.status === 'failed' && shown.message && (
        <Alert
          type="error"
          showIcon
          title={serverText(shown.message)}
          // the failed run's retry: the same run queued again, followed as the active one
          action={<RunProgress runId={shown.runId} retryOnly testId="run-failed" onRetried={(q) => setActive({ ...shown, status: 'queued', progress: 0, runId: q.id })} />}
        />
      )}
      {isMobile && (
        <Link to={cluesOf(shown)} className="tp-r-run-clues-link" data-testid="run-to-clues">
          <InboxOutlined /> {t('runs.toClues')}
        </Link>
      )}
      {isMobile ? (
        <div className="tp-r-run-cards">
          {shown.results.map((r) => (
            <div key={r.ruleId} className="tp-r-run-line" data-testid="run-result-row" data-rule={r.ruleId}>
              <Link to={`/monitoring/rules?rule=${r.ruleId}`} className="tp-r-run-line-name" data-testid="run-result-rule">
                {r.ruleName}
              </Link>
              {r.error && <Typography.Text type="danger" data-testid="run-result-error">{serverText(r.error)}</Typography.Text>}
              <span className="tp-r-run-line-nums">
                <span className={r.matches ? 'tp-r-num' : 'tp-r-num-zero'}>
                  {t('runs.matchesN', { n: '' })}
                  <span data-testid="run-result-matches">{r.matches}</span>
                </span>
                <Link to={cluesOf(shown, r.ruleId)} className={r.newHits ? 'tp-r-num-new' : 'tp-r-num-zero'}>
                  {t('runs.newN', { n: '' })}
                  <span data-testid="run-result-new">{r.newHits}</span>
                </Link>
              </span>
            </div>
          ))}
        </div>
      ) : (
        <Table<Result>
          size="small"
          rowKey="ruleId"
          columns={resultColumns}
          dataSource={shown.results}
          pagination={false}
          onRow={(r) => ({ 'data-testid': 'run-result-row', 'data-rule': r.ruleId }) as React.HTMLAttributes<HTMLElement>}
        />
      )}
    </Card>
  );

  const runColumns: TableColumnsType<RuleRun> = [
    { title: t('runs.col.time'), key: 'time', width: 140, render: (_: unknown, r) => fmtTime(r.createdAt) },
    {
      title: t('runs.col.region'), key: 'region',
      render: (_: unknown, r) => (
        <>{r.region.fullName || r.region.name}{covering(r, me.region.code) && <Tag color="blue" style={{ marginInlineStart: 6 }} data-testid="runs-item-covering">{t('runs.covering')}</Tag>}</>
      ),
    },
    { title: t('runs.col.year'), dataIndex: 'year', width: 70 },
    { title: t('runs.col.status'), key: 'status', width: 90, render: (_: unknown, r) => <Tag color={STATUS_COLORS[r.status]}>{t(`runs.status.${r.status}` as MsgKey)}</Tag> },
    { title: t('runs.col.households'), key: 'h', align: 'right', width: 80, render: (_: unknown, r) => r.households ?? '—' },
    { title: t('runs.col.hits'), key: 'm', align: 'right', width: 100, render: (_: unknown, r) => sum(r, 'matches') },
    { title: t('runs.col.newClues'), key: 'n', align: 'right', width: 90, render: (_: unknown, r) => newClues(r) },
    { title: t('runs.col.by'), key: 'by', width: 100, render: (_: unknown, r) => r.createdBy ?? '—' },
  ];

  const recent = runs && (
    <Card variant="borderless" size="small" title={t('runs.recent')} className="tp-r-runs" data-testid="runs-list">
      {runs.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('runs.none')} />
      ) : isMobile ? (
        <div className="tp-r-run-cards">
          {runs.map((r) => (
            <div
              key={r.id}
              className={`tp-r-run-item${shown?.id === r.id ? ' tp-r-selected' : ''}`}
              onClick={() => patch({ run: r.id })}
              data-testid="runs-item"
              data-run={r.id}
            >
              <div className="tp-r-run-item-head">
                <span>{r.region.name}{covering(r, me.region.code) && <Tag color="blue" style={{ marginInlineStart: 6 }}>{t('runs.covering')}</Tag>}</span>
                <Tag color={STATUS_COLORS[r.status]}>{t(`runs.status.${r.status}` as MsgKey)}</Tag>
              </div>
              <div className="tp-r-run-item-sub">
                {fmtTime(r.createdAt)} · {r.year} · {r.createdBy ?? '—'}
              </div>
              <div className="tp-r-run-item-sub">{summary(r)}</div>
            </div>
          ))}
        </div>
      ) : (
        <Table<RuleRun>
          size="small"
          rowKey="id"
          columns={runColumns}
          dataSource={runs}
          pagination={runs.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          rowClassName={(r) => `tp-r-click${shown?.id === r.id ? ' tp-r-selected' : ''}`}
          onRow={(r) => ({ onClick: () => patch({ run: r.id }), 'data-testid': 'runs-item', 'data-run': r.id }) as React.HTMLAttributes<HTMLElement>}
        />
      )}
    </Card>
  );

  return (
    <div className="tp-r" data-testid="runs-page">
      <PageHeader
        title={t('menu.ruleRuns')}
        subtitle={t('runs.subtitle')}
        extra={
          <Link to="/monitoring/rules">
            <Button icon={<SettingOutlined />} data-testid="runs-to-rules">
              {t('runs.toRules')}
            </Button>
          </Link>
        }
      />
      <Card variant="borderless" className="tp-r-top">
        {toolbar}
        {!canRun && <Typography.Paragraph type="secondary" className="tp-r-runs-readonly">{t('runs.readOnly')}</Typography.Paragraph>}
        {progress}
        {shownError && <Alert type="error" showIcon title={shownError} style={{ marginTop: 12 }} data-testid="runs-error" />}
      </Card>
      {!runs && !shownError && (
        <Card variant="borderless" style={{ marginTop: 16 }}>
          <Skeleton active />
        </Card>
      )}
      {resultCard}
      {recent}
    </div>
  );
}
