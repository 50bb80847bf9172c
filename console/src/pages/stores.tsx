/**
 * Stores, and till staff with their tokens: a new staff member's token is
 * shown once (the server keeps only its hash) for the till phone's 店员入口.
 * HQ creates and revokes; a manager sees their own stores and staff.
 */
import { Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useCallback, useState } from 'react';
import { api, type Operator } from '../api';
import { RevokeButton, SecretOnce } from '../credentials';
import { ErrorBar, useLoad, useSubmit } from '../hooks';

interface Store {
  id: string;
  name: string;
  region: string;
}
interface Staff {
  id: string;
  name: string;
  storeId: string;
  role: 'cashier' | 'manager';
  createdAt: string;
  revokedAt: string | null;
}
type StaffInput = Pick<Staff, 'name' | 'storeId' | 'role'>;

const ROLE_NAMES = { cashier: '收银员', manager: '店长' } as const;
const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export function StoresPage({ operator }: { operator: Operator }) {
  const hq = operator.role === 'hq';
  const stores = useLoad(useCallback(() => api<{ items: Store[] }>('GET', '/api/admin/stores'), []));
  const staff = useLoad(useCallback(() => api<{ items: Staff[] }>('GET', '/api/admin/staff'), []));
  const submit = useSubmit();
  const [creating, setCreating] = useState(false);
  const [token, setToken] = useState<{ name: string; token: string; id: string } | null>(null);
  const [storeForm] = Form.useForm<Store>();
  const [staffForm] = Form.useForm<StaffInput>();
  const storeName = (id: string) => stores.data?.items.find((s) => s.id === id)?.name ?? id;

  const addStore = (v: Store) =>
    submit.run(async () => {
      await api('POST', '/api/admin/stores', v);
      setCreating(false);
      await stores.reload();
    });
  const addStaff = (v: StaffInput) =>
    submit.run(async () => {
      const made = await api<{ id: string; token: string }>('POST', '/api/admin/staff', v);
      setToken({ name: v.name, token: made.token, id: made.id });
      staffForm.resetFields();
      await staff.reload();
    });
  const revoke = (s: Staff) =>
    submit.run(async () => {
      await api('DELETE', `/api/admin/staff/${encodeURIComponent(s.id)}`);
      await staff.reload();
    });

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <ErrorBar
        message={stores.error || staff.error || submit.error}
        onRetry={() => void Promise.all([stores.reload(), staff.reload()])}
      />
      <Card
        title={hq ? '门店' : '我的门店'}
        extra={
          hq ? (
            <Button type="primary" onClick={() => setCreating(true)}>
              新建门店
            </Button>
          ) : null
        }
      >
        <Table<Store>
          rowKey="id"
          loading={stores.loading}
          dataSource={stores.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: '还没有门店' }}
          columns={[
            { title: '编号', dataIndex: 'id' },
            { title: '名称', dataIndex: 'name' },
            { title: '区域', dataIndex: 'region' },
          ]}
        />
      </Card>
      <Card title="店员">
        {hq ? (
          <Form
            form={staffForm}
            layout="inline"
            onFinish={addStaff}
            initialValues={{ role: 'cashier' }}
            style={{ marginBottom: 16 }}
          >
            <Form.Item name="name" rules={[{ required: true, whitespace: true, message: '姓名' }]}>
              <Input placeholder="姓名" />
            </Form.Item>
            <Form.Item name="storeId" rules={[{ required: true, message: '门店' }]}>
              <Select
                placeholder="门店"
                style={{ width: 180 }}
                options={(stores.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
              />
            </Form.Item>
            <Form.Item name="role">
              <Select
                style={{ width: 120 }}
                options={Object.entries(ROLE_NAMES).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={submit.busy}>
              生成令牌
            </Button>
          </Form>
        ) : null}
        <Table<Staff>
          rowKey="id"
          size="small"
          loading={staff.loading}
          dataSource={staff.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: '还没有店员令牌' }}
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '门店', dataIndex: 'storeId', render: storeName },
            { title: '角色', dataIndex: 'role', render: (r: Staff['role']) => ROLE_NAMES[r] },
            { title: '发放时间', dataIndex: 'createdAt', render: when },
            {
              title: '状态',
              dataIndex: 'revokedAt',
              render: (at: string | null) => (at ? <Tag>已停用 {when(at)}</Tag> : <Tag color="green">使用中</Tag>),
            },
            ...(hq
              ? [
                  {
                    title: '',
                    key: 'revoke',
                    render: (_: unknown, s: Staff) =>
                      s.revokedAt ? null : (
                        <RevokeButton confirm={`停用 ${s.name}？其令牌立即失效`} onRevoke={() => void revoke(s)} />
                      ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Modal
        title="新建门店"
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => storeForm.submit()}
        okText="创建"
        confirmLoading={submit.busy}
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
      <SecretOnce
        title={`${token?.name ?? ''} 的令牌`}
        secret={token?.token ?? null}
        intro="在收银手机的“店员入口”输入此令牌。"
        onClose={() => setToken(null)}
      />
    </Space>
  );
}
