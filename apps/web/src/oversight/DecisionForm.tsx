// One decision form for the board (Eskaleringer: POST /escalations/:id/resolve) and the meeting (Møder: an agenda
// item's decision): the decision, a new deadline with EXTEND, an agency with REASSIGN, and the note that goes with it.
// The choices are the caller's: a task decision only where an escalation is open, RECOMMEND only at the meeting, and
// there CHANGE_PRIORITY (a new priority, the other one than the pathway's now) and CLOSE (a closing outcome) on an
// item about a pathway.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { isApiError } from '../api/errors';
import type { components } from '../api/schema';
import { Alert, Button } from '../components/dkfds';
import { CLOSING_OUTCOMES } from '../pages/vocabulary';

export type Decision = components['schemas']['MeetingDecisionDto']['decision'];
type Body = components['schemas']['MeetingDecisionDto'];
export type Priority = NonNullable<Body['priority']>;
export type DecisionBody = {
  decision: Decision;
  note: string;
  dueAt?: string;
  toAgency?: string;
  priority?: Priority;
  outcome?: Body['outcome'];
};

/** A refusal in words: the fields the API named, or its message. */
export function refusal(error: unknown): string {
  if (isApiError(error) && error.fieldErrors.length > 0)
    return error.fieldErrors.map((e) => `${e.field}: ${e.reason}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}

export function DecisionForm<T>({
  idPrefix,
  choices,
  send,
  onDone,
  submitLabel,
  currentPriority,
}: {
  idPrefix: string;
  choices: readonly Decision[];
  /** The pathway's priority now: CHANGE_PRIORITY offers the other one first. */
  currentPriority?: Priority;
  send: (body: DecisionBody) => Promise<T>;
  onDone: (answer: T) => void;
  submitLabel: string;
}) {
  const { t } = useTranslation();
  const agencies = useQuery({ queryKey: ['agencies'], queryFn: async () => unwrap(await api.GET('/agencies')) });
  const [decision, setDecision] = useState<Decision>(choices[0]);
  const [note, setNote] = useState('');
  const [due, setDue] = useState('');
  const [toAgency, setToAgency] = useState('');
  const [priority, setPriority] = useState<Priority>(currentPriority === 'HIGH' ? 'NORMAL' : 'HIGH');
  const [outcome, setOutcome] = useState<Body['outcome'] | ''>('');
  const mutation = useMutation({
    mutationFn: () =>
      send({
        decision,
        note,
        // A new deadline is the end of the working day chosen, in Copenhagen.
        ...(decision === 'EXTEND' && due ? { dueAt: new Date(`${due}T16:00:00`).toISOString() } : {}),
        ...(decision === 'REASSIGN' && toAgency ? { toAgency } : {}),
        ...(decision === 'CHANGE_PRIORITY' ? { priority } : {}),
        ...(decision === 'CLOSE' && outcome ? { outcome } : {}),
      }),
    onSuccess: onDone,
  });
  const field = (name: string) => `${name}-${idPrefix}`;
  function submit(event: FormEvent) {
    event.preventDefault();
    mutation.mutate();
  }
  return (
    <form onSubmit={submit} className="meeting-decision-form">
      <div className="form-group">
        <label className="form-label" htmlFor={field('decision')}>
          {t('meeting.decisionLabel')}
        </label>
        <select
          className="form-select"
          id={field('decision')}
          value={decision}
          onChange={(e) => setDecision(e.target.value as Decision)}
        >
          {choices.map((d) => (
            <option key={d} value={d}>
              {t(`meeting.decision.${d}`)}
            </option>
          ))}
        </select>
      </div>
      {decision === 'EXTEND' && (
        <div className="form-group">
          <label className="form-label" htmlFor={field('due')}>
            {t('meeting.dueLabel')}
          </label>
          <input
            className="form-input"
            type="date"
            id={field('due')}
            value={due}
            onChange={(e) => setDue(e.target.value)}
          />
        </div>
      )}
      {decision === 'REASSIGN' && (
        <div className="form-group">
          <label className="form-label" htmlFor={field('agency')}>
            {t('meeting.agencyLabel')}
          </label>
          <select
            className="form-select"
            id={field('agency')}
            value={toAgency}
            onChange={(e) => setToAgency(e.target.value)}
          >
            <option value="">{t('meeting.chooseAgency')}</option>
            {(agencies.data ?? []).map((a) => (
              <option key={a.code} value={a.code}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {decision === 'CHANGE_PRIORITY' && (
        <div className="form-group">
          <label className="form-label" htmlFor={field('priority')}>
            {t('meeting.priorityLabel')}
          </label>
          <select
            className="form-select"
            id={field('priority')}
            value={priority}
            onChange={(e) => setPriority(e.target.value as Priority)}
          >
            {(['HIGH', 'NORMAL'] as const).map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      {decision === 'CLOSE' && (
        <div className="form-group">
          <label className="form-label" htmlFor={field('outcome')}>
            {t('meeting.outcomeLabel')}
          </label>
          <span className="form-hint" id={field('outcome-hint')}>
            {t('meeting.closeHint')}
          </span>
          <select
            className="form-select"
            id={field('outcome')}
            aria-describedby={field('outcome-hint')}
            value={outcome}
            onChange={(e) => setOutcome(e.target.value as Body['outcome'])}
          >
            <option value="">{t('meeting.chooseOutcome')}</option>
            {CLOSING_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`closingOutcome.${o}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="form-group">
        <label className="form-label" htmlFor={field('note')}>
          {decision === 'RECOMMEND' ? t('meeting.recommendLabel') : t('meeting.noteLabel')}
        </label>
        <textarea
          className="form-input"
          id={field('note')}
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      {mutation.isError && <Alert tone="error">{refusal(mutation.error)}</Alert>}
      <Button type="submit" variant="secondary" disabled={mutation.isPending}>
        {submitLabel}
      </Button>
    </form>
  );
}
