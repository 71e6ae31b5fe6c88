// The web app in a real browser against the real stack and the development issuer: people sign in through the
// issuer's own login form (authorization code + PKCE), an SSP caseworker works the agency queue in Danish, a
// coordinator reads the pathways, and a session running out warns first. Every page is photographed into
// test-results/e2e and checked with axe-core.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { birthDateForAge, http, pathwayRequest, type TestStack } from '../support/stack';
import { launchBrowser, openPage, screenshot, seriousViolations, type AppPage } from './support/browser';
import { allowAndReturn, fillIssuerLogin, startSignInStack, type SignInStack } from './support/sign-in';
import { findDevUser } from '../../scripts/dev-stack/dev-accounts';

const HOME_VISIT = 'Forebyggende hjemmebesøg hos forældrene sammen med DKS';
const STARTED_NAME = 'Ung Voksen Formularsen';
const STARTED_CONTEXT = 'Set ved Mjølnerparken sammen med kendte medlemmer';

/** A calendar date `days` from today, typed the Danish way (dd.mm.åååå), in Copenhagen. */
function danishDateIn(days: number): string {
  const date = new Date(Date.now() + days * 24 * 3600_000);
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(date).split('-');
  return `${d}.${m}.${y}`;
}

describe('web app', () => {
  let signIns: SignInStack;
  let stack: TestStack;
  let browser: Browser;
  let app: AppPage;
  let page: Page;
  const pathwayIds: string[] = [];

  /** A photograph of the page for the record, and no serious accessibility problem on it. */
  async function look(name: string): Promise<void> {
    await screenshot(page, name);
    expect({ page: name, violations: await seriousViolations(page) }).toEqual({ page: name, violations: [] });
    expect(app.problems).toEqual([]);
  }

  /** Where the keyboard focus is (runs in the page, whose DOM the test's Node types do not know). */
  const focusedElement = () =>
    page.evaluate(() => {
      const active = (globalThis as any).document.activeElement as { id: string; className: string } | null;
      return { id: active?.id ?? '', className: active?.className ?? '' };
    });
  const queueRows = () => page.locator('table.queue-table tbody tr');
  /** The number of queue rows once it is `expected` (the list refreshes after the server answers), or after 10 s. */
  async function rowsEventually(expected: number): Promise<number> {
    const deadline = Date.now() + 10_000;
    let count = await queueRows().count();
    while (count !== expected && Date.now() < deadline) {
      await page.waitForTimeout(100);
      count = await queueRows().count();
    }
    return count;
  }

  /** From the app's "Log ind" page through the issuer's login form (a demo account of README.md) and back. */
  async function signIn(username: string): Promise<void> {
    await page.getByRole('heading', { level: 1, name: 'Log ind' }).waitFor();
    await page.getByRole('button', { name: 'Log ind' }).click();
    await fillIssuerLogin(page, username);
    await allowAndReturn(page);
  }

  /** "Log ud" in the app, then "yes" at the issuer, which sends the browser back to the app's "Log ind" page. */
  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: 'Log ud' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Log ind' }).waitFor();
    await page.getByText('Du er logget ud.').waitFor();
  }

  /** Whoever is signed in (or no one, after a rejected token), `username` is signed in afterwards. */
  async function switchTo(username: string): Promise<void> {
    await page.goto('/app/opgaver');
    const signedOut = page.getByRole('heading', { level: 1, name: 'Log ind' });
    const signedIn = page.getByRole('button', { name: 'Log ud' });
    await signedOut.or(signedIn).first().waitFor();
    if (await signedOut.isVisible()) {
      // A token the API rejected (401) ends the app's session, not the issuer's: "Log ind" may come straight back
      // signed in as the person before, who then signs out at the issuer too.
      await page.getByRole('button', { name: 'Log ind' }).click();
      const issuerForm = page.getByRole('heading', { level: 1, name: 'Sign in to Exit Pathways' });
      await issuerForm.or(signedIn).first().waitFor();
      if (await issuerForm.isVisible()) {
        await fillIssuerLogin(page, username);
        await allowAndReturn(page);
        return;
      }
    }
    await signOut();
    await signIn(username);
  }

  beforeAll(async () => {
    signIns = await startSignInStack();
    stack = signIns.stack;
    for (const name of ['Testperson Nørrebro', 'Anden Testperson']) {
      const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 16, name }), {
        as: 'lokalpoliti-sagsbehandler',
      });
      expect(created.status).toBe(201);
      pathwayIds.push(created.body.id);
    }
    browser = await launchBrowser();
    app = await openPage(browser, stack.baseUrl);
    page = app.page;
  });
  afterAll(async () => {
    await app?.context.close();
    await browser?.close();
    await signIns?.stop();
  });

  it('serves the app under /app/ and leaves the API its paths', async () => {
    const root = await fetch(`${stack.baseUrl}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/app/']);
    const deep = await fetch(`${stack.baseUrl}/app/opgaver/${randomUUID()}`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');
    const missingAsset = await fetch(`${stack.baseUrl}/app/assets/missing.js`);
    expect(missingAsset.status).toBe(404);
    const agencies = await http(stack, 'GET', '/agencies', undefined, { as: 'koordinator' });
    expect(agencies.status).toBe(200);
    expect(Array.isArray(agencies.body)).toBe(true);

    // The app learns where to sign in from the API; the browser may talk to that issuer and to nothing else.
    const config = await fetch(`${stack.baseUrl}/app/config.json`);
    expect(await config.json()).toEqual({
      issuer: signIns.issuer.issuer,
      clientId: 'exit-pathways-web',
      audience: 'urn:exit-pathways:api',
    });
    const csp = (await fetch(`${stack.baseUrl}/app/`)).headers.get('content-security-policy') ?? '';
    expect(csp.split(';')).toContain(`connect-src 'self' ${signIns.issuer.issuer}`);
  });

  it('lets an SSP caseworker take "Næste opgave", complete it and see the queue move', async () => {
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Log ind' }).waitFor();
    await look('01-log-ind');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.getByLabel('User name').waitFor();
    await look('01b-udsteder-log-ind');
    await fillIssuerLogin(page, 'ssp-sagsbehandler');
    await allowAndReturn(page);
    expect(await page.locator('.portal-user .user').innerText()).toContain('SSP');

    await page.getByRole('heading', { level: 1, name: 'Mine opgaver' }).waitFor();
    await page.getByText('Du har ingen opgaver.').waitFor();
    await look('02-mine-opgaver-tom');

    await page.getByRole('link', { name: 'Ikke tildelt' }).click();
    await page.getByRole('heading', { level: 1, name: 'Afdelingens opgaver' }).waitFor();
    expect(await rowsEventually(2)).toBe(2);
    expect(page.url()).toContain('/app/opgaver?fane=ledige');
    const firstRow = await queueRows().first().innerText();
    expect(firstRow).toContain(HOME_VISIT);
    expect(firstRow).toContain('Kontakt');
    expect(firstRow).toMatch(/om \d+ arbejdsdage/);
    expect(firstRow).toContain('Ikke tildelt');
    await look('03-afdelingens-opgaver');

    // A filter is a removable tag and lives in the URL.
    await page.getByRole('link', { name: 'Vis kun forfaldne' }).click();
    await page.getByText('Ingen opgaver passer til filtrene.').waitFor();
    expect(page.url()).toContain('forfaldne=ja');
    await page.getByRole('button', { name: 'Fjern filteret Kun forfaldne' }).click();
    expect(await rowsEventually(2)).toBe(2);
    expect(page.url()).not.toContain('forfaldne');

    // Keyboard only: the page's heading has the focus, the next stop is "Næste opgave", Enter takes the task.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Afdelingens opgaver' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent)).toBe('Næste opgave');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: HOME_VISIT }).waitFor();
    const about = await page.locator('.task-identity').innerText();
    expect(about).toMatch(/Testperson Nørrebro|Anden Testperson/);
    expect(about).toContain('I gang');
    // Who took it, by name: the task is the viewer's own agency's (the API shows others only that it is claimed).
    expect(about).toContain(findDevUser('ssp-sagsbehandler')!.name);
    expect(about).toMatch(/om \d+ arbejdsdage/);
    await look('04-opgave');

    // No outcome chosen: the API's 400 comes back as a Danish error summary naming the field, and nothing changes.
    await page.getByRole('button', { name: 'Afslut opgave' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('Der er et problem');
    await page.getByRole('link', { name: 'Udfald: skal udfyldes' }).waitFor();
    expect(await focusedElement()).toEqual({ id: '', className: 'alert alert-error error-summary' });
    await look('05-opgave-fejl');
    await page.getByRole('link', { name: 'Udfald: skal udfyldes' }).click();
    expect((await focusedElement()).id).toBe('outcome');

    // The outcomes the task allows, each with what it does; a note for the own agency.
    for (const choice of ['Udført', 'Takket nej til tilbuddet', 'Ikke truffet', 'Ikke relevant'])
      await page.getByRole('radio', { name: choice }).waitFor();
    await page.getByRole('radio', { name: 'Udført' }).check();
    await page.getByLabel('Note til din egen myndighed (valgfri)').fill('Hjemmebesøg gennemført med forældrene');
    await look('05b-opgave-udfald');
    await page.getByRole('button', { name: 'Afslut opgave' }).click();
    await page.getByText('Opgaven er afsluttet.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Afdelingens opgaver' }).waitFor();
    expect(page.url()).toContain('/app/opgaver?fane=ledige');
    expect(await rowsEventually(1)).toBe(1);
    await look('06-koeen-efter');

    const ssp = await http(stack, 'GET', '/agencies/SSP/tasks', undefined, { as: 'ssp-sagsbehandler' });
    expect(ssp.body.items).toHaveLength(1);

    // "Back" returns to the same list; the browser keeps the tab in the URL.
    await page.getByRole('link', { name: 'Mine' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mine opgaver' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Afdelingens opgaver' }).waitFor();

    // The last unclaimed task taken, "Næste opgave" says there is none and the list says what to do.
    await page.getByRole('button', { name: 'Næste opgave' }).click();
    await page.getByRole('heading', { level: 1, name: HOME_VISIT }).waitFor();
    await page.getByRole('link', { name: 'Tilbage til opgaverne' }).click();
    await page.getByText('Der er ingen ledige opgaver i køen.').waitFor();
    await page.getByRole('button', { name: 'Næste opgave' }).click();
    await page.getByText('Der er ingen ledige opgaver i køen lige nu.').waitFor();
    await look('06b-ingen-ledige');
  });

  it("shows a coordinator the pathways and one pathway's timeline, newest first, in Danish or English", async () => {
    await page.goto('/app/opgaver');
    await signOut();
    await look('08b-logget-ud');
    // Signed out at the issuer too: the next sign-in asks for the password again.
    await signIn('koordinator');
    await page.getByRole('heading', { level: 1, name: 'Mine opgaver' }).waitFor();

    await page.getByRole('link', { name: 'Forløb', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Forløb' }).waitFor();
    const rows = page.locator('table.pathway-table tbody tr');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    const listText = await page.locator('main').innerText();
    expect(listText).toContain('Ydre Nørrebro');
    expect(listText).not.toContain('Testperson');
    await look('09-forloeb');

    await page.getByRole('combobox', { name: 'Fase' }).selectOption('CUSTODY');
    await page.getByRole('button', { name: 'Vis' }).click();
    await page.getByText('Ingen forløb passer til filtrene.').waitFor();
    expect(page.url()).toContain('fase=CUSTODY');
    await page.goBack();
    await rows.nth(1).waitFor();

    await rows.first().getByRole('link').click();
    await page
      .getByRole('heading', { level: 1, name: /^Forløb for (Testperson Nørrebro|Anden Testperson)$/ })
      .waitFor();
    const openTasks = await page.locator('.open-tasks').innerText();
    expect(openTasks).toContain('Registrering og analyse af personen – Efterretnings- og Analysesektionen');
    const entries = page.locator('ol.timeline > li');
    const times = await entries
      .locator('time')
      .evaluateAll((nodes) => nodes.map((n) => (n as unknown as { dateTime: string }).dateTime));
    expect(times.length).toBeGreaterThan(2);
    expect(times).toEqual([...times].sort().reverse());
    expect(await entries.last().innerText()).toContain('Forløbet er startet');
    await look('10-et-forloeb');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: /^Pathway for / }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.lang)).toBe('en');
    expect(await entries.last().innerText()).toContain('Pathway started');
    await look('11-et-forloeb-engelsk');
    await page.getByRole('button', { name: 'Dansk' }).click();
    await page.getByRole('heading', { level: 1, name: /^Forløb for / }).waitFor();
  });

  it('says so, kindly, when a task does not exist or belongs to another agency', async () => {
    await page.goto('/app/opgaver');
    await signOut();
    await signIn('ssp-sagsbehandler');
    await page.goto(`/app/opgaver/${randomUUID()}`);
    await page.getByRole('heading', { level: 1, name: 'Siden findes ikke' }).waitFor();
    await look('07-findes-ikke');

    const eas = await http(stack, 'GET', '/agencies/POLICE_EAS/tasks', undefined, { as: 'koordinator' });

    const easTask = eas.body.items[0].id as string;
    await page.goto(`/app/opgaver/${easTask}`);
    await page.getByRole('heading', { level: 1, name: 'Du har ikke adgang' }).waitFor();
    await look('08-ingen-adgang');
    expect(await page.content()).not.toContain('Testperson');
  });
  it('shows SSP why its task was cancelled as a neutral code, never the operative group’s words', async () => {
    // Still signed in as the SSP caseworker. A new pathway gives SSP a home visit; the operative group cancels it
    // with words that must not reach SSP.
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 16, name: 'Annulleret Testesen' }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    const sspTask = created.body.tasks.find((t: { agency: string }) => t.agency === 'SSP').id as string;
    const words = 'Personen følges alene efterforskningsmæssigt';
    const cancelled = await http(
      stack,
      'POST',
      `/tasks/${sspTask}/cancel`,
      { reason: words },
      { as: 'operativ-gruppe' },
    );
    expect(cancelled.status).toBe(200);
    await page.goto(`/app/opgaver/${sspTask}`);
    await page.getByText('Opgaven er ikke længere nødvendig').waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain('Annulleret');
    expect(text).not.toContain('efterforskningsmæssigt');
    await look('08c-annulleret-opgave');
  });

  it('goes back to "Log ind" when the API no longer accepts the token (401)', async () => {
    await page.goto('/app/opgaver');
    await page.getByRole('heading', { level: 1, name: 'Mine opgaver' }).waitFor();
    // As the API answers a token it has stopped accepting (its keys rotated, the person disabled at the issuer).
    const sent: Record<string, string>[] = [];
    await page.route('**/agencies/*/tasks?**', (route) => {
      sent.push(route.request().headers());
      return route.fulfill({ status: 401, contentType: 'application/json', body: '{"message":"token expired"}' });
    });
    try {
      await page.getByRole('link', { name: 'Ikke tildelt' }).click();
      await page.getByRole('heading', { level: 1, name: 'Log ind' }).waitFor();
      await page.getByText('Din session er udløbet. Log ind igen for at fortsætte.').waitFor();
      expect(await page.getByRole('button', { name: 'Log ud' }).count()).toBe(0);
      // What the app sent: the signed-in person's access token, and no header that names an agency by itself.
      const [token, agency] = [sent[0]?.authorization ?? '', sent[0]?.['x-agency']];
      expect(token).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
      expect({ sub: claims.sub, agency: claims.agency, iss: claims.iss, agencyHeader: agency }).toEqual({
        sub: 'ssp-sagsbehandler',
        agency: 'SSP',
        iss: signIns.issuer.issuer,
        agencyHeader: undefined,
      });
    } finally {
      await page.unroute('**/agencies/*/tasks?**');
    }
  });

  it('warns before the session runs out, keeps the person signed in on "Forbliv logget ind", and asks again after', async () => {
    // A browser of its own whose clock the test moves; the issuer and the API keep real time.
    const other = await openPage(browser, stack.baseUrl);
    try {
      await other.context.clock.install();
      const tab = other.page;
      // A deep link while signed out: after signing in the person lands where they were going.
      await tab.goto('/app/opgaver?fane=ledige');
      await tab.getByRole('heading', { level: 1, name: 'Log ind' }).waitFor();
      await tab.getByRole('button', { name: 'Log ind' }).click();
      await fillIssuerLogin(tab, 'ssp-teamleder');
      await allowAndReturn(tab);
      await tab.getByRole('heading', { level: 1, name: 'Afdelingens opgaver' }).waitFor();
      expect(new URL(tab.url()).search).toBe('?fane=ledige');
      const notice = tab.getByRole('region', { name: 'Din session udløber snart' });
      expect(await notice.isVisible()).toBe(false);

      // The access token lives an hour: 56 minutes later, 4 are left.
      await other.context.clock.fastForward('56:00');
      await notice.waitFor();
      expect(await notice.innerText()).toContain('Du bliver logget ud om 4 minutter');
      await screenshot(tab, '12-session-udloeber');
      expect(await seriousViolations(tab)).toEqual([]);

      // Keyboard only: from the page's heading one step back is "Forbliv logget ind"; the issuer still knows the
      // person, so no password is asked and the same list comes back.
      await tab.getByRole('heading', { level: 1, name: 'Afdelingens opgaver' }).focus();
      await tab.keyboard.press('Shift+Tab');
      expect(await tab.evaluate(() => (globalThis as any).document.activeElement?.textContent)).toBe(
        'Forbliv logget ind',
      );
      await tab.keyboard.press('Enter');
      await tab.waitForURL(/\/app\/opgaver\?fane=ledige$/);
      await tab.getByRole('heading', { level: 1, name: 'Afdelingens opgaver' }).waitFor();
      expect(await tab.getByRole('button', { name: 'Log ud' }).isVisible()).toBe(true);

      // Past the token's end the app signs the person out and says why.
      await other.context.clock.fastForward('10:00');
      await tab.getByRole('heading', { level: 1, name: 'Log ind' }).waitFor();
      await tab.getByText('Din session er udløbet. Log ind igen for at fortsætte.').waitFor();
      await screenshot(tab, '13-session-udloebet');
      expect(await seriousViolations(tab)).toEqual([]);
      expect(await tab.evaluate(() => (globalThis as any).localStorage.length)).toBe(0);
      expect(other.problems).toEqual([]);
    } finally {
      await other.context.close();
    }
  });
  it('lets a coordinator start a pathway through the form, record arrest, remand, sentence and release, and see the release tasks', async () => {
    await switchTo('koordinator');
    await page.getByRole('link', { name: 'Forløb', exact: true }).click();
    await page.getByRole('link', { name: 'Start forløb' }).click();
    await page.getByRole('heading', { level: 1, name: 'Start forløb' }).waitFor();

    // Nothing filled in: the error summary names each field in Danish and links to it; nothing is sent.
    await page.getByRole('button', { name: 'Næste' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('Skriv personens navn.');
    expect(await summary.innerText()).toContain('Vælg en bydel.');
    await look('14-start-forloeb-fejl');
    await page.getByLabel('Fødselsdato').fill('31.02.2006');
    await page.getByLabel('Navn').fill(STARTED_NAME);
    await page.getByLabel('Bydel').selectOption({ label: 'Indre Nørrebro' });
    await page.getByRole('button', { name: 'Næste' }).click();
    await page.getByRole('link', { name: 'Skriv datoen som dd.mm.åååå, fx 17.05.2010.' }).click();
    expect((await focusedElement()).id).toBe('birthDate');
    await page.getByLabel('Fødselsdato').fill(danishDateIn(-20 * 365));
    await page.getByRole('button', { name: 'Næste' }).click();

    await page.getByRole('heading', { level: 2, name: 'Trin 2 af 3: Kontakt' }).waitFor();
    await page.getByLabel('Hvad skete der').fill(STARTED_CONTEXT);
    await page.getByRole('button', { name: 'Næste' }).click();
    await page.getByRole('heading', { level: 2, name: 'Trin 3 af 3: Opsummering' }).waitFor();
    const review = await page.locator('.summary-list').innerText();
    expect(review).toContain(STARTED_NAME);
    expect(review).toContain('Indre Nørrebro');
    expect(review).toContain('Efterretnings- og Analysesektionen');
    await look('15-start-forloeb-opsummering');

    // One Idempotency-Key for the form: the request that starts the pathway carries it.
    const started = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/pathways');
    await page.getByRole('button', { name: 'Start forløb' }).click();
    expect((await started).headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: `Forløb for ${STARTED_NAME}` }).waitFor();
    await page.getByText('Forløbet er startet.').waitFor();
    await page.locator('.timeline-chart canvas').first().waitFor();
    expect(await page.locator('.open-tasks').innerText()).toContain('Registrering og analyse af personen');
    await look('16-forloeb-startet');

    const stage = () => page.locator('.identity-list').innerText();
    /** Checks the event (what it will do, from the workflow's rules), then records it; what the check said. */
    async function record(
      event: string,
      fields: Record<string, string> = {},
      beforeRecording?: () => Promise<void>,
    ): Promise<string> {
      await page.getByLabel('Hændelse', { exact: true }).selectOption({ label: event });
      for (const [label, value] of Object.entries(fields)) await page.getByLabel(label).fill(value);
      await page.getByRole('button', { name: 'Kontrollér hændelsen' }).click();
      await page.getByRole('heading', { level: 3, name: `Kontrollér: ${event}` }).waitFor();
      // The keyboard goes on from what the event will do.
      expect((await focusedElement()).id).toBe('event-check-heading');
      const checked = await page.locator('.event-check').innerText();
      await beforeRecording?.();
      await page.getByRole('button', { name: 'Registrér hændelse' }).click();
      await page.getByText(`Hændelsen »${event}« er registreret.`).waitFor();
      expect(await page.locator('.event-check').count()).toBe(0);
      return checked;
    }

    // Out after an arrest that never happened: the workflow refuses (409) and the page says why in Danish.
    // The check asks the workflow, so the refusal comes before anything could be recorded.
    await page.getByLabel('Hændelse', { exact: true }).selectOption({ label: 'Løsladt efter anholdelse' });
    await page.getByRole('button', { name: 'Kontrollér hændelsen' }).click();
    await page.getByText('Der er ingen anholdelse eller varetægtsfængsling uden dom at blive løsladt fra.').waitFor();
    expect(await page.locator('.event-check').count()).toBe(0);
    await look('17-haendelse-afvist');

    // Each event goes with an Idempotency-Key, so a retry after a lost answer or a 503 records it once.
    const arrest = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/events'));
    await record('Anholdt');
    expect((await arrest).headers()['idempotency-key']).toMatch(/^[0-9a-f-]{32,36}$/);
    await record('Varetægtsfængslet');
    expect(await stage()).toContain('Frihedsberøvelse');
    // Only what custody takes is offered now; a new arrest is not news.
    const offered = await page.getByLabel('Hændelse', { exact: true }).locator('option').allInnerTexts();
    expect(offered).toContain('Dømt');
    expect(offered).not.toContain('Anholdt');
    await page.getByLabel('Hændelse', { exact: true }).selectOption({ label: 'Dømt' });
    await page.getByLabel('Tidligste prøveløsladelse (2/3-tid) (kan udelades)').fill('1.1.20');
    await page.getByRole('button', { name: 'Kontrollér hændelsen' }).click();
    await page.getByRole('link', { name: 'Skriv datoen som dd.mm.åååå, fx 17.05.2010.' }).waitFor();
    await record('Dømt', {
      'Tidligste prøveløsladelse (2/3-tid) (kan udelades)': danishDateIn(200),
      'Fuldtid (kan udelades)': danishDateIn(300),
    });
    expect(await stage()).toContain('Forventet løsladelse');
    // Before it is recorded, the release says where the pathway goes and which work it opens, with deadlines.
    const timelineBefore = await page.locator('ol.timeline').innerText();
    const checked = await record('Løsladt', {}, async () => {
      // Checking recorded nothing.
      expect(await page.locator('ol.timeline').innerText()).toBe(timelineBefore);
      await look('17b-haendelse-kontroller');
    });
    expect(checked).toContain('Forløbet går videre til fasen »Reintegration«.');
    expect(checked).toMatch(
      /Opfølgningsmøde inden for 3 dage efter løsladelsen hos .+, frist \d{1,2}\. [a-z]+\.? \d{4}/,
    );
    expect(await stage()).toContain('Reintegration');
    const open = await page.locator('.open-tasks').innerText();
    expect(open).toContain('Opfølgningsmøde inden for 3 dage efter løsladelsen');
    expect(open).toContain('Job- eller uddannelsesplacering – Jobcenter');
    const list = await page.locator('ol.timeline').innerText();
    for (const event of ['Anholdt', 'Varetægtsfængslet', 'Dømt', 'Løsladt']) expect(list).toContain(event);
    // The picture names the stages the pathway went through, for those who cannot see it.
    const picture = (await page.locator('.timeline-chart').getAttribute('aria-label')) ?? '';
    expect(picture).toContain('Faser: Kontakt, Frihedsberøvelse, Reintegration');
    await look('18-forloeb-loesladt');
  });

  it('lets a coordinator find a person by name or birth date, warns of someone already known at Start forløb, and corrects a birth date', async () => {
    await switchTo('koordinator');
    await page.getByRole('link', { name: 'Forløb', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Find en person' }).waitFor();
    // Nothing to search by: the form says so and sends nothing.
    await page.getByRole('button', { name: 'Søg', exact: true }).click();
    await page.getByText('Skriv et navn eller en fødselsdato.').first().waitFor();
    // Another spelling of ø finds the person; the search is in the URL, so "back" returns to it.
    await page.getByLabel('Navn', { exact: true }).fill('testperson NOERREBRO');
    await page.getByRole('button', { name: 'Søg', exact: true }).click();
    const results = page.locator('table.person-results');
    await results.waitFor();
    expect(await results.innerText()).toContain('Testperson Nørrebro');
    expect(new URL(page.url()).searchParams.get('navn')).toBe('testperson NOERREBRO');
    await look('40-forloeb-soegning');
    await results.getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: 'Forløb for Testperson Nørrebro' }).waitFor();
    await page.goBack();
    await results.waitFor();

    // Start forløb for the same name and birth date: the summary shows the candidate with a link and asks why.
    const [y, m, d] = birthDateForAge(16).split('-');
    await page.getByRole('link', { name: 'Start forløb' }).click();
    await page.getByLabel('Navn').fill('Testperson Nørrebro');
    await page.getByLabel('Fødselsdato').fill(`${d}.${m}.${y}`);
    await page.getByLabel('Bydel').selectOption({ label: 'Ydre Nørrebro' });
    await page.getByRole('button', { name: 'Næste' }).click();
    await page.getByLabel('Hvad skete der').fill('Set igen ved skolen');
    await page.getByRole('button', { name: 'Næste' }).click();
    await page.getByRole('button', { name: 'Start forløb' }).click();
    const warning = page.locator('.duplicate-warning');
    await warning.getByText('Personen kan allerede være kendt').waitFor();
    const candidates = warning.getByRole('link', { name: /^Testperson Nørrebro, født/ });
    expect(await candidates.count()).toBe(1);
    expect(await candidates.first().getAttribute('href')).toBe(`/app/forloeb/${pathwayIds[0]}`);
    await look('41-start-forloeb-dublet');
    // Starting anyway needs a reason, which is sent with the request.
    await page.getByRole('button', { name: 'Start forløb alligevel' }).click();
    await page.getByText('Skriv, hvorfor forløbet skal startes alligevel.').first().waitFor();
    await page
      .getByLabel('Begrundelse for at starte alligevel')
      .fill('En anden person med samme navn; bekræftet af SSP');
    const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/pathways');
    await page.getByRole('button', { name: 'Start forløb alligevel' }).click();
    expect((await sent).postDataJSON().duplicateOverride).toEqual({
      reason: 'En anden person med samme navn; bekræftet af SSP',
    });
    await page.getByRole('heading', { level: 1, name: 'Forløb for Testperson Nørrebro' }).waitFor();
    await page.getByText('Forløbet er startet.').waitFor();
    await look('42-forloeb-startet-trods-dublet');

    // The birth date was wrong: the coordinator corrects it with a reason; the home visits for minors end.
    await page.getByText('Vis formularen').click();
    await page.getByRole('button', { name: 'Ret personoplysninger' }).click();
    await page.getByText('Skriv et rigtigt navn, en rigtig fødselsdato eller begge.').waitFor();
    await page.getByText('Skriv, hvorfor oplysningerne rettes.').waitFor();
    await page.getByLabel('Rigtig fødselsdato').fill(danishDateIn(-20 * 365));
    await page.getByLabel('Begrundelse', { exact: true }).fill('Fødselsdato fra CPR');
    await page.getByRole('button', { name: 'Ret personoplysninger' }).click();
    await page.getByText('Personoplysningerne er rettet.').waitFor();
    expect(await page.locator('ol.timeline').innerText()).toContain('Personoplysninger rettet');
    expect(await page.locator('.open-tasks').innerText()).not.toContain('hjemmebesøg');
    await look('43-forloeb-personoplysninger-rettet');
  });

  it('shows a Jobcenter caseworker the person in its queue and on its task, but not the gang context', async () => {
    const jobcenter = await http(stack, 'GET', '/agencies/JOBCENTER/tasks', undefined, {
      as: 'jobcenter-sagsbehandler',
    });
    const task = (jobcenter.body.items as { id: string; title: string }[]).find(
      (t) => t.title === 'Job- eller uddannelsesplacering',
    );
    expect(task).toBeDefined();
    await switchTo('jobcenter-sagsbehandler');
    // The queue names the person (the API answers what the caller may see), so the caseworker can act on the row.
    await page.getByRole('link', { name: 'Ikke tildelt' }).click();
    await page.getByRole('columnheader', { name: 'Person' }).waitFor();
    const row = queueRows().filter({ hasText: 'Job- eller uddannelsesplacering' });
    expect(await row.innerText()).toContain(STARTED_NAME);
    await look('19a-jobcenter-koe');
    await page.goto(`/app/opgaver/${task!.id}`);
    await page.getByRole('heading', { level: 1, name: 'Job- eller uddannelsesplacering' }).waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain(STARTED_NAME);
    expect(text).not.toContain('Kontekst');
    expect(text).not.toContain('Mjølnerparken');
    await look('19-jobcenter-opgave');
  });

  it('says "Prøv igen om lidt" when the API answers 503, and stops saying it once it answers again', async () => {
    await switchTo('jobcenter-sagsbehandler');
    await page.getByRole('heading', { level: 1, name: 'Mine opgaver' }).waitFor();
    await page.route('**/agencies/*/tasks?**', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        headers: { 'Retry-After': '7' },
        body: JSON.stringify({
          statusCode: 503,
          code: 'DATABASE_UNAVAILABLE',
          message: 'the database does not answer',
        }),
      }),
    );
    try {
      await page.getByRole('link', { name: 'Ikke tildelt' }).click();
      const notice = page.locator('.unavailable-notice');
      await notice.getByText('Prøv igen om lidt').waitFor();
      expect(await notice.innerText()).toContain('Siden prøver selv igen om 7 sekunder.');
      await look('20-proev-igen-om-lidt');
    } finally {
      await page.unroute('**/agencies/*/tasks?**');
    }
    await page.getByRole('button', { name: 'Prøv igen nu' }).click();
    await page.locator('.unavailable-notice').waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1, name: 'Afdelingens opgaver' }).waitFor();
  });
});
