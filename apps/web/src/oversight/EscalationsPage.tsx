// "Eskaleringer": the operative group's board, open escalations with level 2 first, then the oldest; decisions are
// taken at the meeting (Møder), whose agenda is made from this board.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAgencyName } from '../api/agencies';
import { api, unwrap } from '../api/client';
import { PageTitle, Spinner } from '../components/dkfds';
import { formatDateTime } from '../format/dates';
import { LoadError } from '../pages/ErrorPages';

export function EscalationsPage() {
  const { t, i18n } = useTranslation();
  const agencyName = useAgencyName();
  const board = useQuery({
    queryKey: ['escalations'],
    queryFn: async () => unwrap(await api.GET('/escalations', { params: { query: { limit: 200 } } })),
  });
  const items = board.data?.items ?? [];
  return (
    <>
      <PageTitle title={t('escalations.title')} />
      <p>{t('escalations.intro')}</p>
      <p>
        <Link to="/moeder" className="button button-secondary">
          {t('escalations.toMeeting')}
        </Link>
      </p>
      {board.isPending && <Spinner />}
      {board.isError && <LoadError error={board.error} />}
      {board.isSuccess && items.length === 0 && <p>{t('escalations.empty')}</p>}
      {items.length > 0 && (
        <div className="table--responsive-scroll">
          <table className="table table--zebra escalation-table">
            <caption className="sr-only">{t('escalations.caption', { count: items.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('escalations.colLevel')}</th>
                <th scope="col">{t('escalations.colWhat')}</th>
                <th scope="col">{t('escalations.colAgency')}</th>
                <th scope="col">{t('escalations.colRaised')}</th>
                <th scope="col">{t('escalations.colAge')}</th>
                <th scope="col">{t('escalations.colPathway')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td>{t('escalations.level', { level: e.level })}</td>
                  <td>{e.taskTitle ?? t(`escalations.kind.${e.kind}`)}</td>
                  <td>{agencyName(e.agency)}</td>
                  <td>{formatDateTime(e.raisedAt, i18n.language)}</td>
                  <td>{t('escalations.days', { count: Math.floor(e.ageSeconds / 86400) })}</td>
                  <td>
                    <Link to={`/forloeb/${e.pathwayId}`}>
                      {t('escalations.pathway', { id: e.pathwayId.slice(0, 8) })}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
