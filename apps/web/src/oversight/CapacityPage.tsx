// "Kapacitet": open work per agency for team leads and managers to rebalance: unclaimed and claimed tasks, the
// caseworkers holding them, claimed tasks per caseworker, the oldest open task, and the work held by someone absent
// (no action for N days, chosen here). From GET /oversight/workload, which counts tasks and claims (never a person or
// a caseworker's name).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgencyName } from '../api/agencies';
import { api, unwrap } from '../api/client';
import { PageTitle, Spinner } from '../components/dkfds';
import { LoadError } from '../pages/ErrorPages';
import { Fig } from './figures';

export function CapacityPage() {
  const { t } = useTranslation();
  const agencyName = useAgencyName();
  const [absentDays, setAbsentDays] = useState(7);
  const workload = useQuery({
    queryKey: ['oversight', 'workload', absentDays],
    queryFn: async () => unwrap(await api.GET('/oversight/workload', { params: { query: { absentDays } } })),
    placeholderData: keepPreviousData,
  });
  if (workload.isPending) return <Spinner />;
  if (workload.isError) return <LoadError error={workload.error} />;
  const w = workload.data;
  return (
    <>
      <PageTitle title={t('capacity.title')} />
      <p>{t('capacity.intro')}</p>
      <div className="form-group">
        <label className="form-label" htmlFor="absent-days">
          {t('capacity.absentDays')}
        </label>
        <span className="form-hint" id="absent-days-hint">
          {t('capacity.absentHint')}
        </span>
        <select
          className="form-select"
          id="absent-days"
          aria-describedby="absent-days-hint"
          value={absentDays}
          onChange={(e) => setAbsentDays(Number(e.target.value))}
        >
          {[3, 5, 7, 10, 14, 21, 30].map((n) => (
            <option key={n} value={n}>
              {t('escalations.days', { count: n })}
            </option>
          ))}
        </select>
      </div>
      <p>{t('capacity.totals', { unassigned: w.unassigned, claimed: w.claimed })}</p>
      <p className="capacity-absent">{t('capacity.absentTotal', { count: w.absentClaimed, days: w.absentDays })}</p>
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
            <th scope="col">{t('capacity.colAbsentClaimed', { days: w.absentDays })}</th>
            <th scope="col">{t('capacity.colAbsentAssignees')}</th>
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
              <td>
                <Fig value={a.absentClaimed} />
              </td>
              <td>
                <Fig value={a.absentAssignees} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="form-hint">{t('capacity.note')}</p>
    </>
  );
}
