import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, LogoutOutlined } from '@ant-design/icons';
import { api, call } from '../api/client';
import { useAuth, useMe } from '../auth/AuthContext';
import { useI18n } from '../i18n';
import { LangSwitch } from '../components/LangSwitch';
import { Logo } from '../components/Logo';
import { PageHeader } from '../components/PageHeader';
import { useFormSubmit } from '../utils/useFormSubmit';
import { passwordRule } from '../utils/password';

type Values = { currentPassword: string; newPassword: string; confirm: string };

function ChangePasswordForm({ onDone }: { onDone: () => void }) {
  const me = useMe();
  const { t, serverText } = useI18n();
  const [form] = Form.useForm<Values>();
  useEffect(() => void passwordRule(), []);
  const f = useFormSubmit<Values, true>({
    form,
    // antd's rules have passed (onFinish)
    validate: () => form.getFieldsValue(),
    save: async (v) => {
      await call(api.changePassword, { body: { currentPassword: v.currentPassword, newPassword: v.newPassword } });
      return { saved: true, notice: t('password.changed') };
    },
    onSaved: () => onDone(),
  });
  const { error } = f;

  return (
    <>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="password-error" />}
      <Form form={form} layout="vertical" onFinish={f.submit} requiredMark={false} data-testid="change-password-form">
        <Form.Item
          name="currentPassword"
          label={t('password.current')}
          rules={[{ required: true, message: t('password.currentRequired') }]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          dependencies={['currentPassword']}
          hasFeedback
          extra={t('password.rule')}
          rules={[
            { required: true, message: t('password.newRequired') },
            ({ getFieldValue }) => ({
              validator: async (_r, value: string | undefined) => {
                if (!value) return;
                const p = (await passwordRule())(value, { username: me.username, displayName: me.displayName });
                if (p) throw new Error(serverText(p));
                if (value === getFieldValue('currentPassword')) throw new Error(t('password.sameAsCurrent'));
              },
            }),
          ]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          hasFeedback
          rules={[
            { required: true, message: t('password.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: async (_r, value: string | undefined) => {
                if (value && value !== getFieldValue('newPassword')) throw new Error(t('password.mismatch'));
              },
            }),
          ]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={f.saving} data-testid="password-submit">
          {t('password.submit')}
        </Button>
      </Form>
    </>
  );
}

export default function ChangePasswordPage({ forced }: { forced?: boolean }) {
  const { refresh, logout, me } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();

  const done = async () => {
    try {
      await refresh();
    } finally {
      navigate('/', { replace: true });
    }
  };

  if (forced) {
    return (
      <div className="tp-auth-page">
        <div className="tp-auth-lang">
          <LangSwitch />
        </div>
        <div className="tp-auth-box">
          <div className="tp-auth-brand">
            <Logo size={44} />
            <div>
              <div className="tp-auth-title">{t('app.name')}</div>
              <div className="tp-auth-subtitle">{t('app.tagline')}</div>
            </div>
          </div>
          <Card className="tp-auth-card" variant="borderless">
            <Typography.Title level={4} style={{ marginTop: 0, textAlign: 'center' }} data-testid="page-title">
              {t('password.title')}
            </Typography.Title>
            <Alert type="warning" showIcon title={t('password.forcedHint')} style={{ marginBottom: 16 }} data-testid="password-forced" />
            <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
              {me?.displayName} · {me?.username}
            </Typography.Paragraph>
            <ChangePasswordForm onDone={() => void done()} />
            <Button type="link" block icon={<LogoutOutlined />} onClick={() => void logout()} style={{ marginTop: 8 }}>
              {t('header.logout')}
            </Button>
          </Card>
        </div>
      </div>
    );
  }

  return (
    <div>
      <PageHeader title={t('password.title')} subtitle={t('password.subtitle')} />
      <Card style={{ maxWidth: 520 }}>
        <ChangePasswordForm onDone={() => void done()} />
      </Card>
    </div>
  );
}
