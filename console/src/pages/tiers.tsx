/** The tier ladder: thresholds in growth, the earning multiplier, the birthday gift and the benefits members read. */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Skeleton, Space } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, describe } from '../api';

interface Tier {
  code: string;
  name: string;
  minGrowth: number;
  multiplier: number;
  birthdayGift: number;
  benefits: string[];
}
interface Ladder {
  periodMonths: number;
  tiers: Tier[];
}

export function TiersPage() {
  const [form] = Form.useForm<Ladder>();
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const load = useCallback(async () => {
    setError('');
    try {
      form.setFieldsValue(await api<Ladder>('GET', '/api/admin/tiers'));
      setLoaded(true);
    } catch (e) {
      setError(describe(e));
    }
  }, [form]);
  useEffect(() => void load(), [load]);
  const save = async (v: Ladder) => {
    setBusy(true);
    setError('');
    try {
      await api('PUT', '/api/admin/tiers', v);
      void message.success('等级设置已保存，会员页面随即更新');
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="会员等级">
      {error ? (
        <Alert
          type="error"
          showIcon
          message={error}
          style={{ marginBottom: 16 }}
          action={<Button onClick={() => void load()}>重试</Button>}
        />
      ) : null}
      {!loaded && !error ? <Skeleton active /> : null}
      <Form form={form} onFinish={save} layout="vertical" style={{ display: loaded ? undefined : 'none' }}>
        <Form.Item
          name="periodMonths"
          label="成长值统计周期（月）"
          extra="升级即时生效，并保持一个周期；周期结束按近期成长值重新评定"
        >
          <Select style={{ width: 160 }} options={[6, 12, 24].map((m) => ({ value: m, label: `${m} 个月` }))} />
        </Form.Item>
        <Form.List name="tiers">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Space key={f.key} align="start" wrap style={{ display: 'flex', marginBottom: 8 }}>
                  <Form.Item
                    name={[f.name, 'code']}
                    label={i === 0 ? '编码' : undefined}
                    rules={[{ required: true, pattern: /^[a-z][a-z0-9_-]{0,31}$/, message: '小写字母开头' }]}
                  >
                    <Input style={{ width: 110 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'name']} label={i === 0 ? '名称' : undefined} rules={[{ required: true }]}>
                    <Input style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'minGrowth']}
                    label={i === 0 ? '成长值门槛' : undefined}
                    rules={[{ required: true }]}
                  >
                    <InputNumber min={0} precision={0} style={{ width: 120 }} disabled={i === 0} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'multiplier']} label={i === 0 ? '积分倍数' : undefined}>
                    <InputNumber min={1} max={10} step={0.1} precision={2} style={{ width: 100 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'birthdayGift']} label={i === 0 ? '生日礼（积分）' : undefined}>
                    <InputNumber min={0} precision={0} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'benefits']} label={i === 0 ? '权益说明' : undefined}>
                    <Select mode="tags" style={{ width: 280 }} placeholder="输入后回车" />
                  </Form.Item>
                  {i > 0 ? (
                    <MinusCircleOutlined style={{ marginTop: i === 0 ? 36 : 8 }} onClick={() => remove(f.name)} />
                  ) : null}
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ multiplier: 1, birthdayGift: 0, benefits: [] })}>
                增加等级
              </Button>
            </>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 24 }}>
          保存
        </Button>
      </Form>
    </Card>
  );
}
