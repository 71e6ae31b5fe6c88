// "Kapacitet": open work per agency for the operative group and managers: unclaimed and claimed tasks, the
// caseworkers holding them, claimed tasks per caseworker, the oldest open task, and the work held by someone absent
// (no action for N days, chosen here). From GET /oversight/workload, which counts tasks and claims (never a person or
// a caseworker's name). A team lead sees its own agency's people instead (TeamCapacity, GET /agencies/{code}/capacity):
// each colleague's claimed and overdue tasks, last action and whether absent, to rebalance the work in its queue.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgencyName } from '../api/agencies';
import { api, unwrap } from '../api/client';
import { useSession } from '../auth/auth';
import { PageTitle, Spinner } from '../components/dkfds';
import { formatDate } from '../format/dates';
import { LoadError } from '../pages/ErrorPages';
import { mayByRole } from '../pages/vocabulary';
import { Fig } from './figures';

const ABSENT_DAY_CHOICES = [3, 5, 7, 10, 14, 21, 30];

function AbsentDaysSelect({ value, onChange }: { value: number; onChange: (days: number) => void }) {
  const { t } = useTranslation();
  return (
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
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
      >
        {ABSENT_DAY_CHOICES.map((n) => (
          <option key={n} value={n}>
            {t('escalations.days', { count: n })}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CapacityPage() {
  const session = useSession();
  const roles = session?.roles ?? [];
  if (!mayByRole('oversight.read', roles) && mayByRole('agency.capacity', roles) && session)
    return <TeamCapacity agency={session.agency} />;
  return <AgencyWorkload />;
}

/** A team lead's own agency, person by person: claimed, overdue, last action, absent ("fraværende" in words). */
function TeamCapacity({ agency }: { agency: string }) {
  const { t, i18n } = useTranslation();
  const agencyName = useAgencyName();
  const [absentDays, setAbsentDays] = useState(7);
  const capacity = useQuery({
    queryKey: ['agency', agency, 'capacity', absentDays],
    queryFn: async () =>
      unwrap(await api.GET('/agencies/{code}/capacity', { params: { path: { code: agency }, query: { absentDays } } })),
    placeholderData: keepPreviousData,
  });
  if (capacity.isPending) return <Spinner />;
  if (capacity.isError) return <LoadError error={capacity.error} />;
  const c = capacity.data;
  const heading = t('capacity.teamHeading', { agency: agencyName(agency) });
  return (
    <>
      <PageTitle title={t('capacity.title')} />
      <p>{t('capacity.teamIntro')}</p>
      <AbsentDaysSelect value={absentDays} onChange={setAbsentDays} />
      <p>{t('capacity.teamUnassigned', { count: c.unassigned })}</p>
      <h2>{heading}</h2>
      <table className="table table--zebra capacity-table">
        <caption className="sr-only">{heading}</caption>
        <thead>
          <tr>
            <th scope="col">{t('capacity.colName')}</th>
            <th scope="col">{t('capacity.colClaimed')}</th>
            <th scope="col">{t('capacity.colOverdue')}</th>
            <th scope="col">{t('capacity.colLastAction')}</th>
            <th scope="col">{t('capacity.colAbsent', { days: c.absentDays })}</th>
          </tr>
        </thead>
        <tbody>
          {c.people.map((p) => (
            <tr key={p.userId}>
              <th scope="row">{p.displayName}</th>
              <td>{p.claimed}</td>
              <td>{p.overdue}</td>
              <td>{p.lastActionAt ? formatDate(p.lastActionAt, i18n.language) : '–'}</td>
              <td>{p.absent ? <strong>{t('capacity.absentMarker')}</strong> : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="form-hint">{t('capacity.teamNote')}</p>
    </>
  );
}

function AgencyWorkload() {
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
      <AbsentDaysSelect value={absentDays} onChange={setAbsentDays} />
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
