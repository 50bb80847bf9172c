/**
 * HQ's integrations. Open API keys for POS, ERP and CRM systems: make one
 * (optionally limited to stores; its secret shown once, to hand to the
 * developer with docs/open-api.md), see which exist, revoke one at once.
 * Webhooks: register a URL for events (its secret shown once), read each
 * one's delivery log, revoke it.
 */
import { Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { api } from '../api';
import { RevokeButton, SecretOnce } from '../credentials';
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

interface Webhook {
  id: string;
  url: string;
  events: string[];
  status: 'active' | 'revoked';
  createdAt: string;
}
interface Delivery {
  eventId: string;
  type: string;
  status: 'pending' | 'sending' | 'sent' | 'skipped' | 'failed';
  attempts: number;
  nextAt: string;
  createdAt: string;
}

const EVENT_NAMES: Record<string, string> = {
  'points.changed': '积分变动',
  'tier.changed': '等级变化',
  'voucher.used': '券核销',
  'alert.raised': '风险与对账提醒',
};
const DELIVERY_STATUS: Record<Delivery['status'], [string, string]> = {
  pending: ['等待重试', 'orange'],
  sending: ['发送中', 'blue'],
  sent: ['已送达', 'green'],
  skipped: ['已跳过', 'default'],
  failed: ['已放弃', 'red'],
};

export function WebhooksCard() {
  const { data, error, reload, loading } = useLoad(
    useCallback(async () => (await api<{ items: Webhook[] }>('GET', '/api/admin/webhooks')).items, []),
  );
  const submit = useSubmit();
  const [creating, setCreating] = useState(false);
  const [made, setMade] = useState<(Webhook & { secret: string }) | null>(null);
  const [log, setLog] = useState<{ hook: Webhook; items: Delivery[] } | null>(null);
  const [form] = Form.useForm<{ url: string; events: string[] }>();

  const create = (v: { url: string; events: string[] }) =>
    submit.run(async () => {
      setMade(await api<Webhook & { secret: string }>('POST', '/api/admin/webhooks', v));
      setCreating(false);
      form.resetFields();
      await reload();
    });
  const revoke = (w: Webhook) =>
    submit.run(async () => {
      await api('POST', `/api/admin/webhooks/${encodeURIComponent(w.id)}/revoke`);
      await reload();
    });
  const openLog = (hook: Webhook) =>
    submit.run(async () => {
      const r = await api<{ items: Delivery[] }>(
        'GET',
        `/api/admin/webhooks/${encodeURIComponent(hook.id)}/deliveries`,
      );
      setLog({ hook, items: r.items });
    });

  return (
    <Card
      title="Webhook 推送（积分变动、等级变化、券核销）"
      extra={
        <Button type="primary" onClick={() => setCreating(true)}>
          新建 Webhook
        </Button>
      }
    >
      <ErrorBar message={error || submit.error} onRetry={() => void reload()} />
      <Table<Webhook>
        rowKey="id"
        loading={loading}
        dataSource={data ?? []}
        pagination={false}
        locale={{ emptyText: '还没有 Webhook：对方系统需要实时接收积分变动时新建' }}
        columns={[
          { title: '地址', dataIndex: 'url', render: (u: string) => <Typography.Text code>{u}</Typography.Text> },
          {
            title: '事件',
            dataIndex: 'events',
            render: (es: string[]) => es.map((e) => <Tag key={e}>{EVENT_NAMES[e] ?? e}</Tag>),
          },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: Webhook['status']) => (s === 'active' ? <Tag color="green">使用中</Tag> : <Tag>已停用</Tag>),
          },
          {
            title: '',
            key: 'actions',
            render: (_: unknown, w: Webhook) => (
              <Space>
                <Button size="small" onClick={() => void openLog(w)}>
                  推送记录
                </Button>
                {w.status === 'active' ? (
                  <RevokeButton confirm="停用后不再推送，等待重试的也放弃" onRevoke={() => void revoke(w)} />
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        title="新建 Webhook"
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText="创建"
        confirmLoading={submit.busy}
        destroyOnClose
      >
        <Form form={form} layout="vertical" onFinish={create} initialValues={{ events: ['points.changed'] }}>
          <Form.Item
            name="url"
            label="接收地址（https）"
            rules={[{ required: true, type: 'url', message: '完整的 http(s) 地址' }]}
          >
            <Input placeholder="https://erp.example.com/jifen/webhook" />
          </Form.Item>
          <Form.Item name="events" label="推送事件" rules={[{ required: true, message: '至少选一个' }]}>
            <Select mode="multiple" options={Object.entries(EVENT_NAMES).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        </Form>
      </Modal>
      <SecretOnce
        title="Webhook 密钥"
        secret={made?.secret ?? null}
        intro={`每次推送都用此密钥签名（与开放接口相同的方式，X-Jifen-Key-Id 为 ${made?.id ?? ''}）。`}
        onClose={() => setMade(null)}
        className="webhook-secret"
      />
      <Modal
        title={`推送记录：${log?.hook.url ?? ''}`}
        open={log !== null}
        onCancel={() => setLog(null)}
        footer={null}
        width={760}
      >
        <Table<Delivery>
          rowKey={(d) => d.eventId}
          size="small"
          dataSource={log?.items ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: '还没有推送' }}
          columns={[
            { title: '时间', dataIndex: 'createdAt', render: (v: string) => v.slice(0, 19).replace('T', ' ') },
            { title: '事件', dataIndex: 'type', render: (t: string) => EVENT_NAMES[t] ?? t },
            { title: '事件编号', dataIndex: 'eventId' },
            {
              title: '状态',
              dataIndex: 'status',
              render: (s: Delivery['status']) => <Tag color={DELIVERY_STATUS[s][1]}>{DELIVERY_STATUS[s][0]}</Tag>,
            },
            { title: '尝试次数', dataIndex: 'attempts', align: 'right' },
          ]}
        />
      </Modal>
    </Card>
  );
}

export function IntegrationsPage() {
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <KeysCard />
      <WebhooksCard />
    </Space>
  );
}

function KeysCard() {
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
                <RevokeButton
                  confirm={`停用 ${k.name} 的密钥？用它的系统立即无法调用`}
                  onRevoke={() => void revoke(k)}
                />
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
      <SecretOnce
        title={`${made?.name ?? ''} 的密钥`}
        secret={made?.secret ?? null}
        intro={
          <>
            把密钥编号 <Typography.Text code>{made?.keyId}</Typography.Text> 和密钥交给对接的开发者。
          </>
        }
        onClose={() => setMade(null)}
        className="key-secret"
      />
    </Card>
  );
}
