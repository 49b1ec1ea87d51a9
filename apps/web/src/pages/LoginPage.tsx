import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useAuth } from '../auth/AuthContext';
import { useI18n } from '../i18n';
import { isApiError } from '../api/client';
import { LangSwitch } from '../components/LangSwitch';
import { Logo } from '../components/Logo';
import { applyFormErrors } from '../utils/formErrors';

type Values = { username: string; password: string };

export default function LoginPage() {
  const { me, login, loading } = useAuth();
  const { t, errorText, serverText } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<{ text: string; kind: 'error' | 'warning' } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const from = (location.state as { from?: string } | null)?.from;

  if (!loading && me) return <Navigate to={me.mustChangePassword ? '/change-password' : (from ?? '/')} replace />;

  const onFinish = async (v: Values) => {
    setSubmitting(true);
    setError(null);
    try {
      const m = await login(v.username.trim(), v.password);
      navigate(m.mustChangePassword ? '/change-password' : from && from !== '/login' ? from : '/', { replace: true });
    } catch (e) {
      const rest = applyFormErrors(form, e, serverText);
      if (rest && rest.length === 0) return;
      const kind = isApiError(e) && (e.kind === 'LOCKED' || e.kind === 'RATE_LIMITED') ? 'warning' : 'error';
      setError({ text: errorText(e), kind });
      form.setFieldValue('password', '');
    } finally {
      setSubmitting(false);
    }
  };

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
          <Typography.Title level={4} style={{ marginTop: 0, marginBottom: 20, textAlign: 'center' }}>
            {t('login.title')}
          </Typography.Title>
          {error && (
            <Alert
              type={error.kind}
              showIcon
              title={error.text}
              style={{ marginBottom: 16 }}
              data-testid="login-error"
            />
          )}
          <Form form={form} layout="vertical" size="large" onFinish={onFinish} requiredMark={false} autoComplete="on">
            <Form.Item name="username" rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
              <Input
                prefix={<UserOutlined />}
                placeholder={t('login.username')}
                autoComplete="username"
                autoFocus
                data-testid="login-username"
              />
            </Form.Item>
            <Form.Item name="password" rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password
                prefix={<LockOutlined />}
                placeholder={t('login.password')}
                autoComplete="current-password"
                data-testid="login-password"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12, textAlign: 'center' }}>
            {t('login.hint')}
          </Typography.Paragraph>
        </Card>
      </div>
    </div>
  );
}
