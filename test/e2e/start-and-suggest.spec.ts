// Start forløb and Et forløb in a real browser against the real stack on playbook 3: the districts offered are the
// API's (the steering group adds and renames one with PUT /districts/:code, takes one out of use, and the forms show
// it), the target group is asked and sent, the duplicate warning leaves only "start anyway" or "go back", and a
// coordinator adds the stage's suggested task (Tidlig helhedsindsats in custody) after confirming, after which it is
// among the open tasks. Screenshots into test-results/e2e, axe on each.
import type { Browser, Page } from 'playwright-core';
import { birthDateForAge, http, pathwayRequest, type TestStack } from '../support/stack';
import { launchBrowser, openPage, screenshot, seriousViolations, type AppPage } from './support/browser';
import { allowAndReturn, fillIssuerLogin, startSignInStack, type SignInStack } from './support/sign-in';

const TIDLIG_PLAN = 'Uddannelses- og jobplan bag murene (Tidlig helhedsindsats)';
const STARTED_NAME = 'Målgruppe Testesen';

describe('start form and suggested tasks', () => {
  let signIns: SignInStack;
  let stack: TestStack;
  let browser: Browser;
  let app: AppPage;
  let page: Page;
  let custodyId: string;

  async function look(name: string): Promise<void> {
    await screenshot(page, name);
    expect({ page: name, violations: await seriousViolations(page) }).toEqual({ page: name, violations: [] });
    expect(app.problems).toEqual([]);
  }

  async function signInAs(username: string): Promise<void> {
    await page.goto('/app/opgaver');
    const signedOut = page.getByRole('heading', { level: 1, name: 'Log ind' });
    const signedIn = page.getByRole('button', { name: 'Log ud' });
    await signedOut.or(signedIn).first().waitFor();
    if (await signedIn.isVisible()) {
      await signedIn.click();
      await page.getByRole('button', { name: 'Yes, sign me out' }).click();
      await signedOut.waitFor();
    }
    await page.getByRole('button', { name: 'Log ind' }).click();
    await fillIssuerLogin(page, username);
    await allowAndReturn(page);
  }

  const optionTexts = (label: string) => page.getByLabel(label, { exact: true }).locator('option').allInnerTexts();

  beforeAll(async () => {
    signIns = await startSignInStack({ playbook: 3 });
    stack = signIns.stack;
    // The steering group's districts: one added, one renamed, one taken out of use.
    const steering = { as: 'sikker-by' };
    const added = await http(stack, 'PUT', '/districts/AMAGER_OEST', { name: 'Amager Øst', focus: true }, steering);
    expect(added.status).toBe(201);
    const renamed = await http(
      stack,
      'PUT',
      '/districts/TINGBJERG',
      { name: 'Tingbjerg og Husum', focus: true },
      steering,
    );
    expect(renamed.status).toBe(200);
    const retired = await http(
      stack,
      'PUT',
      '/districts/OTHER',
      { name: 'Andet sted', focus: false, active: false },
      { as: 'admin' },
    );
    expect(retired.status).toBe(200);
    // A 30-year-old remanded in custody: playbook 3 suggests Tidlig helhedsindsats's plan, and creates nothing for it.
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 30, name: 'Voksen Varetægtsen' }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(created.status).toBe(201);
    custodyId = created.body.id;
    const remanded = await http(
      stack,
      'POST',
      `/pathways/${custodyId}/events`,
      { type: 'REMANDED', occurredAt: new Date(Date.now() - 3600_000).toISOString() },
      { as: 'operativ-koordinator' },
    );
    expect(remanded.status).toBe(200);
    expect(remanded.body.stage).toBe('CUSTODY');
    browser = await launchBrowser();
    app = await openPage(browser, stack.baseUrl);
    page = app.page;
  });
  afterAll(async () => {
    await app?.context.close();
    await browser?.close();
    await signIns?.stop();
  });

  it('offers the districts in use from GET /districts, asks the target group, shows both on the summary and sends them', async () => {
    await signInAs('koordinator');

    // The district list cannot be had at first: the form says so and offers to try again.
    await page.route('**/districts', (route) => route.fulfill({ status: 500, body: '{}' }));
    await page.goto('/app/forloeb/ny');
    await page.getByRole('heading', { level: 1, name: 'Start forløb' }).waitFor();
    await page.getByText('Bydelene kunne ikke hentes.').waitFor({ timeout: 20_000 });
    expect(await optionTexts('Bydel')).toEqual(['Vælg']);
    await look('50-start-forloeb-bydele-fejl');
    await page.unroute('**/districts');
    await page.getByRole('button', { name: 'Prøv igen' }).click();
    await page.getByRole('option', { name: 'Amager Øst' }).waitFor({ state: 'attached' });
    expect(await page.getByText('Bydelene kunne ikke hentes.').count()).toBe(0);

    // In use, by the API's names: the added and the renamed district, not the one taken out of use.
    const offered = await optionTexts('Bydel');
    expect(offered).toEqual([
      'Vælg',
      'Amager Øst',
      'Bispebjerg og Nordvest',
      'Indre Nørrebro',
      'Tingbjerg og Husum',
      'Ydre Nørrebro',
    ]);

    const [y, m, d] = birthDateForAge(17).split('-');
    await page.getByLabel('Navn').fill(STARTED_NAME);
    await page.getByLabel('Fødselsdato').fill(`${d}.${m}.${y}`);
    await page.getByLabel('Bydel').selectOption({ label: 'Amager Øst' });
    await page.getByRole('button', { name: 'Næste' }).click();
    await page.getByRole('heading', { level: 2, name: 'Trin 2 af 3: Kontakt' }).waitFor();
    await page.getByLabel('Hvad skete der').fill('Set med ældre medlemmer ved Amagerbro');
    const targetGroup = page.getByRole('group', { name: 'Målgruppe' });
    expect(await targetGroup.getByRole('radio').count()).toBe(4);
    expect(await targetGroup.getByRole('radio', { name: 'Ved ikke' }).isChecked()).toBe(true);
    await targetGroup.getByLabel('Perifer – i udkanten af en gruppe').check();
    await look('51-start-forloeb-maalgruppe');
    await page.getByRole('button', { name: 'Næste' }).click();
    await page.getByRole('heading', { level: 2, name: 'Trin 3 af 3: Opsummering' }).waitFor();
    const review = await page.locator('.summary-list').innerText();
    expect(review).toContain('Amager Øst');
    expect(review).toMatch(/Målgruppe\s+Perifer – i udkanten af en gruppe/);
    await look('52-start-forloeb-opsummering-maalgruppe');

    const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/pathways');
    await page.getByRole('button', { name: 'Start forløb', exact: true }).click();
    const body = (await sent).postDataJSON();
    expect([body.person.district, body.contact.targetGroup]).toEqual(['AMAGER_OEST', 'FRINGE']);
    await page.getByRole('heading', { level: 1, name: `Forløb for ${STARTED_NAME}` }).waitFor();
    expect(await page.locator('.identity-list').innerText()).toMatch(/Bydel\s+Amager Øst/);

    // The list's filter offers every district, the one out of use too (pathways filed under it keep it).
    await page.goto('/app/forloeb');
    await page.getByRole('option', { name: 'Amager Øst' }).waitFor({ state: 'attached' });
    expect(await optionTexts('Bydel')).toContain('Andet sted');
    await page.getByLabel('Bydel', { exact: true }).selectOption({ label: 'Amager Øst' });
    await page.getByRole('button', { name: 'Vis', exact: true }).click();
    await page.getByText('Bydel: Amager Øst').waitFor();
    expect(new URL(page.url()).searchParams.get('bydel')).toBe('AMAGER_OEST');
    await page.locator('table.pathway-table tbody tr').first().waitFor();
    expect(await page.locator('table.pathway-table tbody tr').count()).toBe(1);
    expect(await page.locator('table.pathway-table').innerText()).toContain('Amager Øst');
    // Back to the same list with the district chosen in the filter.
    await page.reload();
    await page.getByText('Bydel: Amager Øst').waitFor();
    await page.getByRole('option', { name: 'Amager Øst' }).waitFor({ state: 'attached' });
    expect(await page.getByLabel('Bydel', { exact: true }).inputValue()).toBe('AMAGER_OEST');
    await look('53-forloeb-filter-bydel-fra-api');
  });

  it('leaves only "Start forløb alligevel" (with a reason) or going back while the duplicate warning stands', async () => {
    const [y, m, d] = birthDateForAge(17).split('-');
    await page.goto('/app/forloeb/ny');
    await page.getByRole('option', { name: 'Amager Øst' }).waitFor({ state: 'attached' });
    await page.getByLabel('Navn').fill(STARTED_NAME);
    await page.getByLabel('Fødselsdato').fill(`${d}.${m}.${y}`);
    await page.getByLabel('Bydel').selectOption({ label: 'Amager Øst' });
    await page.getByRole('button', { name: 'Næste' }).click();
    await page.getByLabel('Hvad skete der').fill('Set igen');
    await page.getByRole('button', { name: 'Næste' }).click();
    await page.getByRole('button', { name: 'Start forløb', exact: true }).click();
    await page.locator('.duplicate-warning').getByText('Personen kan allerede være kendt').waitFor();

    const plain = page.getByRole('button', { name: 'Start forløb', exact: true });
    expect(await plain.count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Start forløb alligevel' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Tilbage og ret oplysningerne' }).waitFor();
    await look('54-start-forloeb-dublet-kun-alligevel');

    // Starting anyway without a reason asks for one and starts nothing.
    let posted = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/pathways') posted++;
    });
    await page.getByRole('button', { name: 'Start forløb alligevel' }).click();
    await page.getByText('Skriv, hvorfor forløbet skal startes alligevel.').first().waitFor();
    expect(posted).toBe(0);

    // Going back clears the warning; on the summary again, the plain button is back.
    await page.getByRole('button', { name: 'Tilbage og ret oplysningerne' }).click();
    await page.getByRole('heading', { level: 2, name: 'Trin 2 af 3: Kontakt' }).waitFor();
    await page.getByRole('button', { name: 'Næste' }).click();
    await page.getByRole('heading', { level: 2, name: 'Trin 3 af 3: Opsummering' }).waitFor();
    await plain.waitFor();
    expect(await page.locator('.duplicate-warning').count()).toBe(0);
  });

  it('shows a coordinator the stage’s suggested task with why, adds it after confirming, and lists it among the open tasks', async () => {
    await page.goto(`/app/forloeb/${custodyId}`);
    await page.getByRole('heading', { level: 1, name: 'Forløb for Voksen Varetægtsen' }).waitFor();
    await page.locator('.timeline-chart canvas').first().waitFor();
    // What is happening now: the stages gone through, the one it is in now said in words.
    const tracker = page.getByRole('list', { name: 'Forløbets faser' });
    expect(await tracker.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringMatching(/^Kontakt\s+\d+\. \S+ \d{4} – \d+\. \S+ \d{4}$/),
      expect.stringMatching(/^Frihedsberøvelse \(nu\)\s+siden \d+\. \S+ \d{4}$/),
    ]);
    expect(await tracker.locator('[aria-current="step"]').innerText()).toContain('Frihedsberøvelse');
    const section = page.locator('section.suggested-tasks');
    await section.getByRole('heading', { level: 2, name: 'Foreslåede opgaver' }).waitFor();
    const text = await section.innerText();
    expect(text).toContain(TIDLIG_PLAN);
    expect(text).toContain('Tidlig helhedsindsats');
    expect(text).toContain('Hvorfor: personen er fyldt 18 år.');
    expect(text).toContain('Valgfrie skridt i playbookens fase »Frihedsberøvelse«');
    expect(await page.locator('.open-tasks').innerText()).not.toContain(TIDLIG_PLAN);
    await look('55-et-forloeb-foreslaaede-opgaver');

    // The MOVED form offers the districts in use, by the API's names.
    await page.getByLabel('Hændelse', { exact: true }).selectOption({ label: 'Flyttet' });
    const moved = await optionTexts('Ny bydel');
    expect(moved).toContain('Amager Øst');
    expect(moved).toContain('Tingbjerg og Husum');
    expect(moved).not.toContain('Andet sted');

    // Asked first; "Fortryd" sends nothing.
    await section.getByRole('button', { name: `Tilføj opgaven: ${TIDLIG_PLAN}` }).click();
    const question = section.locator('.suggested-confirm');
    await question.waitFor();
    expect(await question.innerText()).toContain(`Tilføj »${TIDLIG_PLAN}« til forløbet?`);
    await look('56-et-forloeb-tilfoej-bekraeft');
    await section.getByRole('button', { name: 'Fortryd' }).click();
    expect(await question.count()).toBe(0);
    // The keyboard is back on the button that asked.
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('suggested-add-tidlig-plan');

    await section.getByRole('button', { name: `Tilføj opgaven: ${TIDLIG_PLAN}` }).click();
    const sent = page.waitForRequest(
      (r) => r.method() === 'POST' && new URL(r.url()).pathname === `/pathways/${custodyId}/suggested-tasks`,
    );
    await section.getByRole('button', { name: 'Ja, tilføj opgaven' }).click();
    const request = await sent;
    expect(request.headers()['idempotency-key']).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(request.postDataJSON()).toEqual({ key: 'tidlig-plan' });
    await section.getByText(`Opgaven »${TIDLIG_PLAN}« er tilføjet`).waitFor();
    await page.locator('.open-tasks').getByText(TIDLIG_PLAN).waitFor();
    await section.getByText('Ingen foreslåede opgaver i denne fase lige nu.').waitFor();
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('suggested-heading');
    expect(await section.innerText()).toContain('ligger nu i køen hos Tidlig helhedsindsats.');
    // The timeline says which task was added, and by whom (the coordinator's agency).
    await page
      .locator('ol.timeline li', {
        hasText: `Foreslået opgave tilføjet: ${TIDLIG_PLAN} – registreret af Efterretnings- og Analysesektionen`,
      })
      .waitFor();
    await look('57-et-forloeb-opgave-tilfoejet');

    // Once: one such task on the pathway, and no longer suggested.
    const pathway = await http(stack, 'GET', `/pathways/${custodyId}`, undefined, { as: 'koordinator' });
    expect(pathway.body.tasks.filter((t: any) => t.key === 'tidlig-plan').length).toBe(1);
    const left = await http(stack, 'GET', `/pathways/${custodyId}/suggested-tasks`, undefined, { as: 'koordinator' });
    expect(left.body.suggestions).toEqual([]);
  });

  it('shows the operative group the suggestions, and a caseworker (whom the API refuses) nothing of them', async () => {
    // A second custody pathway with its suggestion still open.
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 25, name: 'Anden Voksen' }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    const id: string = created.body.id;
    const remanded = await http(
      stack,
      'POST',
      `/pathways/${id}/events`,
      { type: 'REMANDED', occurredAt: new Date(Date.now() - 3600_000).toISOString() },
      { as: 'operativ-koordinator' },
    );
    expect(remanded.status).toBe(200);

    await signInAs('operativ-gruppe');
    await page.goto(`/app/forloeb/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Forløb for Anden Voksen' }).waitFor();
    await page.getByRole('button', { name: `Tilføj opgaven: ${TIDLIG_PLAN}` }).waitFor();

    await signInAs('ssp-sagsbehandler');
    const asked: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.endsWith('/suggested-tasks')) asked.push(r.url());
    });
    await page.goto(`/app/forloeb/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Du har ikke adgang' }).waitFor();
    expect(await page.getByText('Foreslåede opgaver').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Tilføj opgaven/ }).count()).toBe(0);
    expect(asked).toEqual([]);
  });
});
