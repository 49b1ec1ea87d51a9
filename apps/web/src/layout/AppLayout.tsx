import { Suspense, useMemo, useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Avatar, Button, Drawer, Dropdown, Layout, Menu, Spin, Tag, Tooltip, Typography, type MenuProps } from 'antd';
import {
  DownOutlined,
  KeyOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
} from '@ant-design/icons';
import { useAuth, useMe } from '../auth/AuthContext';
import { useI18n } from '../i18n';
import { LangSwitch } from '../components/LangSwitch';
import { Logo } from '../components/Logo';
import { useIsMobile } from '../utils/hooks';
import { MENU_PAGES, menuGroupOf, menuKeyOf } from '../routes';

const { Header, Sider, Content, Footer } = Layout;

type MenuItems = NonNullable<MenuProps['items']>;

export function AppLayout({ children }: { children?: ReactNode }) {
  const me = useMe();
  const { logout, can } = useAuth();
  const { t, roleLabel } = useI18n();
  const isMobile = useIsMobile();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem('tuopin.siderCollapsed') === '1');
  const [drawerOpen, setDrawerOpen] = useState(false);

  // Groups start open; the group of the current page is opened again whenever the page changes.
  const [openKeys, setOpenKeys] = useState<string[]>(() => [...new Set(MENU_PAGES.flatMap((n) => (n.menu.parent ? [n.menu.parent.key] : [])))]);
  const [lastPath, setLastPath] = useState(location.pathname);
  if (lastPath !== location.pathname) {
    setLastPath(location.pathname);
    const g = menuGroupOf(location.pathname);
    if (g && !openKeys.includes(g)) setOpenKeys([...openKeys, g]);
  }

  const menuItems = useMemo<MenuItems>(() => {
    const items: MenuItems = [];
    const groups = new Map<string, MenuItems>();
    // the route table's pages with a menu entry that the session may open, grouped under their parent
    for (const n of MENU_PAGES) {
      if (!can(n.access)) continue;
      const item = {
        key: n.path,
        icon: n.menu.icon,
        label: (
          <Link to={n.path} data-testid={`nav-${n.path === '/' ? 'dashboard' : n.path.slice(1)}`}>
            {t(n.menu.label)}
          </Link>
        ),
      };
      const parent = n.menu.parent;
      if (!parent) {
        items.push(item);
        continue;
      }
      let children = groups.get(parent.key);
      if (!children) {
        children = [];
        groups.set(parent.key, children);
        items.push({
          key: parent.key,
          icon: parent.icon,
          label: <span data-testid={`nav-${parent.key}`}>{t(parent.label)}</span>,
          children,
        });
      }
      children.push(item);
    }
    return items;
  }, [can, t]);

  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={[menuKeyOf(location.pathname)]}
      openKeys={openKeys}
      onOpenChange={setOpenKeys}
      items={menuItems}
      onClick={() => setDrawerOpen(false)}
    />
  );

  const toggleCollapsed = () => {
    const v = !collapsed;
    setCollapsed(v);
    localStorage.setItem('tuopin.siderCollapsed', v ? '1' : '0');
  };

  const userMenu: MenuProps = {
    items: [
      ...(isMobile
        ? [
            {
              key: 'who',
              disabled: true,
              label: (
                <div className="tp-user-menu-who">
                  <div>{roleLabel(me.role)}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {me.region.fullName}
                  </Typography.Text>
                </div>
              ),
            },
            { type: 'divider' as const },
          ]
        : []),
      {
        key: 'password',
        icon: <KeyOutlined />,
        label: <span data-testid="menu-change-password">{t('header.changePassword')}</span>,
      },
      { type: 'divider' as const },
      {
        key: 'logout',
        icon: <LogoutOutlined />,
        danger: true,
        label: <span data-testid="menu-logout">{t('header.logout')}</span>,
      },
    ],
    onClick: ({ key }) => {
      if (key === 'password') navigate('/change-password');
      if (key === 'logout') void logout();
    },
  };

  return (
    <Layout className="tp-app" hasSider={!isMobile}>
      {!isMobile && (
        <Sider
          collapsible
          collapsed={collapsed}
          trigger={null}
          width={220}
          collapsedWidth={64}
          className="tp-sider"
          data-testid="side-menu"
        >
          <Link to="/" className="tp-sider-logo">
            <Logo size={28} />
            {!collapsed && <span className="tp-sider-title">{t('app.name')}</span>}
          </Link>
          {menu}
        </Sider>
      )}
      {isMobile && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={240}
          closable={false}
          className="tp-menu-drawer"
          styles={{ body: { padding: 0, background: '#001529' } }}
          data-testid="menu-drawer"
        >
          <Link to="/" className="tp-sider-logo" onClick={() => setDrawerOpen(false)}>
            <Logo size={28} />
            <span className="tp-sider-title">{t('app.name')}</span>
          </Link>
          {menu}
        </Drawer>
      )}
      <Layout className="tp-main">
        <Header className="tp-header">
          <Button
            type="text"
            className="tp-header-trigger"
            aria-label={t('header.toggleMenu')}
            data-testid="menu-toggle"
            icon={isMobile ? <MenuUnfoldOutlined /> : collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => (isMobile ? setDrawerOpen(true) : toggleCollapsed())}
          />
          {isMobile && (
            <Link to="/" className="tp-header-brand">
              <Logo size={22} />
              <span>{t('app.name')}</span>
            </Link>
          )}
          <div className="tp-header-spacer" />
          {!isMobile && (
            <Tooltip title={me.region.fullName}>
              <span className="tp-header-region" data-testid="header-region">
                {me.region.fullName}
              </span>
            </Tooltip>
          )}
          <LangSwitch />
          <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
            <button type="button" className="tp-header-user" data-testid="user-menu">
              <Avatar size="small" style={{ background: '#1677ff', flex: 'none' }}>
                {me.displayName.slice(0, 1)}
              </Avatar>
              <span className="tp-header-name" data-testid="header-user-name">
                {me.displayName}
              </span>
              {!isMobile && (
                <Tag color="blue" variant="filled" style={{ marginInlineEnd: 0 }} data-testid="header-role">
                  {roleLabel(me.role)}
                </Tag>
              )}
              <DownOutlined style={{ fontSize: 10, color: '#999' }} />
            </button>
          </Dropdown>
        </Header>
        <Content className="tp-content">
          <Suspense
            fallback={
              <div className="tp-page-loading">
                <Spin />
              </div>
            }
          >
            {children ?? <Outlet />}
          </Suspense>
        </Content>
        <Footer className="tp-footer">{t('app.footer')}</Footer>
      </Layout>
    </Layout>
  );
}
