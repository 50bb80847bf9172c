/**
 * Today at a glance and the last 30 days: what was issued, redeemed and
 * expired, the liability (HQ's: it is the chain's), active members. A
 * manager sees their stores' figures.
 */
import { Card, Col, Row, Skeleton, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback } from 'react';
import type { Operator } from '../api';
import { Chart, COLORS } from '../charts';
import { ErrorBar, useLoad } from '../hooks';
import { loadReport, perDay, pts, yuan, type ReportRow } from '../report-api';

const DAYS = 30;

export function DashboardPage({ operator }: { operator: Operator }) {
  const {
    data: report,
    error,
    reload,
  } = useLoad(
    useCallback(
      () =>
        loadReport(
          dayjs()
            .subtract(DAYS - 1, 'day')
            .format('YYYY-MM-DD'),
          dayjs().format('YYYY-MM-DD'),
          null,
        ),
      [],
    ),
  );
  if (error) return <ErrorBar message={error} onRetry={() => void reload()} />;
  if (!report) return <Skeleton active paragraph={{ rows: 10 }} />;

  // Every day of the range, a quiet one as zeros (a manager's report lists only days with rows).
  const rows = perDay(report);
  const dates = Array.from({ length: DAYS }, (_, i) =>
    dayjs()
      .subtract(DAYS - 1 - i, 'day')
      .format('YYYY-MM-DD'),
  );
  const zero = { issued: 0, redeemed: 0, expired: 0, adjusted: 0, activeMembers: 0 };
  const day = (date: string): Omit<ReportRow, 'date' | 'group'> =>
    rows.find((r) => r.date === date) ?? { ...zero, liabilityPoints: null, liabilityFen: null };
  const today = day(dates.at(-1)!);
  const liability = report.totals.liabilityPoints;
  const scope = operator.role === 'hq' ? '' : `（${operator.storeIds.join('、')}）`;
  const cards: Array<[string, string, string?]> = [
    ['今日发放积分', pts(today.issued)],
    ['今日兑换积分', pts(today.redeemed)],
    ['今日过期积分', pts(today.expired)],
    ['今日人工调整', pts(today.adjusted)],
    ['今日活跃会员', pts(today.activeMembers)],
  ];
  if (liability !== null) cards.push(['积分负债', pts(liability), yuan(report.totals.liabilityFen!)]);
  return (
    <>
      {scope ? (
        <Typography.Paragraph type="secondary">
          本页为所管门店{scope}的数据；积分负债属于全部门店，由总部查看。
        </Typography.Paragraph>
      ) : null}
      <Row gutter={[16, 16]}>
        {cards.map(([title, value, note]) => (
          <Col key={title} xs={12} md={8} xl={4}>
            <Card style={{ height: '100%' }}>
              <Statistic title={title} value={value} />
              {note ? <div style={{ color: '#666', marginTop: 4 }}>价值 {note}</div> : null}
            </Card>
          </Col>
        ))}
      </Row>
      <Card title={`近 ${DAYS} 天积分${scope}`} style={{ marginTop: 16 }}>
        <Chart
          option={{
            tooltip: { trigger: 'axis' },
            legend: { data: ['发放', '兑换', '过期', '调整', ...(liability !== null ? ['负债'] : [])] },
            grid: { left: 56, right: 72, bottom: 32 },
            xAxis: { type: 'category', data: dates.map((d) => d.slice(5)) },
            yAxis: [
              { type: 'value', name: '积分' },
              { type: 'value', name: '负债', splitLine: { show: false }, show: liability !== null },
            ],
            series: [
              ...(['issued', 'redeemed', 'expired', 'adjusted'] as const).map((k, i) => ({
                name: ['发放', '兑换', '过期', '调整'][i],
                type: 'bar' as const,
                data: dates.map((d) => day(d)[k]),
                color: COLORS[k],
              })),
              ...(liability !== null
                ? [
                    {
                      name: '负债',
                      type: 'line' as const,
                      yAxisIndex: 1,
                      data: dates.map((d) => day(d).liabilityPoints),
                      color: COLORS.liability,
                    },
                  ]
                : []),
            ],
          }}
        />
      </Card>
    </>
  );
}
