/**
 * Reports by day, store, region or tier, with a chart and a CSV of exactly
 * what is shown. A manager's are their stores', by store.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Select, Space, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describe, download, type Operator } from '../api';
import { Chart, COLORS } from '../charts';
import { loadReport, pts, reportPath, yuan, type GroupBy, type Report, type ReportRow } from '../report-api';

const GROUPS: { value: string; label: string }[] = [
  { value: 'day', label: '按日' },
  { value: 'store', label: '按门店' },
  { value: 'region', label: '按区域' },
  { value: 'tier', label: '按等级' },
];

export function ReportsPage({ operator }: { operator: Operator }) {
  const groups = operator.role === 'hq' ? GROUPS : GROUPS.filter((g) => g.value === 'store');
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(29, 'day'), dayjs()]);
  const [group, setGroup] = useState(groups[0]!.value);
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState(true);
  const [error, setError] = useState('');
  const groupBy = (group === 'day' ? null : group) as GroupBy;
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');

  const load = useCallback(async () => {
    setBusy(true);
    setError('');
    try {
      setReport(await loadReport(from, to, groupBy));
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  }, [from, to, groupBy]);
  const initial = useRef(load);
  useEffect(() => void initial.current(), []);

  // Grouped: one bar per group over the whole range; by day: the days.
  const byGroup = new Map<string, ReportRow>();
  for (const r of report?.rows ?? []) {
    const k = groupBy ? (r.group ?? '（无）') : r.date;
    const g = byGroup.get(k) ?? { ...r, issued: 0, redeemed: 0, expired: 0, adjusted: 0, activeMembers: 0 };
    byGroup.set(k, {
      ...g,
      issued: g.issued + r.issued,
      redeemed: g.redeemed + r.redeemed,
      expired: g.expired + r.expired,
      adjusted: g.adjusted + r.adjusted,
    });
  }
  const keys = [...byGroup.keys()];
  return (
    <Card
      title="报表"
      extra={
        <Button
          icon={<DownloadOutlined />}
          disabled={!report}
          onClick={() =>
            void download(reportPath(from, to, groupBy, true), `积分报表-${from}-${to}.csv`).catch((e) =>
              setError(describe(e)),
            )
          }
        >
          导出 CSV
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
        />
        <Select value={group} options={groups} onChange={setGroup} style={{ width: 120 }} />
        <Button type="primary" onClick={() => void load()} loading={busy}>
          查询
        </Button>
      </Space>
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} /> : null}
      {report && report.rows.length > 0 ? (
        <Chart
          height={280}
          option={{
            tooltip: { trigger: 'axis' },
            legend: { data: ['发放', '兑换', '过期', '调整'] },
            grid: { left: 56, right: 24, bottom: 32 },
            xAxis: { type: 'category', data: groupBy ? keys : keys.map((d) => d.slice(5)) },
            yAxis: { type: 'value', name: '积分' },
            series: (['issued', 'redeemed', 'expired', 'adjusted'] as const).map((k, i) => ({
              name: ['发放', '兑换', '过期', '调整'][i],
              type: 'bar' as const,
              data: keys.map((x) => byGroup.get(x)![k]),
              color: COLORS[k],
            })),
          }}
        />
      ) : null}
      <Table<ReportRow>
        rowKey={(r) => `${r.date}|${r.group ?? ''}`}
        size="small"
        loading={busy}
        dataSource={report?.rows ?? []}
        pagination={{ pageSize: 31, hideOnSinglePage: true }}
        locale={{ emptyText: '所选时间内没有积分变动' }}
        columns={[
          { title: '日期', dataIndex: 'date' },
          ...(groupBy
            ? [
                {
                  title: GROUPS.find((g) => g.value === group)!.label.slice(1),
                  dataIndex: 'group',
                  render: (g: string | null) => g ?? '（无）',
                },
              ]
            : []),
          { title: '发放', dataIndex: 'issued', align: 'right' as const, render: pts },
          { title: '兑换', dataIndex: 'redeemed', align: 'right' as const, render: pts },
          { title: '过期', dataIndex: 'expired', align: 'right' as const, render: pts },
          { title: '调整', dataIndex: 'adjusted', align: 'right' as const, render: pts },
          { title: '活跃会员', dataIndex: 'activeMembers', align: 'right' as const, render: pts },
          ...(groupBy
            ? []
            : [
                {
                  title: '负债积分',
                  dataIndex: 'liabilityPoints',
                  align: 'right' as const,
                  render: (n: number) => pts(n),
                },
                {
                  title: '负债金额',
                  dataIndex: 'liabilityFen',
                  align: 'right' as const,
                  render: (n: number) => yuan(n),
                },
              ]),
        ]}
        summary={() =>
          report ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
              {groupBy ? <Table.Summary.Cell index={1} /> : null}
              {(['issued', 'redeemed', 'expired', 'adjusted', 'activeMembers'] as const).map((k, i) => (
                <Table.Summary.Cell key={k} index={i + 2} align="right">
                  {pts(report.totals[k])}
                </Table.Summary.Cell>
              ))}
              {groupBy ? null : (
                <>
                  <Table.Summary.Cell index={7} align="right">
                    {pts(report.totals.liabilityPoints ?? 0)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={8} align="right">
                    {yuan(report.totals.liabilityFen ?? 0)}
                  </Table.Summary.Cell>
                </>
              )}
            </Table.Summary.Row>
          ) : null
        }
      />
    </Card>
  );
}
