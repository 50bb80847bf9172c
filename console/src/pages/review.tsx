/** Redemptions above the review threshold wait here, their points held: approve issues the voucher, reject returns the points. */
import { App, Button, Card, Popconfirm, Space, Table } from 'antd';
import { api, describe } from '../api';
import { ErrorBar, useLoad } from '../hooks';

interface Voucher {
  id: string;
  code: string;
  rewardName: string;
  points: number;
  memberId?: string;
  createdAt: string;
}

const loadQueue = async () => (await api<{ items: Voucher[] }>('GET', '/api/admin/redemptions/review')).items;

export function ReviewPage() {
  const { data: items, error, setError, reload, loading } = useLoad(loadQueue);
  const { message } = App.useApp();
  const decide = async (v: Voucher, verb: 'approve' | 'reject') => {
    try {
      await api('POST', `/api/admin/redemptions/${v.id}/${verb}`);
      void message.success(verb === 'approve' ? '已通过，券已发放' : '已驳回，积分已退回');
      await reload();
    } catch (e) {
      setError(describe(e));
    }
  };
  return (
    <Card title="兑换审核">
      <ErrorBar message={error} onRetry={() => void reload()} />
      <Table<Voucher>
        rowKey="id"
        loading={loading}
        dataSource={items ?? []}
        pagination={false}
        locale={{ emptyText: '没有待审核的兑换' }}
        columns={[
          { title: '申请时间', dataIndex: 'createdAt', render: (v: string) => v.slice(0, 16).replace('T', ' ') },
          { title: '商品', dataIndex: 'rewardName' },
          { title: '积分', dataIndex: 'points', align: 'right', render: (n: number) => n.toLocaleString('zh-CN') },
          { title: '券码', dataIndex: 'code' },
          {
            title: '操作',
            render: (_: unknown, v) => (
              <Space>
                <Button size="small" type="primary" onClick={() => void decide(v, 'approve')}>
                  通过
                </Button>
                <Popconfirm title="驳回并退回积分？" okText="驳回" onConfirm={() => void decide(v, 'reject')}>
                  <Button size="small" danger>
                    驳回
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
