/** 启用 / 停用 and 重置密码 of a user. */
import { Alert, Form, Input, Modal } from 'antd';
import { type User } from '@tuopin/domain';
import { api, call } from '../../api/client';
import { useI18n } from '../../i18n';
import { keys } from '../../api/queries';
import { useFormSubmit } from '../../utils/useFormSubmit';
import { passwordRule } from '../../utils/password';

// ------------------------------------------------------------------------------------------
// Enable / disable, reset password

export function StatusModal({ user, onClose, onSaved }: { user: User | null; onClose: () => void; onSaved: (u: User) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const disabling = user?.status === 'active';

  const f = useFormSubmit<{ reason: string }, User>({
    form,
    invalidates: [keys.users],
    open: !!user,
    onSaved,
    save: async (v) => {
      if (!user) return null;
      const saved = await call(api.userUpdate, {
        params: { id: user.id },
        body: { status: disabling ? 'disabled' : 'active', reason: v.reason.trim() },
      });
      return { saved, notice: disabling ? t('users.disabledOk') : t('users.enabledOk') };
    },
  });
  const { error } = f;

  return (
    <Modal
      open={!!user}
      title={user ? t(disabling ? 'users.disableTitle' : 'users.enableTitle', { name: user.displayName }) : ''}
      onCancel={onClose}
      onOk={f.submit}
      okText={disabling ? t('users.disable') : t('users.enable')}
      okButtonProps={{ danger: disabling, 'data-testid': 'status-submit' }}
      cancelText={t('common.cancel')}
      confirmLoading={f.saving}
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

export function ResetPasswordModal({ user, onClose, onDone }: { user: User | null; onClose: () => void; onDone: () => void }) {
  const { t, serverText } = useI18n();
  const [form] = Form.useForm<{ newPassword: string; reason: string }>();

  const f = useFormSubmit<{ newPassword: string; reason: string }, true>({
    form,
    invalidates: [keys.users],
    open: !!user,
    onSaved: onDone,
    save: async (v) => {
      if (!user) return null;
      await call(api.userResetPassword, { params: { id: user.id }, body: { newPassword: v.newPassword, reason: v.reason.trim() } });
      return { saved: true, notice: t('users.resetOk', { name: user.displayName }) };
    },
  });
  const { error } = f;

  return (
    <Modal
      open={!!user}
      title={user ? t('users.resetTitle', { name: user.displayName }) : ''}
      onCancel={onClose}
      onOk={f.submit}
      okText={t('users.resetPassword')}
      okButtonProps={{ 'data-testid': 'reset-submit' }}
      cancelText={t('common.cancel')}
      confirmLoading={f.saving}
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
