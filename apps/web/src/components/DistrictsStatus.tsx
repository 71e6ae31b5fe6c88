// Under a district list: says that the districts are being fetched, or that they could not be and offers to try again
// (the list comes from GET /districts, apps/web/src/api/districts.ts). Always present (empty once the list is there),
// so the select's aria-describedby always names an element and the news is announced where it appears.
import { useTranslation } from 'react-i18next';
import { useDistricts } from '../api/districts';
import { Button } from './dkfds';

export function DistrictsStatus({ id }: { id: string }) {
  const { t } = useTranslation();
  const { query } = useDistricts();
  return (
    <div className="districts-status" id={id} aria-live="polite">
      {query.isPending && <p className="form-hint">{t('districts.loading')}</p>}
      {query.isError && (
        <>
          <p className="form-error-message">{t('districts.failed')}</p>
          <Button variant="secondary" onClick={() => void query.refetch()}>
            {t('districts.retry')}
          </Button>
        </>
      )}
    </div>
  );
}
