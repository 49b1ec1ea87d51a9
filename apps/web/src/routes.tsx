/**
 * The one table of the web's pages: path, page component (loaded lazily), the permission it needs and its menu entry.
 * It drives both the router (App.tsx registers every row behind the login and its permission) and the side menu
 * (layout/AppLayout.tsx shows the rows with a menu entry whose permission the session has, in this order, grouped by
 * their parent). A page of a new workflow is one row here; its permission is the domain's (packages/domain/src/roles.ts).
 */
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BranchesOutlined,
  ControlOutlined,
  DashboardOutlined,
  FlagOutlined,
  HomeOutlined,
  IdcardOutlined,
  ImportOutlined,
  InboxOutlined,
  NotificationOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  TeamOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons';
import type { Permission } from '@tuopin/domain';
import type { MsgKey } from './i18n';

/** A group of the side menu (a parent entry that opens to its pages). */
export interface MenuGroup {
  key: string;
  label: MsgKey;
  icon: ReactNode;
}

export interface PageRoute {
  /** Absolute path, with react-router parameters (`/households/:countyCode/:id`); `/` is the home page */
  path: string;
  page: LazyExoticComponent<ComponentType>;
  /** The permission a user needs to open the page (and to see its menu entry) */
  access: Permission;
  /** The side-menu entry; none for pages reached from another page (a household, a procedure) */
  menu?: { label: MsgKey; icon: ReactNode; parent?: MenuGroup };
}

/** 建档立卡: the household registry pages. */
export const REGISTRY_GROUP: MenuGroup = { key: 'group-registry', label: 'menu.registry', icon: <IdcardOutlined /> };
/** 防返贫监测: clues, procedures, publicity, exit assessment, warning rules. */
export const MONITORING_GROUP: MenuGroup = { key: 'group-monitoring', label: 'menu.monitoring', icon: <AlertOutlined /> };

export const PAGES: readonly PageRoute[] = [
  { path: '/', page: lazy(() => import('./pages/DashboardPage')), access: 'dashboard:read', menu: { label: 'menu.dashboard', icon: <DashboardOutlined /> } },
  {
    path: '/households', page: lazy(() => import('./pages/households/HouseholdListPage')), access: 'households:read',
    menu: { label: 'menu.households', icon: <HomeOutlined />, parent: REGISTRY_GROUP },
  },
  { path: '/households/:countyCode/:id', page: lazy(() => import('./pages/households/HouseholdDetailPage')), access: 'households:read' },
  { path: '/imports', page: lazy(() => import('./pages/imports/ImportPage')), access: 'imports:run', menu: { label: 'menu.imports', icon: <ImportOutlined />, parent: REGISTRY_GROUP } },
  {
    path: '/quality', page: lazy(() => import('./pages/quality/QualityPage')), access: 'quality:read',
    menu: { label: 'menu.quality', icon: <SafetyCertificateOutlined />, parent: REGISTRY_GROUP },
  },
  {
    path: '/monitoring/clues', page: lazy(() => import('./pages/monitoring/CluesPage')), access: 'clues:read',
    menu: { label: 'menu.clues', icon: <InboxOutlined />, parent: MONITORING_GROUP },
  },
  {
    path: '/monitoring/procedures', page: lazy(() => import('./pages/monitoring/ProceduresPage')), access: 'procedures:read',
    menu: { label: 'menu.procedures', icon: <ScheduleOutlined />, parent: MONITORING_GROUP },
  },
  { path: '/monitoring/procedures/:countyCode/:id', page: lazy(() => import('./pages/monitoring/ProcedurePage')), access: 'procedures:read' },
  {
    path: '/monitoring/publicity', page: lazy(() => import('./pages/monitoring/PublicityPage')), access: 'publicity:read',
    menu: { label: 'menu.publicity', icon: <NotificationOutlined />, parent: MONITORING_GROUP },
  },
  {
    path: '/monitoring/exit-assessment', page: lazy(() => import('./pages/exit/ExitAssessmentPage')), access: 'exit:read',
    menu: { label: 'menu.exitAssessment', icon: <FlagOutlined />, parent: MONITORING_GROUP },
  },
  {
    path: '/monitoring/rules', page: lazy(() => import('./pages/rules/RulesPage')), access: 'rules:read',
    menu: { label: 'menu.rules', icon: <BranchesOutlined />, parent: MONITORING_GROUP },
  },
  {
    path: '/monitoring/rule-runs', page: lazy(() => import('./pages/rules/RuleRunsPage')), access: 'rules:read',
    menu: { label: 'menu.ruleRuns', icon: <ThunderboltOutlined />, parent: MONITORING_GROUP },
  },
  { path: '/policy', page: lazy(() => import('./pages/policy/PolicyPage')), access: 'policy:read', menu: { label: 'menu.policy', icon: <ControlOutlined /> } },
  { path: '/regions', page: lazy(() => import('./pages/RegionsPage')), access: 'regions:read', menu: { label: 'menu.regions', icon: <ApartmentOutlined /> } },
  { path: '/users', page: lazy(() => import('./pages/UsersPage')), access: 'users:read', menu: { label: 'menu.users', icon: <TeamOutlined /> } },
  { path: '/audit', page: lazy(() => import('./pages/AuditPage')), access: 'audit:read', menu: { label: 'menu.audit', icon: <AuditOutlined /> } },
];

/** The pages with a menu entry, in menu order. */
export const MENU_PAGES = PAGES.filter((p): p is PageRoute & { menu: NonNullable<PageRoute['menu']> } => p.menu !== undefined);

/** The menu entry a location belongs to: the longest menu path it starts with (a household page → 户信息), else home. */
export function menuKeyOf(pathname: string): string {
  const hit = MENU_PAGES.filter((n) => n.path !== '/' && (pathname === n.path || pathname.startsWith(`${n.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
  return hit ? hit.path : '/';
}

/** The menu group of a location's entry, if it has one. */
export function menuGroupOf(pathname: string): string | undefined {
  const key = menuKeyOf(pathname);
  return MENU_PAGES.find((n) => n.path === key)?.menu.parent?.key;
}
