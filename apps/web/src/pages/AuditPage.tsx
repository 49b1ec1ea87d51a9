import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { AuditEntry, EndpointQuery } from '@tuopin/domain';
import { api, call } from '../api/client';
import { useMe } from '../auth/AuthContext';
import { useI18n } from '../i18n';
import { PageHeader } from '../components/PageHeader';
import { RegionPicker } from '../components/RegionPicker';
import { ChangesList, colorOf, entryVerb, RegionName, useAuditLabels } from '../components/AuditBits';
import { RevealedFields } from '../components/HistoryPanel';
import { fmtTime } from '../utils/format';
import { useIsMobile } from '../utils/hooks';
import { isRegistryEntity, REGISTRY_ENTITIES, RegistryChanges, useRegistryAuditText } from './households/HouseholdHistory';

type Filters = Pick<NonNullable<EndpointQuery<typeof api.auditList>>, 'entity' | 'regionCode'>;

/** Entities the server records today; other values still show (by their raw name). */
export const AUDIT_ENTITIES = ['users', 'regions', ...REGISTRY_ENTITIES] as const;

const PAGE = 50;

export default function AuditPage() {
  const me = useMe();
  const { t, errorText } = useI18n();
  const auditLabels = useAuditLabels();
  const registry = useRegistryAuditText();
  /** The app's audit labels, and the household pages' for registry entries (reveal, export, income, status …). */
  const labels = {
    entry: (e: AuditEntry) => {
      const general = auditLabels.entry(e);
      return general === e.action ? (registry.action(e.action) ?? general) : general;
    },
    entity: (entity: string) => {
      const general = auditLabels.entity(entity);
      return general === entity ? (registry.entity(entity) ?? general) : general;
    },
  };
  const isMobile = useIsMobile();
  const [filters, setFilters] = useState<Filters>({});
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const seq = useRef(0);

  const load = useCallback(
    async (before?: string) => {
      const mine = ++seq.current;
      setLoading(true);
      setError(null);
      try {
        const page = await call(api.auditList, { query: { ...filters, before, limit: PAGE } });
        if (mine !== seq.current) return;
        setItems((old) => (before ? [...old, ...page.items] : page.items));
        setNext(page.nextBefore);
      } catch (e) {
        if (mine === seq.current) setError(errorText(e));
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    },
    [filters, errorText],
  );

  useEffect(() => {
    setItems([]);
    setNext(null);
    void load();
  }, [load, reload]);

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.at'), dataIndex: 'at', width: 165, render: (v: string) => fmtTime(v) },
    {
      title: t('audit.actor'),
      dataIndex: 'actorName',
      width: 120,
      render: (v: string | null) => v ?? <Typography.Text type="secondary">{t('history.system')}</Typography.Text>,
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 120,
      render: (_: string, e) => (
        <Tag color={colorOf(entryVerb(e))} data-testid="audit-action">
          {labels.entry(e)}
        </Tag>
      ),
    },
    {
      title: t('audit.entity'),
      key: 'entity',
      width: 120,
      render: (_: unknown, e) => (
        <span>
          {labels.entity(e.entity)}
          {e.entityId && <Typography.Text type="secondary"> #{e.entityId}</Typography.Text>}
        </span>
      ),
    },
    {
      title: t('audit.region'),
      dataIndex: 'regionCode',
      width: 220,
      render: (c: string | null) => (
        <span data-testid="audit-region" data-code={c ?? ''}>
          <RegionName code={c} />
        </span>
      ),
    },
    { title: t('audit.ip'), dataIndex: 'ip', width: 120, render: (v: string | null) => v ?? '—' },
    {
      title: t('audit.reason'),
      dataIndex: 'reason',
      ellipsis: true,
      render: (v: string | null) => v ?? <Typography.Text type="secondary">—</Typography.Text>,
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
          <Button icon={<ReloadOutlined />} onClick={() => setReload((r) => r + 1)}>
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
          scroll={{ x: 1040 }}
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
              <Button onClick={() => void load(next)} loading={loading} data-testid="audit-load-more">
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
