/**
 * Batch grants: pick a CSV (member,points,reason), see every malformed line
 * before anything happens, start it, watch it run (the server works in the
 * background; this page only reads its progress), roll it back in one click.
 */
import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Popconfirm, Progress, Space, Table, Tag, Typography, Upload } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, describe, postCsv } from '../api';

interface Batch {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'rolling_back' | 'rolled_back';
  total: number;
  done: number;
  failed: number;
  reversed: number;
  errors: { line: number; message: string }[];
  createdBy: string;
  createdAt: string;
}
interface Preview {
  total: number;
  grant: number;
  deduct: number;
  errors: { line: number; message: string }[];
}

const STATUS: Record<Batch['status'], [string, string]> = {
  queued: ['排队中', 'default'],
  running: ['发放中', 'processing'],
  done: ['已完成', 'success'],
  failed: ['失败', 'error'],
  rolling_back: ['撤销中', 'warning'],
  rolled_back: ['已撤销', 'default'],
};
const busyStatus = (s: Batch['status']) => s === 'queued' || s === 'running' || s === 'rolling_back';

export function BatchesPage() {
  const [file, setFile] = useState<{ name: string; text: string; key: string } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [items, setItems] = useState<Batch[]>([]);
  const [error, setError] = useState('');
  const [starting, setStarting] = useState(false);
  const { message } = App.useApp();

  const load = useCallback(async () => {
    try {
      setItems((await api<{ items: Batch[] }>('GET', '/api/admin/batches')).items);
    } catch (e) {
      setError(describe(e));
    }
  }, []);
  useEffect(() => void load(), [load]);
  // While something runs, read its progress every second.
  const running = items.some((b) => busyStatus(b.status));
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => void load(), 1_000);
    return () => clearInterval(timer);
  }, [running, load]);

  const pick = async (f: File) => {
    setError('');
    setPreview(null);
    const text = await f.text();
    setFile({ name: f.name, text, key: crypto.randomUUID() });
    try {
      setPreview(await postCsv<Preview>('/api/admin/batches/preview', text));
    } catch (e) {
      setError(describe(e));
    }
    return false; // nothing is uploaded until 开始发放
  };
  const start = async () => {
    if (!file) return;
    setStarting(true);
    try {
      await postCsv('/api/admin/batches', file.text, `console-${file.key}`);
      void message.success('已开始发放');
      setFile(null);
      setPreview(null);
      await load();
    } catch (e) {
      setError(describe(e));
    } finally {
      setStarting(false);
    }
  };
  const rollback = async (b: Batch) => {
    try {
      await api('POST', `/api/admin/batches/${b.id}/rollback`);
      await load();
    } catch (e) {
      setError(describe(e));
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title="批量发放积分">
        <Typography.Paragraph type="secondary">
          CSV 第一行为 member,points,reason；member 填会员编号或手机号，points 为正数发放、负数扣减，reason
          必填。有格式错误的行时整批不会执行。
        </Typography.Paragraph>
        <Space wrap>
          <Upload accept=".csv,text/csv" showUploadList={false} beforeUpload={(f) => pick(f)}>
            <Button icon={<UploadOutlined />}>选择 CSV 文件</Button>
          </Upload>
          {file ? <Typography.Text>{file.name}</Typography.Text> : null}
        </Space>
        {error ? <Alert type="error" showIcon message={error} style={{ marginTop: 16 }} /> : null}
        {preview ? (
          preview.errors.length > 0 ? (
            <Alert
              style={{ marginTop: 16 }}
              type="error"
              showIcon
              message={`${preview.errors.length} 行有错误，请修改文件后重新选择`}
              description={
                <Table
                  size="small"
                  rowKey="line"
                  pagination={false}
                  dataSource={preview.errors}
                  columns={[
                    { title: '行号', dataIndex: 'line', width: 80 },
                    { title: '问题', dataIndex: 'message' },
                  ]}
                />
              }
            />
          ) : (
            <Alert
              style={{ marginTop: 16 }}
              type="info"
              showIcon
              message={`共 ${preview.total.toLocaleString('zh-CN')} 行：发放 ${preview.grant.toLocaleString('zh-CN')} 积分，扣减 ${preview.deduct.toLocaleString('zh-CN')} 积分`}
              action={
                <Button type="primary" loading={starting} onClick={() => void start()}>
                  开始发放
                </Button>
              }
            />
          )
        ) : null}
      </Card>
      <Card title="发放记录">
        <Table<Batch>
          rowKey="id"
          dataSource={items}
          pagination={false}
          locale={{ emptyText: '还没有批量发放' }}
          columns={[
            {
              title: '时间',
              dataIndex: 'createdAt',
              width: 170,
              render: (v: string) => v.slice(0, 19).replace('T', ' '),
            },
            { title: '操作人', dataIndex: 'createdBy', width: 120 },
            {
              title: '状态',
              dataIndex: 'status',
              width: 100,
              render: (s: Batch['status']) => <Tag color={STATUS[s][1]}>{STATUS[s][0]}</Tag>,
            },
            {
              title: '进度',
              render: (_: unknown, b) =>
                b.status === 'rolling_back' || b.status === 'rolled_back' ? (
                  <Progress
                    percent={Math.floor((b.reversed / Math.max(b.done, 1)) * 100)}
                    status="exception"
                    format={() => `已撤销 ${b.reversed}`}
                  />
                ) : (
                  <Progress
                    percent={Math.floor(((b.done + b.failed) / b.total) * 100)}
                    status={b.status === 'running' || b.status === 'queued' ? 'active' : 'normal'}
                    format={() => `${(b.done + b.failed).toLocaleString('zh-CN')} / ${b.total.toLocaleString('zh-CN')}`}
                  />
                ),
            },
            {
              title: '失败行',
              width: 90,
              render: (_: unknown, b) =>
                b.failed > 0 ? (
                  <Typography.Text
                    type="danger"
                    title={b.errors.map((e) => `第 ${e.line} 行：${e.message}`).join('\n')}
                  >
                    {b.failed}
                  </Typography.Text>
                ) : (
                  0
                ),
            },
            {
              title: '操作',
              width: 100,
              render: (_: unknown, b) =>
                b.status === 'done' || b.status === 'running' || b.status === 'queued' || b.status === 'failed' ? (
                  <Popconfirm
                    title="撤销这批发放？已发放的积分会被扣回"
                    okText="撤销"
                    okButtonProps={{ danger: true }}
                    onConfirm={() => void rollback(b)}
                  >
                    <Button size="small" danger>
                      撤销
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
