import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Descriptions,
  Drawer,
  Dropdown,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import {
  DownloadOutlined,
  EditOutlined,
  EyeOutlined,
  KeyOutlined,
  LockOutlined,
  MoreOutlined,
  PlusOutlined,
  ReloadOutlined,
  StopOutlined,
  CheckCircleOutlined,
} from '@ant-design/icons';
import {
  manageableRoles,
  regionLevel,
  ROLE_REGION_LEVELS,
  ROLES,
  USERNAME_RE,
  msg,
  type EndpointBody,
  type EndpointQuery,
  type Role,
  type User,
} from '@tuopin/domain';
import { api, buildUrl, call } from '../api/client';
import { useAuth, useMe } from '../auth/AuthContext';
import { useI18n } from '../i18n';
import { RegionPicker } from '../components/RegionPicker';
import { HistoryPanel } from '../components/HistoryPanel';
import { PageHeader } from '../components/PageHeader';
import { applyFormErrors } from '../utils/formErrors';
import { fmtTime, isLocked } from '../utils/format';
import { useIsMobile } from '../utils/hooks';
import { passwordRule } from '../utils/password';

type Query = NonNullable<EndpointQuery<typeof api.userList>>;
type CreateBody = EndpointBody<typeof api.userCreate>;
type UpdateBody = EndpointBody<typeof api.userUpdate>;

const PHONE_RE = /^1\d{10}$/;

// ------------------------------------------------------------------------------------------
// Create / edit

type UserFormValues = {
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  phone?: string;
  password: string;
  reason?: string;
};

function UserFormModal({
  mode,
  user,
  open,
  onClose,
  onSaved,
}: {
  mode: 'create' | 'edit';
  user?: User;
  open: boolean;
  onClose: () => void;
  onSaved: (u: User) => void;
}) {
  const me = useMe();
  const { t, roleLabel, levelLabel, serverText, errorText } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<UserFormValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const role = Form.useWatch('role', form);
  const username = Form.useWatch('username', form);
  const levels = role ? ROLE_REGION_LEVELS[role] : undefined;
  const roleOptions = manageableRoles(me.role).map((r) => ({ value: r, label: roleLabel(r) }));

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    if (mode === 'edit' && user) {
      form.setFieldsValue({
        displayName: user.displayName,
        role: user.role,
        regionCode: user.region.code,
        phone: user.phone ?? '',
        reason: '',
      });
    }
  }, [open, mode, user, form]);

  // A region of a level the new role does not allow is cleared.
  useEffect(() => {
    const code = form.getFieldValue('regionCode') as string | undefined;
    if (role && code && !ROLE_REGION_LEVELS[role].includes(regionLevel(code))) {
      form.setFieldValue('regionCode', undefined);
    }
  }, [role, form]);

  const submit = async () => {
    let v: UserFormValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setError(null);
    try {
      let saved: User;
      if (mode === 'create') {
        const body: CreateBody = {
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          role: v.role,
          regionCode: v.regionCode,
          phone: v.phone?.trim() ? v.phone.trim() : null,
          password: v.password,
        };
        saved = await call(api.userCreate, { body });
        message.success(t('users.created', { name: saved.displayName }));
      } else {
        if (!user) return;
        const body: UpdateBody = { reason: v.reason?.trim() };
        if (v.displayName.trim() !== user.displayName) body.displayName = v.displayName.trim();
        if (v.role !== user.role) body.role = v.role;
        if (v.regionCode !== user.region.code) body.regionCode = v.regionCode;
        const phone = v.phone?.trim() ? v.phone.trim() : null;
        if (phone !== user.phone) body.phone = phone;
        if (Object.keys(body).length === 1) {
          message.info(t('users.nothingChanged'));
          onClose();
          return;
        }
        saved = await call(api.userUpdate, { params: { id: user.id }, body });
        message.success(t('users.saved'));
      }
      onSaved(saved);
    } catch (e) {
      const rest = applyFormErrors(form, e, serverText);
      if (rest === null || rest.length > 0) setError(rest && rest.length > 0 ? rest.join(' ') : errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={mode === 'create' ? t('users.createTitle') : t('users.editTitle', { name: user?.displayName ?? '' })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      forceRender
      width={560}
      okButtonProps={{ 'data-testid': 'user-form-submit' }}
      data-testid="user-form-modal"
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="user-form-error" />}
      <Form form={form} layout="vertical" requiredMark="optional" data-testid="user-form">
        {mode === 'create' && (
          <Form.Item
            name="username"
            label={t('users.username')}
            extra={serverText(msg('auth.usernameRule'))}
            rules={[
              { required: true, message: t('users.usernameRequired') },
              { pattern: USERNAME_RE, message: serverText(msg('auth.usernameRule')) },
            ]}
          >
            <Input autoComplete="off" data-testid="user-form-username" />
          </Form.Item>
        )}
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          rules={[{ required: true, whitespace: true, message: t('users.displayNameRequired') }, { max: 64 }]}
        >
          <Input data-testid="user-form-displayName" />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('users.roleRequired') }]}>
          <Select
            options={roleOptions}
            placeholder={t('users.rolePlaceholder')}
            data-testid="user-form-role"
            disabled={mode === 'edit' && user?.id === me.id}
          />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={t('users.region')}
          extra={levels ? t('users.regionLevels', { levels: levels.map((l) => levelLabel(l)).join(' / ') }) : t('users.pickRoleFirst')}
          rules={[{ required: true, message: t('users.regionRequired') }]}
        >
          <RegionPicker allowedLevels={levels} disabled={!role} data-testid="user-form-region" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('users.phone')}
          rules={[{ pattern: PHONE_RE, message: t('users.phoneInvalid') }]}
        >
          <Input inputMode="numeric" maxLength={11} data-testid="user-form-phone" />
        </Form.Item>
        {mode === 'create' && (
          <Form.Item
            name="password"
            label={t('users.initialPassword')}
            extra={t('users.initialPasswordHint')}
            dependencies={['username', 'displayName']}
            rules={[
              { required: true, message: t('password.newRequired') },
              {
                validator: async (_r, value: string | undefined) => {
                  if (!value) return;
                  const p = (await passwordRule())(value, { username, displayName: form.getFieldValue('displayName') as string | undefined });
                  if (p) throw new Error(serverText(p));
                },
              },
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="user-form-password" />
          </Form.Item>
        )}
        {mode === 'edit' && (
          <Form.Item
            name="reason"
            label={t('users.reason')}
            rules={[{ required: true, whitespace: true, message: t('users.reasonRequired') }, { max: 500 }]}
          >
            <Input.TextArea rows={2} maxLength={500} showCount data-testid="user-form-reason" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

// ------------------------------------------------------------------------------------------
// Enable / disable, reset password

function StatusModal({ user, onClose, onSaved }: { user: User | null; onClose: () => void; onSaved: (u: User) => void }) {
  const { t, serverText, errorText } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const disabling = user?.status === 'active';

  useEffect(() => {
    if (user) {
      form.resetFields();
      setError(null);
    }
  }, [user, form]);

  const submit = async () => {
    if (!user) return;
    let v: { reason: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const saved = await call(api.userUpdate, {
        params: { id: user.id },
        body: { status: disabling ? 'disabled' : 'active', reason: v.reason.trim() },
      });
      message.success(disabling ? t('users.disabledOk') : t('users.enabledOk'));
      onSaved(saved);
    } catch (e) {
      const rest = applyFormErrors(form, e, serverText);
      if (rest === null || rest.length > 0) setError(rest && rest.length > 0 ? rest.join(' ') : errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={!!user}
      title={user ? t(disabling ? 'users.disableTitle' : 'users.enableTitle', { name: user.displayName }) : ''}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={disabling ? t('users.disable') : t('users.enable')}
      okButtonProps={{ danger: disabling, 'data-testid': 'status-submit' }}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      forceRender
    >
      {disabling && <Alert type="warning" showIcon title={t('users.disableHint')} style={{ marginBottom: 16 }} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={t('users.reason')}
          rules={[{ required: true, whitespace: true, message: t('users.reasonRequired') }, { max: 500 }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="status-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResetPasswordModal({ user, onClose, onDone }: { user: User | null; onClose: () => void; onDone: () => void }) {
  const { t, serverText, errorText } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ newPassword: string; reason: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (user) {
      form.resetFields();
      setError(null);
    }
  }, [user, form]);

  const submit = async () => {
    if (!user) return;
    let v: { newPassword: string; reason: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      await call(api.userResetPassword, { params: { id: user.id }, body: { newPassword: v.newPassword, reason: v.reason.trim() } });
      message.success(t('users.resetOk', { name: user.displayName }));
      onDone();
    } catch (e) {
      const rest = applyFormErrors(form, e, serverText);
      if (rest === null || rest.length > 0) setError(rest && rest.length > 0 ? rest.join(' ') : errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={!!user}
      title={user ? t('users.resetTitle', { name: user.displayName }) : ''}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('users.resetPassword')}
      okButtonProps={{ 'data-testid': 'reset-submit' }}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      forceRender
    >
      <Alert type="info" showIcon title={t('users.resetHint')} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical">
        <Form.Item
          name="newPassword"
          label={t('users.tempPassword')}
          rules={[
            { required: true, message: t('password.newRequired') },
            {
              validator: async (_r, value: string | undefined) => {
                if (!value) return;
                const p = (await passwordRule())(value, { username: user?.username, displayName: user?.displayName });
                if (p) throw new Error(serverText(p));
              },
            },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="reset-password" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('users.reason')}
          rules={[{ required: true, whitespace: true, message: t('users.reasonRequired') }, { max: 500 }]}
        >
          <Input.TextArea rows={2} maxLength={500} showCount data-testid="reset-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// ------------------------------------------------------------------------------------------
// Detail drawer

function StatusTag({ user }: { user: User }) {
  const { t } = useI18n();
  return user.status === 'active' ? (
    <Tag color="success">{t('status.active')}</Tag>
  ) : (
    <Tag color="default">{t('status.disabled')}</Tag>
  );
}

function UserDrawer({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t, roleLabel } = useI18n();
  const isMobile = useIsMobile();
  return (
    <Drawer
      open={!!user}
      onClose={onClose}
      size={isMobile ? '100%' : 560}
      title={user ? `${user.displayName} · ${user.username}` : ''}
      data-testid="user-drawer"
      destroyOnHidden
    >
      {user && (
        <>
          <Descriptions
            size="small"
            bordered
            column={1}
            items={[
              { key: 'username', label: t('users.username'), children: user.username },
              { key: 'name', label: t('users.displayName'), children: user.displayName },
              { key: 'role', label: t('users.role'), children: roleLabel(user.role) },
              { key: 'region', label: t('users.region'), children: user.region.fullName },
              { key: 'phone', label: t('users.phone'), children: user.phone ?? '—' },
              {
                key: 'status',
                label: t('users.status'),
                children: (
                  <Space size={4} wrap>
                    <StatusTag user={user} />
                    {isLocked(user.lockedUntil) && (
                      <Tag color="error" icon={<LockOutlined />}>
                        {t('users.lockedUntil', { time: fmtTime(user.lockedUntil) })}
                      </Tag>
                    )}
                    {user.mustChangePassword && <Tag color="warning">{t('users.mustChange')}</Tag>}
                  </Space>
                ),
              },
              { key: 'last', label: t('users.lastLogin'), children: fmtTime(user.lastLoginAt) },
              { key: 'created', label: t('users.createdAt'), children: fmtTime(user.createdAt) },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('history.title')}
          </Typography.Title>
          <HistoryPanel entity="users" entityId={user.id} version={user} />
        </>
      )}
    </Drawer>
  );
}

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
  const [data, setData] = useState<{ items: User[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  const [formMode, setFormMode] = useState<'create' | 'edit' | null>(null);
  const [editing, setEditing] = useState<User | undefined>(undefined);
  const [statusUser, setStatusUser] = useState<User | null>(null);
  const [resetUser, setResetUser] = useState<User | null>(null);
  const [viewUser, setViewUser] = useState<User | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    call(api.userList, { query, signal: ctl.signal })
      .then((d) => setData(d))
      .catch((e: unknown) => !ctl.signal.aborted && setError(errorText(e)))
      .finally(() => !ctl.signal.aborted && setLoading(false));
    return () => ctl.abort();
  }, [query, reload, errorText]);

  const patch = useCallback((p: Partial<Query>) => setQuery((q) => ({ ...q, ...p, page: p.page ?? 1 })), []);

  const upsert = (u: User) => {
    setData((d) => ({ ...d, items: d.items.map((x) => (x.id === u.id ? u : x)) }));
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
          if (formMode === 'create') setReload((r) => r + 1);
          else upsert(u);
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
        onDone={() => {
          setResetUser(null);
          setReload((r) => r + 1);
        }}
      />
      <UserDrawer user={viewUser} onClose={() => setViewUser(null)} />
    </div>
  );
}
