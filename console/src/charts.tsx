/** ECharts, tree-shaken to what the console draws (lines and bars on a canvas), in one wrapper. */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/lib/core';
import type { EChartsOption } from 'echarts';

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export const COLORS = {
  issued: '#b91c1c',
  redeemed: '#ea580c',
  expired: '#9ca3af',
  adjusted: '#2563eb',
  liability: '#15803d',
};

/** No animation: operators read figures, and a chart caught mid-animation (a screenshot, a quick glance) misleads. */
export function Chart({ option, height = 320 }: { option: EChartsOption; height?: number }) {
  return <ReactEChartsCore echarts={echarts} option={{ animation: false, ...option }} style={{ height }} notMerge />;
}
