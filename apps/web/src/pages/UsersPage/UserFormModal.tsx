/** 新建用户 / 编辑用户. */
import { useEffect, useMemo } from 'react';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { manageableRoles, regionLevel, ROLE_REGION_LEVELS, USERNAME_RE, msg, type Role, type User } from '@tuopin/domain';
import { api, call } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { RegionPicker } from '../../components/RegionPicker';
import { keys } from '../../api/queries';
import { useFormSubmit } from '../../utils/useFormSubmit';
import { passwordRule } from '../../utils/password';
import { type CreateBody, type UpdateBody, PHONE_RE } from './shared';

// ------------------------------------------------------------------------------------------
// Create / edit

export type UserFormValues = {
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  phone?: string;
  password: string;
  reason?: string;
};

export function UserFormModal({
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
  const { t, roleLabel, levelLabel, serverText } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<UserFormValues>();
  const role = Form.useWatch('role', form);
  const username = Form.useWatch('username', form);
  const levels = role ? ROLE_REGION_LEVELS[role] : undefined;
  const roleOptions = manageableRoles(me.role).map((r) => ({ value: r, label: roleLabel(r) }));

  const initial = useMemo<Partial<UserFormValues> | undefined>(
    () =>
      mode === 'edit' && user
        ? { displayName: user.displayName, role: user.role, regionCode: user.region.code, phone: user.phone ?? '', reason: '' }
        : undefined,
    [mode, user],
  );
  const f = useFormSubmit<UserFormValues, User>({
    form,
    open,
    initial,
    invalidates: [keys.users],
    onSaved,
    onUnchanged: () => {
      void message.info(t('users.nothingChanged'));
      onClose();
    },
    save: async (v) => {
      if (mode === 'create') {
        const body: CreateBody = {
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          role: v.role,
          regionCode: v.regionCode,
          phone: v.phone?.trim() ? v.phone.trim() : null,
          password: v.password,
        };
        const saved = await call(api.userCreate, { body });
        return { saved, notice: t('users.created', { name: saved.displayName }) };
      }
      if (!user) return null;
      const body: UpdateBody = { reason: v.reason?.trim() };
      if (v.displayName.trim() !== user.displayName) body.displayName = v.displayName.trim();
      if (v.role !== user.role) body.role = v.role;
      if (v.regionCode !== user.region.code) body.regionCode = v.regionCode;
      const phone = v.phone?.trim() ? v.phone.trim() : null;
      if (phone !== user.phone) body.phone = phone;
      if (Object.keys(body).length === 1) return null;
      const saved = await call(api.userUpdate, { params: { id: user.id }, body });
      return { saved, notice: t('users.saved') };
    },
  });
  const { error } = f;

  // A region of a level the new role does not allow is cleared.
  useEffect(() => {
    const code = form.getFieldValue('regionCode') as string | undefined;
    if (role && code && !ROLE_REGION_LEVELS[role].includes(regionLevel(code))) {
      form.setFieldValue('regionCode', undefined);
    }
  }, [role, form]);

  return (
    <Modal
      open={open}
      title={mode === 'create' ? t('users.createTitle') : t('users.editTitle', { name: user?.displayName ?? '' })}
      onCancel={onClose}
      onOk={f.submit}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={f.saving}
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
