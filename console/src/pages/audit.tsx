/** The audit log: every manual and configuration action, filtered by days and actor, exported as CSV. */
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Input, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, describe, download } from '../api';

interface AuditItem {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  detail: Record<string, unknown>;
}

const ACTIONS: Record<string, string> = {
  'member.adjust': '调整积分',
  'member.freeze': '冻结会员',
  'member.unfreeze': '解冻会员',
  'operator.create': '创建操作员',
  'operator.update': '修改操作员',
  'operator.password': '重设密码',
  'operator.locked': '账号锁定',
};
const show = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What changed, in one line: the keys whose values differ ("status: active → frozen"), or the reason. */
function summary(r: AuditItem): string {
  const { before, after, detail } = r;
  const why = typeof detail.reason === 'string' ? `（${detail.reason}）` : '';
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (k) => k !== 'updatedAt' && show(before[k]) !== show(after[k]),
    );
    return keys.map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`).join('；') + why;
  }
  if (before === null && isObject(after)) return `新建 ${show(after.username ?? after.name ?? after.id ?? '')}${why}`;
  if (before !== null || after !== null) return `${show(before)} → ${show(after)}${why}`;
  return show(detail);
}

export function AuditPage() {
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [actor, setActor] = useState('');
  const [items, setItems] = useState<AuditItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(true);
  const [error, setError] = useState('');

  const filter = useCallback(() => {
    const p = new URLSearchParams();
    if (range?.[0]) p.set('from', range[0].format('YYYY-MM-DD'));
    if (range?.[1]) p.set('to', range[1].format('YYYY-MM-DD'));
    if (actor.trim()) p.set('actor', actor.trim());
    return p;
  }, [range, actor]);

  const load = useCallback(
    async (after: string | null) => {
      setBusy(true);
      setError('');
      try {
        const p = filter();
        if (after) p.set('cursor', after);
        const page = await api<{ items: AuditItem[]; nextCursor: string | null }>('GET', `/api/admin/audit?${p}`);
        setItems((old) => (after ? [...old, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (e) {
        setError(describe(e));
      } finally {
        setBusy(false);
      }
    },
    [filter],
  );
  // Loads once on open; later loads follow the 查询 button, not every keystroke in the filters.
  const initial = useRef(load);
  useEffect(() => void initial.current(null), []);

  const exportCsv = async () => {
    const p = filter();
    p.set('format', 'csv');
    try {
      await download(`/api/admin/audit?${p}`, `审计日志-${new Date().toISOString().slice(0, 10)}.csv`);
    } catch (e) {
      setError(describe(e));
    }
  };

  return (
    <Card
      title="审计日志"
      extra={
        <Button icon={<DownloadOutlined />} onClick={() => void exportCsv()}>
          导出 CSV
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} />
        <Input
          placeholder="操作人，如 op:wang 或 hq"
          value={actor}
          onChange={(e) => setActor(e.target.value)}
          style={{ width: 220 }}
          allowClear
        />
        <Button type="primary" onClick={() => void load(null)}>
          查询
        </Button>
      </Space>
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} /> : null}
      <Table<AuditItem>
        rowKey="id"
        tableLayout="fixed"
        size="middle"
        loading={busy}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: '没有符合条件的记录' }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 180, render: (v: string) => v.slice(0, 19).replace('T', ' ') },
          { title: '操作人', dataIndex: 'actor', width: 130 },
          { title: '操作', dataIndex: 'action', width: 110, render: (a: string) => ACTIONS[a] ?? a },
          { title: '对象', dataIndex: 'target', width: 200, ellipsis: true },
          {
            title: '变更',
            ellipsis: true,
            render: (_: unknown, r) => (
              <Typography.Text ellipsis={{ tooltip: show(r.detail) }}>{summary(r)}</Typography.Text>
            ),
          },
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
