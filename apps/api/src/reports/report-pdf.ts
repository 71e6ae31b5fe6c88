// The yearly report as an A4 PDF (pdfkit, pure JavaScript). The standard Helvetica fonts are built into every PDF
// reader and cover æ, ø and å (WinAnsi), so nothing is embedded or fetched.
import PDFDocument from 'pdfkit';
import type { ReportTable, YearlyReport } from './yearly-report';

const MARGIN = 50;
const PAGE_WIDTH = 595.28;
const WIDTH = PAGE_WIDTH - 2 * MARGIN;

function drawTable(doc: PDFKit.PDFDocument, table: ReportTable): void {
  doc.font('Helvetica-Bold').fontSize(10).text(table.caption, MARGIN, doc.y, { width: WIDTH });
  doc.moveDown(0.3);
  const columns = table.header.length;
  // The first column holds labels and gets the room the figures do not need.
  const first = columns <= 2 ? WIDTH * 0.6 : columns <= 4 ? WIDTH * 0.4 : WIDTH * 0.28;
  const rest = (WIDTH - first) / Math.max(1, columns - 1);
  const widths = [first, ...Array.from({ length: columns - 1 }, () => rest)];
  const drawRow = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i] - 6 }))) + 4;
    if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
    const top = doc.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      doc.text(c, x + 3, top + 2, { width: widths[i] - 6, align: i === 0 ? 'left' : 'right' });
      x += widths[i];
    });
    doc
      .moveTo(MARGIN, top + height)
      .lineTo(MARGIN + WIDTH, top + height)
      .lineWidth(bold ? 0.8 : 0.3)
      .stroke('#555555');
    doc.y = top + height;
  };
  drawRow(table.header, true);
  for (const row of table.rows) drawRow(row, row[0] === 'I alt');
  if (table.note)
    doc
      .font('Helvetica-Oblique')
      .fontSize(8)
      .text(table.note, MARGIN, doc.y + 3, { width: WIDTH });
  doc.moveDown(1);
}

export function reportPdf(report: YearlyReport): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      info: { Title: report.title, Author: 'Exit Pathways', Subject: `Statusrapport ${report.year}` },
      lang: 'da-DK',
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica-Bold').fontSize(16).text(report.title, { width: WIDTH });
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor('#444444')
      .text(
        `Til SSP-bestyrelsen, Økonomiudvalget og politiledelsen. Udskrevet ${report.generatedAt.slice(0, 10)}. ` +
          `Ingen tal bygger på færre end ${report.threshold} personer.`,
        { width: WIDTH },
      )
      .fillColor('#000000');
    doc.moveDown(1);
    report.sections.forEach((section, i) => {
      if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
      doc
        .font('Helvetica-Bold')
        .fontSize(13)
        .text(`${i + 1}. ${section.heading}`, MARGIN, doc.y, { width: WIDTH });
      doc.moveDown(0.4);
      if (section.text) {
        doc.font('Helvetica').fontSize(10).text(section.text, MARGIN, doc.y, { width: WIDTH });
        doc.moveDown(0.6);
      }
      for (const table of section.tables) drawTable(doc, table);
    });
    doc.end();
  });
}
