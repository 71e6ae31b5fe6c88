// "Opgave": who and what the task is about, what to do, the deadline in words; take, release and complete it, put it
// on hold (TaskSections.tsx), the agency's notes and the task's own history.
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
import { formatCalendarDate, formatDate, formatDateTime } from '../format/dates';
import { DeadlineBadge } from './DeadlineBadge';
import { LoadError } from './ErrorPages';
import { assigneeLabel } from '../format/assignee';
import { HistorySection, HoldSection, NotesSection } from './TaskSections';
import { TASK_OUTCOMES, type TaskOutcome } from './vocabulary';

export function TaskPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const session = useRequiredSession();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const back = (location.state as { from?: string } | null)?.from ?? '/opgaver';
  const [outcome, setOutcome] = useState<TaskOutcome>();
  const [note, setNote] = useState('');
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
      await refresh();
      setNotice(t('task.claimed'));
    },
  });
  const unclaim = useMutation({
    onError,
    mutationFn: () => command((headers) => api.POST('/tasks/{id}/unclaim', { params: { path: { id } }, headers })),
    onSuccess: async () => {
      await refresh();
      setNotice(t('task.unclaimed'));
    },
  });
  const complete = useMutation({
    onError,
    // No outcome chosen is sent as such: the API's 400 names the field, as for every other refusal.
    mutationFn: async (chosen: { outcome?: TaskOutcome; note: string }) =>
      command((headers) =>
        api.POST('/tasks/{id}/complete', {
          params: { path: { id } },
          body: { outcome: chosen.outcome!, ...(chosen.note.trim() ? { note: chosen.note } : {}) },
          headers,
        }),
      ),
    onSuccess: async () => {
      await refresh();
      void navigate(back, { state: { flash: 'completed' } });
    },
  });

  if (detail.isPending) return <Spinner />;
  if (detail.isError) return <LoadError error={detail.error} />;
  const { task, person, context, instructions } = detail.data;
  // The OpenAPI document gives the handover no shape yet (an untyped object in TaskView).
  const handover = task.handover as { to?: string; state?: string } | undefined;
  const HANDOVER_TEXT: Record<string, string> = {
    NOT_STARTED: 'task.handoverNotStarted',
    AWAITING_ACK: 'task.handoverAwaiting',
    ACKNOWLEDGED: 'task.handoverAcknowledged',
  };
  // Hold, notes: the task's own agency's (the API refuses everyone else).
  const own = task.agency === session.agency;
  // The page shows the task as it now stands before it says what happened: a notice beside the old state would
  // contradict it (held, yet no "På hold" in the identity bar).
  const changed = async (text: string) => {
    await Promise.all([refresh(), queryClient.invalidateQueries({ queryKey: ['task-history', id] })]);
    setNotice(text);
  };
  const open = task.status === 'OPEN' || task.status === 'CLAIMED';
  const commandError = [claim.error, unclaim.error, complete.error].find((e) => e) as ApiError | Error | undefined;
  const fieldErrors = isApiError(commandError, 400) ? commandError.fieldErrors : [];
  const outcomeError = fieldMessage(fieldErrors, 'outcome', t);
  const noteError = fieldMessage(fieldErrors, 'note', t);
  // The playbook may allow fewer outcomes for a task (an acknowledgement is done or not at all).
  const choices = TASK_OUTCOMES.filter((o) => !task.outcomes || task.outcomes.includes(o));
  const describedBy = (field: string, error?: string) => (error ? `${field}-hint ${field}-error` : `${field}-hint`);

  function submit(event: FormEvent) {
    event.preventDefault();
    claim.reset();
    unclaim.reset();
    complete.mutate({ outcome, note });
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
              <DeadlineBadge
                dueAt={task.dueAt}
                escalationLevel={task.escalationLevel}
                compressed={task.compressed}
                done={!open}
              />
            </dd>
          </div>
          <div>
            <dt>{t('task.assignee')}</dt>
            <dd>{assigneeLabel(task, t)}</dd>
          </div>
          {task.attempt && (
            <div>
              <dt>{t('task.attemptLabel')}</dt>
              <dd>{t('task.attempt', { attempt: task.attempt })}</dd>
            </div>
          )}
          {task.hold && (
            <div>
              <dt>{t('task.heldLabel')}</dt>
              <dd>
                {t('task.heldText', {
                  until: formatDate(task.hold.until, i18n.language),
                  reason: t(`holdReason.${task.hold.reason}`),
                })}
              </dd>
            </div>
          )}
          {task.hold?.note && (
            <div>
              <dt>{t('task.heldNote')}</dt>
              <dd>{task.hold.note}</dd>
            </div>
          )}
          {/* The API gives the note to the agency that wrote it only. */}
          {task.note && (
            <div>
              <dt>{t('task.ownNote')}</dt>
              <dd>{task.note}</dd>
            </div>
          )}
        </dl>
        {handover && (
          <p className="handover-state">
            {t(HANDOVER_TEXT[handover.state ?? 'NOT_STARTED'] ?? 'task.handoverNotStarted', {
              to: agencyName(handover.to),
            })}
          </p>
        )}
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
            {/* The playbook's own words for this type of task (Danish, as the playbook is), then how to use the page. */}
            {instructions && (
              <div className="task-instructions">
                <p className="task-instructions-source">{t('task.instructionsFrom')}</p>
                <p lang="da">{instructions}</p>
              </div>
            )}
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
              <fieldset aria-describedby={describedBy('outcome', outcomeError)}>
                <legend className="form-label">{t('task.outcome')}</legend>
                <span className="form-hint" id="outcome-hint">
                  {t('task.outcomeHint')}
                </span>
                {outcomeError && (
                  <span className="form-error-message" id="outcome-error">
                    <span className="sr-only">{t('errors.summary')}: </span>
                    {outcomeError}
                  </span>
                )}
                <ul className="nobullet-list">
                  {choices.map((choice, i) => (
                    <li key={choice}>
                      {/* The first choice carries the field's id, so the error summary's link lands on it. */}
                      <input
                        className="form-radio radio-large"
                        type="radio"
                        name="outcome"
                        id={i === 0 ? 'outcome' : `outcome-${choice}`}
                        value={choice}
                        checked={outcome === choice}
                        aria-describedby={`outcome-${choice}-hint`}
                        onChange={() => setOutcome(choice)}
                      />
                      <label htmlFor={i === 0 ? 'outcome' : `outcome-${choice}`}>{t(`taskOutcome.${choice}`)}</label>
                      <span className="form-hint" id={`outcome-${choice}-hint`}>
                        {t(`taskOutcomeHint.${choice}`)}
                      </span>
                    </li>
                  ))}
                </ul>
              </fieldset>
            </div>
            <div className={`form-group${noteError ? ' form-error' : ''}`}>
              <label className="form-label" htmlFor="note">
                {t('task.note')}
              </label>
              <span className="form-hint" id="note-hint">
                {t('task.noteHint')}
              </span>
              {noteError && (
                <span className="form-error-message" id="note-error">
                  <span className="sr-only">{t('errors.summary')}: </span>
                  {noteError}
                </span>
              )}
              <textarea
                className="form-input"
                id="note"
                rows={3}
                maxLength={500}
                value={note}
                aria-describedby={describedBy('note', noteError)}
                aria-invalid={noteError ? true : undefined}
                onChange={(e) => setNote(e.target.value)}
              />
            </div>
            <Button type="submit" disabled={complete.isPending}>
              {t('task.complete')}
            </Button>
          </form>
          {own && handover?.state !== 'AWAITING_ACK' && <HoldSection task={task} onChanged={changed} />}
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
              // Tasks completed before outcomes carry the agency's free text.
              outcome: task.outcome ? t(`taskOutcome.${task.outcome}`, { defaultValue: task.outcome }) : '',
            })}
          </p>
        )
      )}
      {own && <NotesSection taskId={task.id} />}
      <HistorySection taskId={task.id} />
    </>
  );
}
