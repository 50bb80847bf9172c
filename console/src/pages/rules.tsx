/**
 * Earning rules without code: start from a template or a blank rule, see the
 * server's conflict warnings, try orders against every rule's newest version
 * (dry run) before publishing, publish (or approve another operator's
 * publish), archive, and read each rule's versions. The sentences are the
 * member app's own (src/lib/rule-text.ts): HQ reads what members read.
 */
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ruleCaps, ruleConditions, ruleReward } from '../../../src/lib/rule-text';
import type { GuideRule } from '../../../src/api/types';
import { api, describe } from '../api';

interface Rule extends GuideRule {
  version: number;
  status: 'draft' | 'active' | 'archived';
  activeVersion: number | null;
  pendingApproval: { version: number; requestedBy: string } | null;
  priority: number;
  stacking: 'best' | 'add';
  warnings: { path: string; message: string }[];
  updatedBy: string;
}
interface Template {
  key: string;
  title: string;
  description: string;
  body: Record<string, unknown>;
}
interface Version {
  version: number;
  actor: string;
  createdAt: number;
}

const STATUS: Record<Rule['status'], [string, string]> = {
  draft: ['草稿', 'default'],
  active: ['生效中', 'success'],
  archived: ['已归档', 'default'],
};

export function RulesPage() {
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [error, setError] = useState('');
  const [warnings, setWarnings] = useState<string[]>([]);
  const [versions, setVersions] = useState<{ rule: Rule; items: Version[] } | null>(null);
  const [creating, setCreating] = useState(false);
  const { message } = App.useApp();

  const load = useCallback(async () => {
    setError('');
    try {
      const [r, t] = await Promise.all([
        api<{ items: Rule[] }>('GET', '/api/admin/rules'),
        api<{ items: Template[] }>('GET', '/api/admin/rules/templates'),
      ]);
      setRules(r.items);
      setTemplates(t.items);
    } catch (e) {
      setError(describe(e));
    }
  }, []);
  useEffect(() => void load(), [load]);

  const created = async (body: Record<string, unknown>) => {
    try {
      const rule = await api<Rule>('POST', '/api/admin/rules', body);
      setWarnings(rule.warnings.map((w) => w.message));
      void message.success(`已创建草稿：${rule.name}`);
      await load();
    } catch (e) {
      setError(describe(e));
    }
  };
  const act = async (rule: Rule, verb: 'publish' | 'approve' | 'archive') => {
    try {
      const r = await api<Rule>('POST', `/api/admin/rules/${rule.id}/${verb}`);
      void message.success(
        verb === 'archive'
          ? '已归档'
          : r.pendingApproval
            ? '已提交，等待另一位操作员审批'
            : `已发布第 ${r.activeVersion} 版`,
      );
      await load();
    } catch (e) {
      setError(describe(e));
    }
  };
  const showVersions = async (rule: Rule) => {
    try {
      setVersions({
        rule,
        items: (await api<{ items: Version[] }>('GET', `/api/admin/rules/${rule.id}/versions`)).items,
      });
    } catch (e) {
      setError(describe(e));
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title="积分规则"
        extra={
          <Space>
            <Select
              placeholder="从模板新建"
              style={{ width: 180 }}
              value={null}
              options={templates.map((t) => ({ value: t.key, label: t.title }))}
              onChange={(k) => void created(templates.find((t) => t.key === k)!.body)}
            />
            <Button type="primary" onClick={() => setCreating(true)}>
              新建规则
            </Button>
          </Space>
        }
      >
        {error ? (
          <Alert
            type="error"
            showIcon
            message={error}
            style={{ marginBottom: 16 }}
            action={<Button onClick={() => void load()}>重试</Button>}
          />
        ) : null}
        {warnings.length > 0 ? (
          <Alert
            type="warning"
            showIcon
            closable
            onClose={() => setWarnings([])}
            message="请注意"
            description={warnings.join('；')}
            style={{ marginBottom: 16 }}
          />
        ) : null}
        <Table<Rule>
          rowKey="id"
          loading={rules === null && !error}
          dataSource={rules ?? []}
          pagination={false}
          locale={{ emptyText: '还没有规则：未设置时每消费 1 元得 1 积分' }}
          columns={[
            { title: '名称', dataIndex: 'name' },
            { title: '奖励', render: (_: unknown, r) => ruleReward(r) },
            {
              title: '条件',
              render: (_: unknown, r) => (
                <Typography.Text type="secondary">
                  {[...ruleConditions(r.when), ...ruleCaps(r)].join(' · ') || '所有消费'}
                </Typography.Text>
              ),
            },
            { title: '优先级', dataIndex: 'priority', width: 80 },
            {
              title: '状态',
              width: 150,
              render: (_: unknown, r) => (
                <Space size={4} wrap>
                  <Tag color={STATUS[r.status][1]}>{STATUS[r.status][0]}</Tag>
                  {r.pendingApproval ? <Tag color="orange">待审批 v{r.pendingApproval.version}</Tag> : null}
                  <Typography.Text type="secondary">v{r.version}</Typography.Text>
                </Space>
              ),
            },
            {
              title: '操作',
              width: 220,
              render: (_: unknown, r) => (
                <Space size={4}>
                  {r.status !== 'archived' && r.activeVersion !== r.version && !r.pendingApproval ? (
                    <Button size="small" type="primary" onClick={() => void act(r, 'publish')}>
                      发布
                    </Button>
                  ) : null}
                  {r.pendingApproval ? (
                    <Button size="small" type="primary" onClick={() => void act(r, 'approve')}>
                      审批
                    </Button>
                  ) : null}
                  <Button size="small" onClick={() => void showVersions(r)}>
                    版本
                  </Button>
                  {r.status !== 'archived' ? (
                    <Button size="small" danger onClick={() => void act(r, 'archive')}>
                      归档
                    </Button>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <DryRun />
      <RuleModal open={creating} onClose={() => setCreating(false)} onCreate={(b) => void created(b)} />
      <Modal
        title={versions ? `${versions.rule.name} 的版本` : ''}
        open={versions !== null}
        onCancel={() => setVersions(null)}
        footer={null}
      >
        <Table<Version>
          rowKey="version"
          size="small"
          pagination={false}
          dataSource={versions?.items ?? []}
          columns={[
            {
              title: '版本',
              dataIndex: 'version',
              render: (v: number) => `v${v}${versions?.rule.activeVersion === v ? '（生效中）' : ''}`,
            },
            { title: '操作人', dataIndex: 'actor' },
            { title: '时间', dataIndex: 'createdAt', render: (t: number) => new Date(t).toLocaleString('zh-CN') },
          ]}
        />
      </Modal>
    </Space>
  );
}

interface Draft {
  name: string;
  action: 'multiplier' | 'pointsPerYuan' | 'bonus';
  value: number;
  priority?: number;
  weekdays?: number[];
  minPaidYuan?: number;
}

function RuleModal({
  open,
  onClose,
  onCreate,
}: {
  open: boolean;
  onClose: () => void;
  onCreate: (b: Record<string, unknown>) => void;
}) {
  const [form] = Form.useForm<Draft>();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  const submit = (v: Draft) => {
    const when: Record<string, unknown> = {};
    if (v.weekdays?.length) when.weekdays = v.weekdays;
    if (v.minPaidYuan) when.minPaidFen = Math.round(v.minPaidYuan * 100);
    onCreate({ name: v.name, priority: v.priority ?? 0, when, then: { [v.action]: v.value } });
    onClose();
  };
  return (
    <Modal
      title="新建规则（草稿）"
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="创建草稿"
      destroyOnClose
    >
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ action: 'multiplier', value: 2 }}>
        <Form.Item name="name" label="名称" rules={[{ required: true, whitespace: true }]}>
          <Input placeholder="如：周末双倍积分" />
        </Form.Item>
        <Space>
          <Form.Item name="action" label="奖励方式">
            <Select
              style={{ width: 160 }}
              options={[
                { value: 'multiplier', label: '积分倍数' },
                { value: 'pointsPerYuan', label: '每元积分' },
                { value: 'bonus', label: '额外赠送积分' },
              ]}
            />
          </Form.Item>
          <Form.Item name="value" label="数值" rules={[{ required: true }]}>
            <InputNumber min={0.01} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="priority" label="优先级">
            <InputNumber min={0} max={1000} precision={0} style={{ width: 100 }} />
          </Form.Item>
        </Space>
        <Form.Item name="weekdays" label="星期（不选为每天）">
          <Select
            mode="multiple"
            options={['一', '二', '三', '四', '五', '六', '日'].map((d, i) => ({ value: i + 1, label: `周${d}` }))}
          />
        </Form.Item>
        <Form.Item name="minPaidYuan" label="实付满（元，可选）">
          <InputNumber min={0} precision={2} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Try an order against every rule's newest version, drafts included, before anything is published. */
function DryRun() {
  const [result, setResult] = useState<{ points: number; base: number; ruleIds: string[] } | null>(null);
  const [error, setError] = useState('');
  const run = async (v: { channel: string; paidYuan: number; storeId?: string }) => {
    setError('');
    try {
      const r = await api<{ results: { points: number; base: number; ruleIds: string[] }[] }>(
        'POST',
        '/api/admin/rules/dry-run',
        {
          drafts: true,
          orders: [{ channel: v.channel, storeId: v.storeId || null, paidFen: Math.round(v.paidYuan * 100) }],
        },
      );
      setResult(r.results[0]!);
    } catch (e) {
      setError(describe(e));
    }
  };
  return (
    <Card title="试算（含草稿，现在下单）">
      <Form layout="inline" onFinish={run} initialValues={{ channel: 'wechatpay', paidYuan: 100 }}>
        <Form.Item name="channel">
          <Select
            style={{ width: 120 }}
            options={[
              { value: 'wechatpay', label: '微信支付' },
              { value: 'alipay', label: '支付宝' },
              { value: 'open', label: '门店收银' },
            ]}
          />
        </Form.Item>
        <Form.Item name="paidYuan" label="实付（元）">
          <InputNumber min={0} precision={2} />
        </Form.Item>
        <Form.Item name="storeId" label="门店编号">
          <Input style={{ width: 120 }} placeholder="可选" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          试算
        </Button>
      </Form>
      {error ? <Alert type="error" showIcon message={error} style={{ marginTop: 16 }} /> : null}
      {result ? (
        <Alert
          style={{ marginTop: 16 }}
          type="info"
          showIcon
          message={`可得 ${result.points} 积分（基础 ${result.base}）${result.ruleIds.length ? `，命中 ${result.ruleIds.length} 条规则` : '，没有规则命中'}`}
        />
      ) : null}
    </Card>
  );
}
