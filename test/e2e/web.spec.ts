// The web app in a real browser against the real stack: an SSP caseworker works the agency queue in Danish.
// Every page is photographed into test-results/e2e and checked with axe-core.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { http, pathwayRequest, startStack, type TestStack } from '../support/stack';
import { launchBrowser, openPage, screenshot, seriousViolations, type AppPage } from './support/browser';

const HOME_VISIT = 'Forebyggende hjemmebesøg hos forældrene sammen med DKS';

describe('web app', () => {
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

  /** The dev-only "Vælg myndighed" page, until sign-in goes through the OpenID Provider. */
  async function signIn(agency: string, userId: string): Promise<void> {
    await page.getByLabel('Myndighed').selectOption(agency);
    await page.getByLabel('Bruger-id').fill(userId);
    await page.getByRole('button', { name: 'Fortsæt' }).click();
  }

  beforeAll(async () => {
    stack = await startStack();
    for (const name of ['Testperson Nørrebro', 'Anden Testperson']) {
      const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 16, name }));
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
    await stack?.stop();
  });

  it('serves the app under /app/ and leaves the API its paths', async () => {
    const root = await fetch(`${stack.baseUrl}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/app/']);
    const deep = await fetch(`${stack.baseUrl}/app/opgaver/${randomUUID()}`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');
    const missingAsset = await fetch(`${stack.baseUrl}/app/assets/missing.js`);
    expect(missingAsset.status).toBe(404);
    const agencies = await http(stack, 'GET', '/agencies');
    expect(agencies.status).toBe(200);
    expect(Array.isArray(agencies.body)).toBe(true);
  });

  it('lets an SSP caseworker take "Næste opgave", complete it and see the queue move', async () => {
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Vælg myndighed' }).waitFor();
    await page.getByText('Kun til udvikling').waitFor();
    await look('01-vaelg-myndighed');

    await signIn('SSP', 'ssp-sagsbehandler');

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
    expect(about).toContain('ssp-sagsbehandler');
    expect(about).toMatch(/om \d+ arbejdsdage/);
    await look('04-opgave');

    // A blank outcome: the API's 400 comes back as a Danish error summary naming the field, and nothing changes.
    await page.getByLabel('Udfald').fill('   ');
    await page.getByRole('button', { name: 'Afslut opgave' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('Der er et problem');
    await page.getByRole('link', { name: 'Udfald: må ikke være tom' }).waitFor();
    expect(await focusedElement()).toEqual({ id: '', className: 'alert alert-error error-summary' });
    await look('05-opgave-fejl');
    await page.getByRole('link', { name: 'Udfald: må ikke være tom' }).click();
    expect((await focusedElement()).id).toBe('outcome');

    await page.getByLabel('Udfald').fill('Hjemmebesøg gennemført med forældrene');
    await page.getByRole('button', { name: 'Afslut opgave' }).click();
    await page.getByText('Opgaven er afsluttet.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Afdelingens opgaver' }).waitFor();
    expect(page.url()).toContain('/app/opgaver?fane=ledige');
    expect(await rowsEventually(1)).toBe(1);
    await look('06-koeen-efter');

    const ssp = await http(stack, 'GET', '/agencies/SSP/tasks');
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
    if (await page.getByRole('button', { name: 'Log ud' }).isVisible()) {
      await page.getByRole('button', { name: 'Log ud' }).click();
    }
    await page.getByRole('heading', { level: 1, name: 'Vælg myndighed' }).waitFor();
    await signIn('OPERATIVE_GROUP', 'koordinator-1');
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
    await page.goto(`/app/opgaver/${randomUUID()}`);
    await page.locator('h1').waitFor();
    if (await page.getByRole('button', { name: 'Log ud' }).isVisible()) {
      await page.getByRole('button', { name: 'Log ud' }).click();
    }
    await signIn('SSP', 'ssp-sagsbehandler');
    await page.getByRole('heading', { level: 1, name: 'Siden findes ikke' }).waitFor();
    await look('07-findes-ikke');

    const eas = await http(stack, 'GET', '/agencies/POLICE_EAS/tasks');
    const easTask = eas.body.items[0].id as string;
    await page.goto(`/app/opgaver/${easTask}`);
    await page.getByRole('heading', { level: 1, name: 'Du har ikke adgang' }).waitFor();
    await look('08-ingen-adgang');
    expect(await page.content()).not.toContain('Testperson');
  });
});
