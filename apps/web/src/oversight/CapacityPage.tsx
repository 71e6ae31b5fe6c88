// "Kapacitet": open work per agency for team leads and managers to rebalance: unclaimed and claimed tasks, the
// caseworkers holding them, claimed tasks per caseworker and the oldest open task. From GET /oversight/workload,
// which counts tasks and claims (never a person or a caseworker's name).
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useAgencyName } from '../api/agencies';
import { api, unwrap } from '../api/client';
import { PageTitle, Spinner } from '../components/dkfds';
import { LoadError } from '../pages/ErrorPages';
import { Fig } from './figures';

export function CapacityPage() {
  const { t } = useTranslation();
  const agencyName = useAgencyName();
  const workload = useQuery({
    queryKey: ['oversight', 'workload'],
    queryFn: async () => unwrap(await api.GET('/oversight/workload')),
  });
  if (workload.isPending) return <Spinner />;
  if (workload.isError) return <LoadError error={workload.error} />;
  const w = workload.data;
  return (
    <>
      <PageTitle title={t('capacity.title')} />
      <p>{t('capacity.intro')}</p>
      <p>{t('capacity.totals', { unassigned: w.unassigned, claimed: w.claimed })}</p>
      <table className="table table--zebra capacity-table">
        <caption className="sr-only">{t('capacity.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('capacity.colAgency')}</th>
            <th scope="col">{t('capacity.colUnassigned')}</th>
            <th scope="col">{t('capacity.colClaimed')}</th>
            <th scope="col">{t('capacity.colAssignees')}</th>
            <th scope="col">{t('capacity.colPerCaseworker')}</th>
            <th scope="col">{t('capacity.colOldest')}</th>
          </tr>
        </thead>
        <tbody>
          {w.agencies.map((a) => (
            <tr key={a.agency}>
              <th scope="row">{agencyName(a.agency)}</th>
              <td>
                <Fig value={a.unassigned} />
              </td>
              <td>
                <Fig value={a.claimed} />
              </td>
              <td>
                <Fig value={a.assignees} />
              </td>
              <td>
                <Fig value={a.assignees > 0 ? a.claimed / a.assignees : null} />
              </td>
              <td>
                <Fig value={a.oldestOpenDays} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="form-hint">{t('capacity.note')}</p>
    </>
  );
}
