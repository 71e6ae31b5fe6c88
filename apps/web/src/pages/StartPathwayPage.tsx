// "Start forløb": a coordinator (or a caseworker, for a contact at their own agency) brings a person in, in three
// steps — person, contact, summary — and POST /pathways starts the pathway. One Idempotency-Key per form: pressing
// "Start forløb" twice, or again after a lost answer, starts one pathway. The districts are those in use
// (GET /districts); the target group at first contact is optional. When the API finds someone alike already known
// (409 DUPLICATE_SUSPECTED, coordinators only), the summary shows the candidates with links and offers only to start
// anyway with a reason (duplicateOverride, which the API audits) or to go back and change the answers.
import { useMutation } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useAgencyName } from '../api/agencies';
import { api, unwrap } from '../api/client';
import { useDistrictName, useDistricts } from '../api/districts';
import { duplicateCandidates, isApiError, isUnavailable, type FieldError } from '../api/errors';
import { reasonText } from '../api/field-errors';
import { useRequiredSession } from '../auth/auth';
import { Alert, Button, ErrorSummary, PageTitle, type SummaryError } from '../components/dkfds';
import { DistrictsStatus } from '../components/DistrictsStatus';
import { FormField, describedBy } from '../components/FormField';
import {
  copenhagenInstant,
  copenhagenNow,
  formatCalendarDate,
  formatDateTime,
  parseClockTime,
  parseDanishDate,
} from '../format/dates';
import { TARGET_GROUPS, type TargetGroup } from './vocabulary';

interface Values {
  name: string;
  birthDate: string;
  district: string;
  livesWithParents: string;
  contactDate: string;
  contactTime: string;
  context: string;
  /** AT_RISK, FRINGE, MEMBER, or '' when not known (the API takes it as optional). */
  targetGroup: string;
  /** Why to start although someone alike is known; asked only after the API warned. */
  duplicateReason: string;
}

/** The form's controls by step; an error on a control sends the person back to its step. */
const STEP_FIELDS: (keyof Values)[][] = [
  ['name', 'birthDate', 'district', 'livesWithParents'],
  ['contactDate', 'contactTime', 'context', 'targetGroup'],
  ['duplicateReason'],
];
/** The API's field names (its 400) as this form's controls. */
const API_FIELDS: Record<string, keyof Values> = {
  'person.name': 'name',
  'person.birthDate': 'birthDate',
  'person.district': 'district',
  'person.livesWithParents': 'livesWithParents',
  'contact.occurredAt': 'contactDate',
  'contact.context': 'context',
  'contact.targetGroup': 'targetGroup',
  'duplicateOverride.reason': 'duplicateReason',
};

type Problems = Partial<Record<keyof Values | 'form', string>>;

/** What is wrong with a step's answers, in the reader's language, before anything is sent. */
function problemsOf(step: number, v: Values, t: TFunction, now = new Date()): Problems {
  const problems: Problems = {};
  const today = copenhagenNow(now)[0];
  if (step === 0) {
    if (!v.name.trim()) problems.name = t('start.errors.nameRequired');
    const birth = parseDanishDate(v.birthDate);
    if (!v.birthDate.trim()) problems.birthDate = t('start.errors.dateRequired');
    else if (!birth) problems.birthDate = t('start.errors.dateFormat');
    else if (birth > parseDanishDate(today)!) problems.birthDate = t('start.errors.birthFuture');
    if (!v.district) problems.district = t('start.errors.districtRequired');
  }
  if (step === 1) {
    const date = parseDanishDate(v.contactDate);
    const time = parseClockTime(v.contactTime);
    if (!v.contactDate.trim()) problems.contactDate = t('start.errors.dateRequired');
    else if (!date) problems.contactDate = t('start.errors.dateFormat');
    if (!time) problems.contactTime = t('start.errors.timeFormat');
    if (date && time && new Date(copenhagenInstant(date, time.hour, time.minute)) > now)
      problems.contactDate = t('start.errors.contactFuture');
    if (!v.context.trim()) problems.context = t('start.errors.contextRequired');
  }
  return problems;
}

/** The API's 400 as problems on this form's controls; fields the form has no control for go to the summary. */
function problemsFromApi(errors: FieldError[], t: TFunction): Problems {
  const problems: Problems = {};
  for (const { field, reason } of errors) {
    const control = API_FIELDS[field] ?? 'form';
    const text = `${t(`errors.field.${field}`, { defaultValue: field })}: ${reasonText(reason, t)}`;
    problems[control] = problems[control] ? `${problems[control]}; ${text}` : text;
  }
  return problems;
}

export function StartPathwayPage() {
  const { t, i18n } = useTranslation();
  const session = useRequiredSession();
  const navigate = useNavigate();
  const agencyName = useAgencyName();
  const districts = useDistricts();
  const districtName = useDistrictName();
  // Made once with the form: every press of "Start forløb" on this form is the same request.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [step, setStep] = useState(0);
  const [problems, setProblems] = useState<Problems>({});
  const [values, setValues] = useState<Values>(() => {
    const [contactDate, contactTime] = copenhagenNow();
    return {
      name: '',
      birthDate: '',
      district: '',
      livesWithParents: '',
      contactDate,
      contactTime,
      context: '',
      targetGroup: '',
      duplicateReason: '',
    };
  });
  const set = (field: keyof Values) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  const start = useMutation({
    mutationFn: async (override?: string) => {
      const birthDate = parseDanishDate(values.birthDate)!;
      const date = parseDanishDate(values.contactDate)!;
      const time = parseClockTime(values.contactTime)!;
      return unwrap(
        await api.POST('/pathways', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: {
            person: {
              name: values.name.trim(),
              birthDate,
              district: values.district,
              ...(values.livesWithParents ? { livesWithParents: values.livesWithParents === 'yes' } : {}),
            },
            contact: {
              sourceAgency: session.agency,
              occurredAt: copenhagenInstant(date, time.hour, time.minute),
              context: values.context.trim(),
              ...(values.targetGroup ? { targetGroup: values.targetGroup as TargetGroup } : {}),
            },
            ...(override ? { duplicateOverride: { reason: override } } : {}),
          },
        }),
      );
    },
    onSuccess: (created) => void navigate(`/forloeb/${created.id}`, { state: { flash: 'started' } }),
    onError: (error) => {
      if (!isApiError(error, 400)) return;
      const fromApi = problemsFromApi(error.fieldErrors, t);
      setProblems(fromApi);
      // Back to the first step with something to mend, where the summary's links reach the controls.
      const first = STEP_FIELDS.findIndex((fields) => fields.some((f) => fromApi[f]));
      if (first >= 0) setStep(first);
    },
  });

  const duplicates = duplicateCandidates(start.error);
  function next(event: FormEvent) {
    event.preventDefault();
    // While the duplicate warning stands, the only way on is "Start forløb alligevel" with a reason.
    if (step === 2 && duplicates) {
      startAnyway();
      return;
    }
    const found = problemsOf(step, values, t);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    if (step < 2) setStep(step + 1);
    else start.mutate(undefined);
  }
  function startAnyway() {
    const reason = values.duplicateReason.trim();
    if (!reason) {
      setProblems({ duplicateReason: t('start.duplicate.reasonRequired') });
      return;
    }
    setProblems({});
    start.mutate(reason);
  }
  function back() {
    setProblems({});
    start.reset();
    setStep(step - 1);
  }

  const summary: SummaryError[] = Object.entries(problems).map(([field, message]) => ({
    field: field === 'form' ? 'start-summary' : field,
    message: message!,
  }));
  const field = (name: keyof Values, label: string, control: ReactNode, hint?: string) => (
    <FormField id={name} label={label} hint={hint} error={problems[name]}>
      {control}
    </FormField>
  );
  const input = (name: keyof Values, props: { autoComplete?: string; inputMode?: 'numeric'; width?: string } = {}) => (
    <input
      className={`form-input${props.width ? ` ${props.width}` : ''}`}
      id={name}
      name={name}
      type="text"
      value={values[name]}
      autoComplete={props.autoComplete ?? 'off'}
      inputMode={props.inputMode}
      aria-describedby={describedBy(name, problems[name] !== undefined)}
      aria-invalid={problems[name] ? true : undefined}
      onChange={(e) => set(name)(e.target.value)}
    />
  );
  const stepTitles = [t('start.stepPerson'), t('start.stepContact'), t('start.stepSummary')];

  return (
    <>
      <p>
        <Link to="/forloeb">{t('pathway.back')}</Link>
      </p>
      <PageTitle title={t('start.title')} />
      <ol className="start-steps" aria-label={t('start.steps')}>
        {stepTitles.map((title, i) => (
          <li key={title} aria-current={i === step ? 'step' : undefined} className={i === step ? 'current' : undefined}>
            {title}
          </li>
        ))}
      </ol>
      {summary.length > 0 && <ErrorSummary errors={summary} />}
      {start.isError && !isApiError(start.error, 400) && !duplicates && (
        <Alert tone="error" heading={t('errors.conflictTitle')}>
          <p>
            {isApiError(start.error, 403)
              ? t('start.forbidden')
              : isUnavailable(start.error)
                ? t('errors.unavailable')
                : t('errors.generic')}
          </p>
        </Alert>
      )}
      <form onSubmit={next} noValidate aria-labelledby="step-heading">
        <h2 id="step-heading">{t('start.stepOf', { step: step + 1, count: 3, title: stepTitles[step] })}</h2>
        {step === 0 && (
          <>
            {field('name', t('start.name'), input('name', { autoComplete: 'off' }))}
            {field(
              'birthDate',
              t('start.birthDate'),
              input('birthDate', { inputMode: 'numeric', width: 'input-width-s' }),
              t('start.dateHint'),
            )}
            {field(
              'district',
              t('start.district'),
              <select
                className="form-select"
                id="district"
                value={values.district}
                aria-describedby={`${describedBy('district', problems.district !== undefined)} district-status`}
                aria-invalid={problems.district ? true : undefined}
                aria-busy={districts.query.isPending || undefined}
                onChange={(e) => set('district')(e.target.value)}
              >
                <option value="">{districts.query.isPending ? t('districts.loadingOption') : t('start.choose')}</option>
                {districts.active.map((d) => (
                  <option key={d.code} value={d.code}>
                    {d.name}
                  </option>
                ))}
              </select>,
            )}
            <DistrictsStatus id="district-status" />
            <fieldset className="form-group">
              <legend className="form-label">{t('start.livesWithParents')}</legend>
              <span className="form-hint">{t('start.livesWithParentsHint')}</span>
              {[
                ['yes', t('pathway.yes')],
                ['no', t('pathway.no')],
                ['', t('pathway.unknown')],
              ].map(([value, label]) => (
                <div className="form-group-radio" key={value || 'unknown'}>
                  <input
                    className="form-radio"
                    type="radio"
                    id={`livesWithParents-${value || 'unknown'}`}
                    name="livesWithParents"
                    checked={values.livesWithParents === value}
                    onChange={() => set('livesWithParents')(value)}
                  />
                  <label htmlFor={`livesWithParents-${value || 'unknown'}`}>{label}</label>
                </div>
              ))}
            </fieldset>
          </>
        )}
        {step === 1 && (
          <>
            <p>{t('start.contactIntro', { agency: agencyName(session.agency) })}</p>
            {field(
              'contactDate',
              t('start.contactDate'),
              input('contactDate', { inputMode: 'numeric', width: 'input-width-s' }),
              t('start.dateHint'),
            )}
            {field(
              'contactTime',
              t('start.contactTime'),
              input('contactTime', { inputMode: 'numeric', width: 'input-width-xs' }),
              t('start.timeHint'),
            )}
            {field(
              'context',
              t('start.context'),
              <textarea
                className="form-input"
                id="context"
                rows={4}
                value={values.context}
                aria-describedby={describedBy('context', problems.context !== undefined)}
                aria-invalid={problems.context ? true : undefined}
                onChange={(e) => set('context')(e.target.value)}
              />,
              t('start.contextHint'),
            )}
            <fieldset className="form-group" aria-describedby="targetGroup-hint">
              <legend className="form-label">{t('start.targetGroup')}</legend>
              <span className="form-hint" id="targetGroup-hint">
                {t('start.targetGroupHint')}
              </span>
              {[...TARGET_GROUPS, ''].map((value) => {
                const id = `targetGroup-${value || 'unknown'}`;
                return (
                  <div className="form-group-radio" key={id}>
                    <input
                      className="form-radio"
                      type="radio"
                      id={id}
                      name="targetGroup"
                      checked={values.targetGroup === value}
                      onChange={() => set('targetGroup')(value)}
                    />
                    <label htmlFor={id}>{value ? t(`targetGroup.${value}`) : t('start.targetGroupUnknown')}</label>
                  </div>
                );
              })}
            </fieldset>
          </>
        )}
        {step === 2 && (
          <dl className="summary-list" id="start-summary" tabIndex={-1}>
            <SummaryRow label={t('start.name')} value={values.name.trim()} />
            <SummaryRow
              label={t('start.birthDate')}
              value={formatCalendarDate(parseDanishDate(values.birthDate)!, i18n.language)}
            />
            <SummaryRow label={t('start.district')} value={districtName(values.district)} />
            <SummaryRow
              label={t('start.livesWithParents')}
              value={
                values.livesWithParents === 'yes'
                  ? t('pathway.yes')
                  : values.livesWithParents === 'no'
                    ? t('pathway.no')
                    : t('pathway.unknown')
              }
            />
            <SummaryRow label={t('start.source')} value={agencyName(session.agency)} />
            <SummaryRow
              label={t('start.contactWhen')}
              value={formatDateTime(
                (() => {
                  const time = parseClockTime(values.contactTime)!;
                  return copenhagenInstant(parseDanishDate(values.contactDate)!, time.hour, time.minute);
                })(),
                i18n.language,
              )}
            />
            <SummaryRow label={t('start.context')} value={values.context.trim()} />
            <SummaryRow
              label={t('start.targetGroup')}
              value={values.targetGroup ? t(`targetGroup.${values.targetGroup}`) : t('start.targetGroupUnknown')}
            />
          </dl>
        )}
        {step === 2 && duplicates && (
          <div className="duplicate-warning">
            <Alert tone="warning" heading={t('start.duplicate.heading')}>
              <p>{t('start.duplicate.intro')}</p>
              <ul>
                {duplicates.map((c) => (
                  <li key={c.pathwayId}>
                    <Link to={`/forloeb/${c.pathwayId}`}>
                      {t('start.duplicate.candidate', {
                        name: c.name,
                        birthDate: formatCalendarDate(c.birthDate, i18n.language),
                      })}
                    </Link>{' '}
                    –{' '}
                    {t('start.duplicate.candidateFacts', {
                      stage: t(`stage.${c.stage}`),
                      opened: formatDateTime(c.openedAt, i18n.language),
                      match: t(`start.duplicate.match.${c.match}`),
                    })}
                  </li>
                ))}
              </ul>
            </Alert>
            {field(
              'duplicateReason',
              t('start.duplicate.reason'),
              <textarea
                className="form-input"
                id="duplicateReason"
                rows={3}
                value={values.duplicateReason}
                aria-describedby={describedBy('duplicateReason', problems.duplicateReason !== undefined)}
                aria-invalid={problems.duplicateReason ? true : undefined}
                onChange={(e) => set('duplicateReason')(e.target.value)}
              />,
              t('start.duplicate.reasonHint'),
            )}
          </div>
        )}
        <div className="button-row step-buttons">
          {step > 0 && (
            <Button variant="secondary" onClick={back}>
              {step === 2 && duplicates ? t('start.duplicate.back') : t('start.back')}
            </Button>
          )}
          {step === 2 && duplicates ? (
            // The plain "Start forløb" is gone while the warning stands: start anyway with a reason, or go back.
            <Button type="submit" disabled={start.isPending}>
              {t('start.duplicate.startAnyway')}
            </Button>
          ) : (
            <Button type="submit" disabled={start.isPending}>
              {step < 2 ? t('start.next') : t('start.submit')}
            </Button>
          )}
        </div>
      </form>
    </>
  );
}

function SummaryRow({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
