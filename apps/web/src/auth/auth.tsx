// The one place that knows who is signed in and how a request says so.
//
// Sign-in is OpenID Connect authorization code + PKCE against the issuer the API names (oidc.ts). The session (the
// access token and what its claims say) lives in this tab's sessionStorage, never localStorage, so it ends with the
// tab and survives a reload. Every API request carries `Authorization: Bearer <access token>` (authHeaders, added by
// api/client.ts); a 401 ends the session and shows "Log ind" again. A few minutes before the token runs out a notice
// offers "Forbliv logget ind", which signs in again at the issuer (no password while its session lasts).
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { Alert, Button, Spinner } from '../components/dkfds';
import { CALLBACK_PATH, endSessionUrl, finishSignIn, readAccessClaims, startSignIn } from './oidc';
import { SignInPage, type SignInReason } from './SignInPage';

export interface Session {
  /** A user id (the token's subject), never a name: it is what the API records as assignee. */
  userId: string;
  /** The person's name as the issuer gives it; shown in the header. */
  displayName: string;
  /** The agency the person acts for, e.g. SSP. */
  agency: string;
  roles: string[];
  accessToken: string;
  idToken?: string;
  /** When the access token runs out, in milliseconds since the epoch. */
  expiresAt: number;
}

/** How long before the token runs out the notice appears. */
export const EXPIRY_WARNING_MS = 5 * 60_000;

const STORAGE_KEY = 'exit-pathways.session';
/** Set while the browser is away at the issuer's sign-out, so the page it comes back to says "Du er logget ud". */
const SIGNED_OUT_KEY = 'exit-pathways.signed-out';
const listeners = new Set<() => void>();
let current: Session | undefined = readStored();
/** Why there is no session, for the "Log ind" page. */
let reason: SignInReason = readSignedOut();

function readSignedOut(): SignInReason {
  const signedOut = window.sessionStorage.getItem(SIGNED_OUT_KEY) !== null;
  window.sessionStorage.removeItem(SIGNED_OUT_KEY);
  return signedOut ? 'signedOut' : 'none';
}

function readStored(): Session | undefined {
  try {
    const stored = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Session> | null;
    if (!stored?.accessToken) return undefined;
    const session = sessionFrom(stored.accessToken, stored.idToken);
    return session && session.expiresAt > Date.now() ? session : undefined;
  } catch {
    // A damaged entry is the same as none: the person signs in again.
    return undefined;
  }
}

function sessionFrom(accessToken: string, idToken: string | undefined): Session | undefined {
  const claims = readAccessClaims(accessToken);
  if (!claims) return undefined;
  return {
    userId: claims.sub,
    displayName: claims.name,
    agency: claims.agency,
    roles: claims.roles,
    accessToken,
    idToken,
    expiresAt: claims.exp * 1000,
  };
}

function publish(session: Session | undefined, why: SignInReason = 'none'): void {
  current = session;
  reason = why;
  if (session) {
    window.sessionStorage.setItem(
      STORAGE_KEY,
      JSON.stringify({ accessToken: session.accessToken, idToken: session.idToken }),
    );
  } else window.sessionStorage.removeItem(STORAGE_KEY);
  for (const listener of listeners) listener();
}

/** To the issuer's sign-in, then back to `returnTo` (an app path such as /opgaver?fane=ledige). */
export function signIn(returnTo: string): Promise<void> {
  return startSignIn(returnTo);
}

/** Ends the session here and, when the issuer offers it, there too ("Log ud"). */
export async function signOut(): Promise<void> {
  const idToken = current?.idToken;
  publish(undefined, 'signedOut');
  const url = await endSessionUrl(idToken);
  if (url) {
    window.sessionStorage.setItem(SIGNED_OUT_KEY, '1');
    window.location.assign(url);
  }
}

/** The API answered 401: the token is no longer good (expired, or the API's keys changed). */
export function sessionRejected(): void {
  if (current) publish(undefined, 'expired');
}

/** Headers that say who is acting, added to every API request by api/client.ts. */
export function authHeaders(): Record<string, string> {
  if (!current) return {};
  // The token alone says who acts: the API reads the person, agency and roles from it (apps/api/src/core/actor.ts).
  return { Authorization: `Bearer ${current.accessToken}` };
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | undefined {
  return useSyncExternalStore(subscribe, () => current);
}

/** The signed-in session; only for components rendered inside RequireSession. */
export function useRequiredSession(): Session {
  const session = useSession();
  if (!session) throw new Error('useRequiredSession outside RequireSession');
  return session;
}

/** The app path (below /app) of the page shown now, to come back to after signing in. */
function appPath(): string {
  const { pathname, search } = window.location;
  const path = pathname.startsWith('/app') ? pathname.slice('/app'.length) || '/' : '/';
  return `${path}${search}`;
}

export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const { pathname } = useLocation();
  if (`/app${pathname}` === CALLBACK_PATH) return <SignInCallback />;
  if (!session) return <SignInPage reason={reason} onSignIn={() => signIn(appPath())} />;
  return (
    <>
      <ExpiryNotice session={session} />
      {children}
    </>
  );
}

/** The code in one callback URL, traded once (React's StrictMode runs effects twice in development). */
let finishing: { search: string; returnTo: Promise<string> } | undefined;

function finishOnce(search: string): Promise<string> {
  if (finishing?.search !== search) {
    finishing = {
      search,
      returnTo: finishSignIn(search).then(({ tokens, returnTo }) => {
        const session = sessionFrom(tokens.accessToken, tokens.idToken);
        if (!session) throw new Error('the access token carries no agency');
        publish(session);
        // Only a path of this app: never an address someone put in the state.
        return returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/';
      }),
    };
  }
  return finishing.returnTo;
}

/** The issuer sent the browser back with a code: trade it for tokens, then go where the person was going. */
function SignInCallback() {
  const navigate = useNavigate();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    finishOnce(window.location.search).then(
      (returnTo) => {
        if (!cancelled) void navigate(returnTo, { replace: true });
      },
      () => {
        if (!cancelled) setFailed(true);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [navigate]);
  if (failed) return <SignInPage reason="failed" onSignIn={() => signIn('/')} />;
  return <Spinner />;
}

/** "Din session udløber snart" a few minutes before the token runs out; the session ends when it does. */
function ExpiryNotice({ session }: { session: Session }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 10_000);
    return () => window.clearInterval(timer);
  }, []);
  const left = session.expiresAt - now;
  useEffect(() => {
    if (left <= 0) publish(undefined, 'expired');
  }, [left]);
  if (left > EXPIRY_WARNING_MS || left <= 0) return null;
  const minutes = Math.max(1, Math.ceil(left / 60_000));
  return (
    <div className="session-expiry" role="region" aria-label={t('signIn.expiringHeading')}>
      <Alert tone="warning" heading={t('signIn.expiringHeading')}>
        <p>{t('signIn.expiring', { count: minutes })}</p>
        <Button onClick={() => void signIn(appPath()).catch(() => publish(undefined, 'failed'))}>
          {t('signIn.stay')}
        </Button>
      </Alert>
    </div>
  );
}
