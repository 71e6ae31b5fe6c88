// The yearly report's model (apps/api/src/reports/yearly-report.ts) with REPORT_MIN_CELL = 5: the same figures as
// with 3 are hidden behind "<5", and every heading of the report is there even for a year without data.
import { HEADINGS, buildYearlyReport, type YearlyReportData } from '../../apps/api/src/reports/yearly-report';

const OPEN_STAGES = ['CONTACT', 'ASSESSMENT', 'INTERVENTION', 'CUSTODY'];

function data(overrides: Partial<YearlyReportData> = {}): YearlyReportData {
  return {
    year: 2025,
    generatedAt: new Date('2026-01-15T10:00:00Z'),
    threshold: 3,
    goals: [],
    actuals: [],
    stages: [],
    openStages: OPEN_STAGES,
    started: [],
    closed: [],
    slaByAgency: [],
    slaByMonth: [],
    slaTotal: undefined,
    figures: [],
    ...overrides,
  };
}

const table = (report: ReturnType<typeof buildYearlyReport>, caption: string) =>
  report.sections.flatMap((s) => s.tables).find((t) => t.caption.startsWith(caption))!;

describe('the yearly report model', () => {
  it('a year without data has every heading, empty tables of zeros and says no goals were set', () => {
    const report = buildYearlyReport(data());
    expect(report.sections.map((s) => s.heading)).toEqual(Object.values(HEADINGS));
    expect(report.sections[0].text).toBe('Styregruppen har ikke fastsat aktivitetsmål for 2025.');
    expect(table(report, 'Forløb startet').rows).toEqual([
      ['Q1', '0'],
      ['Q2', '0'],
      ['Q3', '0'],
      ['Q4', '0'],
      ['I alt', '0'],
    ]);
    expect(table(report, 'Pr. måned').rows[0]).toEqual(['jan', '0', '–', '–', '–', '–']);
  });

  it('with N = 5, 3 and 4 people are hidden as "<5" and the method note says 5', () => {
    const report = buildYearlyReport(
      data({
        threshold: 5,
        goals: [
          { year: 2025, taskType: 'MENTOR', label: 'Mentorforløb', target: 8, setBy: 'SIKKER_BY', setAt: '' },
          { year: 2025, taskType: 'EXIT_INTAKE', label: 'Exit', target: 8, setBy: 'SIKKER_BY', setAt: '' },
        ],
        actuals: [
          { taskType: 'MENTOR', people: 4, tasks: 9 },
          { taskType: 'EXIT_INTAKE', people: 5, tasks: 5 },
        ],
        started: [
          { quarter: '2025-Q1', n: 3 },
          { quarter: '2025-Q2', n: 6 },
          { quarter: '2025-Q3', n: 7 },
        ],
      }),
    );
    expect(table(report, 'Aktivitetsmål').rows).toEqual([
      ['Mentorforløb', '8', '<5', '<5'],
      ['Exit', '8', '5', '63 %'],
    ]);
    expect(table(report, 'Forløb startet').rows.map((r) => r[1])).toEqual(['<5', 'x', '7', '0', '16']);
    expect(report.sections[4].text).toContain('intet tal bygger på færre end 5 personer');
  });
});
