// A team lead gives several tasks of the queue to one colleague at once (assign, or reassign from another colleague):
// tick the rows, choose the person, confirm in a dialog that says how many tasks go to whom, then read what happened
// to each task — a task someone completed meanwhile is refused on its own, with the API's reason, and the rest go.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { isApiError, type ApiError } from '../api/errors';
import { fieldMessage } from '../api/field-errors';
import { Alert, Button } from '../components/dkfds';
import { LoadError } from './ErrorPages';

/** The API's largest bulk assignment (BULK_ASSIGN_MAX in apps/api/src/agencies/agency.dto.ts). */
export const BULK_ASSIGN_MAX = 50;

interface Props {
  agency: string;
  /** The ticked tasks, in the queue's order, with their titles for the result. */
  selected: { id: string; title: string }[];
  /** Clears the selection (after an assignment, or on "Fravælg alle"). */
  onDone: () => void;
}

type Outcome = { assigned: number; to: string; refused: { title: string; why: string }[] };

/** Why one task was not assigned, in Danish, from what POST /tasks/{id}/assign would have answered. */
function refusalKey(status: number, message: string): string {
  if (/already assigned to that person/.test(message)) return 'bulk.why.alreadyTheirs';
  if (/handover waits/.test(message)) return 'bulk.why.handover';
  if (status === 409) return 'bulk.why.closed';
  if (status === 403) return 'bulk.why.otherAgency';
  if (status === 404) return 'bulk.why.missing';
  if (status === 503) return 'bulk.why.unavailable';
  return 'bulk.why.other';
}

export function BulkAssign({ agency, selected, onDone }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [userId, setUserId] = useState('');
  const [choiceMissing, setChoiceMissing] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const dialog = useRef<HTMLDialogElement>(null);

  const users = useQuery({
    queryKey: ['agency-users', agency],
    queryFn: async () => unwrap(await api.GET('/agencies/{code}/users', { params: { path: { code: agency } } })),
  });
  const person = users.data?.find((u) => u.userId === userId);

  const assign = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/agencies/{code}/tasks/assign', {
          params: { path: { code: agency } },
          body: { userId, taskIds: selected.map((task) => task.id) },
        }),
      ),
    onSuccess: async ({ results }) => {
      const titles = new Map(selected.map((task) => [task.id, task.title]));
      setOutcome({
        assigned: results.filter((r) => r.status === 200).length,
        to: person?.displayName ?? userId,
        refused: results
          .filter((r) => r.status !== 200)
          .map((r) => ({
            title: titles.get(r.taskId) ?? r.taskId,
            why: t(refusalKey(r.status, r.message ?? ''), { name: person?.displayName ?? '' }),
          })),
      });
      dialog.current?.close();
      onDone();
      await queryClient.invalidateQueries({ queryKey: ['queue'] });
    },
    onError: () => dialog.current?.close(),
  });

  // A new selection starts a new round: the last result no longer describes what is ticked.
  useEffect(() => {
    if (selected.length > 0) setOutcome(undefined);
  }, [selected.length]);

  function ask() {
    assign.reset();
    if (!person) {
      setChoiceMissing(true);
      document.getElementById('bulk-assignee')?.focus();
      return;
    }
    setChoiceMissing(false);
    dialog.current?.showModal();
  }

  const error = assign.error as ApiError | Error | null;
  const apiFieldError = isApiError(error, 400) ? fieldMessage(error.fieldErrors, 'userId', t) : undefined;
  const choiceError = choiceMissing ? t('bulk.chooseFirst') : apiFieldError;
  const tooMany = selected.length > BULK_ASSIGN_MAX;

  return (
    <section className="bulk-assign" aria-labelledby="bulk-heading">
      <h2 id="bulk-heading" className="h4">
        {t('bulk.heading')}
      </h2>
      {outcome && (
        <Alert
          tone={outcome.refused.length === 0 ? 'success' : 'warning'}
          heading={t('bulk.assigned', { count: outcome.assigned, name: outcome.to })}
        >
          {outcome.refused.length > 0 && (
            <>
              <p>{t('bulk.refused', { count: outcome.refused.length })}</p>
              <ul>
                {outcome.refused.map((r, i) => (
                  <li key={i}>
                    <strong>{r.title}</strong>: {r.why}
                  </li>
                ))}
              </ul>
            </>
          )}
        </Alert>
      )}
      {error && !apiFieldError && <LoadError error={error} />}
      <p className="bulk-count" aria-live="polite">
        {t('bulk.selected', { count: selected.length })}
      </p>
      {users.isError && <LoadError error={users.error} />}
      <div className="bulk-row">
        <div className={`form-group${choiceError ? ' form-error' : ''}`}>
          <label className="form-label" htmlFor="bulk-assignee">
            {t('bulk.to')}
          </label>
          {choiceError && (
            <span className="form-error-message" id="bulk-assignee-error">
              <span className="sr-only">{t('errors.summary')}: </span>
              {choiceError}
            </span>
          )}
          <select
            className="form-select"
            id="bulk-assignee"
            value={userId}
            aria-invalid={choiceError ? true : undefined}
            aria-describedby={choiceError ? 'bulk-assignee-error' : undefined}
            onChange={(e) => {
              setUserId(e.target.value);
              setChoiceMissing(false);
            }}
          >
            <option value="">{t('bulk.choose')}</option>
            {(users.data ?? []).map((u) => (
              <option key={u.userId} value={u.userId}>
                {u.displayName}
              </option>
            ))}
          </select>
        </div>
        <Button id="bulk-assign-open" onClick={ask} disabled={selected.length === 0 || tooMany || assign.isPending}>
          {t('bulk.assign', { count: selected.length })}
        </Button>
        {selected.length > 0 && (
          <Button variant="tertiary" onClick={onDone}>
            {t('bulk.clear')}
          </Button>
        )}
      </div>
      {tooMany && <p className="form-hint">{t('bulk.tooMany', { max: BULK_ASSIGN_MAX })}</p>}

      <dialog
        ref={dialog}
        className="confirm-dialog"
        aria-labelledby="bulk-confirm-heading"
        aria-describedby="bulk-confirm-text"
        onClose={() => document.getElementById('bulk-assign-open')?.focus()}
      >
        <h2 id="bulk-confirm-heading" className="h3">
          {t('bulk.confirmHeading')}
        </h2>
        <p id="bulk-confirm-text">
          {t('bulk.confirmText', { count: selected.length, name: person?.displayName ?? '' })}
        </p>
        <ul className="bulk-confirm-list">
          {selected.slice(0, 10).map((task) => (
            <li key={task.id}>{task.title}</li>
          ))}
          {selected.length > 10 && <li>{t('bulk.andMore', { count: selected.length - 10 })}</li>}
        </ul>
        <div className="button-row">
          <Button onClick={() => assign.mutate()} disabled={assign.isPending}>
            {t('bulk.confirm', { count: selected.length })}
          </Button>
          <Button variant="secondary" onClick={() => dialog.current?.close()}>
            {t('bulk.cancel')}
          </Button>
        </div>
      </dialog>
    </section>
  );
}
