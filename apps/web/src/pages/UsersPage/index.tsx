/**
 * 用户管理: the users of the region below the signed-in user, filters, and the modals (each in its own file beside this one).
 * The list is server state (TanStack Query); the modals' changes invalidate it.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Card, Dropdown, Input, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, EditOutlined, EyeOutlined, KeyOutlined, MoreOutlined, PlusOutlined, ReloadOutlined, StopOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { manageableRoles, ROLES, type Role, type User } from '@tuopin/domain';
import { api, buildUrl } from '../../api/client';
import { useApiQuery } from '../../api/queries';
import { useAuth, useMe } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { RegionPicker } from '../../components/RegionPicker';
import { PageHeader } from '../../components/PageHeader';
import { fmtTime, isLocked } from '../../utils/format';
import { useIsMobile } from '../../utils/hooks';
import { passwordRule } from '../../utils/password';
import { type Query } from './shared';
import { UserFormModal } from './UserFormModal';
import { StatusModal, ResetPasswordModal } from './StatusModals';
import { StatusTag, UserDrawer } from './UserDrawer';

// ------------------------------------------------------------------------------------------

export default function UsersPage() {
  const me = useMe();
  const { can } = useAuth();
  const { t, roleLabel, errorText } = useI18n();
  const isMobile = useIsMobile();
  const canWrite = can('users:write');
  const manageable = useMemo(() => new Set(manageableRoles(me.role)), [me.role]);
  // The password rule of the create and reset forms loads in the background.
  useEffect(() => void (canWrite && passwordRule()), [canWrite]);

  const [query, setQuery] = useState<Query>({ page: 1, pageSize: 20 });
  const [qText, setQText] = useState('');
  const list = useApiQuery(api.userList, { query }, { keepPrevious: true });
  const data = list.data ?? { items: [], total: 0 };
  const loading = list.isFetching;
  const error = list.error ? errorText(list.error) : null;

  const [formMode, setFormMode] = useState<'create' | 'edit' | null>(null);
  const [editing, setEditing] = useState<User | undefined>(undefined);
  const [statusUser, setStatusUser] = useState<User | null>(null);
  const [resetUser, setResetUser] = useState<User | null>(null);
  const [viewUser, setViewUser] = useState<User | null>(null);

  const patch = useCallback((p: Partial<Query>) => setQuery((q) => ({ ...q, ...p, page: p.page ?? 1 })), []);

  /** A saved user: the list is refetched (the modals invalidate it); the open drawer shows the saved one. */
  const upsert = (u: User) => {
    if (viewUser?.id === u.id) setViewUser(u);
  };

  const canManage = (u: User) => canWrite && u.id !== me.id && manageable.has(u.role);

  const columns: TableColumnsType<User> = [
    {
      title: t('users.username'),
      dataIndex: 'username',
      width: 140,
      fixed: isMobile ? undefined : 'left',
      render: (v: string, u) => (
        <Typography.Link onClick={() => setViewUser(u)} data-testid={`user-link-${v}`}>
          {v}
        </Typography.Link>
      ),
    },
    { title: t('users.displayName'), dataIndex: 'displayName', width: 110 },
    { title: t('users.role'), dataIndex: 'role', width: 130, render: (r: Role) => roleLabel(r) },
    {
      title: t('users.region'),
      key: 'region',
      width: 200,
      ellipsis: true,
      render: (_: unknown, u) => (
        <span data-testid="user-region" title={u.region.fullName}>
          {u.region.fullName}
        </span>
      ),
    },
    { title: t('users.phone'), dataIndex: 'phone', width: 120, render: (p: string | null) => p ?? '—' },
    {
      title: t('users.status'),
      dataIndex: 'status',
      width: 80,
      render: (_: unknown, u) => <StatusTag user={u} />,
    },
    {
      title: t('users.locked'),
      dataIndex: 'lockedUntil',
      width: 90,
      render: (v: string | null) =>
        isLocked(v) ? (
          <Tooltip title={t('users.lockedUntil', { time: fmtTime(v) })}>
            <Badge status="error" text={t('users.lockedYes')} />
          </Tooltip>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    { title: t('users.lastLogin'), dataIndex: 'lastLoginAt', width: 160, render: (v: string | null) => fmtTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: canWrite ? 110 : 70,
      fixed: isMobile ? undefined : 'right',
      render: (_: unknown, u) => (
        <Space size={0}>
          <Tooltip title={t('users.view')}>
            <Button type="text" size="small" icon={<EyeOutlined />} onClick={() => setViewUser(u)} aria-label={t('users.view')} />
          </Tooltip>
          {canManage(u) && (
            <>
              <Tooltip title={t('common.edit')}>
                <Button
                  type="text"
                  size="small"
                  icon={<EditOutlined />}
                  aria-label={t('common.edit')}
                  data-testid={`user-edit-${u.username}`}
                  onClick={() => {
                    setEditing(u);
                    setFormMode('edit');
                  }}
                />
              </Tooltip>
              <Dropdown
                trigger={['click']}
                menu={{
                  items: [
                    u.status === 'active'
                      ? { key: 'disable', icon: <StopOutlined />, danger: true, label: t('users.disable') }
                      : { key: 'enable', icon: <CheckCircleOutlined />, label: t('users.enable') },
                    { key: 'reset', icon: <KeyOutlined />, label: t('users.resetPassword') },
                  ],
                  onClick: ({ key }) => {
                    if (key === 'disable' || key === 'enable') setStatusUser(u);
                    if (key === 'reset') setResetUser(u);
                  },
                }}
              >
                <Button type="text" size="small" icon={<MoreOutlined />} aria-label={t('common.more')} data-testid={`user-more-${u.username}`} />
              </Dropdown>
            </>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="users-page">
      <PageHeader
        title={t('menu.users')}
        subtitle={t('users.subtitle', { region: me.region.fullName })}
        extra={
          <Space wrap>
            <Button
              icon={<DownloadOutlined />}
              href={buildUrl(api.userExport.url, undefined, { regionCode: query.regionCode, q: query.q, role: query.role, status: query.status })}
              data-testid="user-export"
            >
              {t('users.export')}
            </Button>
          {canWrite && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setEditing(undefined);
                setFormMode('create');
              }}
              data-testid="user-create"
            >
              {t('users.create')}
            </Button>
          )}
          </Space>
        }
      />
      <Card variant="borderless" className="tp-filter-card">
        <div className="tp-filters">
          <RegionPicker
            value={query.regionCode}
            onChange={(c) => patch({ regionCode: c })}
            placeholder={t('users.filterRegion')}
            style={{ width: isMobile ? '100%' : 260 }}
            data-testid="users-filter-region"
          />
          <Select<Role>
            allowClear
            placeholder={t('users.filterRole')}
            value={query.role}
            onChange={(r) => patch({ role: r })}
            options={ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
            style={{ width: isMobile ? '100%' : 180 }}
            data-testid="users-filter-role"
          />
          <Select<'active' | 'disabled'>
            allowClear
            placeholder={t('users.filterStatus')}
            value={query.status}
            onChange={(s) => patch({ status: s })}
            options={[
              { value: 'active', label: t('status.active') },
              { value: 'disabled', label: t('status.disabled') },
            ]}
            style={{ width: isMobile ? '100%' : 130 }}
            data-testid="users-filter-status"
          />
          <Input.Search
            allowClear
            placeholder={t('users.filterQ')}
            value={qText}
            onChange={(e) => {
              setQText(e.target.value);
              if (!e.target.value) patch({ q: undefined });
            }}
            onSearch={(v) => patch({ q: v.trim() || undefined })}
            style={{ width: isMobile ? '100%' : 240 }}
            data-testid="users-filter-q"
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              setQText('');
              setQuery({ page: 1, pageSize: query.pageSize });
            }}
          >
            {t('common.reset')}
          </Button>
        </div>
      </Card>
      {error && <Alert type="error" showIcon title={error} style={{ margin: '16px 0' }} />}
      <Card variant="borderless" style={{ marginTop: 16 }} styles={{ body: { padding: isMobile ? 8 : 16 } }}>
        <Table<User>
          rowKey="id"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          scroll={{ x: 1140 }}
          data-testid="users-table"
          onRow={() => ({ 'data-testid': 'users-row' }) as React.HTMLAttributes<HTMLElement>}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: data.total,
            showSizeChanger: !isMobile,
            size: isMobile ? 'small' : undefined,
            showTotal: (n) => <span data-testid="users-total">{t('common.totalN', { n })}</span>,
            onChange: (page, pageSize) => setQuery((q) => ({ ...q, page, pageSize })),
          }}
        />
      </Card>

      <UserFormModal
        mode={formMode ?? 'create'}
        user={editing}
        open={formMode !== null}
        onClose={() => setFormMode(null)}
        onSaved={(u) => {
          setFormMode(null);
          upsert(u);
        }}
      />
      <StatusModal
        user={statusUser}
        onClose={() => setStatusUser(null)}
        onSaved={(u) => {
          setStatusUser(null);
          upsert(u);
        }}
      />
      <ResetPasswordModal
        user={resetUser}
        onClose={() => setResetUser(null)}
        onDone={() => setResetUser(null)}
      />
      <UserDrawer user={viewUser} onClose={() => setViewUser(null)} />
    </div>
  );
}
