import { useMemo, useState, type ReactNode } from 'react';
import { Alert, Card, Col, Empty, Row, Skeleton, Statistic, Typography } from 'antd';
import {
  ApartmentOutlined,
  BankOutlined,
  EnvironmentOutlined,
  HistoryOutlined,
  HomeOutlined,
  ShopOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { EndpointResponse } from '@tuopin/domain';
import { api } from '../api/client';
import { useApiQuery } from '../api/queries';
import { useMe } from '../auth/AuthContext';
import { useI18n, type MsgKey } from '../i18n';
import { RegionPicker } from '../components/RegionPicker';
import { PageHeader } from '../components/PageHeader';
import { EChart, type EChartsCoreOption } from '../components/EChart';
import { useIsMobile } from '../utils/hooks';

type Dashboard = EndpointResponse<typeof api.dashboard>;

const PALETTE = ['#1677ff', '#13c2c2', '#52c41a', '#faad14', '#eb2f96', '#722ed1', '#fa541c'];

function StatCard({
  title,
  value,
  icon,
  color,
  suffix,
  testId,
}: {
  title: string;
  value: number;
  icon: ReactNode;
  color: string;
  suffix?: ReactNode;
  testId: string;
}) {
  return (
    <Card className="tp-stat-card" variant="borderless" data-testid={testId}>
      <div className="tp-stat">
        <div className="tp-stat-icon" style={{ background: `${color}1a`, color }}>
          {icon}
        </div>
        <Statistic title={title} value={value} suffix={suffix} />
      </div>
    </Card>
  );
}

export default function DashboardPage() {
  const me = useMe();
  const { t, roleLabel, levelLabel, errorText } = useI18n();
  const isMobile = useIsMobile();
  const [regionCode, setRegionCode] = useState<string | undefined>(undefined);
  // the last answer stays on screen while another region's loads
  const dashboard = useApiQuery(api.dashboard, { query: { regionCode } }, { keepPrevious: true });
  const data: Dashboard | null = dashboard.data ?? null;
  const error = dashboard.error ? errorText(dashboard.error) : null;
  const loading = dashboard.isFetching;

  const level = data?.region.level ?? me.region.level;

  const counts: { key: keyof Dashboard['descendants']; label: MsgKey; icon: ReactNode; color: string; below: number }[] = [
    { key: 'cities', label: 'dashboard.cities', icon: <BankOutlined />, color: PALETTE[0]!, below: 2 },
    { key: 'counties', label: 'dashboard.counties', icon: <ApartmentOutlined />, color: PALETTE[1]!, below: 3 },
    { key: 'townships', label: 'dashboard.townships', icon: <ShopOutlined />, color: PALETTE[2]!, below: 4 },
    { key: 'villages', label: 'dashboard.villages', icon: <HomeOutlined />, color: PALETTE[3]!, below: 5 },
  ];
  const visibleCounts = counts.filter((c) => level < c.below);

  const childrenOption = useMemo<EChartsCoreOption | null>(() => {
    if (!data || data.children.length === 0 || data.region.level >= 4) return null;
    const showTownships = data.region.level <= 2;
    const names = data.children.map((c) => c.name);
    return {
      color: [PALETTE[0]!, PALETTE[2]!],
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, data: showTownships ? [t('dashboard.townships'), t('dashboard.villages')] : [t('dashboard.villages')] },
      grid: { left: 8, right: 16, top: 36, bottom: names.length > 8 ? 48 : 8, containLabel: true },
      dataZoom: names.length > 12 ? [{ type: 'slider', height: 16, bottom: 8, startValue: 0, endValue: 11 }] : [],
      xAxis: {
        type: 'category',
        data: names,
        axisLabel: { interval: 0, rotate: names.length > 6 || isMobile ? 35 : 0, fontSize: 11 },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        ...(showTownships
          ? [{ name: t('dashboard.townships'), type: 'bar', data: data.children.map((c) => c.townships), barMaxWidth: 28 }]
          : []),
        {
          name: t('dashboard.villages'),
          type: 'bar',
          data: data.children.map((c) => c.villages),
          barMaxWidth: 28,
          itemStyle: { borderRadius: [4, 4, 0, 0] },
          label: { show: names.length <= 12, position: 'top', fontSize: 11 },
        },
      ],
    };
  }, [data, t, isMobile]);

  const rolesOption = useMemo<EChartsCoreOption | null>(() => {
    if (!data || data.users.byRole.length === 0) return null;
    return {
      color: PALETTE,
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0, type: 'scroll' },
      series: [
        {
          type: 'pie',
          radius: ['42%', '68%'],
          center: ['50%', '44%'],
          avoidLabelOverlap: true,
          itemStyle: { borderColor: '#fff', borderWidth: 2, borderRadius: 4 },
          label: { show: true, formatter: '{c}', color: '#595959', fontSize: 12 },
          labelLine: { length: 8, length2: 8 },
          data: data.users.byRole.map((r) => ({ name: roleLabel(r.role), value: r.count })),
        },
      ],
    };
  }, [data, roleLabel]);

  return (
    <div data-testid="dashboard">
      <PageHeader
        title={t('menu.dashboard')}
        subtitle={t('dashboard.greeting', { name: me.displayName })}
        extra={
          <RegionPicker
            value={regionCode ?? me.region.code}
            onChange={(c) => setRegionCode(c && c !== me.region.code ? c : undefined)}
            allowClear={regionCode !== undefined}
            style={{ width: isMobile ? '100%' : 320 }}
            data-testid="dashboard-region"
          />
        }
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {!data && loading ? (
        <Card>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      ) : data ? (
        <>
          <Card variant="borderless" className="tp-region-banner" style={{ marginBottom: 16 }}>
            <div className="tp-region-banner-inner">
              <EnvironmentOutlined style={{ fontSize: 22, color: '#1677ff' }} />
              <div style={{ minWidth: 0 }}>
                <Typography.Title level={5} style={{ margin: 0 }} data-testid="dashboard-region-name">
                  {data.region.fullName || data.region.name}
                </Typography.Title>
                <Typography.Text type="secondary">
                  {levelLabel(data.region.level)} · {t('region.code')} <span className="tp-mono">{data.region.code}</span>
                </Typography.Text>
              </div>
            </div>
          </Card>
          <Row gutter={[16, 16]}>
            {visibleCounts.map((c) => (
              <Col key={c.key} xs={12} sm={12} md={8} xl={4}>
                <StatCard
                  title={t(c.label)}
                  value={data.descendants[c.key]}
                  icon={c.icon}
                  color={c.color}
                  testId={`stat-${c.key}`}
                />
              </Col>
            ))}
            <Col xs={12} sm={12} md={8} xl={4}>
              <StatCard
                title={t('dashboard.usersActive')}
                value={data.users.active}
                suffix={<span className="tp-stat-suffix">/ {data.users.total}</span>}
                icon={<TeamOutlined />}
                color={PALETTE[5]!}
                testId="stat-users"
              />
            </Col>
            <Col xs={12} sm={12} md={8} xl={4}>
              <StatCard
                title={t('dashboard.recentChanges')}
                value={data.recentChanges}
                icon={<HistoryOutlined />}
                color={PALETTE[4]!}
                testId="stat-changes"
              />
            </Col>
          </Row>
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} xl={16}>
              <Card
                title={
                  data.region.level >= 4
                    ? t('dashboard.villageList', { n: data.children.length })
                    : data.region.level <= 2
                      ? t('dashboard.childrenChartBoth')
                      : t('dashboard.childrenChart')
                }
                variant="borderless"
                loading={loading}
              >
                {data.region.level >= 4 && data.children.length > 0 ? (
                  <div className="tp-village-grid" data-testid="dashboard-villages">
                    {data.children.map((c) => (
                      <div key={c.code} className="tp-village">
                        <HomeOutlined style={{ color: PALETTE[3] }} />
                        <span className="tp-village-name">{c.name}</span>
                        <span className="tp-village-code tp-mono">{c.code.slice(9)}</span>
                      </div>
                    ))}
                  </div>
                ) : childrenOption ? (
                  <EChart option={childrenOption} height={isMobile ? 280 : 340} testId="chart-children" />
                ) : (
                  <Empty description={t('dashboard.noChildren')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
                )}
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <Card title={t('dashboard.usersByRole')} variant="borderless" loading={loading}>
                {rolesOption ? (
                  <EChart option={rolesOption} height={isMobile ? 280 : 340} testId="chart-roles" />
                ) : (
                  <Empty description={t('dashboard.noUsers')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
                )}
              </Card>
            </Col>
          </Row>
        </>
      ) : null}
    </div>
  );
}
