/**
 * Find a member by phone or id, see them and their ledger; HQ adjusts (with
 * a required reason) and freezes or unfreezes. Managers and cashiers look
 * only: the buttons are not offered, and the server refuses them anyway.
 */
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Space,
  Table,
  Tag,
  App,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, describe, type Operator } from '../api';
import { ErrorBar, useSubmit } from '../hooks';

interface Member {
  id: string;
  balance: number;
  available: number;
  held: number;
  phone: string | null;
  status: 'active' | 'frozen';
  tier: { name: string; growth: number };
  createdAt: string;
}
interface HistoryItem {
  id: string;
  kind: string;
  delta: number;
  balanceAfter: number | null;
  storeId: string | null;
  reason: string | null;
  createdAt: string;
}

const KINDS: Record<string, string> = {
  earn: '消费积分',
  refund: '退款扣回',
  adjust: '人工调整',
  redeem: '兑换',
  expire: '过期',
  hold: '冻结',
  release: '解冻',
  capture: '积分付款',
  claim: '扫码领取',
  bonus: '活动奖励',
};
const points = (n: number) => n.toLocaleString('zh-CN');

export function MembersPage({ operator }: { operator: Operator }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Member[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const search = useCallback(async (text: string) => {
    const q = text.trim();
    if (!q) return;
    setBusy(true);
    setError('');
    try {
      const param = /^(\+?86)?1[3-9]\d{9}$/.test(q) ? `phone=${encodeURIComponent(q)}` : `q=${encodeURIComponent(q)}`;
      setFound((await api<{ items: Member[] }>('GET', `/api/admin/members?${param}`)).items);
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  }, []);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title="查找会员">
        <Input.Search
          placeholder="手机号或会员编号"
          enterButton="查找"
          size="large"
          loading={busy}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onSearch={(v) => void search(v)}
          style={{ maxWidth: 480 }}
        />
      </Card>
      {error ? <Alert type="error" showIcon message={error} /> : null}
      {found && found.length === 0 ? (
        <Card>
          <Empty description="没有找到会员：请输入完整的手机号或会员编号" />
        </Card>
      ) : null}
      {found?.map((m) => (
        <MemberDetail key={m.id} member={m} canChange={operator.role === 'hq'} onChanged={() => void search(query)} />
      ))}
    </Space>
  );
}

function MemberDetail({ member, canChange, onChanged }: { member: Member; canChange: boolean; onChanged: () => void }) {
  const [adjusting, setAdjusting] = useState(false);
  const [freezing, setFreezing] = useState(false);
  const [reload, setReload] = useState(0);
  const done = () => {
    setReload((n) => n + 1);
    onChanged();
  };
  return (
    <>
      <Card
        title={`会员 ${member.id}`}
        extra={
          canChange ? (
            <Space>
              <Button type="primary" onClick={() => setAdjusting(true)}>
                调整积分
              </Button>
              <Button danger={member.status === 'active'} onClick={() => setFreezing(true)}>
                {member.status === 'active' ? '冻结' : '解冻'}
              </Button>
            </Space>
          ) : null
        }
      >
        <Descriptions column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label="手机号">{member.phone ?? '未绑定'}</Descriptions.Item>
          <Descriptions.Item label="积分余额">{points(member.balance)}</Descriptions.Item>
          <Descriptions.Item label="可用 / 冻结">
            {points(member.available)} / {points(member.held)}
          </Descriptions.Item>
          <Descriptions.Item label="等级">
            {member.tier.name}（成长值 {points(member.tier.growth)}）
          </Descriptions.Item>
          <Descriptions.Item label="状态">
            {member.status === 'active' ? <Tag color="green">正常</Tag> : <Tag color="red">已冻结</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label="注册时间">{member.createdAt.slice(0, 16).replace('T', ' ')}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Ledger memberId={member.id} reload={reload} />
      <AdjustModal open={adjusting} member={member} onClose={() => setAdjusting(false)} onDone={done} />
      <FreezeModal open={freezing} member={member} onClose={() => setFreezing(false)} onDone={done} />
    </>
  );
}

function Ledger({ memberId, reload }: { memberId: string; reload: number }) {
  const [items, setItems] = useState<HistoryItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(true);
  const [error, setError] = useState('');
  const load = useCallback(
    async (after: string | null) => {
      setBusy(true);
      setError('');
      try {
        const page = await api<{ items: HistoryItem[]; nextCursor: string | null }>(
          'GET',
          `/api/admin/members/${memberId}/history?limit=20${after ? `&cursor=${encodeURIComponent(after)}` : ''}`,
        );
        setItems((old) => (after ? [...old, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (e) {
        setError(describe(e));
      } finally {
        setBusy(false);
      }
    },
    [memberId],
  );
  useEffect(() => void load(null), [load, reload]);
  return (
    <Card title="积分明细">
      {error ? (
        <Alert type="error" showIcon message={error} action={<Button onClick={() => void load(null)}>重试</Button>} />
      ) : null}
      <Table<HistoryItem>
        rowKey="id"
        size="middle"
        loading={busy}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: '还没有积分记录' }}
        columns={[
          { title: '时间', dataIndex: 'createdAt', render: (v: string) => v.slice(0, 19).replace('T', ' ') },
          { title: '类型', dataIndex: 'kind', render: (k: string) => KINDS[k] ?? k },
          {
            title: '积分',
            dataIndex: 'delta',
            align: 'right',
            render: (d: number) => (
              <span style={{ color: d < 0 ? '#b91c1c' : '#15803d' }}>{d > 0 ? `+${points(d)}` : points(d)}</span>
            ),
          },
          {
            title: '余额',
            dataIndex: 'balanceAfter',
            align: 'right',
            render: (b: number | null) => (b === null ? '—' : points(b)),
          },
          { title: '门店', dataIndex: 'storeId', render: (s: string | null) => s ?? '—' },
          { title: '原因', dataIndex: 'reason', render: (r: string | null) => r ?? '' },
        ]}
      />
      {cursor ? (
        <Button style={{ marginTop: 16 }} onClick={() => void load(cursor)} loading={busy}>
          加载更多
        </Button>
      ) : null}
    </Card>
  );
}

function AdjustModal({
  open,
  member,
  onClose,
  onDone,
}: {
  open: boolean;
  member: Member;
  onClose: () => void;
  onDone: () => void;
}) {
  const [form] = Form.useForm<{ points: number; reason: string }>();
  const { busy, error, setError, run } = useSubmit();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const { message } = App.useApp();
  useEffect(() => {
    if (open) {
      form.resetFields();
      setError('');
      setKey(crypto.randomUUID()); // one adjustment per opening: a double click or retry posts it once
    }
  }, [open, form, setError]);
  const submit = async (v: { points: number; reason: string }) => {
    if (
      !(await run(() =>
        api('POST', `/api/admin/members/${member.id}/adjust`, { ...v, idempotencyKey: `console-${key}` }),
      ))
    )
      return;
    void message.success(`已调整 ${v.points > 0 ? '+' : ''}${v.points} 积分`);
    onClose();
    onDone();
  };
  return (
    <Modal
      title="调整积分"
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="确认调整"
      confirmLoading={busy}
      destroyOnClose
    >
      <ErrorBar message={error} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="points"
          label="积分（正数增加，负数扣减）"
          rules={[
            { required: true, message: '请输入积分' },
            { validator: (_, v: number) => (v === 0 ? Promise.reject(new Error('不能为 0')) : Promise.resolve()) },
          ]}
        >
          <InputNumber precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="reason"
          label="原因（必填，记入审计日志）"
          rules={[{ required: true, whitespace: true, message: '请填写原因' }]}
        >
          <Input.TextArea rows={2} maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function FreezeModal({
  open,
  member,
  onClose,
  onDone,
}: {
  open: boolean;
  member: Member;
  onClose: () => void;
  onDone: () => void;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const { busy, error, setError, run } = useSubmit();
  const freezing = member.status === 'active';
  useEffect(() => {
    if (open) {
      form.resetFields();
      setError('');
    }
  }, [open, form, setError]);
  const submit = async (v: { reason: string }) => {
    if (!(await run(() => api('POST', `/api/admin/members/${member.id}/${freezing ? 'freeze' : 'unfreeze'}`, v))))
      return;
    onClose();
    onDone();
  };
  return (
    <Modal
      title={freezing ? '冻结会员' : '解冻会员'}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={freezing ? '确认冻结' : '确认解冻'}
      okButtonProps={{ danger: freezing }}
      confirmLoading={busy}
      destroyOnClose
    >
      {freezing ? <p>冻结后会员仍可查看积分、消费仍会积分，但不能兑换或用积分付款。</p> : null}
      <ErrorBar message={error} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="reason"
          label="原因（必填，记入审计日志）"
          rules={[{ required: true, whitespace: true, message: '请填写原因' }]}
        >
          <Input.TextArea rows={2} maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
