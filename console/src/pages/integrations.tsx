/**
 * HQ's open API keys for POS, ERP and CRM systems: make one (optionally
 * limited to stores; its secret shown once, to hand to the developer with
 * docs/open-api.md), see which exist, revoke one at once.
 */
import { Button, Card, Form, Input, Modal, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { api } from '../api';
import { ErrorBar, useLoad, useSubmit } from '../hooks';

interface Key {
  keyId: string;
  name: string;
  storeIds: string[] | null;
  status: 'active' | 'revoked';
  createdAt: string;
}
interface Store {
  id: string;
  name: string;
}

const loadAll = async () => {
  const [keys, stores] = await Promise.all([
    api<{ items: Key[] }>('GET', '/api/admin/integrations'),
    api<{ items: Store[] }>('GET', '/api/admin/stores'),
  ]);
  return { keys: keys.items, stores: stores.items };
};

export function IntegrationsPage() {
  const { data, error, reload, loading } = useLoad(useCallback(loadAll, []));
  const submit = useSubmit();
  const [creating, setCreating] = useState(false);
  const [made, setMade] = useState<(Key & { secret: string }) | null>(null);
  const [form] = Form.useForm<{ name: string; storeIds?: string[] }>();

  const create = (v: { name: string; storeIds?: string[] }) =>
    submit.run(async () => {
      setMade(await api<Key & { secret: string }>('POST', '/api/admin/integrations', v));
      setCreating(false);
      form.resetFields();
      await reload();
    });
  const revoke = (k: Key) =>
    submit.run(async () => {
      await api('POST', `/api/admin/integrations/${encodeURIComponent(k.keyId)}/revoke`);
      await reload();
    });

  return (
    <Card
      title="开放接口（收银系统、ERP 对接）"
      extra={
        <Button type="primary" onClick={() => setCreating(true)}>
          新建密钥
        </Button>
      }
    >
      <ErrorBar message={error || submit.error} onRetry={() => void reload()} />
      <Typography.Paragraph type="secondary">
        收银系统用密钥签名每个请求（HMAC-SHA256），上报订单即按积分规则发放积分；对接说明见 docs/open-api.md。
      </Typography.Paragraph>
      <Table<Key>
        rowKey="keyId"
        loading={loading}
        dataSource={data?.keys ?? []}
        pagination={false}
        locale={{ emptyText: '还没有密钥：为每个对接的系统新建一个' }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          {
            title: '密钥编号',
            dataIndex: 'keyId',
            render: (id: string) => <Typography.Text code>{id}</Typography.Text>,
          },
          {
            title: '门店',
            dataIndex: 'storeIds',
            render: (ids: string[] | null) => (ids ? ids.join('、') : '全部门店'),
          },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: Key['status']) => (s === 'active' ? <Tag color="green">使用中</Tag> : <Tag>已停用</Tag>),
          },
          { title: '创建时间', dataIndex: 'createdAt', render: (v: string) => v.slice(0, 16).replace('T', ' ') },
          {
            title: '',
            key: 'revoke',
            render: (_: unknown, k: Key) =>
              k.status === 'active' ? (
                <Popconfirm
                  title={`停用 ${k.name} 的密钥？用它的系统立即无法调用`}
                  okText="停用"
                  okButtonProps={{ danger: true }}
                  onConfirm={() => void revoke(k)}
                >
                  <Button danger size="small">
                    停用
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
      <Modal
        title="新建开放接口密钥"
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText="创建"
        confirmLoading={submit.busy}
        destroyOnClose
      >
        <Form form={form} layout="vertical" onFinish={create}>
          <Form.Item name="name" label="对接系统名称" rules={[{ required: true, whitespace: true, max: 60 }]}>
            <Input placeholder="如：徐汇店收银系统" />
          </Form.Item>
          <Form.Item name="storeIds" label="限定门店（留空为全部门店）">
            <Select
              mode="multiple"
              allowClear
              options={(data?.stores ?? []).map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title={`${made?.name ?? ''} 的密钥`}
        open={made !== null}
        onCancel={() => setMade(null)}
        footer={<Button onClick={() => setMade(null)}>已保存</Button>}
      >
        <Typography.Paragraph>把密钥编号和密钥交给对接的开发者。密钥只显示这一次，请立即保存。</Typography.Paragraph>
        <Typography.Paragraph>
          密钥编号 <Typography.Text code>{made?.keyId}</Typography.Text>
        </Typography.Paragraph>
        <Typography.Paragraph copyable code className="key-secret">
          {made?.secret}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}
