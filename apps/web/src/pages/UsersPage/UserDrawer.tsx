/** A user's details and history. */
import { Descriptions, Drawer, Space, Tag, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { type User } from '@tuopin/domain';
import { useI18n } from '../../i18n';
import { HistoryPanel } from '../../components/HistoryPanel';
import { fmtTime, isLocked } from '../../utils/format';
import { useIsMobile } from '../../utils/hooks';

// ------------------------------------------------------------------------------------------
// Detail drawer

export function StatusTag({ user }: { user: User }) {
  const { t } = useI18n();
  return user.status === 'active' ? (
    <Tag color="success" data-testid="user-status" data-status="active">{t('status.active')}</Tag>
  ) : (
    <Tag color="default" data-testid="user-status" data-status="disabled">{t('status.disabled')}</Tag>
  );
}

export function UserDrawer({ user, onClose }: { user: User | null; onClose: () => void }) {
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
