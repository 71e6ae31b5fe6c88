// DEVELOPMENT ONLY. The clients and the demo people who can sign in to the development issuer (scripts/dev-stack/dev-issuer.ts)
// and to the Keycloak realm of docker-compose.yml (deploy/keycloak/realm.json; test/unit/docker-compose.spec.ts
// keeps the two alike). Their passwords are published in README.md: nothing here is a secret, and none of these
// accounts may exist anywhere real.
import { AGENCY_SEED, AGENCY_SEED_V2, EXTERNAL_AGENCY_SEED, type Role } from '../../libs/domain/src';

export const DEV_ISSUER_DEFAULT_PORT = 4000;
/** The API's identifier at the issuer: the `aud` of every access token (an absolute URI, as RFC 8707 requires). */
export const DEV_AUDIENCE = 'urn:exit-pathways:api';
export const DEV_WEB_CLIENT_ID = 'exit-pathways-web';
export const DEV_TOKEN_CLIENT_ID = 'exit-pathways-dev-token';
/** A loopback redirect of a native client (RFC 8252 § 7.3); dev-token reads the code from the redirect, unserved. */
export const DEV_TOKEN_REDIRECT_URI = 'http://127.0.0.1/dev-token/callback';
/** Where the issuer may send the web app's code: the app under the API (`npm start`, port 3000) and Vite's dev server. */
export const DEV_WEB_REDIRECT_URIS = webRedirectUris(3000);

/** The web app's sign-in callbacks when the API listens on `apiPort` (and `npm run web:dev` on 5173). */
export function webRedirectUris(apiPort: number): string[] {
  return [apiPort, 5173].flatMap((port) =>
    ['127.0.0.1', 'localhost'].map((host) => `http://${host}:${port}/app/auth/callback`),
  );
}
/** The scope of the API's resource; a client asks for it to get an access token for the API. */
export const DEV_API_SCOPE = 'api';

export interface DevUser {
  username: string;
  password: string;
  /** A label, not a person: the display name shown for this account. */
  name: string;
  agency: string;
  roles: Role[];
}

/** What a caseworker's login is called for each agency of the partnership that has a queue of tasks. */
const CASEWORKER_LOGINS: Record<string, string> = {
  POLICE_EAS: 'eas-sagsbehandler',
  POLICE_EXIT: 'exit-sagsbehandler',
  POLICE_DKS: 'dks-sagsbehandler',
  POLICE_LOCAL: 'lokalpoliti-sagsbehandler',
  POLICE_OC: 'oc-sagsbehandler',
  SSP: 'ssp-sagsbehandler',
  EKI: 'eki-sagsbehandler',
  CFR: 'cfr-sagsbehandler',
  TIDLIG: 'tidlig-sagsbehandler',
  JOBCENTER: 'jobcenter-sagsbehandler',
  UU: 'uu-sagsbehandler',
  KRIMINALFORSORGEN: 'kriminalforsorgen-sagsbehandler',
  SSP_PLUS: 'sspplus-sagsbehandler',
  BORGERCENTER_BU: 'borgercenter-sagsbehandler',
};

const EXTERNAL_LOGINS: Record<string, string> = {
  BOLIGFORENING: 'ekstern-boligforening',
  MENTORKORPS: 'ekstern-mentor',
};

const agencyName = (code: string): string =>
  [...AGENCY_SEED, ...AGENCY_SEED_V2, ...EXTERNAL_AGENCY_SEED].find((agency) => agency.code === code)?.name ?? code;

function user(username: string, name: string, agency: string, roles: Role[]): DevUser {
  // One rule for every account, so the README's table can be trusted without looking here.
  return { username, password: `dev-${username}`, name, agency, roles };
}

export const DEV_USERS: readonly DevUser[] = [
  user('koordinator', 'Koordinator (projektleder)', 'POLICE_EAS', ['COORDINATOR']),
  // Closing or deregistering a pathway needs a second coordinator's confirmation.
  user('koordinator2', 'Koordinator 2 (EKI)', 'EKI', ['COORDINATOR']),
  ...Object.entries(CASEWORKER_LOGINS).map(([agency, login]) =>
    user(login, `Sagsbehandler, ${agencyName(agency)}`, agency, ['CASEWORKER']),
  ),
  user('ssp-teamleder', 'Teamleder, SSP København', 'SSP', ['CASEWORKER', 'TEAM_LEAD']),
  user('operativ-gruppe', 'Den operative styregruppe', 'OPERATIVE_GROUP', ['OPERATIVE_GROUP']),
  // A coordinator sitting in the operative group: its meeting decides tracks and closes pathways.
  user('operativ-koordinator', 'Koordinator i den operative styregruppe', 'OPERATIVE_GROUP', [
    'COORDINATOR',
    'OPERATIVE_GROUP',
  ]),
  user('sikker-by', 'Styregruppen for Sikker By', 'SIKKER_BY', ['STEERING']),
  user('leder', 'Leder, EKI', 'EKI', ['MANAGER']),
  user('revisor', 'Revisor', 'SIKKER_BY', ['AUDITOR']),
  user('admin', 'Administrator', 'POLICE_EAS', ['ADMIN']),
  ...Object.entries(EXTERNAL_LOGINS).map(([agency, login]) =>
    user(login, `Ekstern partner, ${agencyName(agency)}`, agency, ['CASEWORKER']),
  ),
];

export function findDevUser(username: string): DevUser | undefined {
  return DEV_USERS.find((candidate) => candidate.username === username);
}
