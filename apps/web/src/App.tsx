import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Button, Result, Spin } from 'antd';
import type { Permission } from '@tuopin/domain';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { AppLayout } from './layout/AppLayout';
import { useI18n } from './i18n';
import { PAGES } from './routes';

const LoginPage = lazy(() => import('./pages/LoginPage'));
const ChangePasswordPage = lazy(() => import('./pages/ChangePasswordPage'));

function FullPageSpin() {
  return (
    <div className="tp-fullpage-spin">
      <Spin size="large" />
    </div>
  );
}

/** Children are shown only to a logged-in user who does not have to change the password first. */
function RequireAuth({ children }: { children: ReactNode }) {
  const { me, loading } = useAuth();
  const location = useLocation();
  if (loading) return <FullPageSpin />;
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (me.mustChangePassword) return <Navigate to="/change-password" replace />;
  return <>{children}</>;
}

function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useAuth();
  const { t } = useI18n();
  if (!can(permission)) {
    return <Result status="403" title="403" subTitle={t('error.noPermissionPage')} data-testid="forbidden" />;
  }
  return <>{children}</>;
}

/** Forced password change is shown alone; a voluntary one inside the layout. */
function ChangePasswordRoute() {
  const { me, loading } = useAuth();
  if (loading) return <FullPageSpin />;
  if (!me) return <Navigate to="/login" replace />;
  if (me.mustChangePassword) return <ChangePasswordPage forced />;
  return (
    <AppLayout>
      <ChangePasswordPage />
    </AppLayout>
  );
}

function NotFound() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('error.pageNotFound')}
      extra={
        <Button type="primary" href="/">
          {t('common.backHome')}
        </Button>
      }
    />
  );
}

export function App() {
  return (
    <AuthProvider>
      <Suspense fallback={<FullPageSpin />}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/change-password" element={<ChangePasswordRoute />} />
          <Route
            element={
              <RequireAuth>
                <AppLayout />
              </RequireAuth>
            }
          >
            {/* every page of the route table (routes.tsx), behind its permission */}
            {PAGES.map(({ path, page: Page, access }) => {
              const element = (
                <RequirePermission permission={access}>
                  <Page />
                </RequirePermission>
              );
              return path === '/' ? <Route key={path} index element={element} /> : <Route key={path} path={path.slice(1)} element={element} />;
            })}
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </Suspense>
    </AuthProvider>
  );
}
