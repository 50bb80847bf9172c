/** Today at a glance and the last 30 days: what was issued, redeemed and expired, the liability, active members. */
import { Alert, Button, Card, Col, Row, Skeleton, Statistic } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { describe } from '../api';
import { Chart, COLORS } from '../charts';
import { loadReport, pts, yuan, type Report } from '../report-api';

export function DashboardPage() {
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    setError('');
    try {
      const to = dayjs().format('YYYY-MM-DD');
      setReport(await loadReport(dayjs().subtract(29, 'day').format('YYYY-MM-DD'), to, null));
    } catch (e) {
      setError(describe(e));
    }
  }, []);
  useEffect(() => void load(), [load]);

  if (error)
    return <Alert type="error" showIcon message={error} action={<Button onClick={() => void load()}>重试</Button>} />;
  if (!report) return <Skeleton active paragraph={{ rows: 10 }} />;
  const today = report.rows.at(-1)!;
  const days = report.rows.map((r) => r.date.slice(5));
  return (
    <>
      <Row gutter={[16, 16]}>
        {[
          ['今日发放积分', pts(today.issued)],
          ['今日兑换积分', pts(today.redeemed)],
          ['今日过期积分', pts(today.expired)],
          ['今日人工调整', pts(today.adjusted)],
          ['今日活跃会员', pts(today.activeMembers)],
          ['积分负债', pts(report.totals.liabilityPoints), yuan(report.totals.liabilityFen)],
        ].map(([title, value, note]) => (
          <Col key={title} xs={12} md={8} xl={4}>
            <Card style={{ height: '100%' }}>
              <Statistic title={title} value={value} />
              {note ? <div style={{ color: '#666', marginTop: 4 }}>价值 {note}</div> : null}
            </Card>
          </Col>
        ))}
      </Row>
      <Card title="近 30 天积分" style={{ marginTop: 16 }}>
        <Chart
          option={{
            tooltip: { trigger: 'axis' },
            legend: { data: ['发放', '兑换', '过期', '调整', '负债'] },
            grid: { left: 56, right: 72, bottom: 32 },
            xAxis: { type: 'category', data: days },
            yAxis: [
              { type: 'value', name: '积分' },
              { type: 'value', name: '负债', splitLine: { show: false } },
            ],
            series: [
              { name: '发放', type: 'bar', data: report.rows.map((r) => r.issued), color: COLORS.issued },
              { name: '兑换', type: 'bar', data: report.rows.map((r) => r.redeemed), color: COLORS.redeemed },
              { name: '过期', type: 'bar', data: report.rows.map((r) => r.expired), color: COLORS.expired },
              { name: '调整', type: 'bar', data: report.rows.map((r) => r.adjusted), color: COLORS.adjusted },
              {
                name: '负债',
                type: 'line',
                yAxisIndex: 1,
                data: report.rows.map((r) => r.liabilityPoints),
                color: COLORS.liability,
              },
            ],
          }}
        />
      </Card>
    </>
  );
}
