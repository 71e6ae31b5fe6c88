// "Eskaleringer": the operative group's board, open escalations with level 2 first, then the oldest, each with a
// decision form (POST /escalations/:id/resolve: the decision goes to the pathway's workflow and onto its timeline);
// most are decided at the meeting (Møder), whose agenda is made from this board. Below it, the history of resolved
// escalations (GET /escalations/resolved), filtered by decision, level and agency, the latest first.
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAgencyName } from '../api/agencies';
import { api, command, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { Button, PageTitle, Spinner } from '../components/dkfds';
import { formatDateTime } from '../format/dates';
import { LoadError } from '../pages/ErrorPages';
import { DecisionForm, type Decision } from './DecisionForm';

type Escalation = components['schemas']['EscalationView'];
type Resolution = components['schemas']['ResolveEscalationDto']['decision'];
const RESOLUTIONS: Resolution[] = ['EXTEND', 'REASSIGN', 'CANCEL_TASK', 'NOTE'];
/** The board's decisions; a task decision only where the escalation is about a task. */
const choicesFor = (e: Escalation): Decision[] => (e.taskId ? ['NOTE', 'EXTEND', 'REASSIGN', 'CANCEL_TASK'] : ['NOTE']);

export function EscalationsPage() {
  const { t, i18n } = useTranslation();
  const agencyName = useAgencyName();
  const [open, setOpen] = useState<string | null>(null);
  const board = useQuery({
    queryKey: ['escalations'],
    queryFn: async () => unwrap(await api.GET('/escalations', { params: { query: { limit: 200 } } })),
  });
  const items = board.data?.items ?? [];
  return (
    <>
      <PageTitle title={t('escalations.title')} />
      <p>{t('escalations.intro')}</p>
      <p>
        <Link to="/moeder" className="button button-secondary">
          {t('escalations.toMeeting')}
        </Link>
      </p>
      {board.isPending && <Spinner />}
      {board.isError && <LoadError error={board.error} />}
      {board.isSuccess && items.length === 0 && <p>{t('escalations.empty')}</p>}
      {items.length > 0 && (
        <div className="table--responsive-scroll">
          <table className="table table--zebra escalation-table">
            <caption className="sr-only">{t('escalations.caption', { count: items.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('escalations.colLevel')}</th>
                <th scope="col">{t('escalations.colWhat')}</th>
                <th scope="col">{t('escalations.colAgency')}</th>
                <th scope="col">{t('escalations.colRaised')}</th>
                <th scope="col">{t('escalations.colAge')}</th>
                <th scope="col">{t('escalations.colPathway')}</th>
                <th scope="col">{t('escalations.colDecide')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td>{t('escalations.level', { level: e.level })}</td>
                  <td>{e.taskTitle ?? t(`escalations.kind.${e.kind}`)}</td>
                  <td>{agencyName(e.agency)}</td>
                  <td>{formatDateTime(e.raisedAt, i18n.language)}</td>
                  <td>{t('escalations.days', { count: Math.floor(e.ageSeconds / 86400) })}</td>
                  <td>
                    <Link to={`/forloeb/${e.pathwayId}`}>
                      {t('escalations.pathway', { id: e.pathwayId.slice(0, 8) })}
                    </Link>
                  </td>
                  <td>
                    {open === e.id ? (
                      <ResolveForm escalation={e} onDone={() => setOpen(null)} />
                    ) : (
                      <Button
                        variant="secondary"
                        aria-label={t('escalations.decideFor', {
                          what: e.taskTitle ?? t(`escalations.kind.${e.kind}`),
                        })}
                        onClick={() => setOpen(e.id)}
                      >
                        {t('escalations.decide')}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <History />
    </>
  );
}

function ResolveForm({ escalation, onDone }: { escalation: Escalation; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return (
    <DecisionForm
      idPrefix={escalation.id}
      choices={choicesFor(escalation)}
      submitLabel={t('escalations.resolve')}
      // One Idempotency-Key per submission, resent with a lost answer: the decision reaches the pathway once.
      send={(body) =>
        command((headers) =>
          api.POST('/escalations/{id}/resolve', {
            params: { path: { id: escalation.id } },
            body: { ...body, decision: body.decision as Resolution },
            headers,
          }),
        )
      }
      onDone={() => {
        void queryClient.invalidateQueries({ queryKey: ['escalations'] });
        void queryClient.invalidateQueries({ queryKey: ['escalations-resolved'] });
        onDone();
      }}
    />
  );
}

/** Resolved escalations, the latest first, 50 at a time. */
function History() {
  const { t, i18n } = useTranslation();
  const agencyName = useAgencyName();
  const [decision, setDecision] = useState<Resolution | ''>('');
  const [level, setLevel] = useState<'' | '1' | '2'>('');
  const agencies = useQuery({ queryKey: ['agencies'], queryFn: async () => unwrap(await api.GET('/agencies')) });
  const [agency, setAgency] = useState('');
  const history = useInfiniteQuery({
    queryKey: ['escalations-resolved', decision, level, agency],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/escalations/resolved', {
          params: {
            query: {
              limit: 50,
              ...(decision ? { decision } : {}),
              ...(level ? { level: Number(level) as 1 | 2 } : {}),
              ...(agency ? { agency } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = history.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="history-heading" className="escalation-history">
      <h2 id="history-heading">{t('escalations.historyTitle')}</h2>
      <div className="filters">
        <div className="form-group">
          <label className="form-label" htmlFor="history-decision">
            {t('escalations.filterDecision')}
          </label>
          <select
            className="form-select"
            id="history-decision"
            value={decision}
            onChange={(e) => setDecision(e.target.value as Resolution | '')}
          >
            <option value="">{t('escalations.all')}</option>
            {RESOLUTIONS.map((d) => (
              <option key={d} value={d}>
                {t(`meeting.decision.${d}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label className="form-label" htmlFor="history-level">
            {t('escalations.colLevel')}
          </label>
          <select
            className="form-select"
            id="history-level"
            value={level}
            onChange={(e) => setLevel(e.target.value as '' | '1' | '2')}
          >
            <option value="">{t('escalations.all')}</option>
            <option value="1">{t('escalations.level', { level: 1 })}</option>
            <option value="2">{t('escalations.level', { level: 2 })}</option>
          </select>
        </div>
        <div className="form-group">
          <label className="form-label" htmlFor="history-agency">
            {t('escalations.colAgency')}
          </label>
          <select
            className="form-select"
            id="history-agency"
            value={agency}
            onChange={(e) => setAgency(e.target.value)}
          >
            <option value="">{t('escalations.all')}</option>
            {(agencies.data ?? []).map((a) => (
              <option key={a.code} value={a.code}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {history.isPending && <Spinner />}
      {history.isError && <LoadError error={history.error} />}
      {history.isSuccess && rows.length === 0 && <p>{t('escalations.historyEmpty')}</p>}
      {rows.length > 0 && (
        <div className="table--responsive-scroll">
          <table className="table table--zebra escalation-history-table">
            <caption className="sr-only">{t('escalations.historyTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('escalations.colResolved')}</th>
                <th scope="col">{t('escalations.colLevel')}</th>
                <th scope="col">{t('escalations.colWhat')}</th>
                <th scope="col">{t('escalations.colAgency')}</th>
                <th scope="col">{t('escalations.colDecision')}</th>
                <th scope="col">{t('escalations.colPathway')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td>{e.resolvedAt ? formatDateTime(e.resolvedAt, i18n.language) : '–'}</td>
                  <td>{t('escalations.level', { level: e.level })}</td>
                  <td>{e.taskTitle ?? t(`escalations.kind.${e.kind}`)}</td>
                  <td>{agencyName(e.agency)}</td>
                  <td>
                    {e.decision ? t(`meeting.decision.${e.decision}`) : '–'}
                    {e.note ? `: ${e.note}` : ''}
                  </td>
                  <td>
                    <Link to={`/forloeb/${e.pathwayId}`}>
                      {t('escalations.pathway', { id: e.pathwayId.slice(0, 8) })}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {history.hasNextPage && (
        <Button variant="secondary" onClick={() => void history.fetchNextPage()} disabled={history.isFetchingNextPage}>
          {t('escalations.more')}
        </Button>
      )}
    </section>
  );
}
