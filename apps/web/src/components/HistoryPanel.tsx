import { useEffect, useRef, type ReactNode } from 'react';
import { useInfiniteQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { Alert, Button, Empty, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { ClockCircleOutlined, EnvironmentOutlined, UserOutlined } from '@ant-design/icons';
import type { AuditEntry } from '@tuopin/domain';
import { api, call } from '../api/client';
import { queryKeyOf } from '../api/queries';
import { useI18n } from '../i18n';
import { fmtTime } from '../utils/format';
import { ChangesList, colorOf, entryVerb, useAuditLabels } from './AuditBits';

const PAGE = 20;

type HistoryPage = { items: AuditEntry[]; nextBefore: string | null };

/** Chinese / English names of the private fields named by reveal and export entries. */
const PRIVATE_FIELD_LABELS: Record<string, { zh: string; en: string }> = {
  idNumber: { zh: '证件号码', en: 'ID numbers' },
  phone: { zh: '联系电话', en: 'phone numbers' },
};

/** A reveal entry (after: { fields: ['idNumber', 'phone'] }) as a sentence with the fields' names. */
export function RevealedFields({ entry }: { entry: AuditEntry }) {
  const { lang } = useI18n();
  const fields = entry.changes.find((c) => c.field === 'fields')?.after;
  const names = (Array.isArray(fields) ? fields : []).map((f) => PRIVATE_FIELD_LABELS[String(f)]?.[lang] ?? String(f));
  if (names.length === 0) return null;
  return (
    <div className="tp-history-reason" data-testid="history-revealed">
      {lang === 'zh' ? `查看了完整的${names.join('、')}` : `Viewed the full ${names.join(' and ')}`}
    </div>
  );
}

/**
 * The change history of one record, from the audit log, newest first. `load` replaces the audit-log query (a
 * household's history also covers its members) and `queryKey` names its cache (starting with the endpoint's id, so that
 * invalidating the area refetches it); `entryLabel` and `renderChanges` replace the generic rendering. The pages are
 * server state (TanStack Query, infinite query); a new `version` of the record starts the history again from its newest entry.
 */
export function HistoryPanel({
  entity, entityId, version, load: loadPage, queryKey, entryLabel, renderChanges,
}: {
  entity: string;
  entityId: string | number;
  version?: unknown;
  load?: (before: string | undefined, limit: number) => Promise<HistoryPage>;
  queryKey?: QueryKey;
  entryLabel?: (e: AuditEntry) => ReactNode;
  renderChanges?: (e: AuditEntry) => ReactNode;
}) {
  const { t, errorText } = useI18n();
  const labels = useAuditLabels();
  const client = useQueryClient();
  const key = [...(queryKey ?? queryKeyOf(api.auditList, { query: { entity, entityId: String(entityId) } })), 'pages'];
  const history = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam, signal }): Promise<HistoryPage> =>
      loadPage
        ? loadPage(pageParam, PAGE)
        : call(api.auditList, { query: { entity, entityId: String(entityId), before: pageParam, limit: PAGE }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });

  // another version of the record (a saved change, full numbers shown): from the newest entry again
  const seen = useRef(version);
  const keyText = JSON.stringify(key);
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    void client.resetQueries({ queryKey: JSON.parse(keyText) as QueryKey, exact: true });
  }, [version, client, keyText]);

  const items = history.data?.pages.flatMap((p) => p.items) ?? [];
  const next = history.hasNextPage;
  const loading = history.isFetching;
  if (history.error) return <Alert type="error" showIcon title={errorText(history.error)} />;
  if (loading && items.length === 0) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (items.length === 0) return <Empty description={t('history.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;

  return (
    <div data-testid="history-panel">
      <Timeline
        items={items.map((e) => ({
          key: e.id,
          color: colorOf(entryVerb(e)),
          content: (
            <div className="tp-history-item" data-testid="history-item">
              <div className="tp-history-time">
                <ClockCircleOutlined /> {fmtTime(e.at)}
              </div>
              <Space size={[8, 4]} wrap>
                <Tag color={colorOf(entryVerb(e))}>{entryLabel ? entryLabel(e) : labels.entry(e)}</Tag>
                <span>
                  <UserOutlined /> {e.actorName ?? t('history.system')}
                </span>
                {e.ip && (
                  <Typography.Text type="secondary">
                    <EnvironmentOutlined /> {e.ip}
                  </Typography.Text>
                )}
              </Space>
              {e.reason && (
                <div className="tp-history-reason">
                  <Typography.Text type="secondary">{t('history.reason')}</Typography.Text>
                  {e.reason}
                </div>
              )}
              {e.action === 'reveal' ? (
                <RevealedFields entry={e} />
              ) : renderChanges ? (
                renderChanges(e)
              ) : (
                e.changes.length > 0 && <ChangesList changes={e.changes} action={e.action} />
              )}
            </div>
          ),
        }))}
      />
      {next && (
        <Button block loading={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
          {t('common.loadMore')}
        </Button>
      )}
    </div>
  );
}
