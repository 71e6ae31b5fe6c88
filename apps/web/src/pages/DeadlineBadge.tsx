import { useTranslation } from 'react-i18next';
import { Badge } from '../components/dkfds';
import { deadlineLabel } from '../format/deadline';

/** The deadline's state in words and colour together (colour alone says nothing to many readers). */
export function DeadlineBadge({
  dueAt,
  escalationLevel,
  compressed,
  done,
}: {
  dueAt: string;
  escalationLevel?: number;
  /** A late sentence left less time than usual: said in words, so the short deadline is not taken for a mistake. */
  compressed?: boolean;
  done?: boolean;
}) {
  const { t } = useTranslation();
  if (done) return null;
  const label = deadlineLabel(dueAt);
  return (
    <>
      <Badge tone={label.tone}>{t(`deadline.${label.key}`, { count: label.count })}</Badge>
      {compressed ? (
        <>
          {' '}
          <Badge tone="warning">{t('deadline.compressed')}</Badge>
        </>
      ) : null}
      {escalationLevel ? (
        <>
          {' '}
          <Badge tone="error">{t('deadline.escalated')}</Badge>
        </>
      ) : null}
    </>
  );
}
