// DEVELOPMENT ONLY: "Vælg myndighed" stands in for the OIDC sign-in until the API verifies tokens (see auth.tsx).
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { Alert, Button, ErrorSummary, PageTitle } from '../components/dkfds';
import { signIn } from './auth';

export function DevSignInPage() {
  const { t } = useTranslation();
  const agencies = useQuery({ queryKey: ['agencies'], queryFn: async () => unwrap(await api.GET('/agencies')) });
  const [agency, setAgency] = useState('');
  const [userId, setUserId] = useState('');
  const [missing, setMissing] = useState<string[]>([]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const user = userId.trim() || (agency ? `${agency.toLowerCase()}-sagsbehandler` : '');
    const problems = [...(agency ? [] : ['agency']), ...(user ? [] : ['userId'])];
    setMissing(problems);
    if (problems.length === 0) signIn({ agency, userId: user });
  }

  return (
    <>
      <PageTitle title={t('devSignIn.title')} />
      <Alert tone="warning" heading={t('app.devOnly')}>
        {t('devSignIn.intro')}
      </Alert>
      {missing.length > 0 && (
        <ErrorSummary
          errors={missing.map((field) => ({
            field,
            message: `${field === 'agency' ? t('devSignIn.agency') : t('devSignIn.user')}: ${t('errors.reason.is required')}`,
          }))}
        />
      )}
      <form onSubmit={submit} noValidate>
        <div className={`form-group${missing.includes('agency') ? ' form-error' : ''}`}>
          <label className="form-label" htmlFor="agency">
            {t('devSignIn.agency')}
          </label>
          <span className="form-hint" id="agency-hint">
            {t('devSignIn.agencyHint')}
          </span>
          <select
            className="form-select"
            id="agency"
            aria-describedby="agency-hint"
            value={agency}
            onChange={(e) => setAgency(e.target.value)}
          >
            <option value="">{t('devSignIn.choose')}</option>
            {(agencies.data ?? []).map((a) => (
              <option key={a.code} value={a.code}>
                {a.name} ({a.code})
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label className="form-label" htmlFor="userId">
            {t('devSignIn.user')}
          </label>
          <span className="form-hint" id="userId-hint">
            {t('devSignIn.userHint')}
          </span>
          <input
            className="form-input"
            id="userId"
            aria-describedby="userId-hint"
            value={userId}
            autoComplete="username"
            onChange={(e) => setUserId(e.target.value)}
          />
        </div>
        <Button type="submit">{t('devSignIn.submit')}</Button>
      </form>
    </>
  );
}
