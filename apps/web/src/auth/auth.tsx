// The one place that knows who is signed in and how a request says so.
//
// Today (development only): a caseworker picks an agency and a user id on "Vælg myndighed" (DevSignInPage), kept
// for this browser tab in sessionStorage and sent as the X-Agency header the API reads until it verifies tokens.
// The OIDC sign-in (authorization code + PKCE against the issuer) replaces this module: `useSession` and
// `RequireSession` keep their shape, `authHeaders` returns `Authorization: Bearer <access token>` instead, and
// the sign-in page becomes a redirect to the issuer. Nothing else in the app names X-Agency.
import { useSyncExternalStore, type ReactNode } from 'react';
import { DevSignInPage } from './DevSignInPage';

export interface Session {
  /** A user id, never a name: it is what the API records as assignee. */
  userId: string;
  /** The agency the person acts for, e.g. SSP. */
  agency: string;
}

const STORAGE_KEY = 'exit-pathways.dev-session';
const listeners = new Set<() => void>();
let current: Session | undefined = readStored();

function readStored(): Session | undefined {
  try {
    const parsed = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Session> | null;
    if (parsed && typeof parsed.userId === 'string' && typeof parsed.agency === 'string') {
      return { userId: parsed.userId, agency: parsed.agency };
    }
  } catch {
    // A damaged entry is the same as none: the person chooses again.
  }
  return undefined;
}

function publish(session: Session | undefined): void {
  current = session;
  if (session) window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else window.sessionStorage.removeItem(STORAGE_KEY);
  for (const listener of listeners) listener();
}

export function signIn(session: Session): void {
  publish(session);
}

export function signOut(): void {
  publish(undefined);
}

/** Headers that say who is acting, added to every API request by api/client.ts. */
export function authHeaders(): Record<string, string> {
  return current ? { 'X-Agency': current.agency } : {};
}

export function useSession(): Session | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}

/** The signed-in session; only for components rendered inside RequireSession. */
export function useRequiredSession(): Session {
  const session = useSession();
  if (!session) throw new Error('useRequiredSession outside RequireSession');
  return session;
}

export function RequireSession({ children }: { children: ReactNode }) {
  return useSession() ? <>{children}</> : <DevSignInPage />;
}
