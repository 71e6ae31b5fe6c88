// The task page's own-agency work beside completing it (issue 10, item 8): "Sæt på hold" until a date with a reason
// (and "Genoptag nu"), the agency's working notes, and the task's own history.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgencyName } from '../api/agencies';
import { api, command, unwrap, type Task } from '../api/client';
import { isApiError, isUnavailable, type ApiError } from '../api/errors';
import { fieldMessage, summaryErrors } from '../api/field-errors';
import { Alert, Button, ErrorSummary, Spinner } from '../components/dkfds';
import { FormField, describedBy } from '../components/FormField';
import { formatCalendarDate, formatDate, formatDateTime, parseDanishDate } from '../format/dates';
import { LoadError } from './ErrorPages';
import { HOLD_REASONS, type HoldReason } from './vocabulary';

/** A refusal that is not a 400 (those go to the form's own summary), in words. */
function CommandRefused({ error }: { error: ApiError | Error }) {
  const { t } = useTranslation();
  if (isApiError(error, 400)) return null;
  return (
    <Alert tone="error" heading={isApiError(error, 403) ? t('errors.forbiddenTitle') : t('errors.conflictTitle')}>
      <p>
        {isApiError(error, 403)
          ? t('errors.forbiddenText')
          : isApiError(error, 409)
            ? t('errors.conflictText')
            : isUnavailable(error)
              ? t('errors.unavailable')
              : t('errors.generic')}
      </p>
    </Alert>
  );
}

/** "Sæt på hold" for an open task that is not held; "Genoptag nu" for one that is. */
export function HoldSection({ task, onChanged }: { task: Task; onChanged: (notice: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState<HoldReason>();
  const [note, setNote] = useState('');
  const hold = useMutation({
    mutationFn: () =>
      command((headers) =>
        api.POST('/tasks/{id}/hold', {
          params: { path: { id: task.id } },
          // A date that is not one goes as typed, and none as none ("skal udfyldes"): the API's 400 names the field,
          // as for every other refusal.
          body: {
            ...(until.trim() ? { until: parseDanishDate(until) ?? until } : {}),
            reason: reason!,
            ...(note.trim() ? { note } : {}),
          } as { until: string; reason: HoldReason; note?: string },
          headers,
        }),
      ),
    onSuccess: () => onChanged(t('task.held')),
  });
  const resume = useMutation({
    mutationFn: () =>
      command((headers) => api.POST('/tasks/{id}/resume', { params: { path: { id: task.id } }, headers })),
    onSuccess: () => onChanged(t('task.resumed')),
  });

  if (task.hold) {
    return (
      <section aria-labelledby="hold-heading">
        <h2 id="hold-heading">{t('task.heldLabel')}</h2>
        {resume.error && <CommandRefused error={resume.error} />}
        <Button variant="secondary" onClick={() => resume.mutate()} disabled={resume.isPending}>
          {t('task.resume')}
        </Button>
      </section>
    );
  }

  const errors = isApiError(hold.error, 400) ? hold.error.fieldErrors : [];
  // The note's control has its own id here: the completion form below has one named `note` too.
  const summary = summaryErrors(errors, t).map((e) => (e.field === 'note' ? { ...e, field: 'hold-note' } : e));
  const untilError = fieldMessage(errors, 'until', t);
  const reasonError = fieldMessage(errors, 'reason', t);
  const noteError = fieldMessage(errors, 'note', t);
  function submit(event: FormEvent) {
    event.preventDefault();
    hold.mutate();
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="hold-heading">
      <h2 id="hold-heading">{t('task.holdHeading')}</h2>
      <p>{t('task.holdIntro')}</p>
      {summary.length > 0 && <ErrorSummary errors={summary} />}
      {hold.error && <CommandRefused error={hold.error} />}
      <FormField id="until" label={t('task.holdUntil')} hint={t('task.holdUntilHint')} error={untilError}>
        <input
          className="form-input input-width-s"
          id="until"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={until}
          aria-describedby={describedBy('until', !!untilError)}
          aria-invalid={untilError ? true : undefined}
          onChange={(e) => setUntil(e.target.value)}
        />
      </FormField>
      <div className={`form-group${reasonError ? ' form-error' : ''}`}>
        <fieldset aria-describedby={reasonError ? 'reason-error' : undefined}>
          <legend className="form-label">{t('task.holdReason')}</legend>
          {reasonError && (
            <span className="form-error-message" id="reason-error">
              <span className="sr-only">{t('errors.summary')}: </span>
              {reasonError}
            </span>
          )}
          <ul className="nobullet-list">
            {HOLD_REASONS.map((choice, i) => (
              <li key={choice}>
                {/* The first choice carries the field's id, so the error summary's link lands on it. */}
                <input
                  className="form-radio"
                  type="radio"
                  name="hold-reason"
                  id={i === 0 ? 'reason' : `reason-${choice}`}
                  value={choice}
                  checked={reason === choice}
                  onChange={() => setReason(choice)}
                />
                <label htmlFor={i === 0 ? 'reason' : `reason-${choice}`}>{t(`holdReason.${choice}`)}</label>
              </li>
            ))}
          </ul>
        </fieldset>
      </div>
      <FormField id="hold-note" label={t('task.holdNote')} hint={t('task.holdNoteHint')} error={noteError}>
        <textarea
          className="form-input"
          id="hold-note"
          rows={2}
          maxLength={500}
          value={note}
          aria-describedby={describedBy('hold-note', !!noteError)}
          aria-invalid={noteError ? true : undefined}
          onChange={(e) => setNote(e.target.value)}
        />
      </FormField>
      <Button type="submit" variant="secondary" disabled={hold.isPending}>
        {t('task.holdSubmit')}
      </Button>
    </form>
  );
}

/** The agency's own working notes on its task: the list, oldest first, and a form for a new one. */
export function NotesSection({ taskId }: { taskId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [saved, setSaved] = useState(false);
  const notes = useQuery({
    queryKey: ['task-notes', taskId],
    queryFn: async () => unwrap(await api.GET('/tasks/{id}/notes', { params: { path: { id: taskId } } })),
  });
  const add = useMutation({
    mutationFn: () =>
      command((headers) =>
        api.POST('/tasks/{id}/notes', { params: { path: { id: taskId } }, body: { body }, headers }),
      ),
    onMutate: () => setSaved(false),
    onSuccess: async () => {
      setBody('');
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: ['task-notes', taskId] });
    },
  });
  const errors = isApiError(add.error, 400) ? add.error.fieldErrors : [];
  const bodyError = fieldMessage(errors, 'body', t);
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }
  return (
    <section aria-labelledby="notes-heading">
      <h2 id="notes-heading">{t('task.notesHeading')}</h2>
      <p className="form-hint">{t('task.notesHint')}</p>
      {notes.isPending && <Spinner />}
      {notes.isError && <LoadError error={notes.error} />}
      {notes.isSuccess &&
        (notes.data.items.length === 0 ? (
          <p>{t('task.notesEmpty')}</p>
        ) : (
          <ul className="nobullet-list task-notes">
            {notes.data.items.map((n) => (
              <li key={n.id}>
                <p className="task-note-meta">
                  {t('task.noteBy', {
                    who: n.authorName ?? n.authorUserId,
                    when: formatDateTime(n.createdAt, i18n.language),
                  })}
                </p>
                <p className="task-note-body">{n.body}</p>
              </li>
            ))}
          </ul>
        ))}
      {saved && <Alert tone="success" heading={t('task.noteAdded')} />}
      <form onSubmit={submit} noValidate>
        {errors.length > 0 && <ErrorSummary errors={summaryErrors(errors, t)} />}
        {add.error && <CommandRefused error={add.error} />}
        <FormField id="body" label={t('task.noteBody')} error={bodyError}>
          <textarea
            className="form-input"
            id="body"
            rows={3}
            maxLength={4000}
            value={body}
            aria-describedby={describedBy('body', !!bodyError)}
            aria-invalid={bodyError ? true : undefined}
            onChange={(e) => setBody(e.target.value)}
          />
        </FormField>
        <Button type="submit" variant="secondary" disabled={add.isPending}>
          {t('task.noteAdd')}
        </Button>
      </form>
    </section>
  );
}

/** The task's own history, oldest first, each entry with when, what and which agency. */
export function HistorySection({ taskId }: { taskId: string }) {
  const { t, i18n } = useTranslation();
  const agencyName = useAgencyName();
  const history = useQuery({
    queryKey: ['task-history', taskId],
    queryFn: async () => unwrap(await api.GET('/tasks/{id}/history', { params: { path: { id: taskId } } })),
  });
  const extra = (kind: string, detail: Record<string, string>): string | undefined => {
    if (kind === 'TASK_HELD' && detail.until)
      return t('task.historyHeldUntil', { date: formatDate(detail.until, i18n.language) });
    if (kind === 'TASK_RESUMED')
      return detail.because === 'DATE_REACHED' ? t('task.historyDateReached') : t('task.historyResumed');
    if (kind === 'TASK_COMPLETED' && detail.outcome)
      return t('task.historyOutcome', {
        outcome: t(`taskOutcome.${detail.outcome}`, { defaultValue: detail.outcome }),
      });
    if ((kind === 'TASK_REASSIGNED' || kind === 'TASK_HANDED_OVER') && detail.to) return agencyName(detail.to);
    if ((kind === 'DEADLINE_EXTENDED' || kind === 'DEADLINE_MOVED') && detail.to)
      return formatCalendarDate(detail.to.slice(0, 10), i18n.language);
    return undefined;
  };
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{t('task.historyHeading')}</h2>
      {history.isPending && <Spinner />}
      {history.isError && <LoadError error={history.error} />}
      {history.isSuccess &&
        (history.data.items.length === 0 ? (
          <p>{t('task.historyEmpty')}</p>
        ) : (
          <ol className="nobullet-list task-history">
            {history.data.items.map((entry, i) => {
              const more = extra(entry.kind, entry.detail);
              return (
                <li key={`${entry.at}-${i}`}>
                  <time dateTime={entry.at}>{formatDateTime(entry.at, i18n.language)}</time>{' '}
                  <strong>{t(`timeline.${entry.kind}`, { defaultValue: entry.kind })}</strong>
                  {more ? ` – ${more}` : ''}
                  {entry.agency ? ` (${agencyName(entry.agency)})` : ''}
                </li>
              );
            })}
          </ol>
        ))}
    </section>
  );
}
