/**
 * 数据权利: members' deletion requests (PIPL), pending first by due date, each
 * with the deadline in working days the server computed; HQ completes one
 * after a confirmation, since erasure cannot be undone (services/data-rights.ts).
 */
import { App, Button, Card, Popconfirm, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { api, ApiError, describe } from '../api';
import { ErrorBar, useLoad } from '../hooks';

interface DeletionRequest {
  id: string;
  memberId: string;
  requestedAt: string;
  dueAt: string;
  status: 'pending' | 'done';
  overdue: boolean;
  completedAt: string | null;
  completedBy: string | null;
  forfeited: number | null;
}
type Filter = 'all' | DeletionRequest['status'];

// The server's times carry the merchant's offset, so the first 16 characters are its wall clock.
const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');
// dueAt is the end of its day: whole days to it are the calendar days after today, in any browser time zone.
const daysLeft = (dueAt: string) => Math.floor((Date.parse(dueAt) - Date.now()) / 86_400_000);

export function DataRightsPage() {
  const [filter, setFilter] = useState<Filter>('all');
  const { data, error, setError, reload, loading } = useLoad(
    useCallback(
      async () =>
        (
          await api<{ items: DeletionRequest[] }>(
            'GET',
            `/api/admin/deletion-requests${filter === 'all' ? '' : `?status=${filter}`}`,
          )
        ).items,
      [filter],
    ),
  );
  // Completed rows as the server answered, shown in place: under 待处理 a reload would make them vanish unseen.
  const [completed, setCompleted] = useState<Record<string, DeletionRequest>>({});
  const { message } = App.useApp();

  const complete = async (r: DeletionRequest) => {
    setError('');
    try {
      const done = await api<DeletionRequest>(
        'POST',
        `/api/admin/deletion-requests/${encodeURIComponent(r.id)}/complete`,
      );
      setCompleted((m) => ({ ...m, [done.id]: done }));
      void message.success(`会员 ${done.memberId} 已注销，作废 ${done.forfeited ?? 0} 积分`);
    } catch (e) {
      // Points held at a till: the server says how many and when to try again.
      setError(e instanceof ApiError && e.code === 'POINTS_HELD' ? `暂不能注销：${e.message}` : describe(e));
    }
  };

  return (
    <Card
      title="数据权利（会员注销申请）"
      extra={
        <Segmented
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          options={[
            { value: 'all', label: '全部' },
            { value: 'pending', label: '待处理' },
            { value: 'done', label: '已完成' },
          ]}
        />
      }
    >
      <ErrorBar message={error} onRetry={() => void reload()} />
      <Typography.Paragraph type="secondary">
        会员在小程序申请注销后，须在截止时间（不含周末和节假日的工作日）前完成。
      </Typography.Paragraph>
      <Table<DeletionRequest>
        rowKey="id"
        loading={loading}
        dataSource={(data ?? []).map((r) => completed[r.id] ?? r)}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: `暂无${{ all: '', pending: '待处理的', done: '已完成的' }[filter]}注销申请` }}
        columns={[
          {
            title: '会员编号',
            dataIndex: 'memberId',
            render: (id: string) => <Typography.Text code>{id}</Typography.Text>,
          },
          { title: '申请时间', dataIndex: 'requestedAt', render: when, width: 150 },
          {
            title: '截止时间',
            dataIndex: 'dueAt',
            render: (due: string, r) => (
              <Space size={4} wrap>
                {when(due)}
                {r.overdue ? <Tag color="red">逾期</Tag> : null}
                {r.status === 'pending' && !r.overdue ? (
                  <Typography.Text type="secondary">
                    {daysLeft(due) > 0 ? `还剩 ${daysLeft(due)} 个自然日` : '今天到期'}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            title: '状态',
            dataIndex: 'status',
            width: 90,
            render: (s: DeletionRequest['status']) =>
              s === 'pending' ? <Tag color="orange">待处理</Tag> : <Tag color="green">已完成</Tag>,
          },
          {
            title: '作废积分',
            dataIndex: 'forfeited',
            align: 'right',
            width: 100,
            render: (n: number | null) => (n === null ? '' : n.toLocaleString('zh-CN')),
          },
          {
            title: '完成人 / 时间',
            key: 'completed',
            render: (_: unknown, r) => (r.completedBy ? `${r.completedBy} ${when(r.completedAt)}` : ''),
          },
          {
            title: '',
            key: 'complete',
            width: 110,
            render: (_: unknown, r) =>
              r.status === 'pending' ? (
                <Popconfirm
                  title={`完成会员 ${r.memberId} 的注销？`}
                  description={
                    <div style={{ maxWidth: 300 }}>
                      手机号、openid、支付账号关联将被删除，剩余积分作废，流水保留，操作不可撤销。
                    </div>
                  }
                  okText="完成注销"
                  okButtonProps={{ danger: true }}
                  onConfirm={() => complete(r)}
                >
                  <Button danger size="small">
                    完成注销
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}
