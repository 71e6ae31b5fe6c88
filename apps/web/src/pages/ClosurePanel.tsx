// Closing takes four eyes, and a closed pathway can be reopened for 30 days. A coordinator's CLOSED (Registrér
// hændelse) waits "afventer godkendelse" until a second coordinator confirms it or any coordinator rejects it with a
// reason; once closed, a coordinator may reopen it with a reason until `reopenableUntil`. Every decision is sent with
// an Idempotency-Key (api/client.ts `command`), so a retried click is applied once.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgencyName } from '../api/agencies';
import { api, command } from '../api/client';
import { isApiError, isUnavailable } from '../api/errors';
import type { components } from '../api/schema';
import { useRequiredSession } from '../auth/auth';
import { Alert, Button } from '../components/dkfds';
import { FormField, describedBy } from '../components/FormField';
import { formatDate, formatDateTime } from '../format/dates';
import { mayByRole } from './vocabulary';

type Pathway = components['schemas']['PathwayView'];
type Decision = 'confirm' | 'reject' | 'reopen';

export function ClosurePanel({ pathway }: { pathway: Pathway }) {
  const { t, i18n } = useTranslation();
  const session = useRequiredSession();
  const queryClient = useQueryClient();
  const agencyName = useAgencyName();
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [done, setDone] = useState<Decision>();
  const id = pathway.id;
  const pending = pathway.pendingClosure;
  const closed = pathway.stage === 'CLOSED';

  const decide = useMutation({
    mutationFn: async (decision: Decision) => {
      const path = { params: { path: { id } } };
      if (decision === 'confirm')
        return command((headers) => api.POST('/pathways/{id}/closure/confirm', { ...path, headers }));
      const body = { reason };
      if (decision === 'reject')
        return command((headers) => api.POST('/pathways/{id}/closure/reject', { ...path, body, headers }));
      return command((headers) => api.POST('/pathways/{id}/reopen', { ...path, body, headers }));
    },
    onSuccess: async (answer, decision) => {
      // The answer is the pathway as it now stands: shown at once, so the message never sits beside the old state.
      queryClient.setQueryData(['pathway', id], answer);
      setDone(decision);
      setReason('');
      await queryClient.invalidateQueries({ queryKey: ['pathway', id] });
    },
    // Someone else decided first (409): the page shows the pathway as it now stands.
    onError: () => queryClient.invalidateQueries({ queryKey: ['pathway', id] }),
  });

  const mayConfirm = mayByRole('pathway.confirm-closure', session.roles);
  const mayReject = mayByRole('pathway.reject-closure', session.roles);
  const mayReopen = mayByRole('pathway.reopen', session.roles);
  const reopenable =
    closed && pathway.reopenableUntil !== undefined && Date.parse(pathway.reopenableUntil) > Date.now();

  if (!pending && !closed && !done) return null;

  function withReason(decision: Decision) {
    return (event: FormEvent) => {
      event.preventDefault();
      setDone(undefined);
      decide.reset();
      if (!reason.trim()) {
        setReasonMissing(true);
        document.getElementById('closure-reason')?.focus();
        return;
      }
      setReasonMissing(false);
      decide.mutate(decision);
    };
  }

  const error = decide.error;
  const apiReasonError = isApiError(error, 400) && error.fieldErrors.some((e) => e.field === 'reason');
  const reasonError = reasonMissing || apiReasonError ? t('closure.reasonMissing') : undefined;
  const refusal = !error
    ? undefined
    : isApiError(error, 403)
      ? t(decide.variables === 'confirm' ? 'closure.ownRequest' : 'errors.forbiddenText')
      : isApiError(error, 409)
        ? t(decide.variables === 'reopen' ? 'closure.tooLate' : 'closure.alreadyDecided')
        : isUnavailable(error)
          ? t('errors.unavailable')
          : apiReasonError
            ? undefined
            : t('errors.generic');

  const reasonField = (label: string, hint: string) => (
    <FormField id="closure-reason" label={label} hint={hint} error={reasonError}>
      <textarea
        className="form-input"
        id="closure-reason"
        rows={2}
        maxLength={2000}
        value={reason}
        aria-describedby={describedBy('closure-reason', Boolean(reasonError))}
        aria-invalid={reasonError ? true : undefined}
        onChange={(e) => setReason(e.target.value)}
      />
    </FormField>
  );

  return (
    <section aria-labelledby="closure-heading" className="closure-panel">
      <h2 id="closure-heading">{t('closure.heading')}</h2>
      {done && <Alert tone="success" heading={t(`closure.done.${done}`)} />}
      {refusal && (
        <Alert tone="error" heading={t('closure.refused')}>
          <p>{refusal}</p>
        </Alert>
      )}

      {pending && (
        <>
          <div className="closure-state">
            <span className="badge badge-warning">{t('closure.pendingBadge')}</span>{' '}
            {t('closure.pendingText', {
              outcome: t(`closingOutcome.${pending.outcome}`, { defaultValue: pending.outcome }),
              when: formatDateTime(pending.requestedAt, i18n.language),
              agency: agencyName(pending.requestedBy),
            })}
          </div>
          {pending.meetingId && <p>{t('closure.fromMeeting')}</p>}
          <p>{t('closure.pendingHelp')}</p>
          {mayConfirm && (
            <div className="button-row">
              <Button
                onClick={() => {
                  setDone(undefined);
                  decide.reset();
                  decide.mutate('confirm');
                }}
                disabled={decide.isPending}
              >
                {t('closure.confirm')}
              </Button>
            </div>
          )}
          {mayReject && (
            <form onSubmit={withReason('reject')} noValidate aria-labelledby="reject-heading">
              <h3 id="reject-heading">{t('closure.rejectHeading')}</h3>
              {reasonField(t('closure.rejectReason'), t('closure.rejectHint'))}
              <Button type="submit" variant="secondary" disabled={decide.isPending}>
                {t('closure.reject')}
              </Button>
            </form>
          )}
        </>
      )}

      {closed && (
        <>
          <p className="closure-state">
            {t('closure.closedText', {
              when: pathway.closedAt ? formatDate(pathway.closedAt, i18n.language) : '',
              outcome: pathway.closingOutcome
                ? t(`closingOutcome.${pathway.closingOutcome}`, { defaultValue: pathway.closingOutcome })
                : '',
            })}
          </p>
          {reopenable ? (
            <>
              <p>{t('closure.reopenableUntil', { date: formatDate(pathway.reopenableUntil!, i18n.language) })}</p>
              {mayReopen && (
                <form onSubmit={withReason('reopen')} noValidate aria-labelledby="reopen-heading">
                  <h3 id="reopen-heading">{t('closure.reopenHeading')}</h3>
                  {reasonField(t('closure.reopenReason'), t('closure.reopenHint'))}
                  <Button type="submit" variant="secondary" disabled={decide.isPending}>
                    {t('closure.reopen')}
                  </Button>
                </form>
              )}
            </>
          ) : (
            <p>{t('closure.notReopenable')}</p>
          )}
        </>
      )}
    </section>
  );
}
