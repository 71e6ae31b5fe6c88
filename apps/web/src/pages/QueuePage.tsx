// "Mine opgaver" / "Afdelingens opgaver": the agency's queue. The tab, the filters and the page are in the URL, so
// "back" from a task returns to the same list. Tabs: Mine, Ikke tildelt, Alle åbne (the active queue: open work not
// on hold), På hold (the API's view=HELD) and Afsluttet (view=ENDED: the last 30 days, newest first).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { useRequiredSession } from '../auth/auth';
import { Alert, Badge, Button, LinkTabs, PageTitle, RemovableTag, Spinner } from '../components/dkfds';
import { formatDate } from '../format/dates';
import { daysSince } from '../format/deadline';
import { DeadlineBadge } from './DeadlineBadge';
import { LoadError } from './ErrorPages';
import { assigneeLabel } from '../format/assignee';
import { BulkAssign } from './BulkAssign';
import { mayByRole } from './vocabulary';

const TABS = ['mine', 'ledige', 'alle', 'hold', 'afsluttet'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Record<Tab, string> = {
  mine: 'queue.tabMine',
  ledige: 'queue.tabUnclaimed',
  alle: 'queue.tabAll',
  hold: 'queue.tabHeld',
  afsluttet: 'queue.tabEnded',
};
// The API's largest page: a team's whole queue usually fits, and sorting by urgency needs no second page.
const PAGE_SIZE = 200;
const EMPTY: Record<Tab, string> = {
  mine: 'queue.emptyMine',
  ledige: 'queue.emptyUnclaimed',
  alle: 'queue.emptyAll',
  hold: 'queue.emptyHeld',
  afsluttet: 'queue.emptyEnded',
};

export function QueuePage() {
  const { t, i18n } = useTranslation();
  const session = useRequiredSession();
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [nothingNext, setNothingNext] = useState(false);
  // A team lead's ticked rows (task ids), for assigning several at once.
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const teamLead = mayByRole('queue.assign', session.roles);
  const flash = (location.state as { flash?: string } | null)?.flash;

  const tab: Tab = (TABS as readonly string[]).includes(params.get('fane') ?? '')
    ? (params.get('fane') as Tab)
    : 'mine';
  const ended = tab === 'afsluttet';
  // Ended work is not overdue any more: the filter belongs to the open tabs.
  const onlyOverdue = params.get('forfaldne') === 'ja' && !ended;
  const cursor = params.get('side') ?? undefined;

  const query = {
    ...(tab === 'mine' ? { assignee: session.userId } : {}),
    ...(tab === 'ledige' ? { status: 'OPEN' as const } : {}),
    ...(tab === 'hold' ? { view: 'HELD' as const } : {}),
    ...(ended ? { view: 'ENDED' as const } : {}),
    ...(onlyOverdue ? { overdue: true } : {}),
    ...(cursor ? { cursor } : {}),
    limit: PAGE_SIZE,
  };
  const queue = useQuery({
    queryKey: ['queue', session.agency, query],
    queryFn: async () =>
      unwrap(await api.GET('/agencies/{code}/tasks', { params: { path: { code: session.agency }, query } })),
  });

  const next = useMutation({
    mutationFn: async () => {
      const result = await api.POST('/agencies/{code}/tasks/next', {
        params: { path: { code: session.agency } },
        body: { assignee: session.userId },
      });
      return result.response.status === 204 ? undefined : unwrap(result);
    },
    onMutate: () => setNothingNext(false),
    onSuccess: async (claimed) => {
      await queryClient.invalidateQueries({ queryKey: ['queue'] });
      if (!claimed) {
        setNothingNext(true);
        return;
      }
      void navigate(`/opgaver/${claimed.task.id}`, { state: { from: `${location.pathname}${location.search}` } });
    },
  });

  const withParams = (change: Record<string, string | undefined>): string => {
    const nextParams = new URLSearchParams(params);
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) nextParams.delete(key);
      else nextParams.set(key, value);
    }
    const search = nextParams.toString();
    return search ? `?${search}` : '';
  };

  const title = tab === 'mine' ? t('queue.titleMine') : t('queue.titleDepartment');
  const items = queue.data?.items ?? [];
  const withPerson = items.some((task) => task.personName !== undefined);
  const here = `${location.pathname}${location.search}`;
  // Only rows still on the page count: a task that left the queue is no longer ticked.
  const selected = items.filter((task) => ticked.has(task.id));
  const allTicked = items.length > 0 && selected.length === items.length;
  const tick = (id: string, on: boolean) =>
    setTicked((before) => {
      const after = new Set(before);
      if (on) after.add(id);
      else after.delete(id);
      return after;
    });

  return (
    <>
      <PageTitle title={title} />
      {flash === 'completed' && <Alert tone="success" heading={t('task.completed')} />}
      <div className="queue-actions">
        <Button onClick={() => next.mutate()} disabled={next.isPending}>
          {t('queue.next')}
        </Button>
      </div>
      {nothingNext && <Alert tone="info" heading={t('queue.nextNone')} />}
      {next.isError && <LoadError error={next.error} />}

      <LinkTabs
        label={t('queue.tabs')}
        tabs={TABS.map((key) => ({
          key,
          label: t(TAB_LABEL[key]),
          to: withParams({ fane: key, side: undefined }),
          current: key === tab,
        }))}
      />

      <div className="queue-filters">
        {ended ? null : onlyOverdue ? (
          <div role="group" aria-label={t('queue.filters')}>
            <RemovableTag
              label={t('queue.overdueTag')}
              removeLabel={t('queue.removeFilter', { name: t('queue.overdueTag') })}
              onRemove={() => setParams(new URLSearchParams(withParams({ forfaldne: undefined, side: undefined })))}
            />
          </div>
        ) : (
          <Link className="function-link" to={withParams({ forfaldne: 'ja', side: undefined })}>
            {t('queue.onlyOverdue')}
          </Link>
        )}
      </div>

      {teamLead && (
        <BulkAssign
          agency={session.agency}
          // The person's name beside the title where the queue shows it: several tasks often share a title.
          selected={selected.map((task) => ({
            id: task.id,
            title: task.personName ? `${task.title} – ${task.personName}` : task.title,
          }))}
          onDone={() => setTicked(new Set())}
        />
      )}

      {queue.isPending && <Spinner />}
      {queue.isError && <LoadError error={queue.error} />}
      {queue.isSuccess && items.length === 0 && (
        <p className="queue-empty">{t(onlyOverdue ? 'queue.emptyFiltered' : EMPTY[tab])}</p>
      )}
      {items.length > 0 && (
        <div className="table--responsive-scroll">
          {/* The API names the person only to those who may see it (never an external partner): no names, no column. */}
          <table className="table table--zebra queue-table">
            <caption className="sr-only">{t('queue.caption', { title, count: items.length })}</caption>
            <thead>
              <tr>
                {teamLead && (
                  <th scope="col" className="queue-select">
                    <div className="form-group-checkbox">
                      <input
                        className="form-checkbox"
                        type="checkbox"
                        id="queue-select-all"
                        checked={allTicked}
                        onChange={(e) =>
                          setTicked(e.target.checked ? new Set(items.map((task) => task.id)) : new Set())
                        }
                      />
                      <label htmlFor="queue-select-all">
                        <span className="sr-only">{t('bulk.selectAll')}</span>
                      </label>
                    </div>
                  </th>
                )}
                <th scope="col">{t('queue.colTask')}</th>
                {withPerson && <th scope="col">{t('queue.colPerson')}</th>}
                <th scope="col">{t('queue.colStage')}</th>
                <th scope="col">{t(ended ? 'queue.colEnded' : 'queue.colDeadline')}</th>
                <th scope="col">{t(ended ? 'queue.colOutcome' : 'queue.colWaiting')}</th>
                <th scope="col">{t('queue.colAssignee')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((task) => (
                <tr key={task.id} className={ticked.has(task.id) ? 'queue-row-selected' : undefined}>
                  {teamLead && (
                    <td className="queue-select">
                      <div className="form-group-checkbox">
                        <input
                          className="form-checkbox"
                          type="checkbox"
                          id={`queue-select-${task.id}`}
                          checked={ticked.has(task.id)}
                          onChange={(e) => tick(task.id, e.target.checked)}
                        />
                        <label htmlFor={`queue-select-${task.id}`}>
                          <span className="sr-only">{t('bulk.selectTask', { title: task.title })}</span>
                        </label>
                      </div>
                    </td>
                  )}
                  <td>
                    <Link to={`/opgaver/${task.id}`} state={{ from: here }}>
                      {task.title}
                    </Link>
                    {task.prioritized && (
                      <>
                        {' '}
                        <Badge tone="info">{t('priority.HIGH')}</Badge>
                      </>
                    )}
                  </td>
                  {withPerson && <td>{task.personName ?? <span title={t('queue.personHidden')}>–</span>}</td>}
                  <td>{t(`stage.${task.stage}`)}</td>
                  {ended ? (
                    <>
                      <td>{task.completedAt ? formatDate(task.completedAt, i18n.language) : '–'}</td>
                      <td>
                        {task.cancelCode
                          ? t(`cancelCode.${task.cancelCode}`)
                          : task.outcome
                            ? t(`taskOutcome.${task.outcome}`, { defaultValue: task.outcome })
                            : t(`status.${task.status}`)}
                      </td>
                    </>
                  ) : (
                    <>
                      <td>
                        {task.hold ? (
                          // On hold the deadline stands still: when it comes back, and why, in words.
                          <>
                            <span className="deadline-date">
                              {t('queue.heldUntil', { date: formatDate(task.hold.until, i18n.language) })}
                            </span>{' '}
                            <span className="held-reason">{t(`holdReason.${task.hold.reason}`)}</span>
                          </>
                        ) : (
                          <>
                            <span className="deadline-date">{formatDate(task.dueAt, i18n.language)}</span>{' '}
                            <DeadlineBadge
                              dueAt={task.dueAt}
                              escalationLevel={task.escalationLevel}
                              compressed={task.compressed}
                            />
                          </>
                        )}
                      </td>
                      <td>{t('queue.waitingDays', { count: daysSince(task.createdAt) })}</td>
                    </>
                  )}
                  <td>{assigneeLabel(task, t)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(cursor || queue.data?.nextCursor) && (
        <nav className="queue-pages" aria-label={t('queue.pagination')}>
          {cursor && <Link to={withParams({ side: undefined })}>{t('queue.firstPage')}</Link>}{' '}
          {queue.data?.nextCursor && (
            <Link to={withParams({ side: queue.data.nextCursor })}>{t('queue.nextPage')}</Link>
          )}
        </nav>
      )}
    </>
  );
}
