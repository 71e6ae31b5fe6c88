// "Registrér hændelse" on a pathway: only the events the pathway's stage takes and the person's role may record
// (libs/domain/src/events.ts, libs/domain/src/policy.ts), the fields that type needs with Danish dates, and the API's
// answer: a 400 names the fields, a 409 says in the reader's language why the event does not fit.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, command } from '../api/client';
import { useDistricts } from '../api/districts';
import { isApiError, isUnavailable } from '../api/errors';
import { reasonText } from '../api/field-errors';
import type { components } from '../api/schema';
import { useRequiredSession } from '../auth/auth';
import { Alert, Button, ErrorSummary } from '../components/dkfds';
import { DistrictsStatus } from '../components/DistrictsStatus';
import { FormField, describedBy } from '../components/FormField';
import { copenhagenInstant, copenhagenNow, parseClockTime, parseDanishDate } from '../format/dates';
import { eventRefusalText, recordableEvents } from './record-event';
import { CLOSING_OUTCOMES, PLACEMENT_KINDS, TRACKS, type EventType } from './vocabulary';

type Pathway = components['schemas']['PathwayView'];

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

  const record = useMutation({
    mutationFn: async (body: components['schemas']['RecordEventDto']) =>
      command((headers) => api.POST('/pathways/{id}/events', { params: { path: { id: pathway.id } }, body, headers })),
    onSuccess: async (after, body) => {
      setRecorded(t('recordEvent.recorded', { event: t(`event.${body.type}`) }));
      setType('');
      setValues({});
      setWhen(copenhagenNow());
      queryClient.setQueryData(['pathway', pathway.id], after);
      await queryClient.invalidateQueries({ queryKey: ['pathway', pathway.id] });
    },
    onError: async (error) => {
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
    },
  });

  if (choices.length === 0) return null;

  function submit(event: FormEvent) {
    event.preventDefault();
    setRecorded(undefined);
    record.reset();
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
    record.mutate({ type, occurredAt, ...(FIELDS[type] ? { data } : {}) });
  }

  const set = (field: string) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const summary = Object.entries(problems).map(([field, message]) => ({ field, message }));
  const refusal =
    isApiError(record.error, 409) && record.variables
      ? eventRefusalText(
          record.error.message,
          record.variables.type,
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
      {record.isError && !isApiError(record.error, 400) && !isApiError(record.error, 409) && (
        <Alert tone="error" heading={t('errors.conflictTitle')}>
          <p>
            {isApiError(record.error, 403)
              ? t('errors.forbiddenText')
              : isUnavailable(record.error)
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
        <Button type="submit" disabled={record.isPending}>
          {t('recordEvent.submit')}
        </Button>
      </form>
    </section>
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
