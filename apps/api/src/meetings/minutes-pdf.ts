// The operative group's minutes as an A4 PDF (pdfkit, Danish, built-in Helvetica like the yearly report in
// apps/api/src/reports/report-pdf.ts). An agenda item names its pathway by a short id, never by the person.
import PDFDocument from 'pdfkit';
import { AGENCY_SEED, AGENCY_SEED_V2 } from '../../../../libs/domain/src';
import type { MeetingItemRow, MeetingRow } from '../../../../libs/persistence/src';
import { OUTCOME_LABELS, STAGE_LABELS } from '../reports/yearly-report';

const MARGIN = 50;
const WIDTH = 595.28 - 2 * MARGIN;
const MONTHS = [
  'januar',
  'februar',
  'marts',
  'april',
  'maj',
  'juni',
  'juli',
  'august',
  'september',
  'oktober',
  'november',
  'december',
];

export const MINUTES_HEADINGS = {
  title: 'Referat af møde i den operative styregruppe',
  present: 'Til stede',
  agenda: 'Dagsorden og beslutninger',
  recommendations: 'Indstillinger til Sikker By',
  draft: 'UDKAST: referatet er ikke godkendt',
} as const;

/** 2026-12-08 or an instant → "8. december 2026" (Copenhagen's date). */
export function danishDate(value: string): string {
  const day =
    value.length === 10
      ? value
      : new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date(value));
  const [y, m, d] = day.split('-').map(Number);
  return `${d}. ${MONTHS[m - 1]} ${y}`;
}

const AGENCY_NAMES = new Map([
  ...[...AGENCY_SEED, ...AGENCY_SEED_V2].map((a) => [a.code, a.name] as const),
  ['OPERATIVE_GROUP', 'Den operative styregruppe'] as const,
]);
const agencyName = (code: string | null): string => (code ? (AGENCY_NAMES.get(code) ?? code) : '');

/** 2027-03-14 → "marts 2027": a birthday in the minutes by its month only. */
const danishMonth = (day: string): string => danishDate(day).replace(/^\d+\. /, '');

const stageLabel = (item: MeetingItemRow) => STAGE_LABELS[item.stage ?? ''] ?? item.stage ?? '';

/** Why the item is on the agenda, in words. */
export function itemHeading(item: MeetingItemRow): string {
  if (item.kind === 'STALLED_PATHWAY')
    return `Forløb uden fremdrift siden ${danishDate(item.since ?? '')} (${stageLabel(item)})`;
  if (item.kind === 'AWAITING_ASSESSMENT')
    return `Nyt forløb venter på fælles vurdering siden ${danishDate(item.since ?? '')}`;
  if (item.kind === 'RELEASE_SOON') return `Løsladelse ventes ${danishDate(item.onDate ?? '')} (${stageLabel(item)})`;
  if (item.kind === 'TURNING_18') return `Fylder 18 år i ${danishMonth(item.onDate ?? '')} (${stageLabel(item)})`;
  if (item.kind === 'MANUAL') return `${item.title ?? ''} (sat på af ${agencyName(item.addedBy)}): ${item.why ?? ''}`;
  const what = item.escalationKind === 'PATHWAY_STALLED' ? 'forløb uden fremdrift' : (item.taskTitle ?? 'opgave');
  return `Eskalering niveau ${item.level}: ${what}, ${agencyName(item.agency)}`;
}

/** A pathway's priority in the minutes' words. */
export const PRIORITY_LABELS: Record<string, string> = { NORMAL: 'normal', HIGH: 'prioriteret' };

export function decisionText(item: MeetingItemRow): string {
  const d = item.decision;
  if (!d) return 'Ingen beslutning.';
  const what =
    d.decision === 'EXTEND'
      ? `Fristen forlænges til ${danishDate(d.dueAt ?? '')}`
      : d.decision === 'REASSIGN'
        ? `Opgaven flyttes til ${agencyName(d.toAgency)}`
        : d.decision === 'CANCEL_TASK'
          ? 'Opgaven annulleres'
          : d.decision === 'RECOMMEND'
            ? 'Indstilles til Sikker By'
            : d.decision === 'CHANGE_PRIORITY'
              ? `Prioriteten ændres til ${PRIORITY_LABELS[d.priority ?? ''] ?? d.priority ?? ''}`
              : d.decision === 'CLOSE'
                ? `Forløbet lukkes med udfaldet »${OUTCOME_LABELS[d.outcome ?? ''] ?? d.outcome ?? ''}« (afventer en koordinators bekræftelse)`
                : 'Noteret';
  return `Beslutning: ${what}. ${d.note}`;
}

export function minutesPdf(meeting: MeetingRow, items: readonly MeetingItemRow[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const title = `${MINUTES_HEADINGS.title} ${danishDate(meeting.date)}`;
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      info: { Title: title, Author: 'Exit Pathways', Subject: 'Referat' },
      lang: 'da-DK',
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica-Bold').fontSize(16).text(title, { width: WIDTH });
    doc.font('Helvetica').fontSize(9).fillColor('#444444');
    if (meeting.status === 'APPROVED')
      doc.text(`Godkendt ${danishDate(meeting.approvedAt ?? '')} af ${agencyName(meeting.approvedBy)}.`);
    else doc.font('Helvetica-Bold').text(MINUTES_HEADINGS.draft);
    doc.fillColor('#000000').moveDown(1);
    doc.font('Helvetica-Bold').fontSize(13).text(MINUTES_HEADINGS.present);
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(meeting.present.length > 0 ? meeting.present.join(', ') : 'Ikke angivet.', { width: WIDTH });
    doc.moveDown(1);
    doc.font('Helvetica-Bold').fontSize(13).text(MINUTES_HEADINGS.agenda);
    doc.moveDown(0.4);
    if (items.length === 0) doc.font('Helvetica').fontSize(10).text('Intet på dagsordenen.');
    for (const item of items) {
      if (doc.y > doc.page.height - MARGIN - 60) doc.addPage();
      doc
        .font('Helvetica-Bold')
        .fontSize(10)
        .text(`${item.position}. ${itemHeading(item)}`, MARGIN, doc.y, { width: WIDTH });
      doc
        .font('Helvetica')
        .fontSize(9)
        .fillColor('#444444')
        .text(item.pathwayId ? `Forløb ${item.pathwayId.slice(0, 8)}` : 'Intet forløb', { width: WIDTH })
        .fillColor('#000000');
      doc.fontSize(10).text(decisionText(item), { width: WIDTH });
      doc.moveDown(0.6);
    }
    // Collected for Sikker By's next meeting (GET /meetings/recommendations lists them across meetings).
    const recommended = items.filter((i) => i.decision?.decision === 'RECOMMEND');
    doc.moveDown(0.4);
    if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
    doc.font('Helvetica-Bold').fontSize(13).text(MINUTES_HEADINGS.recommendations, MARGIN, doc.y, { width: WIDTH });
    doc.moveDown(0.4);
    doc.font('Helvetica').fontSize(10);
    if (recommended.length === 0) doc.text('Ingen indstillinger fra dette møde.', { width: WIDTH });
    for (const item of recommended)
      doc.text(`Punkt ${item.position}: ${item.decision?.note ?? ''}`, { width: WIDTH }).moveDown(0.3);
    doc.end();
  });
}
