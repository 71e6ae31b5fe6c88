// "Møder": the operative group's meetings. A meeting's agenda is made by the API from the open escalations and the
// stalled pathways; here each item gets its decision (an escalation's goes to the pathway), the minutes are approved
// with who was present, and downloaded as a PDF.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useAgencyName } from '../api/agencies';
import { api, unwrap } from '../api/client';
import { isApiError } from '../api/errors';
import type { components } from '../api/schema';
import { authHeaders } from '../auth/auth';
import { Alert, Button, PageTitle, Spinner } from '../components/dkfds';
import { formatDate, formatDateTime } from '../format/dates';
import { LoadError } from '../pages/ErrorPages';

type Meeting = components['schemas']['MeetingView'];
type Item = components['schemas']['MeetingItemView'];
type Decision = components['schemas']['ResolveEscalationDto']['decision'];
const DECISIONS: Decision[] = ['NOTE', 'EXTEND', 'REASSIGN', 'CANCEL_TASK'];

/** Today in Copenhagen as YYYY-MM-DD. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date());

/** A refusal in words: the fields the API named, or its message. */
function refusal(error: unknown): string {
  if (isApiError(error) && error.fieldErrors.length > 0)
    return error.fieldErrors.map((e) => `${e.field}: ${e.reason}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}

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
      {m.status === 'OPEN' ? <ApproveForm meeting={m} /> : <p>{t('meeting.present', { who: m.present.join(', ') })}</p>}
    </>
  );
}

function AgendaItem({ meeting, item }: { meeting: Meeting; item: Item }) {
  const { t, i18n } = useTranslation();
  const agencyName = useAgencyName();
  const heading =
    item.kind === 'STALLED_PATHWAY'
      ? t('meeting.stalled', { since: formatDate(item.since, i18n.language), stage: t(`stage.${item.stage}`) })
      : t('meeting.escalated', {
          level: item.level,
          what: item.taskTitle ?? t(`escalations.kind.${item.escalationKind}`),
          agency: agencyName(item.agency),
        });
  return (
    <li className="meeting-item">
      <h3 className="h4">{heading}</h3>
      <p>
        <Link to={`/forloeb/${item.pathwayId}`}>{t('escalations.pathway', { id: item.pathwayId.slice(0, 8) })}</Link>
        {' · '}
        {t(`meeting.reason.${item.reason}`)}
      </p>
      {item.decision ? (
        <p className="meeting-decision">
          <strong>{t(`meeting.decision.${item.decision.decision}`)}</strong>
          {item.decision.dueAt ? ` ${formatDate(item.decision.dueAt, i18n.language)}` : ''}
          {item.decision.toAgency ? ` ${agencyName(item.decision.toAgency)}` : ''}: {item.decision.note}
        </p>
      ) : meeting.status === 'OPEN' ? (
        <DecisionForm meetingId={meeting.id} item={item} />
      ) : (
        <p>{t('meeting.noDecision')}</p>
      )}
    </li>
  );
}

function DecisionForm({ meetingId, item }: { meetingId: string; item: Item }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const agencies = useQuery({ queryKey: ['agencies'], queryFn: async () => unwrap(await api.GET('/agencies')) });
  const [decision, setDecision] = useState<Decision>('NOTE');
  const [note, setNote] = useState('');
  const [due, setDue] = useState('');
  const [toAgency, setToAgency] = useState('');
  const choices = item.kind === 'STALLED_PATHWAY' ? (['NOTE'] as Decision[]) : DECISIONS;
  const send = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/meetings/{id}/items/{itemId}/decision', {
          params: { path: { id: meetingId, itemId: item.id } },
          body: {
            decision,
            note,
            // A new deadline is the end of the working day chosen, in Copenhagen.
            ...(decision === 'EXTEND' && due ? { dueAt: new Date(`${due}T16:00:00`).toISOString() } : {}),
            ...(decision === 'REASSIGN' && toAgency ? { toAgency } : {}),
          },
        }),
      ),
    onSuccess: (meeting) => queryClient.setQueryData(['meeting', meetingId], meeting),
  });
  const field = (name: string) => `${name}-${item.id}`;
  function submit(event: FormEvent) {
    event.preventDefault();
    send.mutate();
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
      <div className="form-group">
        <label className="form-label" htmlFor={field('note')}>
          {t('meeting.noteLabel')}
        </label>
        <textarea
          className="form-input"
          id={field('note')}
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      {send.isError && <Alert tone="error">{refusal(send.error)}</Alert>}
      <Button type="submit" variant="secondary">
        {t('meeting.record')}
      </Button>
    </form>
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
