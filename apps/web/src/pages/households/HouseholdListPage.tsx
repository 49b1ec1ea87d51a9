import { useMemo, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Checkbox, Dropdown, Empty, Input, InputNumber, Select, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownOutlined, DownloadOutlined, FilterOutlined, LeftOutlined, PlusOutlined, ReloadOutlined, RightOutlined, SettingOutlined } from '@ant-design/icons';
import {
  formatYuan,
  HOUSEHOLD_ATTRIBUTES,
  HOUSEHOLD_STATUSES,
  HOUSING_RATINGS,
  isCode,
  POVERTY_CAUSES,
  type EndpointQuery,
  type HouseholdListItem,
  type HouseholdListTotals,
} from '@tuopin/domain';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, buildUrl, call } from '../../api/client';
import { queryKeyOf } from '../../api/queries';
import { useAuth, useMe } from '../../auth/AuthContext';
import { useI18n, type MsgKey } from '../../i18n';
import { PageHeader } from '../../components/PageHeader';
import { RegionPicker } from '../../components/RegionPicker';
import { useIsMobile } from '../../utils/hooks';
import { isDangerousHousing, MonitoredTag, Money, StatusTag, useCodeLabel } from './shared';
import { HouseholdFormDrawer } from './forms';
import { useHhText } from './messages';
import './households.css';
import { currentYearInChina } from '../../utils/chinaDate';

type Query = NonNullable<EndpointQuery<typeof api.householdList>>;
type ListPage = { items: HouseholdListItem[]; next: string | null; total: number; totals: HouseholdListTotals };

const CURRENT_YEAR = currentYearInChina();
/** 建档立卡 began in 2014. */
const YEARS = Array.from({ length: CURRENT_YEAR - 2014 + 1 }, (_, i) => CURRENT_YEAR - i);
const PAGE_SIZES = [20, 50, 100, 200] as const;
const DEFAULT_PAGE_SIZE = 50;
const COLUMNS_KEY = 'tuopin.households.hiddenColumns';

const COLUMN_KEYS = [
  'householdNo',
  'headName',
  'headIdNumber',
  'village',
  'size',
  'attribute',
  'status',
  'monitored',
  'mainCause',
  'housingRating',
  'perCapita',
  'uninsured',
] as const;
type ColumnKey = (typeof COLUMN_KEYS)[number];
/** Always shown: the row has to be recognisable. */
const FIXED_COLUMNS: readonly ColumnKey[] = ['householdNo'];

// ------------------------------------------------------------------------------------------
// Filters <-> URL query string (so that a link reproduces the view)

function readQuery(sp: URLSearchParams): Query {
  const str = (k: string) => {
    const v = sp.get(k)?.trim();
    return v ? v : undefined;
  };
  const num = (k: string) => {
    const v = str(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  const bool = (k: string) => (sp.get(k) === '1' ? true : sp.get(k) === '0' ? false : undefined);
  const region = str('region');
  const year = num('year');
  const limit = num('limit');
  const after = str('after');
  return {
    regionCode: region && /^\d{12}$/.test(region) ? region : undefined,
    year: year !== undefined && Number.isInteger(year) && year >= 2013 && year <= 2100 ? year : CURRENT_YEAR,
    q: str('q')?.slice(0, 50),
    status: isCode(HOUSEHOLD_STATUSES, str('status')) ? str('status') : undefined,
    attribute: isCode(HOUSEHOLD_ATTRIBUTES, str('attribute')) ? str('attribute') : undefined,
    mainCause: isCode(POVERTY_CAUSES, str('mainCause')) ? str('mainCause') : undefined,
    monitored: bool('monitored'),
    incomeMin: num('incomeMin'),
    incomeMax: num('incomeMax'),
    dangerousHouse: sp.get('dangerousHouse') === '1' ? true : undefined,
    uninsured: sp.get('uninsured') === '1' ? true : undefined,
    after: after && /^\d{12}:\d+$/.test(after) ? after : undefined,
    limit: limit !== undefined && (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_PAGE_SIZE,
  };
}

function writeQuery(q: Query): URLSearchParams {
  const sp = new URLSearchParams();
  const put = (k: string, v: string | number | boolean | undefined) => {
    if (v === undefined || v === '') return;
    sp.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  };
  put('region', q.regionCode);
  put('year', q.year);
  put('q', q.q);
  put('status', q.status);
  put('attribute', q.attribute);
  put('mainCause', q.mainCause);
  put('monitored', q.monitored);
  put('incomeMin', q.incomeMin);
  put('incomeMax', q.incomeMax);
  put('dangerousHouse', q.dangerousHouse);
  put('uninsured', q.uninsured);
  if (q.limit !== DEFAULT_PAGE_SIZE) put('limit', q.limit);
  put('after', q.after);
  return sp;
}

/** Whether anything narrows the list (the year and the page size do not). */
function isFiltered(q: Query): boolean {
  return (
    q.regionCode !== undefined ||
    q.q !== undefined ||
    q.status !== undefined ||
    q.attribute !== undefined ||
    q.mainCause !== undefined ||
    q.monitored !== undefined ||
    q.incomeMin !== undefined ||
    q.incomeMax !== undefined ||
    q.dangerousHouse !== undefined ||
    q.uninsured !== undefined
  );
}

/** Cursors of the pages before the current one ('' = the first page), kept in the history entry. */
type PagingState = { cursors?: string[] } | null;

function readHiddenColumns(): ColumnKey[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? '[]');
    return Array.isArray(v) ? (v.filter((k) => (COLUMN_KEYS as readonly unknown[]).includes(k)) as ColumnKey[]) : [];
  } catch {
    return [];
  }
}

export const householdPath = (h: { countyCode: string; id: number }) => `/households/${h.countyCode}/${h.id}`;

// ------------------------------------------------------------------------------------------

export default function HouseholdListPage() {
  const me = useMe();
  const { t, errorText } = useI18n();
  const codeLabel = useCodeLabel();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const location = useLocation();
  const [searchParams, setSearchParams] = useSearchParams();
  const queryString = searchParams.toString();
  const query = useMemo(() => readQuery(new URLSearchParams(queryString)), [queryString]);
  const cursors = (location.state as PagingState)?.cursors ?? [];

  const [hidden, setHidden] = useState<ColumnKey[]>(readHiddenColumns);
  const [columnsOpen, setColumnsOpen] = useState(false);
  const [moreOpen, setMoreOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const { can } = useAuth();
  const tt = useHhText();

  // The totals of the filtered list (a pass over all of it on the server) are asked for once per filter: pages after
  // the first reuse them (withTotals=false). A reload, or the page opened again, asks again. The page itself is server
  // state (TanStack Query): the shown page stays while the next one loads.
  const totalsCache = useRef<{ key: string; total: number; totals: HouseholdListTotals } | null>(null);
  const list = useQuery({
    queryKey: [...queryKeyOf(api.householdList, { query }), 'page'],
    queryFn: async ({ signal }): Promise<ListPage> => {
      const key = JSON.stringify({ ...query, after: undefined, limit: undefined });
      const cached = totalsCache.current?.key === key ? totalsCache.current : null;
      const d = await call(api.householdList, { query: cached ? { ...query, withTotals: false } : query, signal });
      if (d.total !== null && d.totals !== null) totalsCache.current = { key, total: d.total, totals: d.totals };
      const known = d.total !== null && d.totals !== null ? { total: d.total, totals: d.totals } : cached!;
      return { items: d.items, next: d.next, total: known.total, totals: known.totals };
    },
    placeholderData: keepPreviousData,
  });
  const data = list.data ?? null;
  const loading = list.isFetching;
  const error = list.error ? errorText(list.error) : null;
  const reload = () => {
    totalsCache.current = null;
    void list.refetch();
  };

  /** A filter change starts again at the first page (and replaces the history entry). */
  const patch = (p: Partial<Query>) => {
    setSearchParams(writeQuery({ ...query, ...p, after: undefined }), { replace: true, state: null });
  };

  const goNext = () => {
    if (!data?.next) return;
    setSearchParams(writeQuery({ ...query, after: data.next }), { state: { cursors: [...cursors, query.after ?? ''] } });
  };
  const goPrev = () => {
    const prev = cursors.length > 0 ? cursors[cursors.length - 1] : '';
    setSearchParams(writeQuery({ ...query, after: prev || undefined }), { state: { cursors: cursors.slice(0, -1) } });
  };

  const setHiddenColumns = (keys: ColumnKey[]) => {
    setHidden(keys);
    try {
      localStorage.setItem(COLUMNS_KEY, JSON.stringify(keys));
    } catch {
      // storage may be unavailable; the choice then lasts for this page only
    }
  };

  const filtered = isFiltered(query);
  const pageNo = query.after ? (cursors.length > 0 ? cursors.length + 1 : null) : 1;
  const pageCount = data ? Math.max(1, Math.ceil(data.total / (query.limit ?? DEFAULT_PAGE_SIZE))) : null;
  const colTitle = (k: ColumnKey) => t(`households.col.${k}` as MsgKey);

  const allColumns: (TableColumnsType<HouseholdListItem>[number] & { key: ColumnKey })[] = [
    {
      key: 'householdNo',
      title: colTitle('householdNo'),
      dataIndex: 'householdNo',
      width: 136,
      fixed: 'left',
      render: (v: string, h) => (
        <Link to={householdPath(h)} className="tp-mono" onClick={(e) => e.stopPropagation()} data-testid="household-link">
          {v}
        </Link>
      ),
    },
    {
      key: 'headName',
      title: colTitle('headName'),
      dataIndex: 'headName',
      width: 76,
      fixed: 'left',
      render: (v: string | null) => v ?? <Typography.Text type="secondary">{t('households.noHead')}</Typography.Text>,
    },
    {
      key: 'headIdNumber',
      title: colTitle('headIdNumber'),
      dataIndex: 'headIdNumber',
      width: 150,
      render: (v: string | null) => <span className="tp-mono tp-hh-id">{v ?? '—'}</span>,
    },
    {
      key: 'village',
      title: colTitle('village'),
      dataIndex: 'village',
      width: 114,
      // one line each, cut with an ellipsis; the full name is the cell's tooltip (title)
      render: (_: unknown, h) => <VillageName fullName={h.village.fullName} name={h.village.name} />,
    },
    { key: 'size', title: colTitle('size'), dataIndex: 'size', width: 48, align: 'right' },
    {
      key: 'attribute',
      title: colTitle('attribute'),
      dataIndex: 'attribute',
      width: 86,
      ellipsis: true,
      render: (v: string | null) => <span title={codeLabel(HOUSEHOLD_ATTRIBUTES, v)}>{codeLabel(HOUSEHOLD_ATTRIBUTES, v)}</span>,
    },
    {
      key: 'status',
      title: colTitle('status'),
      dataIndex: 'status',
      width: 82,
      render: (v: string | null) => <StatusTag status={v} />,
    },
    {
      key: 'monitored',
      title: colTitle('monitored'),
      dataIndex: 'monitored',
      width: 70,
      render: (v: boolean) => (v ? <MonitoredTag /> : <Typography.Text type="secondary">—</Typography.Text>),
    },
    {
      key: 'mainCause',
      title: colTitle('mainCause'),
      dataIndex: 'mainCause',
      width: 80,
      ellipsis: { showTitle: false },
      render: (v: string | null) => <span title={codeLabel(POVERTY_CAUSES, v)}>{codeLabel(POVERTY_CAUSES, v)}</span>,
    },
    {
      key: 'housingRating',
      title: colTitle('housingRating'),
      dataIndex: 'housingRating',
      width: 64,
      render: (v: string | null) =>
        v ? (
          <span className={isDangerousHousing(v) ? 'tp-hh-danger' : undefined} data-testid="household-housing">
            {codeLabel(HOUSING_RATINGS, v)}
          </span>
        ) : (
          '—'
        ),
    },
    {
      key: 'perCapita',
      title: colTitle('perCapita'),
      dataIndex: 'perCapitaNetIncome',
      width: 96,
      align: 'right',
      render: (v: number | null) => <Money value={v} warn testId="household-income" />,
    },
    {
      key: 'uninsured',
      title: colTitle('uninsured'),
      dataIndex: 'uninsuredMembers',
      width: 60,
      align: 'right',
      render: (v: number) => (v > 0 ? <span className="tp-hh-danger">{v}</span> : <Typography.Text type="secondary">0</Typography.Text>),
    },
  ];
  const columns = allColumns.filter((c) => !hidden.includes(c.key));
  const tableWidth = columns.reduce((w, c) => w + (typeof c.width === 'number' ? c.width : 120), 0);

  const emptyState = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      data-testid="households-empty"
      description={
        <Space orientation="vertical" size={2}>
          <span>{filtered ? t('households.emptyFiltered') : t('households.emptyNone')}</span>
          <Typography.Text type="secondary">
            {filtered ? t('households.emptyFilteredHint') : t('households.emptyNoneHint')}
          </Typography.Text>
        </Space>
      }
    >
      {filtered && <Button onClick={() => setSearchParams(new URLSearchParams(), { replace: true })}>{t('households.clearFilters')}</Button>}
    </Empty>
  );

  const columnChooser = (
    <Dropdown
      trigger={['click']}
      open={columnsOpen}
      onOpenChange={setColumnsOpen}
      placement="bottomRight"
      popupRender={() => (
        <div className="tp-hh-columns" data-testid="households-columns-menu">
          <Checkbox.Group<ColumnKey>
            value={COLUMN_KEYS.filter((k) => !hidden.includes(k))}
            onChange={(shown) => setHiddenColumns(COLUMN_KEYS.filter((k) => !shown.includes(k) && !FIXED_COLUMNS.includes(k)))}
            options={COLUMN_KEYS.map((k) => ({ value: k, label: colTitle(k), disabled: FIXED_COLUMNS.includes(k) }))}
          />
          <div className="tp-hh-columns-footer">
            <Button size="small" type="link" onClick={() => setHiddenColumns([])} disabled={hidden.length === 0}>
              {t('households.columnsReset')}
            </Button>
          </div>
        </div>
      )}
    >
      <Button icon={<SettingOutlined />} data-testid="households-columns">
        {t('households.columns')}
      </Button>
    </Dropdown>
  );

  // ---- filters
  const moreCount = [
    query.status,
    query.attribute,
    query.mainCause,
    query.monitored,
    query.incomeMin,
    query.incomeMax,
    query.dangerousHouse,
    query.uninsured,
  ].filter((v) => v !== undefined).length;
  const showMore = !isMobile || moreOpen;
  const w = (px: number) => ({ width: isMobile ? '100%' : px });

  const filters: ReactNode = (
    <div className="tp-filters">
      <RegionPicker
        value={query.regionCode}
        onChange={(c) => patch({ regionCode: c })}
        placeholder={t('households.filterRegion')}
        style={w(260)}
        data-testid="households-filter-region"
      />
      <Input.Search
        key={`q:${query.q ?? ''}`}
        allowClear
        defaultValue={query.q}
        maxLength={50}
        placeholder={t('households.filterQ')}
        onSearch={(v) => patch({ q: v.trim() || undefined })}
        style={w(240)}
        data-testid="households-filter-q"
      />
      <Select<number>
        value={query.year}
        onChange={(y) => patch({ year: y })}
        options={YEARS.map((y) => ({ value: y, label: t('households.yearOption', { year: y }) }))}
        style={w(100)}
        data-testid="households-filter-year"
      />
      {isMobile && (
        <Button icon={<FilterOutlined />} onClick={() => setMoreOpen((o) => !o)} data-testid="households-more-filters">
          {moreOpen ? t('households.lessFilters') : t('households.moreFilters')}
          {moreCount > 0 && !moreOpen ? ` (${moreCount})` : ''}
        </Button>
      )}
      {showMore && (
        <>
          <Select<string>
            allowClear
            placeholder={t('households.filterStatus')}
            value={query.status}
            onChange={(v) => patch({ status: v })}
            options={HOUSEHOLD_STATUSES.map((s) => ({ value: s.code, label: codeLabel(HOUSEHOLD_STATUSES, s.code) }))}
            style={w(130)}
            data-testid="households-filter-status"
          />
          <Select<string>
            allowClear
            placeholder={t('households.filterAttribute')}
            value={query.attribute}
            onChange={(v) => patch({ attribute: v })}
            options={HOUSEHOLD_ATTRIBUTES.map((s) => ({ value: s.code, label: codeLabel(HOUSEHOLD_ATTRIBUTES, s.code) }))}
            style={w(150)}
            popupMatchSelectWidth={false}
            data-testid="households-filter-attribute"
          />
          <Select<string>
            allowClear
            placeholder={t('households.filterMainCause')}
            value={query.mainCause}
            onChange={(v) => patch({ mainCause: v })}
            options={POVERTY_CAUSES.map((s) => ({ value: s.code, label: codeLabel(POVERTY_CAUSES, s.code) }))}
            style={w(150)}
            popupMatchSelectWidth={false}
            data-testid="households-filter-cause"
          />
          <Select<'1' | '0'>
            allowClear
            placeholder={t('households.filterMonitored')}
            value={query.monitored === undefined ? undefined : query.monitored ? '1' : '0'}
            onChange={(v) => patch({ monitored: v === undefined ? undefined : v === '1' })}
            options={[
              { value: '1', label: t('households.monitoredYes') },
              { value: '0', label: t('households.monitoredNo') },
            ]}
            style={w(120)}
            data-testid="households-filter-monitored"
          />
          <Tooltip title={t('households.incomeBandHint')}>
            <span className="tp-hh-income-band" data-testid="households-filter-income">
              <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                {t('households.incomeBand')}
              </Typography.Text>
              <InputNumber<number>
                key={`min:${query.incomeMin ?? ''}`}
                defaultValue={query.incomeMin}
                placeholder={t('households.incomeMin')}
                min={-1e9}
                max={1e9}
                onBlur={(e) => patch({ incomeMin: parseAmount(e.target.value) })}
                onPressEnter={(e) => patch({ incomeMin: parseAmount((e.target as HTMLInputElement).value) })}
                data-testid="households-filter-income-min"
              />
              <span>–</span>
              <InputNumber<number>
                key={`max:${query.incomeMax ?? ''}`}
                defaultValue={query.incomeMax}
                placeholder={t('households.incomeMax')}
                min={-1e9}
                max={1e9}
                onBlur={(e) => patch({ incomeMax: parseAmount(e.target.value) })}
                onPressEnter={(e) => patch({ incomeMax: parseAmount((e.target as HTMLInputElement).value) })}
                data-testid="households-filter-income-max"
              />
            </span>
          </Tooltip>
          <Checkbox
            checked={query.dangerousHouse === true}
            onChange={(e) => patch({ dangerousHouse: e.target.checked || undefined })}
            data-testid="households-filter-dangerous"
          >
            {t('households.dangerousHouse')}
          </Checkbox>
          <Checkbox
            checked={query.uninsured === true}
            onChange={(e) => patch({ uninsured: e.target.checked || undefined })}
            data-testid="households-filter-uninsured"
          >
            {t('households.uninsured')}
          </Checkbox>
        </>
      )}
      <Button
        icon={<ReloadOutlined />}
        onClick={() => setSearchParams(query.limit === DEFAULT_PAGE_SIZE ? new URLSearchParams() : writeQuery({ limit: query.limit }), { replace: true })}
        data-testid="households-reset"
      >
        {t('common.reset')}
      </Button>
    </div>
  );

  const pager = (
    <div className="tp-hh-pager">
      <Space size={12} wrap>
        <Typography.Text strong data-testid="households-total">
          {t('households.total', { n: data?.total ?? 0 })}
        </Typography.Text>
        {data && data.totals.households > 0 && (
          <Tooltip title={tt('list.averageHint')}>
            <Typography.Text type="secondary" data-testid="households-totals">
              {tt('list.persons', { n: data.totals.persons })} · {tt('list.withIncome', { n: data.totals.withIncome })}
              {data.totals.averagePerCapitaNetIncome !== null && (
                <> · {tt('list.average', { value: formatYuan(data.totals.averagePerCapitaNetIncome) })}</>
              )}
            </Typography.Text>
          </Tooltip>
        )}
        {pageNo !== null && data && data.total > 0 && (
          <Typography.Text type="secondary" data-testid="households-page-no">
            {pageCount && pageCount > 1 ? t('households.pageNofM', { n: pageNo, m: pageCount }) : t('households.pageN', { n: pageNo })}
          </Typography.Text>
        )}
      </Space>
      <div className="tp-hh-pager-buttons">
        <Select<number>
          value={query.limit}
          onChange={(limit) => patch({ limit })}
          options={PAGE_SIZES.map((n) => ({ value: n, label: t('households.pageSize', { n }) }))}
          style={{ width: isMobile ? 100 : 110 }}
          data-testid="households-page-size"
        />
        <Button icon={<LeftOutlined />} disabled={!query.after || loading} onClick={goPrev} data-testid="households-prev">
          {t('households.prev')}
        </Button>
        <Button disabled={!data?.next || loading} onClick={goNext} data-testid="households-next">
          {t('households.next')} <RightOutlined />
        </Button>
      </div>
    </div>
  );

  return (
    <div data-testid="households-page">
      <PageHeader
        title={t('menu.households')}
        subtitle={t('households.subtitle', { region: me.region.fullName })}
        extra={
          <Space wrap>
            {can('households:write') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="households-new">
                {tt('hh.new')}
              </Button>
            )}
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  {
                    key: 'xlsx',
                    label: (
                      <a href={buildUrl(api.householdExportXlsx.url, undefined, { ...query, after: undefined, limit: undefined })} data-testid="households-export-xlsx">
                        {tt('export.xlsx')}
                      </a>
                    ),
                  },
                  {
                    key: 'csv',
                    label: (
                      <a href={buildUrl(api.householdExport.url, undefined, { ...query, after: undefined, limit: undefined })} data-testid="households-export-csv">
                        {tt('export.csv')}
                      </a>
                    ),
                  },
                  { type: 'divider' },
                  {
                    key: 'members-xlsx',
                    label: (
                      <a href={buildUrl(api.memberExportXlsx.url, undefined, { ...query, after: undefined, limit: undefined })} data-testid="members-export-xlsx">
                        {tt('export.membersXlsx')}
                      </a>
                    ),
                  },
                  {
                    key: 'members-csv',
                    label: (
                      <a href={buildUrl(api.memberExport.url, undefined, { ...query, after: undefined, limit: undefined })} data-testid="members-export-csv">
                        {tt('export.membersCsv')}
                      </a>
                    ),
                  },
                  { type: 'divider' },
                  {
                    key: 'note',
                    disabled: true,
                    label: (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {can('households:reveal') ? tt('export.fullNote') : tt('export.maskedNote')}
                      </Typography.Text>
                    ),
                  },
                ],
              }}
            >
              <Button icon={<DownloadOutlined />} data-testid="households-export">
                {tt('export.button')} <DownOutlined />
              </Button>
            </Dropdown>
            {!isMobile && columnChooser}
          </Space>
        }
      />
      <Card variant="borderless" className="tp-filter-card">
        {filters}
      </Card>
      {can('households:write') && (
        <HouseholdFormDrawer open={creating} household={null} onClose={() => setCreating(false)} onSaved={(d) => navigate(householdPath(d))} />
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginTop: 16 }}
          action={
            <Button size="small" icon={<ReloadOutlined />} onClick={reload}>
              {t('common.refresh')}
            </Button>
          }
        />
      )}
      <Card variant="borderless" style={{ marginTop: 16 }} styles={{ body: { padding: isMobile ? 8 : 16 } }}>
        {isMobile ? (
          <Spin spinning={loading}>
            {data && data.items.length > 0 ? (
              <div className="tp-hh-cards" data-testid="households-cards">
                {data.items.map((h) => (
                  <HouseholdCard key={`${h.countyCode}:${h.id}`} h={h} />
                ))}
              </div>
            ) : (
              !loading && emptyState
            )}
            {!data && loading && <div style={{ minHeight: 160 }} />}
          </Spin>
        ) : (
          <Table<HouseholdListItem>
            rowKey={(h) => `${h.countyCode}:${h.id}`}
            size="middle"
            loading={loading}
            columns={columns}
            dataSource={data?.items ?? []}
            pagination={false}
            scroll={{ x: tableWidth }}
            locale={{ emptyText: loading ? ' ' : emptyState }}
            rowClassName={() => 'tp-hh-row'}
            data-testid="households-table"
            onRow={(h) =>
              ({
                'data-testid': 'households-row',
                onClick: () => navigate(householdPath(h)),
              }) as React.HTMLAttributes<HTMLElement>
            }
          />
        )}
        {pager}
      </Card>
    </div>
  );
}

function parseAmount(text: string): number | undefined {
  const s = text.replace(/[,\s]/g, '');
  if (s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** A village's full name: the higher levels small and grey, the village itself below. */
function VillageName({ fullName, name }: { fullName: string; name: string }) {
  const prefix = fullName.endsWith(name) ? fullName.slice(0, fullName.length - name.length).trim() : '';
  return (
    <div className="tp-hh-village" title={fullName} data-testid="household-village">
      {prefix && <div className="tp-hh-village-prefix">{prefix}</div>}
      <div>{prefix ? name : fullName}</div>
    </div>
  );
}

/** One household on a phone. */
function HouseholdCard({ h }: { h: HouseholdListItem }) {
  const { t } = useI18n();
  const codeLabel = useCodeLabel();
  return (
    <Link to={householdPath(h)} className="tp-hh-card" data-testid="households-card">
      <div className="tp-hh-card-top">
        <span className="tp-hh-card-name">{h.headName ?? t('households.noHead')}</span>
        <span className="tp-hh-card-no tp-mono">{h.householdNo}</span>
      </div>
      <div className="tp-hh-card-village">{h.village.fullName}</div>
      <div className="tp-hh-card-tags">
        <StatusTag status={h.status} />
        {h.monitored && <MonitoredTag />}
        {h.attribute && h.attribute !== 'none' && <Tag style={{ marginInlineEnd: 0 }}>{codeLabel(HOUSEHOLD_ATTRIBUTES, h.attribute)}</Tag>}
        {isDangerousHousing(h.housingRating) && (
          <Tag color="red" style={{ marginInlineEnd: 0 }}>
            {t('cond.dangerous')} · {codeLabel(HOUSING_RATINGS, h.housingRating)}
          </Tag>
        )}
        {h.uninsuredMembers > 0 && (
          <Tag color="red" style={{ marginInlineEnd: 0 }}>
            {t('households.uninsuredN', { n: h.uninsuredMembers })}
          </Tag>
        )}
      </div>
      <div className="tp-hh-card-foot">
        <span>
          {t('households.persons', { n: h.size })}
          {h.headIdNumber && <span className="tp-mono"> · {h.headIdNumber}</span>}
        </span>
        <span>
          {t('households.perCapitaShort')} <Money value={h.perCapitaNetIncome} warn />
        </span>
      </div>
    </Link>
  );
}
