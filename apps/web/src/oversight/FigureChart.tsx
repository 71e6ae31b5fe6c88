// A bar chart of dashboard figures (ECharts, loaded lazily by DashboardPage: the first page stays small). Every series
// has a colour AND a pattern, so the bars tell apart without colour; the same figures are in the table beside it,
// which is what a screen reader reads, and the picture is one image named by its summary. A hidden figure ("<3",
// "x") has no bar: the table shows its mark. A click on a bar calls `onSelect` with the category's key, where the
// caller offers a click-through (the stages to the pseudonymous pathway list).
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, AriaComponent, GridComponent, LegendComponent, CanvasRenderer]);

/** Colours with contrast against white, and a pattern for each, in series order. */
const STYLES: { color: string; decal: object }[] = [
  { color: '#005b96', decal: { symbol: 'none' } },
  {
    color: '#b35c00',
    decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [3, 3], rotation: Math.PI / 4, color: 'rgba(0,0,0,0.45)' },
  },
  { color: '#2e7d32', decal: { symbol: 'circle', symbolSize: 0.6, color: 'rgba(255,255,255,0.7)' } },
];

export interface ChartSeries {
  name: string;
  /** One per category; a hidden or missing figure (a string, null) has no bar. */
  values: readonly (number | string | null | undefined)[];
}

export default function FigureChart({
  categories,
  keys,
  series,
  summary,
  percent = false,
  onSelect,
  className,
}: {
  categories: readonly string[];
  /** What a click on a category names (a stage code); without it, bars are not clickable. */
  keys?: readonly string[];
  series: readonly ChartSeries[];
  summary: string;
  percent?: boolean;
  onSelect?: (key: string) => void;
  className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const select = useRef(onSelect);
  select.current = onSelect;
  // Drawn again only when the figures change, not at every render of the page around it.
  const spec = JSON.stringify({ categories, keys, series, percent, clickable: Boolean(onSelect) });
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      aria: { enabled: false, decal: { show: true } },
      textStyle: { fontFamily: 'IBM Plex Sans, Arial, sans-serif', color: '#1a1a1a' },
      legend: { bottom: 0, textStyle: { fontSize: 13 } },
      grid: { left: 8, right: 16, top: 16, bottom: 48, containLabel: true },
      xAxis: {
        type: 'category',
        data: categories,
        axisLabel: { interval: 0, rotate: categories.length > 5 ? 30 : 0, fontSize: 12 },
      },
      yAxis: {
        type: 'value',
        minInterval: percent ? undefined : 1,
        ...(percent ? { max: 100, axisLabel: { formatter: '{value} %' } } : {}),
      },
      series: series.map((s, i) => ({
        type: 'bar',
        name: s.name,
        itemStyle: { color: STYLES[i % STYLES.length].color, decal: STYLES[i % STYLES.length].decal },
        cursor: select.current && keys ? 'pointer' : 'default',
        data: s.values.map((v) => (typeof v === 'number' ? (percent ? Math.round(v * 100) : v) : null)),
      })),
    });
    if (select.current && keys) chart.on('click', (p) => select.current?.(keys[p.dataIndex]));
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
    // `spec` is the figures: the arrays themselves are new at every render.
  }, [spec]);
  return <div ref={ref} role="img" aria-label={summary} className={`figure-chart ${className ?? ''}`} />;
}
