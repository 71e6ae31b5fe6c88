import { useTranslation } from 'react-i18next';
import { Badge } from '../components/dkfds';
import { deadlineLabel } from '../format/deadline';

/** The deadline's state in words and colour together (colour alone says nothing to many readers). */
export function DeadlineBadge({
  dueAt,
  escalationLevel,
  done,
}: {
  dueAt: string;
  escalationLevel?: number;
  done?: boolean;
}) {
  const { t } = useTranslation();
  if (done) return null;
  const label = deadlineLabel(dueAt);
  return (
    <>
      <Badge tone={label.tone}>{t(`deadline.${label.key}`, { count: label.count })}</Badge>
      {escalationLevel ? (
        <>
          {' '}
          <Badge tone="error">{t('deadline.escalated')}</Badge>
        </>
      ) : null}
    </>
  );
}
