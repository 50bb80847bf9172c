/**
 * 风险提醒: what the risk checks raised (services/risk-watch.ts) and
 * contested payer links, newest first; HQ resolves each with a note (audited).
 * Below, the thresholds, changed here without a restart, and the bonus
 * blacklist.
 */
import {
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { ErrorBar, useLoad, useSubmit } from '../hooks';

interface Alert {
  id: number;
  kind: string;
  subject: string;
  detail: Record<string, unknown>;
  status: 'open' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}
interface Entry {
  id: string;
  kind: 'phone' | 'openid';
  shown: string;
  reason: string;
  addedBy: string;
  addedAt: string;
}
interface RiskSettings {
  accrualBurst: { count: number; minutes: number };
  nearReview: { count: number; hours: number; ratio: number };
  tillBurst: { count: number; minutes: number };
}

/** Each kind in words, with the one line an operator needs from its detail. */
const KINDS: Record<string, { name: string; line: (d: Record<string, unknown>) => string }> = {
  'risk.accrual_burst': {
    name: '短时多次积分',
    line: (d) => `会员 ${String(d.memberId)} 在 ${String(d.minutes)} 分钟内积分 ${String(d.accruals)} 次`,
  },
  'risk.near_review': {
    name: '兑换贴近审核线',
    line: (d) =>
      `会员 ${String(d.memberId)} 在 ${String(d.hours)} 小时内 ${String(d.redemptions)} 次兑换略低于审核线 ${String(d.threshold)} 积分`,
  },
  'risk.till_burst': {
    name: '收银集中扣分',
    line: (d) => `门店 ${String(d.storeId)} 在 ${String(d.minutes)} 分钟内核销 ${String(d.captures)} 笔积分支付`,
  },
  'payer_link.contested': {
    name: '付款人被多人认领',
    line: (d) => `付款人 ${String(d.payer)} 已关联会员 ${String(d.linkedMember)}，又被 ${String(d.claimedBy)} 认领`,
  },
};
const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');

export function AlertsPage() {
  const [status, setStatus] = useState<'open' | 'resolved'>('open');
  const alerts = useLoad(
    useCallback(
      async () => (await api<{ items: Alert[] }>('GET', `/api/admin/alerts?status=${status}`)).items,
      [status],
    ),
  );
  const settings = useLoad(useCallback(() => api<RiskSettings>('GET', '/api/admin/risk'), []));
  const blacklist = useLoad(
    useCallback(async () => (await api<{ items: Entry[] }>('GET', '/api/admin/blacklist')).items, []),
  );
  const submit = useSubmit();
  const [listing] = Form.useForm<{ who: string; reason: string }>();
  const [resolving, setResolving] = useState<Alert | null>(null);
  const [note, setNote] = useState('');
  const [form] = Form.useForm<RiskSettings>();
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);

  const resolve = () =>
    submit.run(async () => {
      await api('POST', `/api/admin/alerts/${resolving!.id}/resolve`, note.trim() ? { note: note.trim() } : {});
      setResolving(null);
      setNote('');
      await alerts.reload();
    });
  const save = (v: RiskSettings) =>
    submit.run(async () => {
      await api('PUT', '/api/admin/risk', v);
      await settings.reload();
    });

  const list = (v: { who: string; reason: string }) =>
    submit.run(async () => {
      const who = v.who.trim();
      // An 11-digit mainland mobile is a phone; anything else is a WeChat openid.
      const body = /^(\+?86)?1[3-9]\d{9}$/.test(who) ? { phone: who } : { openid: who };
      await api('POST', '/api/admin/blacklist', { ...body, reason: v.reason });
      listing.resetFields();
      await blacklist.reload();
    });
  const unlist = (e: Entry) =>
    submit.run(async () => {
      await api('DELETE', `/api/admin/blacklist/${encodeURIComponent(e.id)}`);
      await blacklist.reload();
    });

  const number = (name: (string | number)[], label: string, props: Record<string, number> = {}) => (
    <Form.Item name={name} label={label} rules={[{ required: true }]}>
      <InputNumber min={1} {...props} style={{ width: 100 }} />
    </Form.Item>
  );
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title="风险提醒"
        extra={
          <Segmented
            value={status}
            onChange={(v) => setStatus(v as 'open' | 'resolved')}
            options={[
              { value: 'open', label: '待处理' },
              { value: 'resolved', label: '已处理' },
            ]}
          />
        }
      >
        <ErrorBar message={alerts.error || submit.error} onRetry={() => void alerts.reload()} />
        <Table<Alert>
          rowKey="id"
          loading={alerts.loading}
          dataSource={alerts.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: status === 'open' ? '没有待处理的风险提醒' : '还没有处理过的提醒' }}
          columns={[
            { title: '时间', dataIndex: 'createdAt', render: when, width: 150 },
            {
              title: '类型',
              dataIndex: 'kind',
              width: 150,
              render: (k: string) => <Tag color="volcano">{KINDS[k]?.name ?? k}</Tag>,
            },
            {
              title: '内容',
              key: 'line',
              render: (_: unknown, a) => KINDS[a.kind]?.line(a.detail) ?? JSON.stringify(a.detail),
            },
            status === 'open'
              ? {
                  title: '',
                  key: 'resolve',
                  width: 90,
                  render: (_: unknown, a) => (
                    <Button size="small" onClick={() => setResolving(a)}>
                      处理
                    </Button>
                  ),
                }
              : { title: '处理', key: 'by', render: (_: unknown, a) => `${a.resolvedBy ?? ''} ${when(a.resolvedAt)}` },
          ]}
        />
      </Card>
      <Card title="提醒阈值（修改立即生效）" loading={settings.loading}>
        <Form form={form} layout="inline" onFinish={save}>
          <Typography.Text strong style={{ width: '100%', marginBottom: 8 }}>
            短时多次积分
          </Typography.Text>
          {number(['accrualBurst', 'minutes'], '分钟内')}
          {number(['accrualBurst', 'count'], '达到次数', { min: 2 })}
          <Typography.Text strong style={{ width: '100%', margin: '12px 0 8px' }}>
            兑换贴近审核线
          </Typography.Text>
          {number(['nearReview', 'hours'], '小时内')}
          {number(['nearReview', 'count'], '达到次数')}
          <Form.Item name={['nearReview', 'ratio']} label="不低于审核线的" rules={[{ required: true }]}>
            <InputNumber min={0.5} max={0.99} step={0.01} style={{ width: 100 }} />
          </Form.Item>
          <Typography.Text strong style={{ width: '100%', margin: '12px 0 8px' }}>
            收银集中扣分
          </Typography.Text>
          {number(['tillBurst', 'minutes'], '分钟内', { max: 60 })}
          {number(['tillBurst', 'count'], '达到笔数', { min: 2 })}
          <Form.Item style={{ width: '100%', marginTop: 12 }}>
            <Button type="primary" htmlType="submit" loading={submit.busy}>
              保存阈值
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <Card title="积分黑名单（不再获得签到、推荐、生日、绑定手机奖励；消费照常积分）">
        <ErrorBar message={blacklist.error} onRetry={() => void blacklist.reload()} />
        <Form form={listing} layout="inline" onFinish={list} style={{ marginBottom: 16 }}>
          <Form.Item name="who" rules={[{ required: true, whitespace: true, message: '手机号或 openid' }]}>
            <Input placeholder="手机号或微信 openid" style={{ width: 240 }} />
          </Form.Item>
          <Form.Item name="reason" rules={[{ required: true, whitespace: true, message: '原因' }]}>
            <Input placeholder="原因（如：多账号刷签到）" style={{ width: 280 }} maxLength={200} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={submit.busy}>
            加入黑名单
          </Button>
        </Form>
        <Table<Entry>
          rowKey="id"
          size="small"
          loading={blacklist.loading}
          dataSource={blacklist.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: '黑名单为空' }}
          columns={[
            {
              title: '对象',
              dataIndex: 'shown',
              render: (v: string, e) => `${e.kind === 'phone' ? '手机 ' : 'openid '}${v}`,
            },
            { title: '原因', dataIndex: 'reason' },
            { title: '加入', key: 'added', render: (_: unknown, e) => `${e.addedBy} ${when(e.addedAt)}` },
            {
              title: '',
              key: 'remove',
              render: (_: unknown, e) => (
                <Popconfirm title={`将 ${e.shown} 移出黑名单？`} okText="移出" onConfirm={() => void unlist(e)}>
                  <Button size="small">移出</Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        title={resolving ? `处理：${KINDS[resolving.kind]?.name ?? resolving.kind}` : ''}
        open={resolving !== null}
        onCancel={() => setResolving(null)}
        onOk={() => void resolve()}
        okText="标记为已处理"
        confirmLoading={submit.busy}
      >
        <Typography.Paragraph>{resolving ? KINDS[resolving.kind]?.line(resolving.detail) : ''}</Typography.Paragraph>
        <Input.TextArea
          placeholder="处理说明（如：已核实为团购，正常）"
          value={note}
          maxLength={200}
          onChange={(e) => setNote(e.target.value)}
        />
      </Modal>
    </Space>
  );
}
