// Friendly pages for refusals: 403 and 404 say what happened and where to go, never the API's raw text.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError, isUnavailable } from '../api/errors';
import { Alert, PageTitle } from '../components/dkfds';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('errors.notFoundTitle')} />
      <p>{t('errors.notFoundText')}</p>
      <p>
        <Link to="/opgaver">{t('errors.toQueue')}</Link>
      </p>
    </>
  );
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('errors.forbiddenTitle')} />
      <p>{t('errors.forbiddenText')}</p>
      <p>
        <Link to="/opgaver">{t('errors.toQueue')}</Link>
      </p>
    </>
  );
}

/** What a page shows instead of its content when reading it failed. */
export function LoadError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (isApiError(error, 404) || isApiError(error, 400)) return <NotFoundPage />;
  if (isApiError(error, 403)) return <ForbiddenPage />;
  // The notice above the page (UnavailableNotice) says when the page asks again.
  if (isUnavailable(error)) return <Alert tone="error" heading={t('errors.unavailable')} />;
  return <Alert tone="error" heading={t('errors.generic')} />;
}
