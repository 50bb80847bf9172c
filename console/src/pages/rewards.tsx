/** The rewards catalog: what members can redeem, its cost and stock; create, edit cost and stock, take off or put on sale. */
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Switch, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api, describe } from '../api';
import { ErrorBar, useLoad, useSubmit } from '../hooks';

interface Reward {
  id: string;
  name: string;
  kind: 'gift' | 'coupon' | 'cash';
  pointsCost: number;
  stock: number | null;
  active: boolean;
  spec: { coupon?: { amountOffFen?: number; thresholdFen?: number } };
  updatedAt: string;
}
interface Draft {
  name: string;
  kind: 'gift' | 'coupon';
  pointsCost: number;
  stock?: number | null;
  amountOffYuan?: number;
  thresholdYuan?: number;
}
const KINDS = { gift: '实物礼品', coupon: '优惠券', cash: '积分抵现' };

const loadRewards = async () => (await api<{ items: Reward[] }>('GET', '/api/admin/rewards')).items;

export function RewardsPage() {
  const { data: items, error, setError, reload: load, loading } = useLoad(loadRewards);
  const [editing, setEditing] = useState<Reward | 'new' | null>(null);
  const { message } = App.useApp();
  const setActive = async (r: Reward, active: boolean) => {
    try {
      await api('PATCH', `/api/admin/rewards/${r.id}`, { active });
      void message.success(active ? `${r.name} 已上架` : `${r.name} 已下架`);
      await load();
    } catch (e) {
      setError(describe(e));
    }
  };
  return (
    <Card
      title="兑换商品"
      extra={
        <Button type="primary" onClick={() => setEditing('new')}>
          新建商品
        </Button>
      }
    >
      <ErrorBar message={error} onRetry={() => void load()} />
      <Table<Reward>
        rowKey="id"
        loading={loading}
        dataSource={items ?? []}
        pagination={false}
        locale={{ emptyText: '还没有商品：新建一个，会员即可在小程序里兑换' }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '类型', dataIndex: 'kind', render: (k: Reward['kind']) => KINDS[k] },
          {
            title: '面额',
            render: (_: unknown, r) =>
              r.spec.coupon?.amountOffFen
                ? `减 ¥${r.spec.coupon.amountOffFen / 100}${r.spec.coupon.thresholdFen ? `（满 ¥${r.spec.coupon.thresholdFen / 100}）` : ''}`
                : '—',
          },
          {
            title: '所需积分',
            dataIndex: 'pointsCost',
            align: 'right',
            render: (n: number) => n.toLocaleString('zh-CN'),
          },
          {
            title: '库存',
            dataIndex: 'stock',
            align: 'right',
            render: (n: number | null) => (n === null ? '不限' : n),
          },
          {
            title: '上架',
            dataIndex: 'active',
            render: (a: boolean, r) => <Switch checked={a} onChange={(v) => void setActive(r, v)} />,
          },
          {
            title: '操作',
            render: (_: unknown, r) => (
              <Button size="small" onClick={() => setEditing(r)}>
                修改
              </Button>
            ),
          },
        ]}
      />
      <RewardModal editing={editing} onClose={() => setEditing(null)} onDone={() => void load()} />
    </Card>
  );
}

function RewardModal({
  editing,
  onClose,
  onDone,
}: {
  editing: Reward | 'new' | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const [form] = Form.useForm<Draft>();
  const kind = Form.useWatch('kind', form);
  const { busy, error, setError, run } = useSubmit();
  const isNew = editing === 'new';
  useEffect(() => {
    if (!editing) return;
    setError('');
    form.resetFields();
    if (editing !== 'new')
      form.setFieldsValue({ name: editing.name, pointsCost: editing.pointsCost, stock: editing.stock });
  }, [editing, form, setError]);
  const submit = async (v: Draft) => {
    const ok = await run(async () => {
      if (isNew) {
        const coupon =
          v.kind === 'coupon'
            ? {
                coupon: {
                  type: 'amount_off',
                  amountOffFen: Math.round((v.amountOffYuan ?? 0) * 100),
                  thresholdFen: Math.round((v.thresholdYuan ?? 0) * 100),
                },
              }
            : undefined;
        await api('POST', '/api/admin/rewards', {
          name: v.name,
          kind: v.kind,
          pointsCost: v.pointsCost,
          stock: v.stock ?? null,
          spec: coupon,
        });
      } else if (editing) {
        await api('PATCH', `/api/admin/rewards/${editing.id}`, {
          name: v.name,
          pointsCost: v.pointsCost,
          stock: v.stock ?? null,
        });
      }
    });
    if (ok) {
      onClose();
      onDone();
    }
  };
  return (
    <Modal
      title={isNew ? '新建商品' : '修改商品'}
      open={editing !== null}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存"
      confirmLoading={busy}
      destroyOnClose
    >
      <ErrorBar message={error} />
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'gift' }}>
        <Form.Item
          name="name"
          label="名称"
          rules={[{ required: true, whitespace: true, max: 60, message: '请填写名称（60 字以内）' }]}
        >
          <Input />
        </Form.Item>
        {isNew ? (
          <Form.Item name="kind" label="类型">
            <Select
              options={[
                { value: 'gift', label: KINDS.gift },
                { value: 'coupon', label: KINDS.coupon },
              ]}
            />
          </Form.Item>
        ) : (
          <Tag style={{ marginBottom: 16 }}>{editing && typeof editing === 'object' ? KINDS[editing.kind] : ''}</Tag>
        )}
        {isNew && kind === 'coupon' ? (
          <>
            <Form.Item
              name="amountOffYuan"
              label="减免金额（元）"
              rules={[{ required: true, message: '请填写减免金额' }]}
            >
              <InputNumber min={0.01} precision={2} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="thresholdYuan" label="使用门槛（元，0 为无门槛）">
              <InputNumber min={0} precision={2} style={{ width: '100%' }} />
            </Form.Item>
          </>
        ) : null}
        <Form.Item name="pointsCost" label="所需积分" rules={[{ required: true, message: '请填写所需积分' }]}>
          <InputNumber min={1} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="stock" label="库存（留空为不限）">
          <InputNumber min={0} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
