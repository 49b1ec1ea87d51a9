import { useEffect, useMemo } from 'react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { App, Button, Card, Empty, List, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PROCEDURE_KINDS, PROCEDURE_STEPS, type EndpointResponse, type ProcedureKind, type ProcedureSummary } from '@tuopin/domain';
import { api, call } from '../../api/client';
import { queryKeyOf } from '../../api/queries';
import { useMe } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { PageHeader } from '../../components/PageHeader';
import { RegionPicker } from '../../components/RegionPicker';
import { useIsMobile } from '../../utils/hooks';
import { ProcStatusTag, useMonLabels } from './shared';
import './monitoring.css';

type Page = EndpointResponse<typeof api.procedureList>;
type Status = ProcedureSummary['status'];
const PAGE = 50;
const STATUSES: readonly Status[] = ['active', 'completed', 'rejected', 'withdrawn'];

/** The roles that must sign the current step, in the current language ("—" once the procedure has ended). */
function useWhoActs() {
  const { roleLabel, lang } = useI18n();
  return (p: ProcedureSummary) => {
    if (p.status !== 'active' || !p.step) return '—';
    const def = PROCEDURE_STEPS[p.kind].find((s) => s.code === p.step);
    return def ? def.roles.map((r) => roleLabel(r)).join(lang === 'zh' ? '或' : ' or ') : '—';
  };
}

function OverdueTags({ p }: { p: ProcedureSummary }) {
  const { t } = useI18n();
  if (p.overdue) return <Tag color="red" data-testid="proc-overdue">{t('mon.proc.overdue')}</Tag>;
  if (p.stepOverdue) return <Tag color="orange" data-testid="proc-step-overdue">{t('mon.proc.stepOverdue')}</Tag>;
  return null;
}

/**
 * 程序办理: the identification and risk-elimination procedures of a region (its whole subtree), newest first, with
 * filters for kind, status, current step and overdue cases (the whole procedure or its current step past its time
 * limit). Each row names the current step, who must sign it and by when, and links to the procedure page.
 */
export default function ProceduresPage() {
  const { t, errorText } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const l = useMonLabels();
  const whoActs = useWhoActs();
  const isMobile = useIsMobile();
  const [sp, setSp] = useSearchParams();
  const region = sp.get('region') ?? undefined;
  const kindParam = sp.get('kind');
  const kind = (PROCEDURE_KINDS as readonly string[]).includes(kindParam ?? '') ? (kindParam as ProcedureKind) : undefined;
  const statusParam = sp.get('status');
  const status = (STATUSES as readonly string[]).includes(statusParam ?? '') ? (statusParam as Status) : undefined;
  const step = sp.get('step') ?? undefined;
  const overdue = sp.get('overdue') === '1';
  const confirming = sp.get('confirming') === '1';

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v); else next.delete(k);
    }
    setSp(next, { replace: true });
  };

  // the list in pages of PAGE (server state: an infinite query); a failure is said in a message
  const filters = { regionCode: region, kind, status, step, overdue: overdue || undefined, confirming: confirming || undefined };
  const list = useInfiniteQuery({
    queryKey: [...queryKeyOf(api.procedureList, { query: filters }), 'pages'],
    queryFn: ({ pageParam, signal }) => call(api.procedureList, { query: { ...filters, after: pageParam, limit: PAGE }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items: ProcedureSummary[] = list.data?.pages.flatMap((p) => p.items) ?? [];
  const page: Page | null = list.data?.pages[list.data.pages.length - 1] ?? null;
  const loading = list.isFetching;
  const { error } = list;
  useEffect(() => {
    if (error) message.error(errorText(error));
  }, [error, message, errorText]);

  /** Steps of the chosen kind, or of both kinds (a step shared by both is listed once). */
  const stepOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const k of kind ? [kind] : PROCEDURE_KINDS) {
      for (const s of PROCEDURE_STEPS[k]) if (!seen.has(s.code)) seen.set(s.code, l.step(k, s.code));
    }
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [kind, l]);

  const link = (p: ProcedureSummary) => `/monitoring/procedures/${p.countyCode}/${p.id}`;
  const due = (p: ProcedureSummary) => (p.status === 'active' ? (
    <Space orientation="vertical" size={0}>
      <span data-testid="proc-due">{p.dueOn}</span>
      {p.stepDueOn && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('mon.procs.stepDue', { date: p.stepDueOn })}</Typography.Text>}
    </Space>
  ) : '—');

  const columns: TableColumnsType<ProcedureSummary> = [
    { title: t('mon.col.household'), key: 'h', render: (_, p) => <Link to={`/households/${p.countyCode}/${p.household.id}`}>{p.household.headName ?? p.household.householdNo}</Link> },
    { title: t('mon.col.village'), key: 'v', render: (_, p) => p.household.villageName },
    { title: t('mon.col.kind'), key: 'k', render: (_, p) => l.kind(p.kind) },
    { title: t('mon.col.status'), key: 's', render: (_, p) => <ProcStatusTag status={p.status} /> },
    { title: t('mon.col.step'), key: 'st', render: (_, p) => <span data-testid="proc-step">{p.step ? l.step(p.kind, p.step) : '—'}</span> },
    { title: t('mon.procs.who'), key: 'w', render: (_, p) => <span data-testid="proc-who">{whoActs(p)}</span> },
    { title: t('mon.col.due'), key: 'd', width: 150, render: (_, p) => due(p) },
    { title: t('mon.procs.started'), dataIndex: 'startedOn', width: 110 },
    { title: t('mon.procs.overdueCol'), key: 'o', render: (_, p) => <OverdueTags p={p} /> },
    { title: t('common.actions'), key: 'x', render: (_, p) => <Link to={link(p)} data-testid="proc-open">{t('mon.openProcedure')}</Link> },
  ];

  return (
    <div data-testid="procedures-page">
      <PageHeader title={t('menu.procedures')} subtitle={t('mon.procs.subtitle')} />
      <Card variant="borderless" size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <RegionPicker value={region ?? me.region.code} onChange={(c) => set({ region: c })} allowClear={false} style={{ width: isMobile ? 300 : 280 }} data-testid="procs-region" />
          <Select allowClear placeholder={t('mon.procs.filter.kind')} value={kind} style={{ width: 150 }} data-testid="procs-kind"
            onChange={(v) => set({ kind: v, step: v && step && !PROCEDURE_STEPS[v].some((s) => s.code === step) ? undefined : step })}
            options={PROCEDURE_KINDS.map((k) => ({ value: k, label: l.kind(k) }))} />
          <Select allowClear placeholder={t('mon.filter.status')} value={status} onChange={(v) => set({ status: v })} style={{ width: 120 }} data-testid="procs-status"
            options={STATUSES.map((s) => ({ value: s, label: t(`mon.status.${s}`) }))} />
          <Select allowClear placeholder={t('mon.col.step')} value={step} onChange={(v) => set({ step: v })} style={{ width: 150 }} data-testid="procs-step" options={stepOptions} />
          <Space size={4}><Switch size="small" checked={overdue} onChange={(v) => set({ overdue: v ? '1' : undefined })} data-testid="procs-overdue" />{t('mon.procs.filter.overdue')}</Space>
          <Space size={4}><Switch size="small" checked={confirming} onChange={(v) => set({ confirming: v ? '1' : undefined })} data-testid="procs-confirming" />{t('mon.procs.filter.confirming')}</Space>
        </Space>
      </Card>
      <Card variant="borderless" size="small"
        title={<Typography.Text type="secondary" data-testid="procs-count">{t(page?.next ? 'mon.procs.shownMore' : 'mon.procs.shown', { n: items.length })}</Typography.Text>}>
        {isMobile ? (
          items.length ? (
            <List dataSource={items} renderItem={(p) => (
              <Card size="small" className={`clue-card${p.overdue || p.stepOverdue ? ' clue-card-overdue' : ''}`} data-testid="proc-card" style={{ marginBottom: 8 }}>
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  <Space wrap size={4}>
                    <Link to={link(p)}><Typography.Text strong>{p.household.headName ?? p.household.householdNo}</Typography.Text></Link>
                    <ProcStatusTag status={p.status} /><OverdueTags p={p} />
                  </Space>
                  <Typography.Text type="secondary">{p.household.villageName} · {l.kind(p.kind)}</Typography.Text>
                  {p.status === 'active' && p.step && (
                    <span>
                      <span data-testid="proc-step">{l.step(p.kind, p.step)}</span>
                      {' · '}<span data-testid="proc-who">{whoActs(p)}</span>
                    </span>
                  )}
                  {p.status === 'active' && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('mon.procs.dueLine', { date: p.dueOn })}{p.stepDueOn ? ` · ${t('mon.procs.stepDue', { date: p.stepDueOn })}` : ''}
                    </Typography.Text>
                  )}
                  <Link to={link(p)} data-testid="proc-open">{t('mon.openProcedure')}</Link>
                </Space>
              </Card>
            )} />
          ) : <Empty description={loading ? undefined : t('mon.procs.empty')} />
        ) : (
          <Table<ProcedureSummary> rowKey={(p) => `${p.countyCode}:${p.id}`} size="small" columns={columns} dataSource={items} pagination={false} loading={loading}
            data-testid="procs-table" scroll={{ x: 1000 }} locale={{ emptyText: <Empty description={t('mon.procs.empty')} /> }}
            onRow={(p) => ({ 'data-testid': 'proc-row', className: p.overdue || p.stepOverdue ? 'clue-row-overdue' : undefined }) as React.HTMLAttributes<HTMLElement>} />
        )}
        {page?.next && <Button block style={{ marginTop: 8 }} onClick={() => void list.fetchNextPage()}>{t('common.loadMore')}</Button>}
      </Card>
    </div>
  );
}
