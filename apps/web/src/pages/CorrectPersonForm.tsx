// "Ret navn eller fødselsdato": a coordinator corrects the person with a reason (POST /pathways/:id/person-correction).
// The workflow re-plans the work that hangs on the age; the reason goes to the audit trail, not the timeline.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { isApiError, isUnavailable } from '../api/errors';
import { reasonText } from '../api/field-errors';
import { Alert, Button } from '../components/dkfds';
import { FormField, describedBy } from '../components/FormField';
import { copenhagenNow, parseDanishDate } from '../format/dates';

type Field = 'correctName' | 'correctBirthDate' | 'correctReason';
const API_FIELDS: Record<string, Field> = {
  name: 'correctName',
  birthDate: 'correctBirthDate',
  reason: 'correctReason',
};

export function CorrectPersonForm({
  pathwayId,
  person,
}: {
  pathwayId: string;
  person: { name: string; birthDate: string };
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<Field, string>>({
    correctName: '',
    correctBirthDate: '',
    correctReason: '',
  });
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const correct = useMutation({
    mutationFn: async (body: { name?: string; birthDate?: string; reason: string }) =>
      unwrap(
        await api.POST('/pathways/{id}/person-correction', {
          params: { path: { id: pathwayId }, header: { 'Idempotency-Key': crypto.randomUUID() } },
          body,
        }),
      ),
    onSuccess: async (after) => {
      setValues({ correctName: '', correctBirthDate: '', correctReason: '' });
      queryClient.setQueryData(['pathway', pathwayId], after);
      await queryClient.invalidateQueries({ queryKey: ['pathway', pathwayId] });
    },
    onError: (error) => {
      if (!isApiError(error, 400)) return;
      const found: Partial<Record<Field, string>> = {};
      for (const { field, reason } of error.fieldErrors)
        found[API_FIELDS[field] ?? 'correctReason'] = reasonText(reason, t);
      setProblems(found);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const name = values.correctName.trim();
    const typedDate = values.correctBirthDate.trim();
    const birthDate = typedDate ? parseDanishDate(typedDate) : undefined;
    const found: Partial<Record<Field, string>> = {};
    if (typedDate && !birthDate) found.correctBirthDate = t('start.errors.dateFormat');
    else if (birthDate && birthDate > parseDanishDate(copenhagenNow()[0])!)
      found.correctBirthDate = t('start.errors.birthFuture');
    if (!name && !typedDate) found.correctName = t('correct.errors.nothing');
    if (!values.correctReason.trim()) found.correctReason = t('correct.errors.reasonRequired');
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    correct.mutate({
      ...(name ? { name } : {}),
      ...(birthDate ? { birthDate } : {}),
      reason: values.correctReason.trim(),
    });
  }

  const input = (field: Field, props: { inputMode?: 'numeric'; width?: string } = {}) => (
    <input
      className={`form-input${props.width ? ` ${props.width}` : ''}`}
      id={field}
      type="text"
      autoComplete="off"
      inputMode={props.inputMode}
      value={values[field]}
      aria-describedby={describedBy(field, problems[field] !== undefined)}
      aria-invalid={problems[field] ? true : undefined}
      onChange={(e) => setValues((v) => ({ ...v, [field]: e.target.value }))}
    />
  );

  return (
    <section aria-labelledby="correct-heading" className="correct-person">
      <h2 id="correct-heading">{t('correct.title')}</h2>
      <details>
        <summary>{t('correct.open')}</summary>
        <p>{t('correct.intro', { name: person.name })}</p>
        {correct.isSuccess && <Alert tone="success" heading={t('correct.done')} />}
        {correct.isError && !isApiError(correct.error, 400) && (
          <Alert tone="error" heading={t('correct.refused')}>
            <p>
              {isApiError(correct.error, 409)
                ? t('correct.nothingToChange')
                : isUnavailable(correct.error)
                  ? t('errors.unavailable')
                  : t('errors.generic')}
            </p>
          </Alert>
        )}
        <form onSubmit={submit} noValidate>
          <FormField
            id="correctName"
            label={t('correct.name')}
            hint={t('correct.nameHint')}
            error={problems.correctName}
          >
            {input('correctName')}
          </FormField>
          <FormField
            id="correctBirthDate"
            label={t('correct.birthDate')}
            hint={t('start.dateHint')}
            error={problems.correctBirthDate}
          >
            {input('correctBirthDate', { inputMode: 'numeric', width: 'input-width-s' })}
          </FormField>
          <FormField
            id="correctReason"
            label={t('correct.reason')}
            hint={t('correct.reasonHint')}
            error={problems.correctReason}
          >
            <textarea
              className="form-input"
              id="correctReason"
              rows={3}
              value={values.correctReason}
              aria-describedby={describedBy('correctReason', problems.correctReason !== undefined)}
              aria-invalid={problems.correctReason ? true : undefined}
              onChange={(e) => setValues((v) => ({ ...v, correctReason: e.target.value }))}
            />
          </FormField>
          <Button type="submit" disabled={correct.isPending}>
            {t('correct.submit')}
          </Button>
        </form>
      </details>
    </section>
  );
}
