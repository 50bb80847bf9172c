/** HQ manages console accounts: create with a role (and stores), disable or enable. */
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api, describe, type Role } from '../api';
import { ErrorBar, useLoad, useSubmit } from '../hooks';

interface OperatorRow {
  id: string;
  username: string;
  role: Role;
  storeIds: string[];
  status: 'active' | 'disabled';
  createdAt: string;
}
interface Store {
  id: string;
  name: string;
}

const ROLE_NAMES: Record<Role, string> = { hq: '总部', manager: '店长', cashier: '收银员' };

const loadAll = async () => {
  const [ops, st] = await Promise.all([
    api<{ items: OperatorRow[] }>('GET', '/api/admin/operators'),
    api<{ items: Store[] }>('GET', '/api/admin/stores'),
  ]);
  return { operators: ops.items, stores: st.items };
};

export function OperatorsPage() {
  const { data, error, setError, reload: load, loading } = useLoad(loadAll);
  const [creating, setCreating] = useState(false);
  const { message } = App.useApp();
  const items = data?.operators ?? [];
  const stores = data?.stores ?? [];

  const toggle = async (op: OperatorRow) => {
    try {
      await api('PATCH', `/api/admin/operators/${op.id}`, { status: op.status === 'active' ? 'disabled' : 'active' });
      void message.success(op.status === 'active' ? `已停用 ${op.username}` : `已启用 ${op.username}`);
      void load();
    } catch (e) {
      setError(describe(e));
    }
  };

  return (
    <Card
      title="操作员"
      extra={
        <Button type="primary" onClick={() => setCreating(true)}>
          新建操作员
        </Button>
      }
    >
      <ErrorBar message={error} onRetry={() => void load()} />
      <Table<OperatorRow>
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: '还没有操作员：新建一个，今后用账号密码登录' }}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '角色', dataIndex: 'role', render: (r: Role) => ROLE_NAMES[r] },
          { title: '门店', dataIndex: 'storeIds', render: (s: string[]) => (s.length ? s.join('、') : '全部') },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: string) => (s === 'active' ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
          },
          { title: '创建时间', dataIndex: 'createdAt', render: (v: string) => v.slice(0, 16).replace('T', ' ') },
          {
            title: '操作',
            render: (_: unknown, op) => (
              <Button size="small" danger={op.status === 'active'} onClick={() => void toggle(op)}>
                {op.status === 'active' ? '停用' : '启用'}
              </Button>
            ),
          },
        ]}
      />
      <CreateModal open={creating} stores={stores} onClose={() => setCreating(false)} onDone={() => void load()} />
    </Card>
  );
}

function CreateModal({
  open,
  stores,
  onClose,
  onDone,
}: {
  open: boolean;
  stores: Store[];
  onClose: () => void;
  onDone: () => void;
}) {
  const [form] = Form.useForm<{ username: string; password: string; role: Role; storeIds?: string[] }>();
  const role = Form.useWatch('role', form);
  const { busy, error, setError, run } = useSubmit();
  useEffect(() => {
    if (open) {
      form.resetFields();
      setError('');
    }
  }, [open, form, setError]);
  const submit = async (v: { username: string; password: string; role: Role; storeIds?: string[] }) => {
    const ok = await run(() =>
      api('POST', '/api/admin/operators', { ...v, storeIds: v.role === 'hq' ? undefined : v.storeIds }),
    );
    if (ok) {
      onClose();
      onDone();
    }
  };
  return (
    <Modal
      title="新建操作员"
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="创建"
      confirmLoading={busy}
      destroyOnClose
    >
      <ErrorBar message={error} />
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ role: 'cashier' }}>
        <Form.Item
          name="username"
          label="用户名"
          rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]{3,32}$/, message: '3–32 位字母、数字或 _ . -' }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="password"
          label="初始密码"
          extra="至少 10 位、5 种不同字符，不含用户名"
          rules={[{ required: true, min: 10, message: '至少 10 位' }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="role" label="角色">
          <Select options={(['hq', 'manager', 'cashier'] as Role[]).map((r) => ({ value: r, label: ROLE_NAMES[r] }))} />
        </Form.Item>
        {role && role !== 'hq' ? (
          <Form.Item name="storeIds" label="门店" rules={[{ required: true, message: '店长和收银员至少属于一家门店' }]}>
            <Select mode="multiple" options={stores.map((s) => ({ value: s.id, label: `${s.name}（${s.id}）` }))} />
          </Form.Item>
        ) : null}
      </Form>
      <Space />
    </Modal>
  );
}
