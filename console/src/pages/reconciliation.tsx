/**
 * 对账: each channel's day checked against the bill WeChat Pay or Alipay
 * issued for it (services/reconciliation.ts). A paid order in the bill we
 * never heard of is compensated; an amount that differs, or a payment of ours
 * the bill lacks, is a flag. HQ runs a day again here, or asks the platform
 * about one order.
 */
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { api, ApiError, describe } from '../api';
import { ErrorBar, useLoad } from '../hooks';

type Channel = 'wechatpay' | 'alipay';
type FlagKind = 'amount_mismatch' | 'missing_from_bill' | 'not_paid_on_platform' | 'refund_missing';
type RecheckStatus = 'matched' | 'compensated' | 'amount_mismatch' | 'not_paid_on_platform';
interface Flag {
  kind: FlagKind;
  tradeNo: string;
  outTradeNo: string | null;
  billFen: number | null;
  ourFen: number | null;
  line: number | null;
}
interface Compensation {
  tradeNo: string;
  outTradeNo: string | null;
  amountFen: number;
  result: string;
}
interface Run {
  id: string;
  channel: Channel;
  date: string;
  status: 'done' | 'failed';
  by: string;
  startedAt: string;
  finishedAt: string;
  attempts: number;
  error: string | null;
  billRows: number;
  declaredRows: number | null;
  matched: number;
  duplicates: number;
  refunds: number;
  compensated: Compensation[];
  flags: Flag[];
}
interface Listing {
  channels: { channel: Channel; enabled: boolean; reason: string | null }[];
  runs: Run[];
}

const CHANNELS: Record<Channel, string> = { wechatpay: '微信支付', alipay: '支付宝' };
const FLAGS: Record<FlagKind, string> = {
  amount_mismatch: '金额不一致',
  missing_from_bill: '账单中缺少（我方已入账）',
  not_paid_on_platform: '平台未支付',
  refund_missing: '退款未入账（积分未扣回）',
};
const RECHECKED: Record<RecheckStatus, { text: string; type: 'success' | 'warning'; why: string }> = {
  matched: { text: '一致', type: 'success', why: '平台与我方记录的金额相同' },
  compensated: { text: '已补记', type: 'success', why: '平台已支付但我方未收到通知，已按通知入账' },
  amount_mismatch: { text: '金额不一致', type: 'warning', why: '已记为差异并发出风险提醒' },
  not_paid_on_platform: { text: '平台未支付', type: 'warning', why: '平台没有这笔已支付的交易' },
};
const RESULTS: Record<string, string> = {
  accrued: '已积分',
  'accrued-unclaimed': '已入账（待会员认领）',
  'accrued-claimed': '已积分（扫码认领）',
  'paid-no-points': '已入账（无积分）',
  duplicate: '此前已入账',
};

const ABOUT =
  '每天 10:00（北京时间）后自动核对前一天的账单。账单中有、但未收到支付通知的订单，向平台查询后补记积分（不会重复入账）；' +
  '金额不一致、或我方已入账而账单中没有的支付列为差异，并发出风险提醒。';

// Digits from the integer fen: fen / 100 is inexact in binary floating point, and rounding it back risks a cent.
function yuan(fen: number | null): string {
  if (fen === null) return '—';
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}¥${Math.floor(abs / 100).toLocaleString('zh-CN')}.${String(abs % 100).padStart(2, '0')}`;
}
// The server's times carry the merchant's offset, so the first 16 characters are its wall clock.
const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');
const who = (by: string) => (by === 'system:reconciliation' ? '每日自动' : by);
// 409 and 502 carry the server's reason (which key is missing, what the platform said): show it, not a code.
const failure = (e: unknown) =>
  e instanceof ApiError && e.code === 'CHANNEL_NOT_CONFIGURED'
    ? `该渠道未启用：${e.message}`
    : e instanceof ApiError && e.code === 'PLATFORM_ERROR'
      ? `支付平台出错，请稍后重试：${e.message}`
      : describe(e);

function Details({ run }: { run: Run }) {
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {run.compensated.length > 0 ? (
        <Table<Compensation>
          size="small"
          rowKey="tradeNo"
          pagination={false}
          title={() => '补记的支付（账单中有、未收到通知，已向平台查询后入账）'}
          dataSource={run.compensated}
          columns={[
            { title: '交易号', dataIndex: 'tradeNo' },
            { title: '商户订单号', dataIndex: 'outTradeNo', render: (v: string | null) => v ?? '—' },
            { title: '金额', dataIndex: 'amountFen', align: 'right', render: yuan },
            { title: '结果', dataIndex: 'result', render: (r: string) => RESULTS[r] ?? r },
          ]}
        />
      ) : null}
      {run.flags.length > 0 ? (
        <Table<Flag>
          size="small"
          rowKey={(f) => `${f.kind}:${f.tradeNo}`}
          pagination={false}
          title={() => '差异（已发出风险提醒）'}
          dataSource={run.flags}
          columns={[
            { title: '类型', dataIndex: 'kind', render: (k: FlagKind) => <Tag color="red">{FLAGS[k] ?? k}</Tag> },
            { title: '交易号', dataIndex: 'tradeNo' },
            { title: '商户订单号', dataIndex: 'outTradeNo', render: (v: string | null) => v ?? '—' },
            { title: '账单金额', dataIndex: 'billFen', align: 'right', render: yuan },
            { title: '我方金额', dataIndex: 'ourFen', align: 'right', render: yuan },
            { title: '账单行号', dataIndex: 'line', align: 'right', render: (n: number | null) => n ?? '—' },
          ]}
        />
      ) : null}
    </Space>
  );
}

export function ReconciliationPage() {
  // The server's default too: the last 30 days.
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(30, 'day'), dayjs()]);
  const [channel, setChannel] = useState<Channel | 'all'>('all');
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const { data, error, reload, loading } = useLoad(
    useCallback(
      () =>
        api<Listing>(
          'GET',
          `/api/admin/reconciliation?from=${from}&to=${to}${channel === 'all' ? '' : `&channel=${channel}`}`,
        ),
      [from, to, channel],
    ),
  );
  const [busy, setBusy] = useState<'run' | 'recheck' | null>(null);
  const [ran, setRan] = useState<{ type: 'success' | 'warning' | 'error'; text: string } | null>(null);
  const [rechecked, setRechecked] = useState<{ type: 'success' | 'warning' | 'error'; text: string } | null>(null);

  const states = data?.channels ?? [];
  // A channel that cannot run is greyed out; the notice above says why.
  const options = (['wechatpay', 'alipay'] as const).map((c) => ({
    value: c,
    label: CHANNELS[c],
    disabled: states.some((s) => s.channel === c && !s.enabled),
  }));

  const reconcile = async (v: { channel: Channel; date: Dayjs }) => {
    setBusy('run');
    setRan(null);
    try {
      const r = await api<Run>('POST', '/api/admin/reconciliation/runs', {
        channel: v.channel,
        date: v.date.format('YYYY-MM-DD'),
      });
      const head = `${r.date} ${CHANNELS[r.channel]}`;
      setRan(
        r.status === 'failed'
          ? { type: 'error', text: `${head}对账失败：${r.error ?? ''}` }
          : {
              type: r.flags.length ? 'warning' : 'success',
              text: `${head}对账完成：账单 ${r.billRows} 行，已核对 ${r.matched} 笔，补记 ${r.compensated.length} 笔，差异 ${r.flags.length} 条`,
            },
      );
      await reload();
    } catch (e) {
      setRan({ type: 'error', text: failure(e) });
    } finally {
      setBusy(null);
    }
  };

  const recheck = async (v: { channel: Channel; tradeNo: string }) => {
    setBusy('recheck');
    setRechecked(null);
    try {
      const tradeNo = v.tradeNo.trim();
      const r = await api<{ status: RecheckStatus; flag?: Flag }>('POST', '/api/admin/reconciliation/orders', {
        channel: v.channel,
        tradeNo,
      });
      const s = RECHECKED[r.status];
      const f = r.flag;
      const amounts =
        f?.kind === 'amount_mismatch'
          ? `（平台 ${yuan(f.billFen)}，我方 ${yuan(f.ourFen)}）`
          : f?.ourFen != null
            ? `（我方已入账 ${yuan(f.ourFen)}）`
            : '';
      setRechecked({ type: s.type, text: `交易号 ${tradeNo}：${s.text}，${s.why}${amounts}` });
    } catch (e) {
      setRechecked({ type: 'error', text: failure(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title="对账（微信支付 / 支付宝账单）"
        extra={
          <Space size="large" wrap>
            {states.map((s) => (
              <Space key={s.channel} size={4}>
                {CHANNELS[s.channel]}
                {s.enabled ? (
                  <Tag color="green">已启用</Tag>
                ) : (
                  <Tooltip title={s.reason}>
                    <Tag>未启用</Tag>
                  </Tooltip>
                )}
              </Space>
            ))}
          </Space>
        }
      >
        <ErrorBar message={error} onRetry={() => void reload()} />
        {states
          .filter((s) => !s.enabled)
          .map((s) => (
            <Alert
              key={s.channel}
              showIcon
              type="info"
              message={`${CHANNELS[s.channel]}未启用，不能对账：${s.reason ?? ''}`}
              style={{ marginBottom: 16 }}
            />
          ))}
        <Typography.Paragraph type="secondary">{ABOUT}</Typography.Paragraph>
        <Space wrap style={{ marginBottom: 16 }}>
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          />
          <Select
            value={channel}
            onChange={setChannel}
            style={{ width: 120 }}
            options={[{ value: 'all', label: '全部渠道' }, ...options.map(({ value, label }) => ({ value, label }))]}
          />
        </Space>
        <Table<Run>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={data?.runs ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: '暂无对账记录' }}
          expandable={{
            rowExpandable: (r) => r.compensated.length + r.flags.length > 0,
            expandedRowRender: (r) => <Details run={r} />,
          }}
          columns={[
            { title: '日期', dataIndex: 'date', width: 110 },
            { title: '渠道', dataIndex: 'channel', width: 90, render: (c: Channel) => CHANNELS[c] },
            {
              title: '状态',
              dataIndex: 'status',
              render: (s: Run['status'], r) =>
                s === 'done' ? (
                  <Tag color="green">完成</Tag>
                ) : (
                  <Space direction="vertical" size={0}>
                    <Tag color="red">失败</Tag>
                    <Typography.Text type="danger">{r.error}</Typography.Text>
                  </Space>
                ),
            },
            {
              title: '账单行数',
              dataIndex: 'billRows',
              align: 'right',
              // The bill's own summary line says how many rows it has: fewer read is a truncated download.
              render: (n: number, r) =>
                r.declaredRows !== null && r.declaredRows !== n ? (
                  <Typography.Text type="danger" strong>
                    {n}（账单声明 {r.declaredRows}）
                  </Typography.Text>
                ) : (
                  n
                ),
            },
            { title: '已核对', dataIndex: 'matched', align: 'right' },
            {
              title: '补记',
              key: 'compensated',
              align: 'right',
              render: (_: unknown, r) => `${r.compensated.length} 笔`,
            },
            { title: '重复行', dataIndex: 'duplicates', align: 'right' },
            { title: '退款行', dataIndex: 'refunds', align: 'right' },
            {
              title: '差异',
              key: 'flags',
              align: 'right',
              render: (_: unknown, r) => (
                <Typography.Text type={r.flags.length ? 'danger' : undefined} strong={r.flags.length > 0}>
                  {r.flags.length} 条
                </Typography.Text>
              ),
            },
            { title: '执行人', dataIndex: 'by', render: who },
            { title: '完成时间', dataIndex: 'finishedAt', width: 150, render: when },
          ]}
        />
      </Card>
      <Row gutter={16}>
        <Col span={12}>
          <Card title="立即对账" style={{ height: '100%' }}>
            <Form
              name="run"
              layout="inline"
              requiredMark={false}
              onFinish={(v: { channel: Channel; date: Dayjs }) => void reconcile(v)}
              initialValues={{ channel: 'wechatpay', date: dayjs().subtract(1, 'day') }}
            >
              <Form.Item name="channel" rules={[{ required: true, message: '请选择渠道' }]}>
                <Select options={options} popupMatchSelectWidth={false} style={{ width: 110 }} />
              </Form.Item>
              <Form.Item name="date" label="账单日期" rules={[{ required: true, message: '请选择日期' }]}>
                {/* A day's bill is complete only once the day is over. */}
                <DatePicker disabledDate={(d) => !d.isBefore(dayjs(), 'day')} style={{ width: 140 }} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy === 'run'}>
                开始对账
              </Button>
            </Form>
            {ran ? <Alert showIcon type={ran.type} message={ran.text} style={{ marginTop: 16 }} /> : null}
          </Card>
        </Col>
        <Col span={12}>
          <Card title="单笔核对" style={{ height: '100%' }}>
            <Form
              name="recheck"
              layout="inline"
              requiredMark={false}
              onFinish={(v: { channel: Channel; tradeNo: string }) => void recheck(v)}
              initialValues={{ channel: 'wechatpay' }}
            >
              <Form.Item name="channel" rules={[{ required: true, message: '请选择渠道' }]}>
                <Select options={options} popupMatchSelectWidth={false} style={{ width: 110 }} />
              </Form.Item>
              <Form.Item
                name="tradeNo"
                label="交易号"
                rules={[{ required: true, whitespace: true, message: '请填写交易号' }]}
              >
                <Input placeholder="微信订单号 / 支付宝交易号" maxLength={64} style={{ width: 220 }} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy === 'recheck'}>
                核对
              </Button>
            </Form>
            {rechecked ? (
              <Alert showIcon type={rechecked.type} message={rechecked.text} style={{ marginTop: 16 }} />
            ) : null}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
