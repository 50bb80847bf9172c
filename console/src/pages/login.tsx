import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError, describe, session, type Operator } from '../api';

export function LoginPage({ onSignedIn }: { onSignedIn: (op: Operator) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError('');
    try {
      const r = await api<{ token: string; operator: Operator }>('POST', '/api/console/login', v);
      session.save(r.token, r.operator);
      onSignedIn(r.operator);
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };
  /** The bootstrap HQ credential (JIFEN_ADMIN_TOKEN; sandbox prints it at start): enough to create the first operators. */
  const withToken = async (v: { token: string }) => {
    setBusy(true);
    setError('');
    try {
      session.save(v.token.trim(), { id: 'hq', username: 'hq', role: 'hq', storeIds: [] });
      const me = await api<Operator>('GET', '/api/console/me');
      session.save(v.token.trim(), me);
      onSignedIn(me);
    } catch (e) {
      session.clear();
      setError(e instanceof ApiError && e.status === 401 ? '管理令牌不正确' : describe(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5' }}>
      <Card style={{ width: 400 }}>
        <Typography.Title level={3} style={{ textAlign: 'center', color: '#b91c1c' }}>
          积分管理后台
        </Typography.Title>
        {error ? <Alert type="error" message={error} showIcon style={{ marginBottom: 16 }} /> : null}
        <Tabs
          centered
          onChange={() => setError('')}
          items={[
            {
              key: 'password',
              label: '账号登录',
              children: (
                <Form layout="vertical" onFinish={submit} requiredMark={false}>
                  <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
                    <Input prefix={<UserOutlined />} autoComplete="username" />
                  </Form.Item>
                  <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
                    <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" block loading={busy}>
                    登录
                  </Button>
                </Form>
              ),
            },
            {
              key: 'token',
              label: '管理令牌',
              children: (
                <Form layout="vertical" onFinish={withToken} requiredMark={false}>
                  <Form.Item
                    name="token"
                    label="JIFEN_ADMIN_TOKEN"
                    extra="首次使用：用管理令牌登录后，在“操作员”中为同事创建账号"
                    rules={[{ required: true, message: '请输入管理令牌' }]}
                  >
                    <Input.Password autoComplete="off" />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" block loading={busy}>
                    登录
                  </Button>
                </Form>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
