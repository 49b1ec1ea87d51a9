import { useState } from 'react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { AuditEntry, EndpointQuery } from '@tuopin/domain';
import { api, call } from '../api/client';
import { queryKeyOf } from '../api/queries';
import { useAuth, useMe } from '../auth/AuthContext';
import { useI18n } from '../i18n';
import { PageHeader } from '../components/PageHeader';
import { RegionPicker } from '../components/RegionPicker';
import { ChangesList, colorOf, entryVerb, RegionName, useAuditLabels } from '../components/AuditBits';
import { RevealedFields } from '../components/HistoryPanel';
import { AuditActor, AuditSubjectCell, useAuditSubjectText } from '../components/AuditSubject';
import { fmtTime } from '../utils/format';
import { useIsMobile } from '../utils/hooks';
import { isRegistryEntity, REGISTRY_ENTITIES, RegistryChanges, useRegistryAuditText } from './households/HouseholdHistory';

type Filters = Pick<NonNullable<EndpointQuery<typeof api.auditList>>, 'entity' | 'regionCode' | 'reveal'>;

/** Entities the server records today; other values still show (by their raw name). */
export const AUDIT_ENTITIES = [
  ...REGISTRY_ENTITIES, 'clues', 'procedures', 'monitoring_records', 'policy_values', 'rules', 'rule_runs', 'imports', 'users', 'regions', 'audit_log',
] as const;

const PAGE = 50;

export default function AuditPage() {
  const me = useMe();
  const { can } = useAuth();
  const { t, errorText } = useI18n();
  const auditLabels = useAuditLabels();
  const registry = useRegistryAuditText();
  const words = useAuditSubjectText();
  /** The app's audit labels, and the household pages' for registry entries (reveal, export, income, status …). */
  const labels = {
    entry: (e: AuditEntry) => {
      if (e.signature) return t(`audit.action.${e.signature.action}` as 'audit.action.sign');
      const general = auditLabels.entry(e);
      return general === e.action ? (registry.action(e.action) ?? general) : general;
    },
    entity: (entity: string) => {
      const general = auditLabels.entity(entity);
      if (general !== entity) return general;
      return registry.entity(entity) ?? words.what({ entity, entityId: null } as AuditEntry);
    },
  };
  const isMobile = useIsMobile();
  const [filters, setFilters] = useState<Filters>({});
  // the log in pages of PAGE entries (server state: TanStack Query); new filters start from the newest entry
  const client = useQueryClient();
  const key = [...queryKeyOf(api.auditList, { query: filters }), 'pages'];
  const log = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam, signal }) => call(api.auditList, { query: { ...filters, before: pageParam, limit: PAGE }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
  const items: AuditEntry[] = log.data?.pages.flatMap((p) => p.items) ?? [];
  const next = log.hasNextPage;
  const loading = log.isFetching;
  const error = log.error ? errorText(log.error) : null;

  const columns: TableColumnsType<AuditEntry> = [
    {
      title: t('audit.at'),
      dataIndex: 'at',
      width: 160,
      // the address under the time: one column less, so that the record and the reason keep their room at 1366 px
      render: (v: string, e) => (
        <span>
          {fmtTime(v)}
          {e.ip && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }} data-testid="audit-ip">
              {e.ip}
            </Typography.Text>
          )}
        </span>
      ),
    },
    { title: t('audit.actor'), dataIndex: 'actorName', width: 110, render: (_: string | null, e) => <AuditActor e={e} /> },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 104,
      render: (_: string, e) => (
        <Tag color={colorOf(entryVerb(e))} data-testid="audit-action">
          {labels.entry(e)}
        </Tag>
      ),
    },
    { title: t('audit.entity'), key: 'entity', width: 240, render: (_: unknown, e) => <AuditSubjectCell e={e} /> },
    {
      title: t('audit.region'),
      dataIndex: 'regionCode',
      width: 170,
      render: (c: string | null) => (
        <span data-testid="audit-region" data-code={c ?? ''}>
          <RegionName code={c} />
        </span>
      ),
    },
    {
      title: t('audit.reason'),
      dataIndex: 'reason',
      ellipsis: { showTitle: false },
      render: (v: string | null, e) => {
        // a signed step: the step, its result and the comment given with it; otherwise the reason of the change
        const text = words.signature(e) ?? v;
        if (!text) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <Tooltip title={text} placement="topLeft">
            <span data-testid="audit-reason">{text}</span>
          </Tooltip>
        );
      },
    },
  ];

  return (
    <div data-testid="audit-page">
      <PageHeader title={t('menu.audit')} subtitle={t('audit.subtitle', { region: me.region.fullName })} />
      <Card variant="borderless" className="tp-filter-card">
        <div className="tp-filters">
          <Select<string>
            allowClear
            placeholder={t('audit.filterEntity')}
            value={filters.entity}
            onChange={(v) => setFilters((f) => ({ ...f, entity: v || undefined }))}
            options={AUDIT_ENTITIES.map((e) => ({ value: e, label: labels.entity(e) }))}
            style={{ width: isMobile ? '100%' : 180 }}
            data-testid="audit-filter-entity"
          />
          <RegionPicker
            value={filters.regionCode}
            onChange={(c) => setFilters((f) => ({ ...f, regionCode: c }))}
            placeholder={t('audit.filterRegion')}
            style={{ width: isMobile ? '100%' : 280 }}
            data-testid="audit-filter-region"
          />
          {can('households:reveal') && (
            <Tooltip title={t('audit.revealHelp')}>
              <Space size={6}>
                <Switch
                  size="small"
                  checked={filters.reveal === true}
                  onChange={(v) => setFilters((f) => ({ ...f, reveal: v || undefined }))}
                  data-testid="audit-reveal"
                />
                <Typography.Text>{t('audit.reveal')}</Typography.Text>
              </Space>
            </Tooltip>
          )}
          <Button icon={<ReloadOutlined />} onClick={() => void client.resetQueries({ queryKey: key, exact: true })}>
            {t('common.refresh')}
          </Button>
        </div>
      </Card>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} />}
      <Card variant="borderless" style={{ marginTop: 16 }} styles={{ body: { padding: isMobile ? 8 : 16 } }}>
        <Table<AuditEntry>
          rowKey="id"
          size="middle"
          loading={loading && items.length === 0}
          columns={columns}
          dataSource={items}
          pagination={false}
          scroll={{ x: 1000 }}
          data-testid="audit-table"
          expandable={{
            expandedRowRender: (e) => (
              <div className="tp-audit-expanded">
                {e.reason && (
                  <div style={{ marginBottom: 8 }}>
                    <Typography.Text type="secondary">{t('history.reason')}</Typography.Text>
                    {e.reason}
                  </div>
                )}
                {e.action === 'reveal' ? (
                  <RevealedFields entry={e} />
                ) : isRegistryEntity(e.entity) ? (
                  <RegistryChanges e={e} />
                ) : (
                  <ChangesList changes={e.changes} action={e.action} />
                )}
              </div>
            ),
            rowExpandable: (e) => e.changes.length > 0 || !!e.reason,
          }}
        />
        <div className="tp-load-more">
          <Space orientation="vertical" align="center" size={4}>
            <Typography.Text type="secondary" data-testid="audit-count">
              {t('audit.shown', { n: items.length })}
            </Typography.Text>
            {next ? (
              <Button onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage} data-testid="audit-load-more">
                {t('common.loadMore')}
              </Button>
            ) : (
              items.length > 0 && <Typography.Text type="secondary">{t('audit.end')}</Typography.Text>
            )}
          </Space>
        </div>
      </Card>
    </div>
  );
}
