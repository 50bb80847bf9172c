/**
 * Signed out: the sign-in page. Signed in: the side menu of the pages the
 * operator's role may use (the server enforces the same, role-matrix.ts),
 * and the page chosen in the URL hash.
 */
import {
  AlertOutlined,
  ApiOutlined,
  AuditOutlined,
  BarChartOutlined,
  CloudUploadOutlined,
  CrownOutlined,
  ControlOutlined,
  ReconciliationOutlined,
  GiftOutlined,
  ShopOutlined,
  SafetyCertificateOutlined,
  DashboardOutlined,
  LogoutOutlined,
  TeamOutlined,
  UserDeleteOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Button, Layout, Menu, Space, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { session, whenSignedOut, type Operator, type Role } from './api';
import { AuditPage } from './pages/audit';
import { BatchesPage } from './pages/batches';
import { ReviewPage } from './pages/review';
import { RulesPage } from './pages/rules';
import { TiersPage } from './pages/tiers';
import { RewardsPage } from './pages/rewards';
import { StoresPage } from './pages/stores';
import { DashboardPage } from './pages/dashboard';
import { ReportsPage } from './pages/reports';
import { LoginPage } from './pages/login';
import { MembersPage } from './pages/members';
import { OperatorsPage } from './pages/operators';
import { IntegrationsPage } from './pages/integrations';
import { AlertsPage } from './pages/alerts';
import { DataRightsPage } from './pages/data-rights';
import { ReconciliationPage } from './pages/reconciliation';

interface PageDef {
  key: string;
  label: string;
  icon: ReactNode;
  roles: Role[];
  render: (op: Operator) => ReactNode;
}

const PAGES: PageDef[] = [
  {
    key: 'dashboard',
    label: '概览',
    icon: <DashboardOutlined />,
    roles: ['hq', 'manager'],
    render: (op) => <DashboardPage operator={op} />,
  },
  {
    key: 'members',
    label: '会员',
    icon: <UserOutlined />,
    roles: ['hq', 'manager', 'cashier'],
    render: (op) => <MembersPage operator={op} />,
  },
  { key: 'batches', label: '批量发放', icon: <CloudUploadOutlined />, roles: ['hq'], render: () => <BatchesPage /> },
  { key: 'rules', label: '积分规则', icon: <ControlOutlined />, roles: ['hq'], render: () => <RulesPage /> },
  { key: 'tiers', label: '会员等级', icon: <CrownOutlined />, roles: ['hq'], render: () => <TiersPage /> },
  { key: 'rewards', label: '兑换商品', icon: <GiftOutlined />, roles: ['hq'], render: () => <RewardsPage /> },
  {
    key: 'review',
    label: '兑换审核',
    icon: <SafetyCertificateOutlined />,
    roles: ['hq'],
    render: () => <ReviewPage />,
  },
  {
    key: 'stores',
    label: '门店与店员',
    icon: <ShopOutlined />,
    roles: ['hq', 'manager'],
    render: (op) => <StoresPage operator={op} />,
  },
  {
    key: 'reports',
    label: '报表',
    icon: <BarChartOutlined />,
    roles: ['hq', 'manager'],
    render: (op) => <ReportsPage operator={op} />,
  },
  {
    key: 'reconciliation',
    label: '对账',
    icon: <ReconciliationOutlined />,
    roles: ['hq'],
    render: () => <ReconciliationPage />,
  },
  { key: 'alerts', label: '风险提醒', icon: <AlertOutlined />, roles: ['hq'], render: () => <AlertsPage /> },
  { key: 'integrations', label: '开放接口', icon: <ApiOutlined />, roles: ['hq'], render: () => <IntegrationsPage /> },
  {
    key: 'data-rights',
    label: '数据权利',
    icon: <UserDeleteOutlined />,
    roles: ['hq'],
    render: () => <DataRightsPage />,
  },
  { key: 'audit', label: '审计日志', icon: <AuditOutlined />, roles: ['hq'], render: () => <AuditPage /> },
  { key: 'operators', label: '操作员', icon: <TeamOutlined />, roles: ['hq'], render: () => <OperatorsPage /> },
];

const ROLE_NAMES: Record<Role, string> = { hq: '总部', manager: '店长', cashier: '收银员' };

function useHash(): [string, (k: string) => void] {
  const read = () => window.location.hash.replace(/^#\/?/, '');
  const [hash, setHash] = useState(read);
  useEffect(() => {
    const on = () => setHash(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return [hash, (k) => void (window.location.hash = `/${k}`)];
}

export function Shell() {
  const [operator, setOperator] = useState<Operator | null>(session.operator);
  const [hash, go] = useHash();
  useEffect(() => whenSignedOut(() => setOperator(null)), []);

  if (!operator || !session.token()) return <LoginPage onSignedIn={setOperator} />;
  const mine = PAGES.filter((p) => p.roles.includes(operator.role));
  const page = mine.find((p) => p.key === hash) ?? mine[0]!;
  const signOut = () => {
    session.clear();
    setOperator(null);
  };
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
        <div style={{ padding: '20px 24px', fontSize: 18, fontWeight: 600, color: '#b91c1c' }}>积分管理后台</div>
        <Menu
          mode="inline"
          selectedKeys={[page.key]}
          items={mine.map((p) => ({ key: p.key, icon: p.icon, label: p.label }))}
          onClick={(e) => go(e.key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{ background: '#fff', display: 'flex', justifyContent: 'flex-end', borderBottom: '1px solid #f0f0f0' }}
        >
          <Space>
            <Typography.Text>
              {operator.username}（{ROLE_NAMES[operator.role]}
              {operator.storeIds.length ? ` · ${operator.storeIds.join('、')}` : ''}）
            </Typography.Text>
            <Button icon={<LogoutOutlined />} onClick={signOut}>
              退出
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>{page.render(operator)}</Layout.Content>
      </Layout>
    </Layout>
  );
}
