// "Et forløb": what is happening now first (stage, open tasks), then the timeline as an accessible list, newest
// first, each entry with when it happened and which agency recorded it.
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { useAgencyName } from '../api/agencies';
import { api, unwrap, type Task } from '../api/client';
import { useDistrictName } from '../api/districts';
import type { components } from '../api/schema';
import { Alert, PageTitle, Spinner } from '../components/dkfds';
import { formatCalendarDate, formatDate, formatDateTime } from '../format/dates';
import { ClosurePanel } from './ClosurePanel';
import { DeadlineBadge } from './DeadlineBadge';
import { LoadError } from './ErrorPages';
import { CorrectPersonForm } from './CorrectPersonForm';
import { RecordEventForm } from './RecordEventForm';
import { SuggestedTasks } from './SuggestedTasks';
import { stageSpans } from './stage-spans';
import { mayByRole } from './vocabulary';
import { useRequiredSession } from '../auth/auth';

// ECharts is large: it is fetched when a pathway is opened, not with the app.
const TimelineChart = lazy(() => import('./TimelineChart'));

type TimelineEntry = components['schemas']['TimelineEntryView'];

// Entries whose agency is the one that acted; on the others (a task created, overdue, …) it is the task's owner.
const RECORDED_BY = new Set([
  'PATHWAY_OPENED',
  'EVENT_RECORDED',
  'TASK_COMPLETED',
  'TASK_CLAIMED',
  'TASK_UNCLAIMED',
  'TASK_REASSIGNED',
  'PERSON_CORRECTED',
  'MEETING_DECISION',
  'SUGGESTION_ADDED',
  'CLOSURE_REQUESTED',
  'CLOSURE_CONFIRMED',
  'CLOSURE_REJECTED',
  'PATHWAY_REOPENED',
  'PRIORITY_CHANGED',
]);

function entryText(entry: TimelineEntry, tasks: Map<string, Task>, t: TFunction): string {
  const detail = entry.detail ?? {};
  if (entry.kind === 'STAGE_CHANGED' && detail.from && detail.to) {
    return t('timeline.stageChange', { from: t(`stage.${detail.from}`), to: t(`stage.${detail.to}`) });
  }
  if (entry.kind === 'EVENT_RECORDED' && detail.type) return t(`event.${detail.type}`, { defaultValue: detail.type });
  if (entry.kind === 'PRIORITY_CHANGED' && detail.from && detail.to) {
    return t('timeline.stageChange', { from: t(`priority.${detail.from}`), to: t(`priority.${detail.to}`) });
  }
  if (entry.kind === 'MEETING_DECISION' && detail.decision) {
    const decision = t(`meeting.decision.${detail.decision}`, { defaultValue: detail.decision });
    return detail.note ? t('pathway.meetingDecision', { decision, note: detail.note }) : decision;
  }
  // A suggested task added names the task by its key: the newest task with that key is the one it created.
  if (entry.kind === 'SUGGESTION_ADDED' && detail.key)
    return [...tasks.values()].reverse().find((task) => task.key === detail.key)?.title ?? '';
  const task = entry.taskId ? tasks.get(entry.taskId) : undefined;
  return task?.title ?? '';
}

export function PathwayPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const state = location.state as { from?: string; flash?: string } | null;
  const back = state?.from ?? '/forloeb';
  const agencyName = useAgencyName();
  const districtName = useDistrictName();
  const session = useRequiredSession();
  const pathway = useQuery({
    queryKey: ['pathway', id],
    queryFn: async () => unwrap(await api.GET('/pathways/{id}', { params: { path: { id } } })),
  });

  if (pathway.isPending) return <Spinner />;
  if (pathway.isError) return <LoadError error={pathway.error} />;
  const p = pathway.data;
  const tasks = new Map(p.tasks.map((task) => [task.id, task]));
  const open = p.tasks
    .filter((task) => task.status === 'OPEN' || task.status === 'CLAIMED')
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const timeline = [...(p.timeline ?? [])].sort((a, b) => b.sequence - a.sequence);
  const title = p.person ? t('pathway.title', { name: p.person.name }) : t('pathway.titleNoPerson');

  return (
    <>
      <p>
        <Link to={back}>{t('pathway.back')}</Link>
      </p>
      <PageTitle title={title} />
      {state?.flash === 'started' && <Alert tone="success" heading={t('start.started')} />}
      <section aria-labelledby="now-heading">
        <h2 id="now-heading">{t('pathway.now')}</h2>
        <dl className="identity-list">
          {p.person && (
            <div>
              <dt>{t('task.birthDate')}</dt>
              <dd>{formatCalendarDate(p.person.birthDate, i18n.language)}</dd>
            </div>
          )}
          <div>
            <dt>{t('pathway.stage')}</dt>
            <dd>
              {t(`stage.${p.stage}`)}
              {p.pendingClosure && (
                <>
                  {' '}
                  <span className="badge badge-warning">{t('closure.pendingBadge')}</span>
                </>
              )}
            </dd>
          </div>
          <div>
            <dt>{t('pathway.priority')}</dt>
            <dd>
              {p.priority === 'HIGH' ? (
                <span className="badge badge-info">{t('priority.HIGH')}</span>
              ) : (
                t('priority.NORMAL')
              )}
            </dd>
          </div>
          <div>
            <dt>{t('pathway.track')}</dt>
            <dd>{p.track ? t(`track.${p.track}`) : t('pathway.unknown')}</dd>
          </div>
          <div>
            <dt>{t('pathway.district')}</dt>
            <dd>{districtName(p.district)}</dd>
          </div>
          <div>
            <dt>{t('pathway.opened')}</dt>
            <dd>{formatDate(p.openedAt, i18n.language)}</dd>
          </div>
          {p.expectedReleaseAt && (
            <div>
              <dt>{t('pathway.release')}</dt>
              <dd>{formatDate(p.expectedReleaseAt, i18n.language)}</dd>
            </div>
          )}
        </dl>
        <StageTracker pathway={p} />
        <h3>{t('pathway.openTasks')}</h3>
        {open.length === 0 ? (
          <p>{t('pathway.noOpenTasks')}</p>
        ) : (
          <ul className="open-tasks">
            {open.map((task) => (
              <li key={task.id}>
                <strong>{task.title}</strong> – {agencyName(task.agency)}, {t(`status.${task.status}`).toLowerCase()}.{' '}
                {t('task.deadline')} {formatDate(task.dueAt, i18n.language)}{' '}
                <DeadlineBadge dueAt={task.dueAt} escalationLevel={task.escalationLevel} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <SuggestedTasks pathwayId={p.id} stage={p.stage} />
      <ClosurePanel pathway={p} />
      <RecordEventForm pathway={p} />
      {p.person && p.stage !== 'CLOSED' && mayByRole('person.correct', session.roles) && (
        <CorrectPersonForm pathwayId={p.id} person={p.person} />
      )}
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t('pathway.timeline')}</h2>
        {p.timeline === undefined ? (
          <p>{t('pathway.noTimeline')}</p>
        ) : (
          <>
            <p>{t('chart.intro')}</p>
            <Suspense fallback={<Spinner />}>
              <TimelineChart pathway={p} />
            </Suspense>
            <h3>{t('pathway.timelineList')}</h3>
            <ol className="timeline" reversed>
              {timeline.map((entry) => {
                const text = entryText(entry, tasks, t);
                return (
                  <li key={entry.sequence}>
                    <time dateTime={entry.at}>{formatDateTime(entry.at, i18n.language)}</time>{' '}
                    <strong>{t(`timeline.${entry.kind}`, { defaultValue: entry.kind })}</strong>
                    {text && `: ${text}`}
                    {entry.agency && (
                      <span className="timeline-by">
                        {' '}
                        –{' '}
                        {t(RECORDED_BY.has(entry.kind) ? 'pathway.by' : 'pathway.at', {
                          agency: agencyName(entry.agency),
                        })}
                      </span>
                    )}
                  </li>
                );
              })}
            </ol>
          </>
        )}
      </section>
    </>
  );
}

type Pathway = components['schemas']['PathwayView'];

/**
 * The stages the pathway has gone through, in order, the one it is in now last and marked (in words, not by colour
 * alone). Without the timeline (not shown to the reader), only the stage it is in now.
 */
function StageTracker({ pathway }: { pathway: Pathway }) {
  const { t, i18n } = useTranslation();
  const spans = pathway.timeline ? stageSpans(pathway) : [{ stage: pathway.stage, from: pathway.openedAt }];
  return (
    <ol className="stage-tracker" aria-label={t('pathway.stageTracker')}>
      {spans.map((span, i) => {
        const current = i === spans.length - 1;
        return (
          <li
            key={`${span.stage}-${span.from}`}
            className={current ? 'current' : undefined}
            aria-current={current ? 'step' : undefined}
          >
            <span className="stage-tracker-name">
              {t(`stage.${span.stage}`)}
              {current && ` ${t('pathway.stageNow')}`}
            </span>
            <span className="stage-tracker-when">
              {current || !span.to
                ? t('pathway.stageSince', { date: formatDate(span.from, i18n.language) })
                : t('pathway.stageSpan', {
                    from: formatDate(span.from, i18n.language),
                    to: formatDate(span.to, i18n.language),
                  })}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
