// A form control in DKFDS' markup: label, hint, the error under them (for screen readers too), then the control.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The ids a control's aria-describedby names: its hint, and its error when there is one. */
export function describedBy(id: string, hasError: boolean): string {
  return hasError ? `${id}-hint ${id}-error` : `${id}-hint`;
}

/** A DKFDS form group: label, hint, the error under them, then the control. */
export function FormField({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className={`form-group${error ? ' form-error' : ''}`}>
      <label className="form-label" htmlFor={id}>
        {label}
      </label>
      <span className="form-hint" id={`${id}-hint`}>
        {hint ?? ''}
      </span>
      {error && (
        <span className="form-error-message" id={`${id}-error`}>
          <span className="sr-only">{t('errors.summary')}: </span>
          {error}
        </span>
      )}
      {children}
    </div>
  );
}
