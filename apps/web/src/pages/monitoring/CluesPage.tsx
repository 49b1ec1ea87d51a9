import { useEffect, useState } from 'react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { App, Button, Card, DatePicker, Empty, Form, Input, List, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CloseCircleOutlined, PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import { CLUE_CHANNELS, CLUE_STATUSES, MANUAL_CLUE_CHANNELS, type ClueItem, type EndpointResponse, type RuleRecord } from '@tuopin/domain';
import { api, call } from '../../api/client';
import { queryKeyOf, useApiMutation, useApiQuery } from '../../api/queries';
import { useAuth, useMe } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { PageHeader } from '../../components/PageHeader';
import { RegionPicker } from '../../components/RegionPicker';
import { useDebounced, useIsMobile } from '../../utils/hooks';
import { ClueStatusTag, useMonLabels } from './shared';
import { ClueRules, SEVERITY_COLORS } from './ClueRules';
import './monitoring.css';
import { afterChinaToday, chinaToday } from '../../utils/chinaDate';

type Page = EndpointResponse<typeof api.clueList>;
const PAGE = 30;

function Acceptance({ c }: { c: ClueItem }) {
  const { t } = useI18n();
  if (!c.acceptDueOn) return <>—</>;
  if (c.acceptOverdue) return <Tag color="red" className="mon-wrap-tag" data-testid="accept-overdue">{t('mon.acceptOverdue', { date: c.acceptDueOn })}</Tag>;
  return c.status === 'open' ? <Tag color="orange" className="mon-wrap-tag">{t('mon.acceptBy', { date: c.acceptDueOn })}</Tag> : <>—</>;
}

/** A clue's content in full: the rules of a platform clue (most severe first), the text of the others; wraps, never cut. */
function ClueSummary({ c }: { c: ClueItem }) {
  const { t } = useI18n();
  if (!c.rules.length) return <div className="clue-summary" data-testid="clue-summary">{c.summary}</div>;
  return (
    <div className="clue-summary" data-testid="clue-summary" title={t('mon.rules.show')}>
      {c.rules.map((r) => (
        <div key={r.ruleId} className="clue-summary-rule"><Tag color={SEVERITY_COLORS[r.severity]} className="clue-sev">{t(`mon.severity.${r.severity}` as 'mon.severity.high')}</Tag>{r.name}</div>
      ))}
    </div>
  );
}

/** Household search for the new-clue form (the registry list searched by number or name). */
function HouseholdSearch({ value, onChange }: { value?: string; onChange?: (v: string) => void }) {
  const [q, setQ] = useState('');
  const dq = useDebounced(q, 300);
  // the households found for the text typed (the last ones found stay while the text is cleared or the next search loads)
  const found = useApiQuery(api.householdList, dq.trim() ? { query: { q: dq.trim(), limit: 20, withTotals: false } } : null, { keepPrevious: true });
  const options = (found.data?.items ?? []).map((h) => ({ value: `${h.countyCode}:${h.id}`, label: `${h.headName ?? ''}（${h.householdNo}，${h.village.name}）` }));
  return <Select showSearch={{ filterOption: false, onSearch: setQ }} value={value} onChange={onChange} options={options} data-testid="clue-household" style={{ width: '100%' }} />;
}

export default function CluesPage() {
  const { t, errorText } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const { can } = useAuth();
  const l = useMonLabels();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const region = sp.get('region') ?? undefined;
  const status = sp.get('status') ?? undefined;
  const channel = sp.get('channel') ?? undefined;
  const overdue = sp.get('overdue') === '1';
  const mine = sp.get('mine') === '1';
  // platform clues of one warning rule and run period (links from the warning-run results)
  const ruleId = sp.get('rule') ?? undefined;
  const period = sp.get('period') ?? undefined;
  const [selected, setSelected] = useState<string[]>([]);
  const [assignOpen, setAssignOpen] = useState(false);
  const [createOpen, setCreateOpen] = useState(false);
  /** the clues being dismissed: one (its row's button) or the selected ones, with one reason */
  const [dismissing, setDismissing] = useState<ClueItem[] | null>(null);
  // the warning rules for the rule filter (none on an error)
  const rules: RuleRecord[] = useApiQuery(api.rulesList).data ?? [];
  const [form] = Form.useForm();
  const [assignForm] = Form.useForm();
  const [dismissForm] = Form.useForm();
  const canCreate = can('clues:create');
  const canAssign = can('clues:assign');
  const canDismiss = can('clues:dismiss');
  const canStart = can('procedures:start');
  const canSelect = canAssign || canDismiss;

  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(sp);
    if (v) next.set(k, v); else next.delete(k);
    setSp(next, { replace: true });
  };

  // the inbox in pages of PAGE (server state: an infinite query); a failure is said in a message
  const filters = {
    regionCode: region, status: status as ClueItem['status'] | undefined, channel: channel as ClueItem['channel'] | undefined, overdue: overdue || undefined,
    assigneeId: mine ? me.id : undefined, ruleId, period,
  };
  const filterKey = JSON.stringify(filters);
  const list = useInfiniteQuery({
    queryKey: [...queryKeyOf(api.clueList, { query: filters }), 'pages'],
    queryFn: ({ pageParam, signal }) => call(api.clueList, { query: { ...filters, after: pageParam, limit: PAGE }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items: ClueItem[] = list.data?.pages.flatMap((x) => x.items) ?? [];
  const page: Page | null = list.data?.pages[list.data.pages.length - 1] ?? null;
  const { error } = list;
  useEffect(() => {
    if (error) message.error(errorText(error));
  }, [error, message, errorText]);
  // other filters, another selection
  useEffect(() => setSelected([]), [filterKey]);

  // a change of clues makes the inbox, the clue and the household's monitoring path stale
  const changes = [api.clueList, api.clueGet, api.householdMonitoring];
  const assignClues = useApiMutation(api.clueAssign, { invalidates: changes });
  const createClue = useApiMutation(api.clueCreate, { invalidates: changes });
  const startIdentification = useApiMutation(api.identificationStart, { invalidates: [...changes, api.procedureList] });
  const dismissOne = useApiMutation(api.clueDismiss, { invalidates: changes });
  const dismissMany = useApiMutation(api.clueDismissBulk, { invalidates: changes });
  // the people a clue can be assigned to, once the assignment is opened
  const assignees = useApiQuery(api.clueVerifiers, assignOpen ? { query: { regionCode: region } } : null);
  const verifiers = (assignees.data ?? []).map((v) => ({ value: v.id, label: `${v.name}（${v.regionName}）` }));

  const openAssign = () => setAssignOpen(true);
  // A form that does not validate shows its messages: the rejection of validateFields is not an error of the page.
  const assign = async () => {
    const v = await assignForm.validateFields().catch(() => null);
    if (!v) return;
    try {
      const r = await assignClues.mutateAsync({ body: { assigneeId: v.assigneeId, clues: selected.map((k) => { const [countyCode, id] = k.split(':'); return { countyCode: countyCode!, id: Number(id) }; }) } });
      message.success(t('mon.assigned', { n: r.assigned }));
      setAssignOpen(false);
      setSelected([]);
    } catch (e) { message.error(errorText(e)); }
  };
  const create = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const [countyCode, id] = String(v.household).split(':');
    try {
      await createClue.mutateAsync({ body: { countyCode: countyCode!, householdId: Number(id), channel: v.channel, foundOn: v.date.format('YYYY-MM-DD'), summary: v.summary, sourceNote: v.source || undefined } });
      message.success(t('mon.created'));
      setCreateOpen(false);
      form.resetFields();
    } catch (e) { message.error(errorText(e)); }
  };
  const start = async (c: ClueItem) => {
    try {
      const p = await startIdentification.mutateAsync({ params: { countyCode: c.countyCode, id: c.id } });
      navigate(`/monitoring/procedures/${p.countyCode}/${p.id}`);
    } catch (e) { message.error(errorText(e)); }
  };
  const dismiss = async () => {
    const v = await dismissForm.validateFields().catch(() => null);
    if (!v || !dismissing?.length) return;
    try {
      if (dismissing.length === 1) {
        await dismissOne.mutateAsync({ params: { countyCode: dismissing[0]!.countyCode, id: dismissing[0]!.id }, body: { reason: v.reason } });
      } else {
        await dismissMany.mutateAsync({ body: { reason: v.reason, clues: dismissing.map((c) => ({ countyCode: c.countyCode, id: c.id })) } });
      }
      message.success(t('mon.dismissed', { n: dismissing.length }));
      setDismissing(null);
      setSelected([]);
      dismissForm.resetFields();
    } catch (e) { message.error(errorText(e)); }
  };
  const selectedClues = items.filter((c) => selected.includes(`${c.countyCode}:${c.id}`));

  const actions = (c: ClueItem) => (
    <Space wrap size={4}>
      {c.procedureId ? <Link to={`/monitoring/procedures/${c.countyCode}/${c.procedureId}`}>{t('mon.openProcedure')}</Link> : null}
      {canStart && (c.status === 'open' || c.status === 'assigned') && (
        <Button size="small" type="primary" onClick={() => void start(c)} data-testid={`start-${c.id}`}>{t('mon.startIdentification')}</Button>
      )}
      {canDismiss && (c.status === 'open' || c.status === 'assigned') && <Button size="small" onClick={() => setDismissing([c])} data-testid={`dismiss-${c.id}`}>{t('mon.dismiss')}</Button>}
    </Space>
  );

  const columns: TableColumnsType<ClueItem> = [
    // the household with its village under it: the width goes to the content
    {
      title: t('mon.col.householdVillage'), key: 'h', width: 120,
      render: (_, c) => (
        <div className="clue-household">
          <Link to={`/households/${c.countyCode}/${c.household.id}`}>{c.household.headName ?? c.household.householdNo}</Link>
          <Typography.Text type="secondary" className="clue-village">{c.household.villageName}</Typography.Text>
        </div>
      ),
    },
    { title: t('mon.col.channel'), key: 'ch', width: 100, render: (_, c) => l.channel(c.channel) },
    // The content in full: platform clues list every rule that fired (the expanded row adds each rule's facts).
    { title: t('mon.col.summary'), key: 'summary', render: (_, c) => <ClueSummary c={c} /> },
    { title: t('mon.col.date'), dataIndex: 'foundOn', width: 100 },
    { title: t('mon.col.acceptance'), key: 'acc', width: 112, render: (_, c) => <Acceptance c={c} /> },
    { title: t('mon.col.status'), key: 's', width: 84, render: (_, c) => <ClueStatusTag status={c.status} /> },
    { title: t('mon.col.assignee'), key: 'a', width: 88, render: (_, c) => c.assignee?.name ?? '—' },
    { title: t('common.actions'), key: 'x', width: 150, render: (_, c) => actions(c) },
  ];

  return (
    <div data-testid="clues-page">
      <PageHeader title={t('menu.clues')} subtitle={t('mon.clues.subtitle')} extra={canCreate && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreateOpen(true)} data-testid="new-clue">{t('mon.newClue')}</Button>} />
      <Card variant="borderless" size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <RegionPicker value={region ?? me.region.code} onChange={(c) => set('region', c)} allowClear={false} style={{ width: isMobile ? 300 : 280 }} />
          <Select allowClear placeholder={t('mon.filter.status')} value={status} onChange={(v) => set('status', v)} style={{ width: 130 }}
            options={CLUE_STATUSES.map((s) => ({ value: s.code, label: l.clueStatus(s.code) }))} data-testid="filter-status" />
          <Select allowClear placeholder={t('mon.filter.channel')} value={channel} onChange={(v) => set('channel', v)} style={{ width: 160 }}
            options={CLUE_CHANNELS.map((s) => ({ value: s.code, label: l.channel(s.code) }))} />
          <Space size={4}><Switch size="small" checked={overdue} onChange={(v) => set('overdue', v ? '1' : undefined)} data-testid="filter-overdue" />{t('mon.filter.overdue')}</Space>
          <Space size={4}><Switch size="small" checked={mine} onChange={(v) => set('mine', v ? '1' : undefined)} />{t('mon.filter.mine')}</Space>
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('mon.filter.ruleSelect')} value={ruleId} onChange={(v) => set('rule', v)}
            style={{ width: isMobile ? 300 : 260 }} data-testid="filter-rule-select"
            options={(rules.some((r) => r.id === ruleId) || !ruleId ? rules : [...rules, { id: ruleId, name: ruleId } as RuleRecord]).map((r) => ({ value: r.id, label: r.name }))} />
          {period && (
            <Tag closable onClose={() => set('period', undefined)} data-testid="filter-rule">
              {t('mon.filter.period', { period })}
            </Tag>
          )}
        </Space>
      </Card>
      <Card variant="borderless" size="small"
        title={<Typography.Text type="secondary">{t('mon.total', { n: page?.total ?? 0 })}</Typography.Text>}
        extra={canSelect && (
          <Space wrap size={8}>
            {canAssign && <Button icon={<UserAddOutlined />} disabled={!selected.length} onClick={openAssign} data-testid="assign">{t('mon.assignSelected', { n: selected.length })}</Button>}
            {canDismiss && <Button icon={<CloseCircleOutlined />} disabled={!selectedClues.length} onClick={() => setDismissing(selectedClues)} data-testid="dismiss-selected">{t('mon.dismissSelected', { n: selectedClues.length })}</Button>}
          </Space>
        )}>
        {isMobile ? (
          items.length ? (
            <List dataSource={items} renderItem={(c) => (
              <Card size="small" className={`clue-card${c.acceptOverdue ? ' clue-card-overdue' : ''}`} data-testid="clue-card" style={{ marginBottom: 8 }}>
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  <Space wrap><Typography.Text strong>{c.household.headName}</Typography.Text><ClueStatusTag status={c.status} /><Acceptance c={c} /></Space>
                  <Typography.Text type="secondary">{c.household.villageName} · {l.channel(c.channel)} · {c.foundOn}</Typography.Text>
                  {c.rules.length ? <ClueRules clue={c} /> : <Typography.Paragraph style={{ margin: 0 }}>{c.summary}</Typography.Paragraph>}
                  {actions(c)}
                </Space>
              </Card>
            )} />
          ) : <Empty />
        ) : (
          <Table<ClueItem> rowKey={(c) => `${c.countyCode}:${c.id}`} size="small" columns={columns} scroll={{ x: 1000 }} dataSource={items} pagination={false} data-testid="clue-table"
            expandable={{ expandedRowRender: (c) => <ClueRules clue={c} />, rowExpandable: (c) => c.rules.length > 0, columnWidth: 36 }}
            rowSelection={canSelect ? { selectedRowKeys: selected, onChange: (k) => setSelected(k as string[]), getCheckboxProps: (c) => ({ disabled: c.status !== 'open' && c.status !== 'assigned' }) } : undefined}
            rowClassName={(c) => (c.acceptOverdue ? 'clue-row-overdue' : '')} />
        )}
        {page?.next && <Button block style={{ marginTop: 8 }} onClick={() => void list.fetchNextPage()}>{t('common.loadMore')}</Button>}
      </Card>

      <Modal open={createOpen} title={t('mon.newClue')} onCancel={() => setCreateOpen(false)} onOk={() => void create()} okButtonProps={{ id: 'clue-save' }} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ channel: 'application', date: chinaToday() }}>
          <Form.Item name="household" label={t('mon.form.household')} rules={[{ required: true, message: t('mon.form.household') }]}><HouseholdSearch /></Form.Item>
          <Form.Item name="channel" label={t('mon.form.channel')} rules={[{ required: true }]}>
            <Select options={MANUAL_CLUE_CHANNELS.map((c) => ({ value: c, label: l.channel(c) }))} />
          </Form.Item>
          <Form.Item name="date" label={t('mon.form.date')} rules={[{ required: true }]}><DatePicker disabledDate={afterChinaToday} style={{ width: '100%' }} /></Form.Item>
          <Form.Item name="summary" label={t('mon.form.summary')} rules={[{ required: true, whitespace: true, message: t('mon.form.summary') }]}><Input.TextArea rows={3} maxLength={2000} data-testid="clue-summary" /></Form.Item>
          <Form.Item name="source" label={t('mon.form.source')}><Input maxLength={500} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={assignOpen} title={t('mon.assign')} onCancel={() => setAssignOpen(false)} onOk={() => void assign()} okButtonProps={{ id: 'assign-ok' }}>
        <Form form={assignForm} layout="vertical">
          <Form.Item name="assigneeId" label={t('mon.assignee')} rules={[{ required: true }]}><Select options={verifiers} data-testid="assignee" /></Form.Item>
        </Form>
      </Modal>
      <Modal open={dismissing !== null} title={dismissing && dismissing.length > 1 ? t('mon.dismissN', { n: dismissing.length }) : t('mon.dismiss')}
        onCancel={() => setDismissing(null)} onOk={() => void dismiss()} okButtonProps={{ id: 'dismiss-ok' }}>
        {dismissing && dismissing.length > 1 && <Typography.Paragraph type="secondary">{t('mon.dismissNHelp')}</Typography.Paragraph>}
        <Form form={dismissForm} layout="vertical">
          <Form.Item name="reason" label={t('mon.dismissReason')} rules={[{ required: true, whitespace: true, message: t('mon.dismissReasonRequired') }]}>
            <Input.TextArea rows={2} maxLength={1000} data-testid="dismiss-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
