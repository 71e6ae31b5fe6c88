// "Foreslåede opgaver" on a pathway: the playbook's optional steps "by need" for the stage that fit the person now
// (GET /pathways/:id/suggested-tasks), each with why it is offered (the playbook's condition it meets) and the
// deadline it would get. A coordinator adds one after confirming (POST, an Idempotency-Key per click through
// api/client.ts `command`); it then shows among the open tasks. Roles the API refuses see nothing of it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgencyName } from '../api/agencies';
import { api, command, unwrap } from '../api/client';
import { isApiError, isUnavailable } from '../api/errors';
import type { components } from '../api/schema';
import { useRequiredSession } from '../auth/auth';
import { Alert, Button } from '../components/dkfds';
import { formatDate } from '../format/dates';
import { mayByRole } from './vocabulary';

type Suggestion = components['schemas']['SuggestedTaskView'];

/** Why the playbook offers it to this person now, in words. */
function whyText(s: Suggestion, t: TFunction): string {
  const w = s.when;
  const reasons = [
    ...(w.minAge !== undefined ? [t('suggested.minAge', { age: w.minAge })] : []),
    ...(w.maxAge !== undefined ? [t('suggested.maxAge', { age: w.maxAge })] : []),
    ...(w.livesWithParents === true ? [t('suggested.livesWithParents')] : []),
    ...(w.livesWithParents === false ? [t('suggested.notLivesWithParents')] : []),
    ...(w.tracks?.length
      ? [t('suggested.tracks', { tracks: w.tracks.map((track) => t(`track.${track}`)).join(', ') })]
      : []),
  ];
  return reasons.length > 0
    ? t('suggested.why', { reasons: reasons.join(t('suggested.and')) })
    : `${t('suggested.whyAlways', { stage: t(`stage.${s.stage}`) })}.`;
}

export function SuggestedTasks({ pathwayId, stage }: { pathwayId: string; stage: string }) {
  const session = useRequiredSession();
  const mayRead = mayByRole('pathway.suggested-tasks', session.roles);
  if (!mayRead || stage === 'CLOSED') return null;
  return <SuggestedTasksSection pathwayId={pathwayId} mayAdd={mayByRole('pathway.add-task', session.roles)} />;
}

function SuggestedTasksSection({ pathwayId, mayAdd }: { pathwayId: string; mayAdd: boolean }) {
  const { t, i18n } = useTranslation();
  const agencyName = useAgencyName();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<Suggestion>();
  const [added, setAdded] = useState<Suggestion>();
  const confirmRef = useRef<HTMLParagraphElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Where the keyboard goes back to when the question is withdrawn: the button that asked it.
  const [returnTo, setReturnTo] = useState<string>();
  const suggestions = useQuery({
    queryKey: ['suggested-tasks', pathwayId],
    queryFn: async () =>
      unwrap(await api.GET('/pathways/{id}/suggested-tasks', { params: { path: { id: pathwayId } } })),
  });
  const add = useMutation({
    mutationFn: (s: Suggestion) =>
      command((headers) =>
        api.POST('/pathways/{id}/suggested-tasks', {
          params: { path: { id: pathwayId } },
          body: { key: s.key },
          headers,
        }),
      ),
    onSuccess: async (_answer, s) => {
      setReturnTo(undefined);
      setAsking(undefined);
      setAdded(s);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['pathway', pathwayId] }),
        queryClient.invalidateQueries({ queryKey: ['suggested-tasks', pathwayId] }),
      ]);
    },
    // Not a suggestion now (409: added by someone else, the stage moved on): the list is read again.
    onError: () => {
      setReturnTo(undefined);
      setAsking(undefined);
      return queryClient.invalidateQueries({ queryKey: ['suggested-tasks', pathwayId] });
    },
  });
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (returnTo) document.getElementById(returnTo)?.focus();
  }, [asking, returnTo]);
  // Added (the buttons are gone) or refused: the keyboard goes to the section's heading, above the message.
  useEffect(() => {
    if (added || add.isError) headingRef.current?.focus();
  }, [added, add.isError]);

  const list = suggestions.data?.suggestions ?? [];
  // Nothing to offer and nothing just done: the section stays out of the way.
  if (!suggestions.isError && list.length === 0 && !added && !add.isError) return null;
  const stageName = list[0] ? t(`stage.${list[0].stage}`) : '';
  const refusal = !add.error
    ? undefined
    : isApiError(add.error, 409)
      ? t('suggested.notNow')
      : isApiError(add.error, 403)
        ? t('errors.forbiddenText')
        : isUnavailable(add.error)
          ? t('errors.unavailable')
          : t('errors.generic');

  return (
    <section aria-labelledby="suggested-heading" className="suggested-tasks">
      <h2 id="suggested-heading" tabIndex={-1} ref={headingRef}>
        {t('suggested.heading')}
      </h2>
      {added && (
        <Alert
          tone="success"
          heading={t('suggested.added', { title: added.title, agency: agencyName(added.agency) })}
        />
      )}
      {refusal && (
        <Alert tone="error" heading={t('errors.conflictTitle')}>
          <p>{refusal}</p>
        </Alert>
      )}
      {suggestions.isError && <p>{t('suggested.failed')}</p>}
      {list.length === 0 ? (
        suggestions.isSuccess && <p>{t('suggested.none')}</p>
      ) : (
        <>
          <p>{t('suggested.intro', { stage: stageName })}</p>
          <ul className="suggested-list">
            {list.map((s) => (
              <li key={s.key}>
                <strong>{s.title}</strong> – {agencyName(s.agency)}
                <br />
                {whyText(s, t)}
                <br />
                {t('suggested.deadline', { date: formatDate(s.dueAt, i18n.language) })}
                {mayAdd && asking?.key !== s.key && (
                  <div>
                    <Button
                      variant="secondary"
                      id={`suggested-add-${s.key}`}
                      onClick={() => {
                        add.reset();
                        setAdded(undefined);
                        setReturnTo(undefined);
                        setAsking(s);
                      }}
                      disabled={add.isPending}
                      aria-label={`${t('suggested.add')}: ${s.title}`}
                    >
                      {t('suggested.add')}
                    </Button>
                  </div>
                )}
                {mayAdd && asking?.key === s.key && (
                  <div className="suggested-confirm">
                    <p tabIndex={-1} ref={confirmRef}>
                      {t('suggested.confirm', {
                        title: s.title,
                        agency: agencyName(s.agency),
                        date: formatDate(s.dueAt, i18n.language),
                      })}
                    </p>
                    <div className="button-row step-buttons">
                      <Button onClick={() => add.mutate(s)} disabled={add.isPending}>
                        {t('suggested.confirmYes')}
                      </Button>
                      <Button
                        variant="secondary"
                        onClick={() => {
                          setReturnTo(`suggested-add-${s.key}`);
                          setAsking(undefined);
                        }}
                        disabled={add.isPending}
                      >
                        {t('suggested.cancel')}
                      </Button>
                    </div>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
