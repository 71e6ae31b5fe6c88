// "Opgave": who and what the task is about, what to do, the deadline in words; take, release and complete it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useAgencyName } from '../api/agencies';
import { api, command, unwrap } from '../api/client';
import { isApiError, isUnavailable, type ApiError } from '../api/errors';
import { fieldMessage, summaryErrors } from '../api/field-errors';
import { useRequiredSession } from '../auth/auth';
import { Alert, Button, ErrorSummary, PageTitle, Spinner } from '../components/dkfds';
import { formatCalendarDate, formatDateTime } from '../format/dates';
import { DeadlineBadge } from './DeadlineBadge';
import { LoadError } from './ErrorPages';
import { assigneeLabel } from '../format/assignee';

export function TaskPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const session = useRequiredSession();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const back = (location.state as { from?: string } | null)?.from ?? '/opgaver';
  const [outcome, setOutcome] = useState('');
  const [notice, setNotice] = useState<string>();
  const agencyName = useAgencyName();

  const detail = useQuery({
    queryKey: ['task', id],
    queryFn: async () => unwrap(await api.GET('/tasks/{id}', { params: { path: { id } } })),
  });

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['task', id] }),
      queryClient.invalidateQueries({ queryKey: ['queue'] }),
    ]);

  // A refusal (409: someone else was faster) leaves the page showing the task as it now stands.
  const onError = () => refresh();
  const claim = useMutation({
    onError,
    mutationFn: async () =>
      command((headers) =>
        api.POST('/tasks/{id}/claim', { params: { path: { id } }, body: { assignee: session.userId }, headers }),
      ),
    onSuccess: async () => {
      setNotice(t('task.claimed'));
      await refresh();
    },
  });
  const unclaim = useMutation({
    onError,
    mutationFn: () => command((headers) => api.POST('/tasks/{id}/unclaim', { params: { path: { id } }, headers })),
    onSuccess: async () => {
      setNotice(t('task.unclaimed'));
      await refresh();
    },
  });
  const complete = useMutation({
    onError,
    mutationFn: async (text: string) =>
      command((headers) =>
        api.POST('/tasks/{id}/complete', { params: { path: { id } }, body: { outcome: text }, headers }),
      ),
    onSuccess: async () => {
      await refresh();
      void navigate(back, { state: { flash: 'completed' } });
    },
  });

  if (detail.isPending) return <Spinner />;
  if (detail.isError) return <LoadError error={detail.error} />;
  const { task, person, context } = detail.data;
  // The OpenAPI document gives the handover no shape yet (an untyped object in TaskView).
  const handover = task.handover as { to?: string; state?: string } | undefined;
  const open = task.status === 'OPEN' || task.status === 'CLAIMED';
  const commandError = [claim.error, unclaim.error, complete.error].find((e) => e) as ApiError | Error | undefined;
  const fieldErrors = isApiError(commandError, 400) ? commandError.fieldErrors : [];
  const outcomeError = fieldMessage(fieldErrors, 'outcome', t);

  function submit(event: FormEvent) {
    event.preventDefault();
    claim.reset();
    unclaim.reset();
    complete.mutate(outcome);
  }

  return (
    <>
      <p>
        <Link to={back}>{t('task.back')}</Link>
      </p>
      <PageTitle title={task.title} />
      {fieldErrors.length > 0 && <ErrorSummary errors={summaryErrors(fieldErrors, t)} />}
      {commandError && !isApiError(commandError, 400) && (
        <Alert
          tone="error"
          heading={isApiError(commandError, 403) ? t('errors.forbiddenTitle') : t('errors.conflictTitle')}
        >
          <p>
            {isApiError(commandError, 403)
              ? t('errors.forbiddenText')
              : isApiError(commandError, 409)
                ? t('errors.conflictText')
                : isUnavailable(commandError)
                  ? t('errors.unavailable')
                  : t('errors.generic')}
          </p>
        </Alert>
      )}
      {notice && <Alert tone="success" heading={notice} />}

      <section aria-labelledby="about-heading" className="task-identity">
        <h2 id="about-heading">{t('task.about')}</h2>
        <dl className="identity-list">
          {/* Need to know ends 30 days after the task: then the task comes without its person. */}
          {person && (
            <>
              <div>
                <dt>{t('task.person')}</dt>
                <dd>{person.name}</dd>
              </div>
              <div>
                <dt>{t('task.birthDate')}</dt>
                <dd>{formatCalendarDate(person.birthDate, i18n.language)}</dd>
              </div>
            </>
          )}
          <div>
            <dt>{t('task.stage')}</dt>
            <dd>{t(`stage.${task.stage}`)}</dd>
          </div>
          <div>
            <dt>{t('task.status')}</dt>
            <dd>{t(`status.${task.status}`)}</dd>
          </div>
          <div>
            <dt>{t('task.deadline')}</dt>
            <dd>
              {formatDateTime(task.dueAt, i18n.language)}{' '}
              <DeadlineBadge dueAt={task.dueAt} escalationLevel={task.escalationLevel} done={!open} />
            </dd>
          </div>
          <div>
            <dt>{t('task.assignee')}</dt>
            <dd>{assigneeLabel(task, t)}</dd>
          </div>
        </dl>
        {handover && <p>{t('task.handover', { to: agencyName(handover.to), state: handover.state })}</p>}
        {context && (
          <p>
            <strong>{t('task.context')}:</strong>{' '}
            {t('task.contextText', {
              agency: agencyName(context.contactSourceAgency),
              context: context.contactContext,
            })}
          </p>
        )}
      </section>

      {open ? (
        <>
          <section aria-labelledby="instructions-heading">
            <h2 id="instructions-heading">{t('task.instructions')}</h2>
            <p>{t('task.instructionsText', { title: task.title })}</p>
            <div className="button-row">
              {task.status === 'OPEN' ? (
                <Button variant="secondary" onClick={() => claim.mutate()} disabled={claim.isPending}>
                  {t('task.claim')}
                </Button>
              ) : (
                <Button variant="secondary" onClick={() => unclaim.mutate()} disabled={unclaim.isPending}>
                  {t('task.unclaim')}
                </Button>
              )}
            </div>
          </section>
          <form onSubmit={submit} noValidate aria-labelledby="complete-heading">
            <h2 id="complete-heading">{t('task.complete')}</h2>
            <div className={`form-group${outcomeError ? ' form-error' : ''}`}>
              <label className="form-label" htmlFor="outcome">
                {t('task.outcome')}
              </label>
              <span className="form-hint" id="outcome-hint">
                {t('task.outcomeHint')}
              </span>
              {outcomeError && (
                <span className="form-error-message" id="outcome-error">
                  <span className="sr-only">{t('errors.summary')}: </span>
                  {outcomeError}
                </span>
              )}
              <textarea
                className="form-input"
                id="outcome"
                rows={4}
                value={outcome}
                aria-describedby={outcomeError ? 'outcome-hint outcome-error' : 'outcome-hint'}
                aria-invalid={outcomeError ? true : undefined}
                onChange={(e) => setOutcome(e.target.value)}
              />
            </div>
            <Button type="submit" disabled={complete.isPending}>
              {t('task.complete')}
            </Button>
          </form>
        </>
      ) : task.status === 'CANCELLED' && task.completedAt ? (
        // The coded reason only: the words behind a cancellation are for the coordinators' timeline.
        <p>
          {t('task.cancelled', {
            when: formatDateTime(task.completedAt, i18n.language),
            reason: task.cancelCode ? t(`cancelCode.${task.cancelCode}`) : '',
          })}
        </p>
      ) : (
        task.completedAt && (
          <p>
            {t('task.done', {
              when: formatDateTime(task.completedAt, i18n.language),
              who: task.completedBy ?? '',
              outcome: task.outcome ?? '',
            })}
          </p>
        )
      )}
    </>
  );
}
