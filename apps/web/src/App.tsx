import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Button, Result, Spin } from 'antd';
import type { Permission } from '@tuopin/domain';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { AppLayout } from './layout/AppLayout';
import { useI18n } from './i18n';

const LoginPage = lazy(() => import('./pages/LoginPage'));
const ChangePasswordPage = lazy(() => import('./pages/ChangePasswordPage'));
const DashboardPage = lazy(() => import('./pages/DashboardPage'));
const RegionsPage = lazy(() => import('./pages/RegionsPage'));
const UsersPage = lazy(() => import('./pages/UsersPage'));
const AuditPage = lazy(() => import('./pages/AuditPage'));
const HouseholdListPage = lazy(() => import('./pages/households/HouseholdListPage'));
const HouseholdDetailPage = lazy(() => import('./pages/households/HouseholdDetailPage'));
const ImportPage = lazy(() => import('./pages/imports/ImportPage'));
const QualityPage = lazy(() => import('./pages/quality/QualityPage'));
const PolicyPage = lazy(() => import('./pages/policy/PolicyPage'));
const CluesPage = lazy(() => import('./pages/monitoring/CluesPage'));
const ProcedurePage = lazy(() => import('./pages/monitoring/ProcedurePage'));
const ProceduresPage = lazy(() => import('./pages/monitoring/ProceduresPage'));
const PublicityPage = lazy(() => import('./pages/monitoring/PublicityPage'));
const ExitAssessmentPage = lazy(() => import('./pages/exit/ExitAssessmentPage'));
const RulesPage = lazy(() => import('./pages/rules/RulesPage'));
const RuleRunsPage = lazy(() => import('./pages/rules/RuleRunsPage'));

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
  const { hasPermission } = useAuth();
  const { t } = useI18n();
  if (!hasPermission(permission)) {
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
            <Route
              index
              element={
                <RequirePermission permission="dashboard:read">
                  <DashboardPage />
                </RequirePermission>
              }
            />
            <Route
              path="regions"
              element={
                <RequirePermission permission="regions:read">
                  <RegionsPage />
                </RequirePermission>
              }
            />
            <Route
              path="households"
              element={
                <RequirePermission permission="registry:read">
                  <HouseholdListPage />
                </RequirePermission>
              }
            />
            <Route
              path="households/:countyCode/:id"
              element={
                <RequirePermission permission="registry:read">
                  <HouseholdDetailPage />
                </RequirePermission>
              }
            />
            <Route
              path="imports"
              element={
                <RequirePermission permission="registry:write">
                  <ImportPage />
                </RequirePermission>
              }
            />
            <Route
              path="quality"
              element={
                <RequirePermission permission="registry:read">
                  <QualityPage />
                </RequirePermission>
              }
            />
            <Route
              path="monitoring/clues"
              element={
                <RequirePermission permission="registry:read">
                  <CluesPage />
                </RequirePermission>
              }
            />
            <Route
              path="monitoring/procedures"
              element={
                <RequirePermission permission="registry:read">
                  <ProceduresPage />
                </RequirePermission>
              }
            />
            <Route
              path="monitoring/procedures/:countyCode/:id"
              element={
                <RequirePermission permission="registry:read">
                  <ProcedurePage />
                </RequirePermission>
              }
            />
            <Route
              path="monitoring/publicity"
              element={
                <RequirePermission permission="registry:read">
                  <PublicityPage />
                </RequirePermission>
              }
            />
            <Route
              path="monitoring/exit-assessment"
              element={
                <RequirePermission permission="registry:read">
                  <ExitAssessmentPage />
                </RequirePermission>
              }
            />
            <Route
              path="monitoring/rules"
              element={
                <RequirePermission permission="registry:read">
                  <RulesPage />
                </RequirePermission>
              }
            />
            <Route
              path="monitoring/rule-runs"
              element={
                <RequirePermission permission="registry:read">
                  <RuleRunsPage />
                </RequirePermission>
              }
            />
            <Route
              path="policy"
              element={
                <RequirePermission permission="regions:read">
                  <PolicyPage />
                </RequirePermission>
              }
            />
            <Route
              path="users"
              element={
                <RequirePermission permission="users:read">
                  <UsersPage />
                </RequirePermission>
              }
            />
            <Route
              path="audit"
              element={
                <RequirePermission permission="audit:read">
                  <AuditPage />
                </RequirePermission>
              }
            />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </Suspense>
    </AuthProvider>
  );
}
