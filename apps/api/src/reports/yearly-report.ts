// The joint yearly status report (Danish) as a plain model of sections and tables, built from aggregates with
// small-number suppression applied (libs/domain/src/statistics/suppression.ts); report-csv.ts and report-pdf.ts only
// render it, so both formats always carry the same figures.
import {
  CLOSING_OUTCOMES,
  type ClosingOutcome,
  smallMark,
  suppressCount,
  suppressMeasure,
  suppressParts,
  suppressLine,
  suppressTable,
  SECONDARY_MARK,
  type ShownCell,
  type SuppressionThreshold,
} from '../../../../libs/domain/src';
import type {
  ActivityGoalRow,
  ExternalFigureRow,
  GoalActualRow,
  QuarterCount,
  QuarterOutcome,
  SlaRow,
  StageRow,
} from '../../../../libs/persistence/src';

export interface ReportTable {
  caption: string;
  header: string[];
  rows: string[][];
  /** Printed under the table. */
  note?: string;
}

export interface ReportSection {
  heading: string;
  text?: string;
  tables: ReportTable[];
}

export interface YearlyReport {
  title: string;
  year: number;
  generatedAt: string;
  threshold: SuppressionThreshold;
  sections: ReportSection[];
}

export const HEADINGS = {
  goals: 'Aktivitetsmål og opnåede resultater',
  stages: 'Forløb: faser og afslutninger',
  sla: 'Overholdelse af frister (SLA)',
  external: 'Tal fra andre kilder',
  method: 'Metode og datagrundlag',
} as const;

export const STAGE_LABELS: Record<string, string> = {
  CONTACT: 'Første kontakt',
  ASSESSMENT: 'Vurdering',
  INTERVENTION: 'Indsats',
  CUSTODY: 'Varetægt/afsoning',
  RELEASE_PLANNING: 'Planlægning af løsladelse',
  REINTEGRATION: 'Reintegration',
  PLACEMENT: 'Job/uddannelse',
  FOLLOW_UP: 'Opfølgning',
};

/** Every closing outcome in Danish (the compiler checks that none is missing). */
export const OUTCOME_LABELS: Record<string, string> = {
  COMPLETED: 'Gennemført',
  DECLINED: 'Takket nej',
  CONSENT_WITHDRAWN: 'Samtykke trukket tilbage',
  DEREGISTERED: 'Afregistreret',
  MOVED: 'Fraflyttet',
  TRANSFERRED: 'Overført',
  DECEASED: 'Afgået ved døden',
  OTHER: 'Andet',
  REFERRED_TO_INVESTIGATION: 'Henvist til efterforskning',
} satisfies Record<ClosingOutcome, string>;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];

const percent = (v: number) => `${Math.round(v * 100)} %`;
const hours = (v: number) => `${v.toLocaleString('da-DK', { maximumFractionDigits: 1 })} t`;
const number = (v: number) => v.toLocaleString('da-DK', { maximumFractionDigits: 2 });

export interface YearlyReportData {
  year: number;
  generatedAt: Date;
  threshold: SuppressionThreshold;
  goals: ActivityGoalRow[];
  actuals: GoalActualRow[];
  stages: StageRow[];
  openStages: readonly string[];
  started: QuarterCount[];
  closed: QuarterOutcome[];
  slaByAgency: SlaRow[];
  slaByMonth: SlaRow[];
  /** The year's total; undefined when nothing was done. */
  slaTotal: SlaRow | undefined;
  figures: ExternalFigureRow[];
}

export function buildYearlyReport(d: YearlyReportData): YearlyReport {
  const n = d.threshold;
  const small = smallMark(n);
  const quarters = [1, 2, 3, 4].map((q) => `${d.year}-Q${q}`);

  // Activity goals: each actual is a count of people on its own; the share of the goal would give a hidden count
  // back (target × share), so it goes with it.
  const goalRows = d.goals.map((g) => {
    const actual = d.actuals.find((a) => a.taskType === g.taskType)?.people ?? 0;
    const shown = suppressCount(actual, n);
    const share =
      shown.value === null || g.target === 0 ? (shown.value === null ? shown.text : '–') : percent(actual / g.target);
    return [g.label, String(g.target), shown.text, share];
  });

  const stageShown = suppressParts(
    d.openStages.map((s) => d.stages.find((r) => r.stage === s)?.open ?? 0),
    n,
  );
  const startedShown = suppressParts(
    quarters.map((q) => d.started.find((s) => s.quarter === q)?.n ?? 0),
    n,
  );
  const closedShown = suppressTable(
    {
      cells: CLOSING_OUTCOMES.map((o) =>
        quarters.map((q) => d.closed.find((c) => c.quarter === q && c.outcome === o)?.n ?? 0),
      ),
    },
    n,
  );

  // Done tasks per agency and per month add up to the year's total, so each list is suppressed as a line with that
  // total, by the people behind each figure; a hidden count takes its share and medians with it.
  const agencies = [...d.slaByAgency].sort((a, b) => (a.agency ?? '').localeCompare(b.agency ?? ''));
  const months = Array.from({ length: 12 }, (_, i) =>
    d.slaByMonth.find((r) => r.month === `${d.year}-${String(i + 1).padStart(2, '0')}`),
  );
  const figure = (r: SlaRow | undefined) => ({ value: r?.done ?? 0, people: r?.people ?? 0 });
  const byAgency = suppressLine(agencies.map(figure), figure(d.slaTotal), n);
  const byMonth = suppressLine(months.map(figure), figure(d.slaTotal), n);
  const slaRow = (label: string, r: SlaRow | undefined, done: ShownCell): string[] => {
    const people = r?.people ?? 0;
    const measure = (value: number | null, format: (v: number) => string) =>
      done.value === null ? done.text : suppressMeasure(value, people, n, format).text;
    return [
      label,
      done.text,
      measure(r && r.done > 0 ? r.onTime / r.done : null, percent),
      measure(r?.medianLateHours ?? null, hours),
      measure(r?.medianQueueHours ?? null, hours),
      measure(r?.medianWorkHours ?? null, hours),
    ];
  };
  const slaHeader = ['', 'Løste opgaver', 'Til tiden', 'Median forsinkelse', 'Median ventetid', 'Median arbejdstid'];

  return {
    title: `Fælles årlig statusrapport ${d.year} – For et trygt Nørrebro`,
    year: d.year,
    generatedAt: d.generatedAt.toISOString(),
    threshold: n,
    sections: [
      {
        heading: HEADINGS.goals,
        text:
          d.goals.length === 0
            ? `Styregruppen har ikke fastsat aktivitetsmål for ${d.year}.`
            : 'Mål fastsat af styregruppen (Sikker By); opnået er antal personer med mindst én løst opgave af typen i året.',
        tables:
          d.goals.length === 0
            ? []
            : [
                {
                  caption: `Aktivitetsmål ${d.year}`,
                  header: ['Aktivitet', 'Mål', 'Opnået', 'Andel af mål'],
                  rows: goalRows,
                },
              ],
      },
      {
        heading: HEADINGS.stages,
        tables: [
          {
            caption: `Åbne forløb pr. fase (opgjort ${d.generatedAt.toISOString().slice(0, 10)})`,
            header: ['Fase', 'Forløb'],
            rows: [
              ...d.openStages.map((s, i) => [STAGE_LABELS[s] ?? s, stageShown.parts[i].text]),
              ['I alt', stageShown.total.text],
            ],
          },
          {
            caption: `Forløb startet pr. kvartal ${d.year}`,
            header: ['Kvartal', 'Startet'],
            rows: [
              ...quarters.map((q, i) => [`${q.slice(5)}`, startedShown.parts[i].text]),
              ['I alt', startedShown.total.text],
            ],
          },
          {
            caption: `Afsluttede forløb efter udfald og kvartal ${d.year}`,
            header: ['Udfald', 'Q1', 'Q2', 'Q3', 'Q4', 'I alt'],
            rows: [
              ...CLOSING_OUTCOMES.map((o, i) => [
                OUTCOME_LABELS[o] ?? o,
                ...closedShown.cells[i].map((c) => c.text),
                closedShown.rowTotals[i].text,
              ]),
              ['I alt', ...closedShown.columnTotals.map((c) => c.text), closedShown.total.text],
            ],
          },
        ],
      },
      {
        heading: HEADINGS.sla,
        text: 'Andel af opgaver løst senest ved fristen; forsinkelse er medianen for de forsinkede opgaver; ventetid er fra oprettelse til en medarbejder tog opgaven, arbejdstid derfra til den var løst.',
        tables: [
          {
            caption: `Pr. myndighed ${d.year}`,
            header: ['Myndighed', ...slaHeader.slice(1)],
            rows: [
              ...agencies.map((r, i) => slaRow(r.agency ?? '', r, byAgency.parts[i])),
              slaRow('I alt', d.slaTotal, byAgency.total),
            ],
          },
          {
            caption: `Pr. måned ${d.year}`,
            header: ['Måned', ...slaHeader.slice(1)],
            rows: [
              ...MONTHS.map((label, i) => slaRow(label, months[i], byMonth.parts[i])),
              slaRow('I alt', d.slaTotal, byMonth.total),
            ],
          },
        ],
      },
      {
        heading: HEADINGS.external,
        text:
          d.figures.length === 0
            ? `Styregruppen har ikke indtastet tal fra andre kilder for ${d.year}.`
            : 'Tal systemet ikke selv kan kende, indtastet af styregruppen med kilde.',
        tables:
          d.figures.length === 0
            ? []
            : [
                {
                  caption: `Tal fra andre kilder ${d.year}`,
                  header: ['Tal', 'Værdi', 'Kilde'],
                  rows: d.figures.map((f) => [f.label, `${number(f.value)}${f.unit ? ` ${f.unit}` : ''}`, f.source]),
                },
              ],
      },
      {
        heading: HEADINGS.method,
        text: [
          `Tallene er optalt i systemets læsemodel for kalenderåret ${d.year} (dansk tid) uden opslag i personoplysninger.`,
          'Et forløb svarer til én person. Åbne forløb pr. fase er opgjort på udskrivningsdagen.',
          `Diskretionering som hos Danmarks Statistik: intet tal bygger på færre end ${n} personer; sådanne tal vises som "${small}".`,
          `Et tal markeret "${SECONDARY_MARK}" er skjult, så et skjult tal ikke kan regnes ud af totaler eller differencer.`,
          `Andele og medianer bygget på færre end ${n} personer vises heller ikke. "–" betyder, at der ikke er noget at opgøre.`,
          'Tal fra andre kilder (fx kriminalstatistik og Tryghedsundersøgelsen) er indtastet af styregruppen med den angivne kilde.',
        ].join(' '),
        tables: [],
      },
    ],
  };
}
