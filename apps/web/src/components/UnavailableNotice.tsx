// "Prøv igen om lidt": shown on every page while the API says its database or workflow engine does not answer (a 503
// with a code and Retry-After, seen in api/client.ts). The lists ask again by themselves after Retry-After (main.tsx).
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useUnavailable } from '../api/availability';
import { Alert, Button } from './dkfds';

export function UnavailableNotice() {
  const { t } = useTranslation();
  const unavailable = useUnavailable();
  const queryClient = useQueryClient();
  if (!unavailable) return null;
  return (
    <div className="unavailable-notice">
      <Alert tone="warning" heading={t('unavailable.heading')}>
        <p>{t('unavailable.text', { count: unavailable.retryAfterSeconds })}</p>
        <Button variant="secondary" onClick={() => void queryClient.refetchQueries({ type: 'active' })}>
          {t('unavailable.retry')}
        </Button>
      </Alert>
    </div>
  );
}
