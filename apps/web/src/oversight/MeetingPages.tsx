// "Møder": the operative group's meetings. A meeting's agenda is made by the API (open escalations, new pathways
// awaiting the joint assessment, stalled pathways, releases within 8 weeks, people turning 18 within 6 months); members
// add items by hand; each item gets its decision (an escalation's goes to the pathway; RECOMMEND goes to Sikker By's
// list, shown under the meetings), the minutes are approved with who was present, and downloaded as a PDF.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useAgencyName } from '../api/agencies';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { authHeaders } from '../auth/auth';
import { Alert, Button, PageTitle, Spinner } from '../components/dkfds';
import { formatDate, formatDateTime } from '../format/dates';
import { LoadError } from '../pages/ErrorPages';
import { DecisionForm, refusal, type Decision, type Priority } from './DecisionForm';

type Meeting = components['schemas']['MeetingView'];
type Item = components['schemas']['MeetingItemView'];
const TASK_DECISIONS: Decision[] = ['NOTE', 'EXTEND', 'REASSIGN', 'CANCEL_TASK'];

/** Today in Copenhagen as YYYY-MM-DD. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date());

export function MeetingsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [date, setDate] = useState(today);
  const list = useQuery({
    queryKey: ['meetings'],
    queryFn: async () => unwrap(await api.GET('/meetings')),
  });
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST('/meetings', { body: { date } })),
    onSuccess: (meeting) => void navigate(`/moeder/${meeting.id}`),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  const items = list.data?.items ?? [];
  return (
    <>
      <PageTitle title={t('meetings.title')} />
      <p>{t('meetings.intro')}</p>
      <form onSubmit={submit} className="meeting-create">
        <div className="form-group">
          <label className="form-label" htmlFor="meeting-date">
            {t('meetings.date')}
          </label>
          <input
            className="form-input"
            id="meeting-date"
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
          />
        </div>
        <Button type="submit">{t('meetings.create')}</Button>
      </form>
      {create.isError && <Alert tone="error">{refusal(create.error)}</Alert>}
      {list.isPending && <Spinner />}
      {list.isError && <LoadError error={list.error} />}
      {list.isSuccess && items.length === 0 && <p>{t('meetings.empty')}</p>}
      {items.length > 0 && (
        <table className="table table--zebra meeting-list">
          <caption>{t('meetings.earlier')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('meetings.colDate')}</th>
              <th scope="col">{t('meetings.colStatus')}</th>
              <th scope="col">{t('meetings.colDecided')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.id}>
                <td>
                  <Link to={`/moeder/${m.id}`}>{formatDate(`${m.date}T12:00:00Z`)}</Link>
                </td>
                <td>{t(`meetings.status.${m.status}`)}</td>
                <td>{t('meetings.decided', { decided: m.decided, items: m.items })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Recommendations />
    </>
  );
}

export function MeetingPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const meeting = useQuery({
    queryKey: ['meeting', id],
    queryFn: async () => unwrap(await api.GET('/meetings/{id}', { params: { path: { id } } })),
  });
  if (meeting.isPending) return <Spinner />;
  if (meeting.isError) return <LoadError error={meeting.error} />;
  const m = meeting.data;
  return (
    <>
      <PageTitle title={t('meeting.title', { date: formatDate(`${m.date}T12:00:00Z`, i18n.language) })} />
      <p>
        {m.status === 'APPROVED'
          ? t('meeting.approved', { at: formatDateTime(m.approvedAt ?? '', i18n.language) })
          : t('meeting.draft')}
      </p>
      <MinutesDownload meeting={m} />
      <h2>{t('meeting.agenda')}</h2>
      {m.items.length === 0 && <p>{t('meeting.noItems')}</p>}
      <ol className="meeting-agenda">
        {m.items.map((item) => (
          <AgendaItem key={item.id} meeting={m} item={item} />
        ))}
      </ol>
      {m.status === 'OPEN' && <AddItemForm meeting={m} />}
      {m.status === 'OPEN' ? <ApproveForm meeting={m} /> : <p>{t('meeting.present', { who: m.present.join(', ') })}</p>}
    </>
  );
}

function AgendaItem({ meeting, item }: { meeting: Meeting; item: Item }) {
  const { t, i18n } = useTranslation();
  const agencyName = useAgencyName();
  const on = (value: string | undefined) => formatDate(value ?? '', i18n.language);
  const day = (value: string | undefined) => formatDate(`${value ?? ''}T12:00:00Z`, i18n.language);
  const stage = t(`stage.${item.stage}`);
  const heading =
    item.kind === 'ESCALATION'
      ? t('meeting.escalated', {
          level: item.level,
          what: item.taskTitle ?? t(`escalations.kind.${item.escalationKind}`),
          agency: agencyName(item.agency),
        })
      : item.kind === 'STALLED_PATHWAY'
        ? t('meeting.stalled', { since: on(item.since), stage })
        : item.kind === 'AWAITING_ASSESSMENT'
          ? t('meeting.awaiting', { since: on(item.since), agency: agencyName(item.agency) })
          : item.kind === 'RELEASE_SOON'
            ? t('meeting.release', { on: day(item.onDate), stage })
            : item.kind === 'TURNING_18'
              ? t('meeting.turning18', { on: day(item.onDate), stage })
              : t('meeting.manual', { title: item.title, agency: agencyName(item.addedBy) });
  return (
    <li className="meeting-item">
      <h3 className="h4">{heading}</h3>
      <p>
        {item.pathwayId && (
          <>
            <Link to={`/forloeb/${item.pathwayId}`}>
              {t('escalations.pathway', { id: item.pathwayId.slice(0, 8) })}
            </Link>
            {' · '}
          </>
        )}
        {item.why ?? t(`meeting.reason.${item.reason}`)}
        {item.priority && (
          <>
            {' · '}
            <span className="meeting-priority">
              {t('meeting.currentPriority', { priority: t(`priority.${item.priority}`) })}
            </span>
          </>
        )}
      </p>
      {item.decision ? (
        <p className="meeting-decision">
          <strong>{t(`meeting.decision.${item.decision.decision}`)}</strong>
          {item.decision.dueAt ? ` ${formatDate(item.decision.dueAt, i18n.language)}` : ''}
          {item.decision.toAgency ? ` ${agencyName(item.decision.toAgency)}` : ''}
          {item.decision.priority ? ` (${t(`priority.${item.decision.priority}`)})` : ''}
          {item.decision.outcome ? ` (${t(`closingOutcome.${item.decision.outcome}`)})` : ''}: {item.decision.note}
        </p>
      ) : meeting.status === 'OPEN' ? (
        <ItemDecisionForm meetingId={meeting.id} item={item} />
      ) : (
        <p>{t('meeting.noDecision')}</p>
      )}
    </li>
  );
}

/**
 * The decisions an item takes: the board's on an open escalation, NOTE on anything; RECOMMEND (to Sikker By) on all;
 * a new priority and a closure on every item about a pathway.
 */
const choicesFor = (item: Item): Decision[] => [
  ...(item.kind === 'ESCALATION' ? [...TASK_DECISIONS, 'RECOMMEND' as const] : (['NOTE', 'RECOMMEND'] as const)),
  ...(item.pathwayId ? (['CHANGE_PRIORITY', 'CLOSE'] as const) : []),
];

function ItemDecisionForm({ meetingId, item }: { meetingId: string; item: Item }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return (
    <DecisionForm
      idPrefix={item.id}
      choices={choicesFor(item)}
      {...(item.priority ? { currentPriority: item.priority as Priority } : {})}
      submitLabel={t('meeting.record')}
      send={async (body) =>
        unwrap(
          await api.POST('/meetings/{id}/items/{itemId}/decision', {
            params: { path: { id: meetingId, itemId: item.id } },
            body,
          }),
        )
      }
      onDone={(meeting) => {
        queryClient.setQueryData(['meeting', meetingId], meeting);
        if (item.pathwayId) void queryClient.invalidateQueries({ queryKey: ['pathway', item.pathwayId] });
        void queryClient.invalidateQueries({ queryKey: ['recommendations'] });
      }}
    />
  );
}

/** An item a member puts on the agenda: a subject, why, and the pathway it is about if any. */
function AddItemForm({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [why, setWhy] = useState('');
  const [pathwayId, setPathwayId] = useState('');
  const add = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/meetings/{id}/items', {
          params: { path: { id: meeting.id } },
          body: { title, why, ...(pathwayId.trim() ? { pathwayId: pathwayId.trim() } : {}) },
        }),
      ),
    onSuccess: (m) => {
      queryClient.setQueryData(['meeting', meeting.id], m);
      setTitle('');
      setWhy('');
      setPathwayId('');
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }
  return (
    <form onSubmit={submit} className="meeting-add-item">
      <h2>{t('meeting.addHeading')}</h2>
      <div className="form-group">
        <label className="form-label" htmlFor="item-title">
          {t('meeting.itemTitle')}
        </label>
        <input className="form-input" id="item-title" value={title} onChange={(e) => setTitle(e.target.value)} />
      </div>
      <div className="form-group">
        <label className="form-label" htmlFor="item-why">
          {t('meeting.itemWhy')}
        </label>
        <textarea className="form-input" id="item-why" rows={2} value={why} onChange={(e) => setWhy(e.target.value)} />
      </div>
      <div className="form-group">
        <label className="form-label" htmlFor="item-pathway">
          {t('meeting.itemPathway')}
        </label>
        <span className="form-hint" id="item-pathway-hint">
          {t('meeting.itemPathwayHint')}
        </span>
        <input
          className="form-input"
          id="item-pathway"
          aria-describedby="item-pathway-hint"
          value={pathwayId}
          onChange={(e) => setPathwayId(e.target.value)}
        />
      </div>
      {add.isError && <Alert tone="error">{refusal(add.error)}</Alert>}
      <Button type="submit" variant="secondary" disabled={add.isPending}>
        {t('meeting.addItem')}
      </Button>
    </form>
  );
}

/** The recommendations to Sikker By from the meetings of the last half year, for its next meeting. */
function Recommendations() {
  const { t, i18n } = useTranslation();
  const list = useQuery({
    queryKey: ['recommendations'],
    queryFn: async () => unwrap(await api.GET('/meetings/recommendations')),
  });
  return (
    <section className="recommendations" aria-labelledby="recommendations-heading">
      <h2 id="recommendations-heading">{t('recommendations.title')}</h2>
      {list.isPending && <Spinner />}
      {list.isError && <LoadError error={list.error} />}
      {list.isSuccess && (
        <p>{t('recommendations.intro', { from: formatDate(`${list.data.from}T12:00:00Z`, i18n.language) })}</p>
      )}
      {list.isSuccess && list.data.items.length === 0 && <p>{t('recommendations.empty')}</p>}
      {list.isSuccess && list.data.items.length > 0 && (
        <table className="table table--zebra recommendation-table">
          <caption className="sr-only">{t('recommendations.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('recommendations.colMeeting')}</th>
              <th scope="col">{t('recommendations.colItem')}</th>
              <th scope="col">{t('recommendations.colNote')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((r) => (
              <tr key={r.itemId}>
                <td>
                  <Link to={`/moeder/${r.meetingId}`}>{formatDate(`${r.meetingDate}T12:00:00Z`, i18n.language)}</Link>
                  {r.meetingStatus === 'OPEN' ? ` (${t('meetings.status.OPEN')})` : ''}
                </td>
                <td>
                  {r.title ?? t(`meeting.kind.${r.kind}`)}
                  {r.pathwayId ? ` · ${t('escalations.pathway', { id: r.pathwayId.slice(0, 8) })}` : ''}
                </td>
                <td>{r.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ApproveForm({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [present, setPresent] = useState('');
  const approve = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/meetings/{id}/approve', {
          params: { path: { id: meeting.id } },
          body: {
            present: present
              .split('\n')
              .map((p) => p.trim())
              .filter((p) => p),
          },
        }),
      ),
    onSuccess: (m) => queryClient.setQueryData(['meeting', meeting.id], m),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    approve.mutate();
  }
  return (
    <form onSubmit={submit} className="meeting-approve">
      <h2>{t('meeting.approveHeading')}</h2>
      <div className="form-group">
        <label className="form-label" htmlFor="present">
          {t('meeting.presentLabel')}
        </label>
        <span className="form-hint" id="present-hint">
          {t('meeting.presentHint')}
        </span>
        <textarea
          className="form-input"
          id="present"
          aria-describedby="present-hint"
          rows={4}
          value={present}
          onChange={(e) => setPresent(e.target.value)}
        />
      </div>
      {approve.isError && <Alert tone="error">{refusal(approve.error)}</Alert>}
      <Button type="submit">{t('meeting.approve')}</Button>
    </form>
  );
}

/** The minutes PDF, fetched with the session's token and handed to the browser as a download. */
function MinutesDownload({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  async function download() {
    setFailed(false);
    const res = await fetch(`/meetings/${meeting.id}/minutes`, { headers: authHeaders() });
    if (!res.ok) return setFailed(true);
    const url = URL.createObjectURL(await res.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = `referat-${meeting.date}.pdf`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return (
    <p>
      <Button type="button" variant="secondary" onClick={() => void download()}>
        {t('meeting.download')}
      </Button>
      {failed && <span role="alert"> {t('meeting.downloadFailed')}</span>}
    </p>
  );
}
