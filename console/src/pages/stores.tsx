/**
 * Stores, and till staff with their tokens: a new staff member's token is
 * shown once (the server keeps only its hash) for the till phone's 店员入口.
 */
import { Alert, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, describe } from '../api';

interface Store {
  id: string;
  name: string;
  region: string;
}

export function StoresPage() {
  const [stores, setStores] = useState<Store[] | null>(null);
  const [error, setError] = useState('');
  const [creating, setCreating] = useState(false);
  const [token, setToken] = useState<{ name: string; token: string; id: string } | null>(null);
  const [storeForm] = Form.useForm<Store>();
  const [staffForm] = Form.useForm<{ name: string; storeId: string; role: 'cashier' | 'manager' }>();
  const load = useCallback(async () => {
    setError('');
    try {
      setStores((await api<{ items: Store[] }>('GET', '/api/admin/stores')).items);
    } catch (e) {
      setError(describe(e));
    }
  }, []);
  useEffect(() => void load(), [load]);
  const addStore = async (v: Store) => {
    try {
      await api('POST', '/api/admin/stores', v);
      setCreating(false);
      await load();
    } catch (e) {
      setError(describe(e));
    }
  };
  const [revokeId, setRevokeId] = useState('');
  const [revoked, setRevoked] = useState('');
  const revoke = async () => {
    setRevoked('');
    try {
      await api('DELETE', `/api/admin/staff/${encodeURIComponent(revokeId.trim())}`);
      setRevoked(`已停用 ${revokeId.trim()}：其令牌立即失效`);
      setRevokeId('');
    } catch (e) {
      setError(describe(e));
    }
  };
  const addStaff = async (v: { name: string; storeId: string; role: 'cashier' | 'manager' }) => {
    try {
      const made = await api<{ id: string; token: string }>('POST', '/api/admin/staff', v);
      setToken({ name: v.name, token: made.token, id: made.id });
      staffForm.resetFields();
    } catch (e) {
      setError(describe(e));
    }
  };
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      {error ? (
        <Alert type="error" showIcon message={error} action={<Button onClick={() => void load()}>重试</Button>} />
      ) : null}
      <Card
        title="门店"
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            新建门店
          </Button>
        }
      >
        <Table<Store>
          rowKey="id"
          loading={stores === null && !error}
          dataSource={stores ?? []}
          pagination={false}
          locale={{ emptyText: '还没有门店' }}
          columns={[
            { title: '编号', dataIndex: 'id' },
            { title: '名称', dataIndex: 'name' },
            { title: '区域', dataIndex: 'region' },
          ]}
        />
      </Card>
      <Card title="新增店员（收银手机使用的令牌）">
        <Form form={staffForm} layout="inline" onFinish={addStaff} initialValues={{ role: 'cashier' }}>
          <Form.Item name="name" rules={[{ required: true, message: '姓名' }]}>
            <Input placeholder="姓名" />
          </Form.Item>
          <Form.Item name="storeId" rules={[{ required: true, message: '门店' }]}>
            <Select
              placeholder="门店"
              style={{ width: 180 }}
              options={(stores ?? []).map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
          <Form.Item name="role">
            <Select
              style={{ width: 120 }}
              options={[
                { value: 'cashier', label: '收银员' },
                { value: 'manager', label: '店长' },
              ]}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            生成令牌
          </Button>
        </Form>
      </Card>
      <Card title="停用店员">
        <Space wrap>
          <Input
            placeholder="店员编号（st_…，生成令牌时显示）"
            value={revokeId}
            onChange={(e) => setRevokeId(e.target.value)}
            style={{ width: 320 }}
          />
          <Popconfirm
            title="停用后该店员的令牌立即失效"
            okText="停用"
            okButtonProps={{ danger: true }}
            onConfirm={() => void revoke()}
            disabled={!revokeId.trim()}
          >
            <Button danger disabled={!revokeId.trim()}>
              停用
            </Button>
          </Popconfirm>
        </Space>
        {revoked ? <Alert type="success" showIcon message={revoked} style={{ marginTop: 16 }} /> : null}
      </Card>
      <Modal
        title="新建门店"
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => storeForm.submit()}
        okText="创建"
        destroyOnClose
      >
        <Form form={storeForm} layout="vertical" onFinish={addStore}>
          <Form.Item
            name="id"
            label="编号（如 S001）"
            rules={[{ required: true, pattern: /^[\w-]{1,32}$/, message: '字母、数字、- 或 _' }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="name" label="名称" rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="region" label="区域" rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title={`${token?.name ?? ''} 的令牌`}
        open={token !== null}
        onCancel={() => setToken(null)}
        footer={<Button onClick={() => setToken(null)}>已保存</Button>}
      >
        <Typography.Paragraph>在收银手机的“店员入口”输入此令牌。它只显示这一次，请立即保存。</Typography.Paragraph>
        <Typography.Paragraph copyable code>
          {token?.token}
        </Typography.Paragraph>
        <Typography.Text type="secondary">店员编号 {token?.id}（停用时使用）</Typography.Text>
      </Modal>
    </Space>
  );
}
