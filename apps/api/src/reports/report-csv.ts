// The yearly report as CSV for a spreadsheet: one line per figure (section, table, row, column, value), semicolons
// and a byte-order mark so that Danish Excel opens it with æ, ø and å intact.
import type { YearlyReport } from './yearly-report';

function field(text: string): string {
  // Quoted when needed; a leading = + - @ is prefixed so no spreadsheet runs a value as a formula.
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[";\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function reportCsv(report: YearlyReport): string {
  const lines = [['sektion', 'tabel', 'række', 'kolonne', 'værdi']];
  for (const section of report.sections) {
    if (section.text) lines.push([section.heading, '', '', 'tekst', section.text]);
    for (const table of section.tables) {
      for (const row of table.rows) {
        for (let j = 1; j < row.length; j++)
          lines.push([section.heading, table.caption, row[0], table.header[j], row[j]]);
      }
    }
  }
  return `\ufeff${lines.map((l) => l.map(field).join(';')).join('\r\n')}\r\n`;
}
