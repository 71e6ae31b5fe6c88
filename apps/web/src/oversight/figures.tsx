// Figures as the oversight endpoints give them: a number, or for the steering group and managers a hidden one as
// the mark the yearly report prints ("<3", "x"). A hidden figure gets words for screen readers as well.
import { useTranslation } from 'react-i18next';

export type Figure = number | string | null | undefined;

export function Fig({ value, digits = 1 }: { value: Figure; digits?: number }) {
  const { t, i18n } = useTranslation();
  if (value === null || value === undefined) return <>–</>;
  if (typeof value === 'number')
    return <>{value.toLocaleString(i18n.language === 'en' ? 'en-GB' : 'da-DK', { maximumFractionDigits: digits })}</>;
  return <abbr title={value === 'x' ? t('figures.secondary') : t('figures.small', { mark: value })}>{value}</abbr>;
}

/** A share 0–1 as a percentage; a hidden one as its mark. */
export function Share({ value }: { value: Figure }) {
  return typeof value === 'number' ? <>{Math.round(value * 100)} %</> : <Fig value={value} />;
}

/** What the marks mean, shown above the tables when the answer was suppressed. */
export function SuppressionNote({ minCell }: { minCell: number | null | undefined }) {
  const { t } = useTranslation();
  if (!minCell) return null;
  return <p className="suppression-note">{t('figures.note', { n: minCell })}</p>;
}
