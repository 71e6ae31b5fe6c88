// The API's 400 names fields in English code (`outcome`) with English reasons; the error summary names them in the
// reader's language.
import type { TFunction } from 'i18next';
import type { SummaryError } from '../components/dkfds';
import type { FieldError } from './errors';

function reasonKey(reason: string): string {
  if (reason === 'is required' || reason === 'must not be blank') return reason;
  if (/shorter than or equal|too long|at most/i.test(reason)) return 'tooLong';
  if (/should not be empty|longer than or equal/i.test(reason)) return 'must not be blank';
  return 'other';
}

export function summaryErrors(errors: FieldError[], t: TFunction): SummaryError[] {
  return errors.map(({ field, reason }) => {
    const label = t(`errors.field.${field}`, { defaultValue: field });
    return { field, message: `${label}: ${t(`errors.reason.${reasonKey(reason)}`)}` };
  });
}

/** The message for one form control, for the text under it. */
export function fieldMessage(errors: FieldError[], field: string, t: TFunction): string | undefined {
  const own = errors.filter((e) => e.field === field);
  return own.length > 0 ? own.map((e) => t(`errors.reason.${reasonKey(e.reason)}`)).join(', ') : undefined;
}

/** One of the API's reasons in the reader's language. */
export function reasonText(reason: string, t: TFunction): string {
  return t(`errors.reason.${reasonKey(reason)}`);
}
