// The timeline picture (ECharts, loaded only when a pathway is opened: PathwayPage imports this lazily so the first
// page stays small): one lane per agency, the stages as bands behind, task bars coloured AND patterned by on time /
// overdue / escalated (never colour alone), event markers, and a "today" line. The same facts are in the list beside
// it, which is what a screen reader reads; the picture is one image with a summary as its name.
import { CustomChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgencyName } from '../api/agencies';
import type { components } from '../api/schema';
import { formatDate, formatDateTime } from '../format/dates';
import { stageSpans, type StageSpan } from './stage-spans';

export { stageSpans, type StageSpan };

echarts.use([
  CustomChart,
  ScatterChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  CanvasRenderer,
]);

type Pathway = components['schemas']['PathwayView'];
type Task = components['schemas']['TaskView'];

export type TaskState = 'onTime' | 'overdue' | 'escalated';

/** How a task bar looks: by its worst moment, since a task done late was still late. */
export function taskState(task: Task, now: Date): TaskState {
  if (task.escalationLevel > 0) return 'escalated';
  const end = task.completedAt ? new Date(task.completedAt) : now;
  return task.overdue || end.getTime() > new Date(task.dueAt).getTime() ? 'overdue' : 'onTime';
}

const STATE_STYLE: Record<TaskState, { color: string; decal?: object }> = {
  // Colours with contrast against white; the patterns tell them apart without colour.
  onTime: { color: '#2e7d32' },
  overdue: {
    color: '#b35c00',
    decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [3, 3], rotation: Math.PI / 4, color: 'rgba(0,0,0,0.45)' },
  },
  escalated: {
    color: '#c62828',
    decal: { symbol: 'rect', dashArrayX: [[4, 4]], dashArrayY: [4, 4], color: 'rgba(255,255,255,0.6)' },
  },
};
const STAGE_BAND = ['rgba(0, 91, 150, 0.07)', 'rgba(0, 91, 150, 0.14)'];

/** Below this width (pixels) a stage band shows no label at all; the tooltip and the stage list under it name it. */
const BAND_LABEL_MIN_PX = 28;

/**
 * The label of one stage band, fitted to the band's width in pixels: cut with an ellipsis when it does not fit, left
 * out when the band is too narrow for even a few letters (stages a minute apart used to print over each other).
 */
export function bandLabel(widthPx: number): {
  show: boolean;
  width?: number;
  overflow?: 'truncate';
  ellipsis?: string;
} {
  if (!(widthPx >= BAND_LABEL_MIN_PX)) return { show: false };
  return { show: true, width: Math.floor(widthPx - 8), overflow: 'truncate', ellipsis: '…' };
}

export default function TimelineChart({ pathway }: { pathway: Pathway }) {
  const { t, i18n } = useTranslation();
  const agencyName = useAgencyName();
  const ref = useRef<HTMLDivElement>(null);
  const now = new Date();
  const events = (pathway.timeline ?? []).filter((e) => e.kind === 'EVENT_RECORDED' || e.kind === 'PATHWAY_OPENED');
  const lanes = [...new Set([...pathway.tasks.map((task) => task.agency), ...events.map((e) => e.agency ?? '')])]
    .filter(Boolean)
    .sort();
  const spans = stageSpans(pathway);
  const last = Math.max(
    now.getTime(),
    ...pathway.tasks.map((task) => new Date(task.completedAt ?? task.dueAt).getTime()),
  );
  const first = new Date(pathway.openedAt).getTime();
  const margin = Math.max((last - first) * 0.03, 12 * 3600_000);
  const states: TaskState[] = ['onTime', 'overdue', 'escalated'];
  const counts = Object.fromEntries(
    states.map((s) => [s, pathway.tasks.filter((task) => taskState(task, now) === s).length]),
  );
  const stageText = (span: StageSpan) =>
    t(span.to ? 'chart.stageSpan' : 'chart.stageSince', {
      stage: t(`stage.${span.stage}`),
      from: formatDateTime(span.from, i18n.language),
      to: span.to ? formatDateTime(span.to, i18n.language) : '',
    });
  const label = t('chart.label', {
    stages: spans.map((s) => t(`stage.${s.stage}`)).join(', '),
    count: pathway.tasks.length,
    onTime: counts.onTime,
    overdue: counts.overdue,
    escalated: counts.escalated,
    events: events.length,
  });

  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    const nowMs = Date.now();
    const lane = (agency: string) => lanes.indexOf(agency);
    const spanEnd = (span: StageSpan) => (span.to ? new Date(span.to).getTime() : last + margin);
    // First drawn without band labels, to learn where each band falls in pixels; then each label fitted to its band.
    const option = (labels: ReturnType<typeof bandLabel>[]) => ({
      animation: false,
      // ECharts' own aria description is replaced by the container's label (role="img"); its patterns are used.
      aria: { enabled: false, decal: { show: false } },
      textStyle: { fontFamily: 'IBM Plex Sans, Arial, sans-serif', color: '#1a1a1a' },
      legend: { bottom: 0, textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'item', confine: true },
      grid: { left: 8, right: 24, top: 36, bottom: 64, containLabel: true },
      xAxis: {
        type: 'time',
        min: first - margin,
        max: last + margin,
        axisLabel: { formatter: (value: number) => formatDate(new Date(value), i18n.language), hideOverlap: true },
        splitLine: { show: false },
      },
      yAxis: {
        type: 'category',
        data: lanes.map((a) => agencyName(a)),
        inverse: true,
        axisTick: { show: false },
        axisLabel: { width: 190, overflow: 'truncate', fontSize: 12 },
        splitLine: { show: true, lineStyle: { color: '#ddd' } },
      },
      series: [
        ...states.map((state) => ({
          type: 'custom',
          name: t(`chart.${state}`),
          itemStyle: { color: STATE_STYLE[state].color, decal: STATE_STYLE[state].decal },
          encode: { x: [0, 1], y: 2 },
          data: pathway.tasks
            .filter((task) => taskState(task, now) === state)
            .map((task) => [
              new Date(task.createdAt).getTime(),
              new Date(task.completedAt ?? task.dueAt).getTime(),
              lane(task.agency),
            ]),
          renderItem: (
            _params: unknown,
            api: {
              value: (i: number) => number;
              coord: (v: number[]) => number[];
              size: (v: number[]) => number[];
              style: () => object;
            },
          ) => {
            const start = api.coord([api.value(0), api.value(2)]);
            const end = api.coord([api.value(1), api.value(2)]);
            const height = api.size([0, 1])[1] * 0.42;
            return {
              type: 'rect',
              shape: { x: start[0], y: start[1] - height / 2, width: Math.max(end[0] - start[0], 4), height, r: 2 },
              style: api.style(),
            };
          },
          // The stage bands and the today line ride on the first series.
          ...(state === 'onTime'
            ? {
                markArea: {
                  label: { position: 'insideTop', color: '#333', fontSize: 12 },
                  // The stage and its dates on hover, also when the band is too narrow for its label.
                  tooltip: {
                    formatter: (p: { dataIndex: number }) => {
                      const span = spans[p.dataIndex];
                      return span ? stageText(span) : '';
                    },
                  },
                  data: spans.map((span, i) => [
                    {
                      name: t(`stage.${span.stage}`),
                      xAxis: new Date(span.from).getTime(),
                      itemStyle: { color: STAGE_BAND[i % 2] },
                      label: labels[i] ?? { show: false },
                    },
                    { xAxis: spanEnd(span) },
                  ]),
                },
                markLine: {
                  silent: true,
                  symbol: 'none',
                  lineStyle: { color: '#1a1a1a', type: 'dashed', width: 1.5 },
                  label: { formatter: t('chart.today'), position: 'end' },
                  data: [{ xAxis: nowMs }],
                },
              }
            : {}),
        })),
        {
          type: 'scatter',
          name: t('chart.event'),
          symbol: 'diamond',
          symbolSize: 14,
          itemStyle: { color: '#004b87', borderColor: '#fff', borderWidth: 1 },
          label: {
            show: true,
            position: 'top',
            fontSize: 11,
            formatter: (p: { data: { name: string } }) => p.data.name,
          },
          labelLayout: { hideOverlap: true },
          tooltip: {
            formatter: (p: { data: { name: string; value: number[] } }) =>
              `${p.data.name}<br>${formatDateTime(new Date(p.data.value[0]), i18n.language)}`,
          },
          data: events.map((e) => ({
            name:
              e.kind === 'EVENT_RECORDED'
                ? t(`event.${e.detail.type}`, { defaultValue: e.detail.type })
                : t('timeline.PATHWAY_OPENED'),
            value: [new Date(e.at).getTime(), lane(e.agency ?? '')],
          })),
        },
      ],
    });
    const fit = () => {
      const px = (ms: number) => chart.convertToPixel({ xAxisIndex: 0 }, ms) as number;
      const labels = spans.map((span) => bandLabel(px(spanEnd(span)) - px(new Date(span.from).getTime())));
      chart.setOption(option(labels));
      // Which bands carry their label in the picture (the others are named in the tooltip and the list below).
      if (ref.current) ref.current.dataset.labelledStages = spans.filter((_, i) => labels[i].show).length.toString();
    };
    chart.setOption(option([]));
    fit();
    const resize = () => {
      chart.resize();
      fit();
    };
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  });

  return (
    <>
      <div
        ref={ref}
        className="timeline-chart"
        role="img"
        aria-label={label}
        data-lanes={lanes.length}
        style={{ height: `${Math.max(lanes.length, 2) * 44 + 120}px` }}
      />
      {/* The stage bands in words: a band too narrow for its label in the picture is named here. */}
      <h3 id="stage-list-heading">{t('chart.stages')}</h3>
      <ol className="stage-list" aria-labelledby="stage-list-heading">
        {spans.map((span) => (
          <li key={`${span.stage}-${span.from}`}>{stageText(span)}</li>
        ))}
      </ol>
    </>
  );
}
