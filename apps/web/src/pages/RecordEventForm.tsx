// "Registrér hændelse" on a pathway: only the events the pathway's stage takes and the person's role may record
// (libs/domain/src/events.ts, libs/domain/src/policy.ts), the fields that type needs with Danish dates, and the API's
// answer: a 400 names the fields, a 409 says in the reader's language why the event does not fit. Before it is
// recorded, "Kontrollér" shows what it will do (POST /pathways/:id/events/preview, the workflow's own rules on a copy):
// the tasks it opens with their deadlines, the open tasks it ends, and the stage it leads to; then "Registrér".
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgencyName } from '../api/agencies';
import { api, command, unwrap } from '../api/client';
import { useDistricts } from '../api/districts';
import { isApiError, isUnavailable } from '../api/errors';
import { reasonText } from '../api/field-errors';
import type { components } from '../api/schema';
import { useRequiredSession } from '../auth/auth';
import { Alert, Button, ErrorSummary } from '../components/dkfds';
import { DistrictsStatus } from '../components/DistrictsStatus';
import { FormField, describedBy } from '../components/FormField';
import { copenhagenInstant, copenhagenNow, formatDate, parseClockTime, parseDanishDate } from '../format/dates';
import { eventRefusalText, recordableEvents } from './record-event';
import { CLOSING_OUTCOMES, PLACEMENT_KINDS, TRACKS, type EventType } from './vocabulary';

type Pathway = components['schemas']['PathwayView'];
type EventBody = components['schemas']['RecordEventDto'];
type Preview = components['schemas']['EventPreviewView'];

/** A control of the form; `data.<name>` in the API's answers. */
type Field =
  | 'track'
  | 'reasons'
  | 'register'
  | 'registrationReason'
  | 'earliestParoleDate'
  | 'fullTermDate'
  | 'expectedReleaseDate'
  | 'granted'
  | 'date'
  | 'kind'
  | 'motivated'
  | 'district'
  | 'outcome';

interface FieldSpec {
  field: Field;
  kind: 'date' | 'text' | 'choice' | 'yesNo' | 'check';
  required?: boolean;
  /** The choices, or 'districts': those in use, from GET /districts. */
  options?: readonly string[] | 'districts';
  /** i18n prefix naming each option. */
  optionLabels?: string;
}

/** What each event type asks for (the API's RecordEventDto; dates are calendar dates). */
const FIELDS: Partial<Record<EventType, FieldSpec[]>> = {
  ASSESSED: [
    { field: 'track', kind: 'choice', required: true, options: TRACKS, optionLabels: 'track' },
    { field: 'reasons', kind: 'text', required: true },
    { field: 'register', kind: 'check' },
    { field: 'registrationReason', kind: 'text' },
  ],
  SENTENCED: [
    { field: 'earliestParoleDate', kind: 'date' },
    { field: 'fullTermDate', kind: 'date' },
  ],
  RELEASE_DATE_CHANGED: [{ field: 'expectedReleaseDate', kind: 'date', required: true }],
  PAROLE_DECIDED: [
    { field: 'granted', kind: 'yesNo', required: true },
    { field: 'date', kind: 'date' },
  ],
  PLACED: [{ field: 'kind', kind: 'choice', required: true, options: PLACEMENT_KINDS, optionLabels: 'placementKind' }],
  MOTIVATION_ASSESSED: [{ field: 'motivated', kind: 'yesNo', required: true }],
  MOVED: [{ field: 'district', kind: 'choice', required: true, options: 'districts' }],
  CLOSED: [
    { field: 'outcome', kind: 'choice', required: true, options: CLOSING_OUTCOMES, optionLabels: 'closingOutcome' },
  ],
};

const controlId = (field: string) => `event-${field}`;

type Problems = Record<string, string>;

/** The type's data as the API takes it, or what is missing or not a date. */
function dataOf(type: EventType, values: Record<string, string>, t: TFunction): [Record<string, unknown>, Problems] {
  const data: Record<string, unknown> = {};
  const problems: Problems = {};
  for (const spec of FIELDS[type] ?? []) {
    const raw = (values[spec.field] ?? '').trim();
    if (spec.field === 'registrationReason' && values.register !== 'yes') continue;
    if (!raw || (spec.kind === 'check' && raw !== 'yes')) {
      if (spec.required) problems[controlId(spec.field)] = t('recordEvent.required');
      continue;
    }
    if (spec.kind === 'date') {
      const date = parseDanishDate(raw);
      if (date) data[spec.field] = date;
      else problems[controlId(spec.field)] = t('start.errors.dateFormat');
    } else if (spec.kind === 'yesNo' || spec.kind === 'check') data[spec.field] = raw === 'yes';
    else data[spec.field] = raw;
  }
  return [data, problems];
}

export function RecordEventForm({ pathway }: { pathway: Pathway }) {
  const { t } = useTranslation();
  const session = useRequiredSession();
  const queryClient = useQueryClient();
  const choices = recordableEvents(pathway.stage, session.roles);
  const [type, setType] = useState<EventType | ''>('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [[date, time], setWhen] = useState(() => copenhagenNow());
  const [problems, setProblems] = useState<Problems>({});
  const [recorded, setRecorded] = useState<string>();
  /** The event as checked, waiting for "Registrér", with what it will do. */
  const [checked, setChecked] = useState<{ body: EventBody; preview: Preview }>();

  /** A 400 names the fields (on the form); a 409 is shown as the refusal; the page reloads the pathway for it. */
  async function failed(error: unknown) {
    if (isApiError(error, 400)) {
      const fromApi: Problems = {};
      for (const { field, reason } of error.fieldErrors) {
        const id = field === 'occurredAt' ? 'event-date' : controlId(field.replace(/^data\./, ''));
        const label = t(`recordEvent.field.${field.replace(/^data\./, '')}`, { defaultValue: field });
        fromApi[document.getElementById(id) ? id : 'event-type'] = `${label}: ${reasonText(reason, t)}`;
      }
      setProblems(fromApi);
    }
    // The stage may have moved on since the page was loaded: the page shows it as it is now.
    if (isApiError(error, 409)) await queryClient.invalidateQueries({ queryKey: ['pathway', pathway.id] });
  }

  const check = useMutation({
    mutationFn: async (body: EventBody) =>
      unwrap(await api.POST('/pathways/{id}/events/preview', { params: { path: { id: pathway.id } }, body })),
    onSuccess: (preview, body) => setChecked({ body, preview }),
    onError: failed,
  });

  const record = useMutation({
    mutationFn: async (body: EventBody) =>
      command((headers) => api.POST('/pathways/{id}/events', { params: { path: { id: pathway.id } }, body, headers })),
    onSuccess: async (after, body) => {
      setChecked(undefined);
      setRecorded(t('recordEvent.recorded', { event: t(`event.${body.type}`) }));
      setType('');
      setValues({});
      setWhen(copenhagenNow());
      queryClient.setQueryData(['pathway', pathway.id], after);
      await queryClient.invalidateQueries({ queryKey: ['pathway', pathway.id] });
    },
    onError: async (error) => {
      setChecked(undefined);
      await failed(error);
    },
  });

  if (choices.length === 0) return null;

  function submit(event: FormEvent) {
    event.preventDefault();
    setRecorded(undefined);
    setChecked(undefined);
    record.reset();
    check.reset();
    const found: Problems = {};
    if (!type) found['event-type'] = t('recordEvent.chooseType');
    const day = parseDanishDate(date);
    const clock = parseClockTime(time);
    if (!day) found['event-date'] = t('start.errors.dateFormat');
    if (!clock) found['event-time'] = t('start.errors.timeFormat');
    const occurredAt = day && clock ? copenhagenInstant(day, clock.hour, clock.minute) : undefined;
    if (occurredAt && new Date(occurredAt) > new Date()) found['event-date'] = t('recordEvent.future');
    const [data, dataProblems] = type ? dataOf(type, values, t) : [{}, {}];
    Object.assign(found, dataProblems);
    setProblems(found);
    if (Object.keys(found).length > 0 || !type || !occurredAt) return;
    check.mutate({ type, occurredAt, ...(FIELDS[type] ? { data } : {}) });
  }

  const set = (field: string) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const summary = Object.entries(problems).map(([field, message]) => ({ field, message }));
  // Whichever answered last: the check or the recording.
  const failure = record.isError ? record : check;
  const refusal =
    isApiError(failure.error, 409) && failure.variables
      ? eventRefusalText(
          failure.error.message,
          failure.variables.type,
          pathway.stage,
          recordableEvents(pathway.stage, session.roles),
          t,
        )
      : undefined;

  return (
    <section aria-labelledby="record-heading" className="record-event">
      <h2 id="record-heading">{t('recordEvent.title')}</h2>
      {summary.length > 0 && <ErrorSummary errors={summary} />}
      {refusal && (
        <Alert tone="error" heading={t('recordEvent.refusedHeading')}>
          <p>{refusal}</p>
        </Alert>
      )}
      {failure.isError && !isApiError(failure.error, 400) && !isApiError(failure.error, 409) && (
        <Alert tone="error" heading={t('errors.conflictTitle')}>
          <p>
            {isApiError(failure.error, 403)
              ? t('errors.forbiddenText')
              : isUnavailable(failure.error)
                ? t('errors.unavailable')
                : t('errors.generic')}
          </p>
        </Alert>
      )}
      {recorded && <Alert tone="success" heading={recorded} />}
      <form onSubmit={submit} noValidate>
        <FormField
          id="event-type"
          label={t('recordEvent.type')}
          hint={t('recordEvent.typeHint')}
          error={problems['event-type']}
        >
          <select
            className="form-select"
            id="event-type"
            value={type}
            aria-describedby={describedBy('event-type', problems['event-type'] !== undefined)}
            aria-invalid={problems['event-type'] ? true : undefined}
            onChange={(e) => {
              setType(e.target.value as EventType);
              setValues({});
              setChecked(undefined);
            }}
          >
            <option value="">{t('start.choose')}</option>
            {choices.map((c) => (
              <option key={c} value={c}>
                {t(`event.${c}`)}
              </option>
            ))}
          </select>
        </FormField>
        <div className="event-when">
          <TextField
            id="event-date"
            label={t('recordEvent.date')}
            hint={t('start.dateHint')}
            value={date}
            problems={problems}
            onChange={(v) => setWhen([v, time])}
            width="input-width-s"
          />
          <TextField
            id="event-time"
            label={t('start.contactTime')}
            hint={t('start.timeHint')}
            value={time}
            problems={problems}
            onChange={(v) => setWhen([date, v])}
            width="input-width-xs"
          />
        </div>
        {type &&
          (FIELDS[type] ?? []).map((spec) =>
            spec.field === 'registrationReason' && values.register !== 'yes' ? null : (
              <DataField
                key={spec.field}
                spec={spec}
                value={values[spec.field] ?? ''}
                problems={problems}
                onChange={set(spec.field)}
              />
            ),
          )}
        {!checked && (
          <Button type="submit" disabled={check.isPending}>
            {t('recordEvent.check')}
          </Button>
        )}
      </form>
      {checked && (
        <EventCheck
          body={checked.body}
          preview={checked.preview}
          recording={record.isPending}
          onRecord={() => record.mutate(checked.body)}
          onBack={() => {
            setChecked(undefined);
            setTimeout(() => document.getElementById('event-type')?.focus(), 0);
          }}
        />
      )}
    </section>
  );
}

/** What the event will do, from the workflow's own rules, before it is recorded. */
function EventCheck({
  body,
  preview,
  recording,
  onRecord,
  onBack,
}: {
  body: EventBody;
  preview: Preview;
  recording: boolean;
  onRecord: () => void;
  onBack: () => void;
}) {
  const { t, i18n } = useTranslation();
  const agencyName = useAgencyName();
  const heading = useRef<HTMLHeadingElement>(null);
  // The reader goes on from what the event will do.
  useEffect(() => heading.current?.focus(), []);
  const moves = preview.stageAfter !== preview.stageBefore;
  return (
    <div className="event-check" aria-live="polite">
      <h3 id="event-check-heading" tabIndex={-1} ref={heading}>
        {t('recordEvent.checkHeading', { event: t(`event.${body.type}`) })}
      </h3>
      <p>
        {moves
          ? t('recordEvent.stageMoves', { stage: t(`stage.${preview.stageAfter}`) })
          : t('recordEvent.stageStays', { stage: t(`stage.${preview.stageBefore}`) })}
      </p>
      <h4>{t('recordEvent.creates')}</h4>
      {preview.created.length === 0 ? (
        <p>{t('recordEvent.createsNone')}</p>
      ) : (
        <ul>
          {preview.created.map((task, i) => (
            <li key={`${task.agency}-${task.type}-${i}`}>
              <strong>{task.title}</strong>{' '}
              {t('recordEvent.createdTask', {
                agency: agencyName(task.agency),
                due: formatDate(task.dueAt, i18n.language),
              })}
              {task.compressed ? ` (${t('recordEvent.compressed')})` : ''}
            </li>
          ))}
        </ul>
      )}
      {preview.ended.length > 0 && (
        <>
          <h4>{t('recordEvent.ends')}</h4>
          <ul>
            {preview.ended.map((task, i) => (
              <li key={`${task.agency}-${i}`}>
                <strong>{task.title}</strong>{' '}
                {t(task.status === 'DONE' ? 'recordEvent.endedDone' : 'recordEvent.endedCancelled', {
                  agency: agencyName(task.agency),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="button-row">
        <Button type="button" onClick={onRecord} disabled={recording}>
          {t('recordEvent.submit')}
        </Button>
        <Button type="button" variant="secondary" onClick={onBack}>
          {t('recordEvent.back')}
        </Button>
      </div>
    </div>
  );
}

function TextField({
  id,
  label,
  hint,
  value,
  problems,
  onChange,
  width,
  multiline,
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  problems: Problems;
  onChange: (value: string) => void;
  width?: string;
  multiline?: boolean;
}) {
  const common = {
    className: `form-input${width ? ` ${width}` : ''}`,
    id,
    value,
    'aria-describedby': describedBy(id, problems[id] !== undefined),
    'aria-invalid': problems[id] ? true : undefined,
  };
  return (
    <FormField id={id} label={label} hint={hint} error={problems[id]}>
      {multiline ? (
        <textarea {...common} rows={3} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type="text" autoComplete="off" onChange={(e) => onChange(e.target.value)} />
      )}
    </FormField>
  );
}

function DataField({
  spec,
  value,
  problems,
  onChange,
}: {
  spec: FieldSpec;
  value: string;
  problems: Problems;
  onChange: (value: string) => void;
}): ReactNode {
  const { t } = useTranslation();
  const districts = useDistricts();
  const id = controlId(spec.field);
  const label = t(`recordEvent.field.${spec.field}`) + (spec.required ? '' : ` (${t('recordEvent.optional')})`);
  const hint = t(`recordEvent.hint.${spec.field}`, { defaultValue: '' });
  switch (spec.kind) {
    case 'date':
      return (
        <TextField
          id={id}
          label={label}
          hint={hint || t('start.dateHint')}
          value={value}
          problems={problems}
          onChange={onChange}
          width="input-width-s"
        />
      );
    case 'text':
      return (
        <TextField id={id} label={label} hint={hint} value={value} problems={problems} onChange={onChange} multiline />
      );
    case 'choice':
      return (
        <FormField id={id} label={label} hint={hint} error={problems[id]}>
          <select
            className="form-select"
            id={id}
            value={value}
            aria-describedby={
              describedBy(id, problems[id] !== undefined) + (spec.options === 'districts' ? ` ${id}-districts` : '')
            }
            aria-invalid={problems[id] ? true : undefined}
            onChange={(e) => onChange(e.target.value)}
          >
            <option value="">{t('start.choose')}</option>
            {spec.options === 'districts'
              ? districts.active.map((d) => (
                  <option key={d.code} value={d.code}>
                    {d.name}
                  </option>
                ))
              : (spec.options ?? []).map((o) => (
                  <option key={o} value={o}>
                    {t(`${spec.optionLabels}.${o}`)}
                  </option>
                ))}
          </select>
          {spec.options === 'districts' && <DistrictsStatus id={`${id}-districts`} />}
        </FormField>
      );
    case 'check':
      return (
        <div className="form-group">
          <input
            className="form-checkbox"
            type="checkbox"
            id={id}
            checked={value === 'yes'}
            onChange={(e) => onChange(e.target.checked ? 'yes' : '')}
          />
          <label htmlFor={id}>{label}</label>
        </div>
      );
    case 'yesNo':
      return (
        <fieldset
          className={`form-group${problems[id] ? ' form-error' : ''}`}
          aria-describedby={problems[id] ? `${id}-error` : undefined}
        >
          <legend className="form-label">{label}</legend>
          {problems[id] && (
            <span className="form-error-message" id={`${id}-error`}>
              {problems[id]}
            </span>
          )}
          {(['yes', 'no'] as const).map((answer, i) => (
            <div className="form-group-radio" key={answer}>
              <input
                className="form-radio"
                type="radio"
                // The first answer carries the field's id, so the error summary's link lands on the group.
                id={i === 0 ? id : `${id}-${answer}`}
                name={id}
                checked={value === answer}
                onChange={() => onChange(answer)}
              />
              <label htmlFor={i === 0 ? id : `${id}-${answer}`}>{t(`pathway.${answer}`)}</label>
            </div>
          ))}
        </fieldset>
      );
  }
}
