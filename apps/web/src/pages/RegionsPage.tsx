import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  Alert,
  Breadcrumb,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  List,
  Row,
  Skeleton,
  Spin,
  Statistic,
  Table,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { GetRef, TableColumnsType, TreeDataNode } from 'antd';
import { EnvironmentOutlined, SearchOutlined } from '@ant-design/icons';
import type { RegionDetail, RegionNode } from '@tuopin/domain';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { loadChildren, regionQueries, searchRegions } from '../api/regionCache';
import { queryKeyOf } from '../api/queries';
import { useI18n, type MsgKey } from '../i18n';
import { PageHeader } from '../components/PageHeader';
import { useDebounced, useIsMobile } from '../utils/hooks';

const NO_REGIONS: RegionNode[] = [];
const LEVEL_COLORS = ['magenta', 'red', 'volcano', 'orange', 'green', 'blue'];

export default function RegionsPage() {
  const { t, levelLabel, errorText } = useI18n();
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const treeRef = useRef<GetRef<typeof Tree>>(null);
  const scrollTarget = useRef<string | null>(null);

  const [kids, setKids] = useState<Record<string, RegionNode[]>>({});
  const [expanded, setExpanded] = useState<string[]>([]);
  const [selected, setSelected] = useState<string | null>(params.get('code'));
  /** A child list of the tree that could not be loaded. */
  const [treeError, setTreeError] = useState<string | null>(null);
  // the roots, the selected region and its children are server state (the region cache's queries, never stale)
  const rootsQuery = useQuery(regionQueries.roots());
  const roots: RegionNode[] | null = rootsQuery.data ?? (rootsQuery.error ? NO_REGIONS : null);
  const detailQuery = useQuery({ ...regionQueries.detail(selected ?? ''), enabled: !!selected, placeholderData: keepPreviousData });
  const detail: RegionDetail | null = detailQuery.data ?? null;
  const withChildren = !!detail && detail.region.childCount > 0;
  const childrenQuery = useQuery({ ...regionQueries.children(detail?.region.code ?? ''), enabled: withChildren });
  const detailChildren: RegionNode[] = withChildren ? (childrenQuery.data ?? []) : [];
  const detailLoading = detailQuery.isFetching || (withChildren && childrenQuery.isFetching);
  const failed = rootsQuery.error ?? detailQuery.error ?? childrenQuery.error;
  const error = failed ? errorText(failed) : treeError;

  const [q, setQ] = useState('');
  const debounced = useDebounced(q.trim(), 300);
  // the search answers are server state (TanStack Query), cached by text
  const search = useQuery({
    queryKey: queryKeyOf(api.regionSearch, { query: { q: debounced } }),
    queryFn: ({ signal }) => searchRegions(debounced, undefined, signal).catch((): RegionNode[] => []),
    enabled: debounced !== '',
    placeholderData: keepPreviousData,
  });
  const results = debounced ? (search.data ?? null) : null;
  const searching = search.isFetching;

  // ---- tree ------------------------------------------------------------------------------
  const rootList = rootsQuery.data;
  useEffect(() => {
    if (!rootList) return;
    if (!params.get('code') && rootList[0]) setSelected(rootList[0].code);
    // a single root is opened at once
    const only = rootList.length === 1 ? rootList[0] : undefined;
    if (only && only.childCount > 0) {
      void ensureChildren(only.code).then(() => setExpanded((e) => (e.includes(only.code) ? e : [...e, only.code])));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the roots have arrived
  }, [rootList]);

  const ensureChildren = useCallback(async (code: string) => {
    const list = await loadChildren(code).catch((e: unknown) => {
      setTreeError(errorText(e));
      throw e;
    });
    setKids((k) => (k[code] ? k : { ...k, [code]: list }));
    return list;
  }, [errorText]);

  const treeData = useMemo<TreeDataNode[]>(() => {
    const build = (n: RegionNode, depth: number): TreeDataNode => ({
      key: n.code,
      title: (
        <span className="tp-tree-title" data-testid={`region-node-${n.code}`} data-depth={depth}>
          {n.name}
          {n.childCount > 0 && <span className="tp-tree-count">{n.childCount}</span>}
        </span>
      ),
      isLeaf: n.childCount === 0,
      children: kids[n.code]?.map((k) => build(k, depth + 1)),
    });
    return (roots ?? []).map((r) => build(r, 0));
  }, [roots, kids]);

  // ---- selection: detail + path -----------------------------------------------------------
  // Expand the tree down to the selected region (loading each level on the way) once its detail has arrived.
  const shownDetail = detailQuery.isPlaceholderData ? undefined : detailQuery.data;
  useEffect(() => {
    if (!shownDetail) return;
    let alive = true;
    const d = shownDetail;
    (async () => {
      const ancestors = d.path.filter((p) => p.code !== d.region.code).map((p) => p.code);
      for (const a of ancestors) await ensureChildren(a);
      if (d.region.childCount > 0) await ensureChildren(d.region.code);
      if (!alive) return;
      setExpanded((e) => Array.from(new Set([...e, ...ancestors])));
      scrollTarget.current = d.region.code;
    })().catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [shownDetail, ensureChildren]);

  // Scroll the tree to a region chosen elsewhere (search, breadcrumb, table) once it is rendered.
  useEffect(() => {
    const key = scrollTarget.current;
    if (!key) return;
    const id = requestAnimationFrame(() => {
      if (document.querySelector(`[data-testid="region-node-${key}"]`) || expanded.length > 0) {
        treeRef.current?.scrollTo({ key, align: 'auto' });
        scrollTarget.current = null;
      }
    });
    return () => cancelAnimationFrame(id);
  }, [expanded, treeData]);

  const select = (code: string) => {
    setSelected(code);
    setParams({ code }, { replace: true });
  };

  // ---- search ----------------------------------------------------------------------------

  const childColumns: TableColumnsType<RegionNode> = [
    {
      title: t('region.code'),
      dataIndex: 'code',
      width: 140,
      render: (c: string) => <Typography.Text copyable={{ text: c }} className="tp-mono">{c}</Typography.Text>,
    },
    {
      title: t('region.name'),
      dataIndex: 'name',
      render: (name: string, r) => (
        <Typography.Link onClick={() => select(r.code)} data-testid={`region-child-${r.code}`}>
          {name}
        </Typography.Link>
      ),
    },
    { title: t('region.level'), dataIndex: 'level', width: 90, render: (l: number) => <Tag color={LEVEL_COLORS[l]}>{levelLabel(l)}</Tag> },
    { title: t('region.childCount'), dataIndex: 'childCount', width: 110, align: 'right' },
  ];

  const countItems: { key: keyof RegionDetail['descendants']; label: MsgKey; below: number }[] = [
    { key: 'cities', label: 'dashboard.cities', below: 2 },
    { key: 'counties', label: 'dashboard.counties', below: 3 },
    { key: 'townships', label: 'dashboard.townships', below: 4 },
    { key: 'villages', label: 'dashboard.villages', below: 5 },
  ];

  const region = detail?.region;

  return (
    <div data-testid="regions-page">
      <PageHeader title={t('menu.regions')} subtitle={t('region.subtitle')} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} closable />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8} xxl={7}>
          <Card variant="borderless" className="tp-region-tree-card" styles={{ body: { padding: 12 } }}>
            <Input
              allowClear
              prefix={<SearchOutlined />}
              placeholder={t('region.searchPlaceholder')}
              value={q}
              onChange={(e) => setQ(e.target.value)}
              data-testid="region-search"
            />
            {q.trim() && (
              <div className="tp-search-results" data-testid="region-search-results">
                {searching && !results ? (
                  <div style={{ padding: 16, textAlign: 'center' }}>
                    <Spin size="small" />
                  </div>
                ) : (
                  <List
                    size="small"
                    dataSource={results ?? []}
                    locale={{ emptyText: t('common.noMatch') }}
                    renderItem={(n) => (
                      <List.Item
                        className="tp-search-item"
                        onClick={() => {
                          select(n.code);
                          setQ('');
                        }}
                        data-testid={`region-search-result-${n.code}`}
                      >
                        <div style={{ minWidth: 0 }}>
                          <div>
                            <strong>{n.name}</strong>{' '}
                            <Tag color={LEVEL_COLORS[n.level]} variant="filled">
                              {levelLabel(n.level)}
                            </Tag>
                          </div>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                            {n.fullName} · {n.code}
                          </Typography.Text>
                        </div>
                      </List.Item>
                    )}
                  />
                )}
              </div>
            )}
            <div className="tp-region-tree" data-testid="region-tree">
              {roots === null ? (
                <Skeleton active paragraph={{ rows: 6 }} />
              ) : roots.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : (
                <Tree
                  ref={treeRef}
                  blockNode
                  showLine
                  height={isMobile ? 320 : 560}
                  treeData={treeData}
                  expandedKeys={expanded}
                  onExpand={(keys) => setExpanded(keys.map(String))}
                  selectedKeys={selected ? [selected] : []}
                  onSelect={(keys) => keys[0] !== undefined && select(String(keys[0]))}
                  loadData={async (node) => {
                    await ensureChildren(String(node.key));
                  }}
                />
              )}
            </div>
          </Card>
        </Col>
        <Col xs={24} lg={16} xxl={17}>
          {!region ? (
            <Card variant="borderless">
              {detailLoading ? <Skeleton active /> : <Empty description={t('region.pickOne')} />}
            </Card>
          ) : (
            <Spin spinning={detailLoading}>
              <Card
                variant="borderless"
                data-testid="region-detail"
                title={
                  <span className="tp-region-title">
                    <EnvironmentOutlined style={{ color: '#1677ff' }} />
                    <span data-testid="region-detail-name">{region.name}</span>
                    <Tag color={LEVEL_COLORS[region.level]}>{levelLabel(region.level)}</Tag>
                  </span>
                }
              >
                <Breadcrumb
                  style={{ marginBottom: 16 }}
                  data-testid="region-path"
                  items={detail.path.map((p) => ({
                    key: p.code,
                    title:
                      p.code === region.code ? (
                        p.name
                      ) : (
                        <Typography.Link onClick={() => select(p.code)}>{p.name}</Typography.Link>
                      ),
                  }))}
                />
                <Descriptions
                  bordered
                  size="small"
                  column={{ xs: 1, sm: 1, md: 2 }}
                  items={[
                    {
                      key: 'code',
                      label: t('region.code'),
                      children: (
                        <Typography.Text copyable className="tp-mono" data-testid="region-detail-code">
                          {region.code}
                        </Typography.Text>
                      ),
                    },
                    { key: 'level', label: t('region.level'), children: <span data-testid="region-detail-level">{levelLabel(region.level)}</span> },
                    { key: 'full', label: t('region.fullName'), span: 'filled', children: <span data-testid="region-detail-fullname">{region.fullName}</span> },
                    { key: 'parent', label: t('region.parentCode'), children: <span className="tp-mono">{region.parentCode ?? '—'}</span> },
                    { key: 'children', label: t('region.childCount'), children: region.childCount },
                  ]}
                />
                {region.level < 5 && (
                  <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
                    {countItems
                      .filter((c) => region.level < c.below)
                      .map((c) => (
                        <Col key={c.key} xs={12} md={6}>
                          <Card size="small" className="tp-count-card" data-testid={`region-count-${c.key}`}>
                            <Statistic title={t(c.label)} value={detail.descendants[c.key]} />
                          </Card>
                        </Col>
                      ))}
                  </Row>
                )}
              </Card>
              {region.level < 5 && (
                <Card
                  variant="borderless"
                  style={{ marginTop: 16 }}
                  title={t('region.childrenTitle', { level: region.level < 5 ? levelLabel(region.level + 1) : '' })}
                  extra={<Typography.Text type="secondary">{t('common.totalN', { n: detailChildren.length })}</Typography.Text>}
                >
                  <Table<RegionNode>
                    rowKey="code"
                    size="small"
                    columns={childColumns}
                    dataSource={detailChildren}
                    pagination={detailChildren.length > 20 ? { pageSize: 20, showSizeChanger: false, size: 'small' } : false}
                    scroll={{ x: 520 }}
                    data-testid="region-children"
                  />
                </Card>
              )}
            </Spin>
          )}
        </Col>
      </Row>
    </div>
  );
}
