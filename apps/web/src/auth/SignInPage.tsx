// "Log ind": the page shown whenever nobody is signed in in this tab. The button leaves for the issuer's own sign-in
// page (authorization code + PKCE, oidc.ts); passwords are never typed into this app.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, PageTitle } from '../components/dkfds';

/** Why the person sees this page: first visit, after "Log ud", after the session ran out, or a failed sign-in. */
export type SignInReason = 'none' | 'signedOut' | 'expired' | 'failed';

export function SignInPage({ reason, onSignIn }: { reason: SignInReason; onSignIn: () => Promise<void> }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [unavailable, setUnavailable] = useState(false);

  function start() {
    setBusy(true);
    setUnavailable(false);
    onSignIn().catch(() => {
      setBusy(false);
      setUnavailable(true);
    });
  }

  return (
    <>
      <PageTitle title={t('signIn.title')} />
      {reason === 'expired' && <Alert tone="info" heading={t('signIn.expired')} />}
      {reason === 'signedOut' && <Alert tone="success" heading={t('signIn.signedOut')} />}
      {reason === 'failed' && <Alert tone="error" heading={t('signIn.failed')} />}
      {unavailable && <Alert tone="error" heading={t('signIn.unavailable')} />}
      <p>{t('signIn.intro')}</p>
      <Button onClick={start} disabled={busy} aria-disabled={busy}>
        {t('signIn.submit')}
      </Button>
    </>
  );
}
