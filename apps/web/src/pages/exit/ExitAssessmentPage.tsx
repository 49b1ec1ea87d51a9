import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Empty, Select, Skeleton, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowUpOutlined, CloseOutlined } from '@ant-design/icons';
import {
  EXIT_GROUPS, EXIT_ITEMS, parentRegionCode, type EndpointResponse, type ExitCounts, type ExitGroupCode, type ExitItemCode, type ExitRegionView,
} from '@tuopin/domain';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/queries';
import { useMe } from '../../auth/AuthContext';
import { useI18n, type MsgKey } from '../../i18n';
import { KeysetPager } from '../../components/KeysetPager';
import { PageHeader } from '../../components/PageHeader';
import { RegionPicker } from '../../components/RegionPicker';
import { useIsMobile } from '../../utils/hooks';
import { ExitItemTag, money } from './shared';
import './exit.css';

type HouseholdsPage = EndpointResponse<typeof api.exitHouseholds>;
type Child = ExitRegionView['children'][number];

const CURRENT_YEAR = new Date().getFullYear();
const YEARS = Array.from({ length: CURRENT_YEAR - 2014 + 1 }, (_, i) => CURRENT_YEAR - i);
const PAGE_SIZE = 20;
const isItem = (v: string | null): v is ExitItemCode => EXIT_ITEMS.some((i) => i.code === v);
const isGroup = (v: string | null): v is ExitGroupCode => EXIT_GROUPS.some((g) => g.code === v);
const notMeeting = (c: ExitCounts) => c.assessed - c.meeting;

/** The view as kept in the URL: region, year, the households assessed and the unmet item the list is filtered by. */
interface View {
  region?: string;
  year: number;
  group: ExitGroupCode;
  item?: ExitItemCode;
}

function readView(sp: URLSearchParams): View {
  const region = sp.get('region');
  const year = Number(sp.get('year'));
  const item = sp.get('item');
  const group = sp.get('group');
  return {
    region: region && /^\d{12}$/.test(region) ? region : undefined,
    year: Number.isInteger(year) && year >= 2014 && year <= CURRENT_YEAR ? year : CURRENT_YEAR,
    group: isGroup(group) ? group : 'all',
    item: isItem(item) ? item : undefined,
  };
}

function writeView(v: View): URLSearchParams {
  const sp = new URLSearchParams();
  if (v.region) sp.set('region', v.region);
  if (v.year !== CURRENT_YEAR) sp.set('year', String(v.year));
  if (v.group !== 'all') sp.set('group', v.group);
  if (v.item) sp.set('item', v.item);
  return sp;
}

/** 脱贫标准评估: a region's households against the exit standard, by unmet item and by sub-region, and the list. */
export default function ExitAssessmentPage() {
  const me = useMe();
  const { t, errorText, label } = useI18n();
  const isMobile = useIsMobile();
  const [sp, setSp] = useSearchParams();
  const spText = sp.toString();
  const view = useMemo(() => readView(new URLSearchParams(spText)), [spText]);
  const region = view.region ?? me.region.code;

  /** Keyset cursors: the current page's and those before it ('' = first page). */
  const [cursors, setCursors] = useState<string[]>(['']);

  const patch = (p: Partial<View>) => {
    setSp(writeView({ ...view, ...p }), { replace: true });
    setCursors(['']);
  };

  // the region's summary (none while another region or year loads) and the page of households (the shown page
  // stays while the next one loads): server state through TanStack Query
  const summaryQuery = useApiQuery(api.exitRegion, { query: { regionCode: region, year: view.year, group: view.group } });
  const summary: ExitRegionView | null = summaryQuery.data ?? null;
  const after = cursors[cursors.length - 1] || undefined;
  const listQuery = useApiQuery(
    api.exitHouseholds,
    { query: { regionCode: region, year: view.year, group: view.group, item: view.item, after, limit: PAGE_SIZE } },
    { keepPrevious: true },
  );
  const list: HouseholdsPage | null = listQuery.data ?? null;
  const listLoading = listQuery.isFetching;
  const failure = summaryQuery.error ?? listQuery.error;
  const error = failure ? errorText(failure) : null;

  const itemName = (code: ExitItemCode) => {
    const i = EXIT_ITEMS.find((x) => x.code === code)!;
    return label(i);
  };
  const parent = summary && summary.region.code !== me.region.code ? parentRegionCode(summary.region.code) : null;

  const toolbar = (
    <div className="tp-filters tp-exit-toolbar">
      <RegionPicker
        value={region}
        allowClear={false}
        onChange={(c) => c && patch({ region: c, item: undefined })}
        style={{ width: isMobile ? '100%' : 280 }}
        data-testid="exit-region"
      />
      <Select<number>
        value={view.year}
        onChange={(y) => patch({ year: y })}
        options={YEARS.map((y) => ({ value: y, label: t('households.yearOption', { year: y }) }))}
        style={{ width: isMobile ? '100%' : 110 }}
        data-testid="exit-year"
      />
      <Select<ExitGroupCode>
        value={view.group}
        onChange={(g) => patch({ group: g })}
        options={EXIT_GROUPS.map((g) => ({ value: g.code, label: label(g) }))}
        style={{ width: isMobile ? '100%' : 180 }}
        aria-label={t('exit.group')}
        data-testid="exit-group"
      />
      {parent && (
        <Button icon={<ArrowUpOutlined />} onClick={() => patch({ region: parent, item: undefined })} data-testid="exit-up">
          {t('exit.up')}
        </Button>
      )}
    </div>
  );

  const totals = summary?.totals;
  const cards = totals && (
    <div className="tp-exit-cards" data-testid="exit-cards">
      {(
        [
          ['assessed', totals.assessed, ''],
          ['meeting', totals.meeting, 'tp-exit-card-ok'],
          ['notMeeting', notMeeting(totals), 'tp-exit-card-bad'],
        ] as const
      ).map(([k, v, cls]) => (
        <Card key={k} size="small" variant="borderless" className={`tp-exit-card ${cls}`}>
          <div className="tp-exit-card-label">{t(`exit.card.${k}` as MsgKey)}</div>
          <div className="tp-exit-card-value" data-testid={`exit-total-${k}`}>
            {v}
          </div>
        </Card>
      ))}
    </div>
  );

  const itemRows = totals ? EXIT_ITEMS.map((i) => ({ code: i.code, count: totals.unmet[i.code] })) : [];
  const itemColumns: TableColumnsType<{ code: ExitItemCode; count: number }> = [
    { title: t('exit.col.item'), key: 'item', render: (_: unknown, r) => <span data-testid="exit-item-name">{itemName(r.code)}</span> },
    {
      title: t('exit.col.households'),
      dataIndex: 'count',
      align: 'right',
      width: 90,
      render: (v: number) => <span className={v > 0 ? 'tp-exit-num-bad' : 'tp-exit-num-zero'} data-testid="exit-item-count">{v}</span>,
    },
  ];

  const regionColumns: TableColumnsType<Child> = [
    {
      title: t('exit.col.region'),
      key: 'region',
      render: (_: unknown, r) => <a data-testid="exit-child-name">{r.name}</a>,
    },
    { title: t('exit.col.assessed'), key: 'a', align: 'right', width: 76, render: (_: unknown, r) => <span data-testid="exit-child-assessed">{r.counts.assessed}</span> },
    {
      title: t('exit.col.notMeeting'),
      key: 'n',
      align: 'right',
      width: 86,
      render: (_: unknown, r) => (
        <span className={notMeeting(r.counts) ? 'tp-exit-num-bad' : 'tp-exit-num-zero'} data-testid="exit-child-not-meeting">
          {notMeeting(r.counts)}
        </span>
      ),
    },
    ...(isMobile
      ? []
      : EXIT_ITEMS.map((i) => ({
          title: <span className="tp-exit-col-item">{t(`exit.short.${i.code}` as MsgKey)}</span>,
          key: i.code,
          align: 'right' as const,
          width: 64,
          render: (_: unknown, r: Child) => <span className={r.counts.unmet[i.code] ? '' : 'tp-exit-num-zero'}>{r.counts.unmet[i.code]}</span>,
        }))),
  ];
  // sub-regions with households first, then the rest (a township lists all its villages)
  const children = summary ? [...summary.children].sort((a, b) => Number(b.counts.assessed > 0) - Number(a.counts.assessed > 0)) : [];

  const tables = summary && (
    <div className="tp-exit-tables">
      <Card size="small" variant="borderless" title={t('exit.byItem')} className="tp-exit-table-card tp-exit-items" data-testid="exit-items">
        <Table
          size="small"
          rowKey="code"
          columns={itemColumns}
          dataSource={itemRows}
          pagination={false}
          rowClassName={(r) => `tp-exit-click${r.code === view.item ? ' tp-exit-selected' : ''}`}
          onRow={(r) =>
            ({
              onClick: () => patch({ item: r.code === view.item ? undefined : r.code }),
              'data-testid': 'exit-item-row',
              'data-item': r.code,
            }) as React.HTMLAttributes<HTMLElement>
          }
        />
      </Card>
      {children.length > 0 && (
        <Card size="small" variant="borderless" title={t('exit.byRegion')} className="tp-exit-table-card tp-exit-regions" data-testid="exit-regions">
          <Table<Child>
            size="small"
            rowKey="code"
            columns={regionColumns}
            dataSource={children}
            scroll={isMobile ? undefined : { x: 'max-content' }}
            pagination={children.length > 30 ? { pageSize: 30, showSizeChanger: false } : false}
            rowClassName={() => 'tp-exit-click'}
            onRow={(r) =>
              ({
                onClick: () => patch({ region: r.code, item: undefined }),
                'data-testid': 'exit-child-row',
                'data-code': r.code,
              }) as React.HTMLAttributes<HTMLElement>
            }
          />
        </Card>
      )}
    </div>
  );

  const households = list && (
    <>
      {list.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(view.item ? 'exit.emptyFiltered' : 'exit.empty')} data-testid="exit-empty" />
      ) : (
        <div className="tp-exit-households" data-testid="exit-households">
          {list.items.map((h) => (
            <div key={`${h.countyCode}:${h.id}`} className="tp-exit-household" data-testid="exit-household" data-household-no={h.householdNo}>
              <div className="tp-exit-household-head">
                <Link to={`/households/${h.countyCode}/${h.id}`} className="tp-exit-household-link" data-testid="exit-household-link">
                  <span className="tp-exit-household-name">{h.headName ?? t('households.noHead')}</span>
                  <span className="tp-mono tp-exit-household-no">{h.householdNo}</span>
                </Link>
                <Typography.Text type="secondary" className="tp-exit-household-income">
                  {h.perCapitaNet === null ? t('exit.noIncome') : t('exit.perCapita', { v: money(h.perCapitaNet) })}
                </Typography.Text>
              </div>
              <div className="tp-exit-household-village">{h.village}</div>
              <div className="tp-exit-household-items" data-testid="exit-household-items">
                {h.unmet.map((c) => (
                  <ExitItemTag key={c} code={c} />
                ))}
              </div>
            </div>
          ))}
        </div>
      )}
      <KeysetPager
        total={t('exit.listTotal', { n: list.total })}
        hasPrev={cursors.length > 1}
        hasNext={!!list.next}
        onPrev={() => setCursors((c) => c.slice(0, -1))}
        onNext={() => list.next && setCursors((c) => [...c, list.next!])}
        testId="exit"
      />
    </>
  );

  return (
    <div className="tp-exit" data-testid="exit-page">
      <PageHeader title={t('menu.exitAssessment')} subtitle={t('exit.subtitle')} />
      <Card variant="borderless" className="tp-exit-top">
        {toolbar}
        {summary && (
          <Typography.Paragraph type="secondary" className="tp-exit-asof" data-testid="exit-region-name">
            {summary.region.fullName} · {t('exit.asOf', { date: summary.referenceDate })}
          </Typography.Paragraph>
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="exit-error" />}
      </Card>
      {!summary && !error && (
        <Card variant="borderless" style={{ marginTop: 16 }}>
          <Skeleton active />
        </Card>
      )}
      {summary && (
        <>
          {cards}
          {tables}
          <Card
            variant="borderless"
            title={t('exit.households')}
            className="tp-exit-list"
            loading={listLoading && !list}
            styles={{ body: { padding: isMobile ? 12 : 16 } }}
            data-testid="exit-list"
          >
            <div className="tp-exit-list-filters">
              {view.item ? (
                <Tag closable closeIcon={<CloseOutlined />} onClose={() => patch({ item: undefined })} className="tp-exit-item-filter" data-testid="exit-item-filter">
                  {itemName(view.item)}
                </Tag>
              ) : (
                <Typography.Text type="secondary">{t('exit.allItems')}</Typography.Text>
              )}
            </div>
            {households}
          </Card>
        </>
      )}
    </div>
  );
}
