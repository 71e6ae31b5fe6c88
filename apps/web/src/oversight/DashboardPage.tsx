// "Overblik": the managers', steering group's and operative group's figures from GET /oversight/*: open pathways per
// stage, stalled pathways, deadlines per agency, SLA per month and open work. Aggregates only, never a name; for the
// steering group and managers small figures come hidden as in the yearly report. Every chart (FigureChart, ECharts in
// a lazily loaded chunk) has the same figures as a table beside it. For the roles that may list pathways (coordinators,
// the operative group) a stage's count leads to the pathway list of that stage, which shows no name.
import { useQuery } from '@tanstack/react-query';
import { Suspense, lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useAgencyName } from '../api/agencies';
import { api, unwrap } from '../api/client';
import { useSession } from '../auth/auth';
import { PageTitle, Spinner } from '../components/dkfds';
import { LoadError } from '../pages/ErrorPages';
import { Fig, Share, SuppressionNote } from './figures';

const FigureChart = lazy(() => import('./FigureChart'));
/** The roles that may read the pathway list (pathway.list in libs/domain/src/policy.ts). */
const LISTS_PATHWAYS = ['COORDINATOR', 'OPERATIVE_GROUP'];

function useFigures<T>(key: string, load: () => Promise<T>) {
  return useQuery({ queryKey: ['oversight', key], queryFn: load });
}

export function DashboardPage() {
  const { t } = useTranslation();
  const agencyName = useAgencyName();
  const navigate = useNavigate();
  const session = useSession();
  const mayList = (session?.roles ?? []).some((r) => LISTS_PATHWAYS.includes(r));
  const toStage = (stage: string) => `/forloeb?fase=${stage}`;
  const stages = useFigures('stages', async () => unwrap(await api.GET('/oversight/stages')));
  const stalled = useFigures('stalled', async () => unwrap(await api.GET('/oversight/stalled')));
  const deadlines = useFigures('deadlines', async () => unwrap(await api.GET('/oversight/deadlines')));
  const sla = useFigures('sla', async () => unwrap(await api.GET('/oversight/sla')));
  const all = [stages, stalled, deadlines, sla];
  const failed = all.find((q) => q.isError);
  if (failed) return <LoadError error={failed.error} />;
  if (!stages.data || !stalled.data || !deadlines.data || !sla.data) return <Spinner />;
  return (
    <>
      <PageTitle title={t('dashboard.title')} />
      <p>{t('dashboard.intro')}</p>
      <SuppressionNote minCell={stages.data.minCell} />

      <h2>{t('dashboard.stagesHeading')}</h2>
      {mayList && <p className="form-hint">{t('dashboard.clickThrough')}</p>}
      <div className="figure-pair">
        <Suspense fallback={<Spinner />}>
          <FigureChart
            className="dashboard-stages-chart"
            categories={stages.data.stages.map((s) => t(`stage.${s.stage}`))}
            keys={stages.data.stages.map((s) => s.stage)}
            series={[
              { name: t('dashboard.colOpen'), values: stages.data.stages.map((s) => s.open) },
              {
                name: t('dashboard.colStalled'),
                values: stages.data.stages.map((s) => stalled.data.stages.find((x) => x.stage === s.stage)?.stalled),
              },
            ]}
            summary={t('dashboard.stagesSummary', { open: stages.data.open, stalled: stalled.data.stalled })}
            {...(mayList ? { onSelect: (stage: string) => void navigate(toStage(stage)) } : {})}
          />
        </Suspense>
        <table className="table table--zebra dashboard-stages">
          <caption className="sr-only">{t('dashboard.stagesHeading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.colStage')}</th>
              <th scope="col">{t('dashboard.colOpen')}</th>
              <th scope="col">{t('dashboard.colMedianDays')}</th>
              <th scope="col">{t('dashboard.colMaxDays')}</th>
              <th scope="col">{t('dashboard.colStalled')}</th>
            </tr>
          </thead>
          <tbody>
            {stages.data.stages.map((s) => (
              <tr key={s.stage}>
                <th scope="row">{t(`stage.${s.stage}`)}</th>
                <td>
                  {mayList && typeof s.open === 'number' && s.open > 0 ? (
                    <Link
                      to={toStage(s.stage)}
                      aria-label={t('dashboard.openList', { count: s.open, stage: t(`stage.${s.stage}`) })}
                    >
                      <Fig value={s.open} />
                    </Link>
                  ) : (
                    <Fig value={s.open} />
                  )}
                </td>
                <td>
                  <Fig value={s.medianDaysInStage} />
                </td>
                <td>
                  <Fig value={s.maxDaysInStage} />
                </td>
                <td>
                  <Fig value={stalled.data.stages.find((x) => x.stage === s.stage)?.stalled} />
                </td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('dashboard.total')}</th>
              <td>
                <Fig value={stages.data.open} />
              </td>
              <td />
              <td />
              <td>
                <Fig value={stalled.data.stalled} />
              </td>
            </tr>
          </tbody>
        </table>
      </div>

      <h2>{t('dashboard.deadlinesHeading')}</h2>
      <div className="figure-pair">
        <Suspense fallback={<Spinner />}>
          <FigureChart
            className="dashboard-deadlines-chart"
            categories={deadlines.data.agencies.map((a) => agencyName(a.agency))}
            series={[
              { name: t('dashboard.colOverdue'), values: deadlines.data.agencies.map((a) => a.overdue) },
              {
                name: t('dashboard.colDueSoon', { days: deadlines.data.soonDays }),
                values: deadlines.data.agencies.map((a) => a.dueSoon),
              },
            ]}
            summary={t('dashboard.deadlinesSummary', {
              overdue: deadlines.data.overdue,
              dueSoon: deadlines.data.dueSoon,
              days: deadlines.data.soonDays,
            })}
          />
        </Suspense>
        <table className="table table--zebra dashboard-deadlines">
          <caption className="sr-only">{t('dashboard.deadlinesHeading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.colAgency')}</th>
              <th scope="col">{t('dashboard.colOverdue')}</th>
              <th scope="col">{t('dashboard.colDueSoon', { days: deadlines.data.soonDays })}</th>
            </tr>
          </thead>
          <tbody>
            {deadlines.data.agencies.map((a) => (
              <tr key={a.agency}>
                <th scope="row">{agencyName(a.agency)}</th>
                <td>
                  <Fig value={a.overdue} />
                </td>
                <td>
                  <Fig value={a.dueSoon} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t('dashboard.slaHeading')}</h2>
      <div className="figure-pair">
        <Suspense fallback={<Spinner />}>
          <FigureChart
            className="dashboard-sla-chart"
            categories={sla.data.months.map((m) => m.month)}
            series={[{ name: t('dashboard.colOnTime'), values: sla.data.months.map((m) => m.onTimeShare) }]}
            percent
            summary={t('dashboard.slaSummary', { months: sla.data.months.length })}
          />
        </Suspense>
        <table className="table table--zebra dashboard-sla">
          <caption className="sr-only">{t('dashboard.slaHeading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.colMonth')}</th>
              <th scope="col">{t('dashboard.colDone')}</th>
              <th scope="col">{t('dashboard.colOnTime')}</th>
              <th scope="col">{t('dashboard.colLate')}</th>
              <th scope="col">{t('dashboard.colQueue')}</th>
              <th scope="col">{t('dashboard.colWork')}</th>
            </tr>
          </thead>
          <tbody>
            {sla.data.months.map((m) => (
              <tr key={m.month}>
                <th scope="row">{m.month}</th>
                <td>
                  <Fig value={m.done} />
                </td>
                <td>
                  <Share value={m.onTimeShare} />
                </td>
                <td>
                  <Fig value={m.medianLateHours} />
                </td>
                <td>
                  <Fig value={m.medianQueueHours} />
                </td>
                <td>
                  <Fig value={m.medianWorkHours} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
