// The web app's team-lead and coordinator work in a real browser against the real stack (issue 11): a team lead gives
// several tasks to a colleague at once with a confirmation and sees a partial refusal explained; the task page shows
// the playbook's instructions; a pathway's closure waits for a second coordinator, who confirms it, and a coordinator
// reopens it with a reason; the pathway list's filters are removable tags in the URL; the timeline picture leaves out
// stage labels that do not fit and names every stage in a list. Each page is photographed into test-results/e2e
// (30-…) and checked with axe-core; the dialog and the forms are used with the keyboard.
import type { Browser, Page } from 'playwright-core';
import { http, pathwayRequest, type TestStack } from '../support/stack';
import { launchBrowser, openPage, screenshot, seriousViolations, type AppPage } from './support/browser';
import { allowAndReturn, fillIssuerLogin, startSignInStack, type SignInStack } from './support/sign-in';

describe('team lead and coordinators in the web app', () => {
  let signIns: SignInStack;
  let stack: TestStack;
  let browser: Browser;
  const apps: AppPage[] = [];

  /** A browser context of its own for one demo account, signed in through the issuer's form. */
  async function signedIn(username: string): Promise<AppPage> {
    const app = await openPage(browser, stack.baseUrl);
    apps.push(app);
    await app.page.goto('/');
    await app.page.getByRole('heading', { level: 1, name: 'Log ind' }).waitFor();
    await app.page.getByRole('button', { name: 'Log ind' }).click();
    await fillIssuerLogin(app.page, username);
    await allowAndReturn(app.page);
    return app;
  }

  async function look(app: AppPage, name: string): Promise<void> {
    await screenshot(app.page, name);
    expect({ page: name, violations: await seriousViolations(app.page) }).toEqual({ page: name, violations: [] });
    expect(app.problems).toEqual([]);
  }

  const focusedId = (page: Page) =>
    page.evaluate(() => ((globalThis as any).document.activeElement as { id: string } | null)?.id ?? '');

  const open = async (name: string, age = 16, as = 'lokalpoliti-sagsbehandler') => {
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age, name }), { as });
    expect(created.status).toBe(201);
    return created.body as { id: string; tasks: { id: string; agency: string; title: string; type: string }[] };
  };

  beforeAll(async () => {
    signIns = await startSignInStack();
    stack = signIns.stack;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const app of apps) await app.context.close();
    await browser?.close();
    await signIns?.stop();
  });

  it('lets a team lead give several tasks to a colleague with a confirmation, and explains a refusal', async () => {
    const pathways = [await open('Fordeling Et'), await open('Fordeling To'), await open('Fordeling Tre')];
    const sspTasks = pathways.map((p) => p.tasks.find((t) => t.agency === 'SSP')!);
    // The colleague has signed in once (the API learns its people from their tokens).
    expect((await http(stack, 'GET', '/agencies/SSP/tasks', undefined, { as: 'ssp-sagsbehandler' })).status).toBe(200);

    const lead = await signedIn('ssp-teamleder');
    const page = lead.page;
    await page.goto('/app/opgaver?fane=ledige');
    await page.getByRole('heading', { level: 1, name: 'Afdelingens opgaver' }).waitFor();
    await page.locator('table.queue-table tbody tr').nth(2).waitFor();
    await page.getByText('0 opgaver valgt').waitFor();
    const giveButton = page.locator('#bulk-assign-open');
    expect(await giveButton.isDisabled()).toBe(true);

    // Three rows ticked with the keyboard (Space on a focused checkbox), the count says so.
    for (const task of sspTasks) {
      await page.locator(`#queue-select-${task.id}`).focus();
      await page.keyboard.press('Space');
      expect(await page.locator(`#queue-select-${task.id}`).isChecked()).toBe(true);
      expect(await page.getByRole('checkbox', { name: `Vælg ${task.title}` }).count()).toBeGreaterThan(0);
    }
    await page.getByText('3 opgaver valgt').waitFor();

    // Without a person chosen: the field says what is missing and has the focus.
    await giveButton.click();
    await page.getByText('Vælg, hvem opgaverne skal gives til').waitFor();
    expect(await focusedId(page)).toBe('bulk-assignee');
    await page.getByRole('combobox', { name: 'Giv til' }).selectOption({ label: 'Sagsbehandler, SSP København' });
    await look(lead, '30-fordel-valgt');

    // The confirmation names how many go to whom; Escape closes it and nothing happened.
    await giveButton.click();
    const dialog = page.getByRole('dialog', { name: 'Bekræft fordelingen' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('3 opgaver gives til Sagsbehandler, SSP København.');
    // Each task by its title and person, since the three share a title.
    expect((await dialog.locator('li').allInnerTexts()).sort()).toEqual(
      ['Et', 'To', 'Tre'].map((n) => `${sspTasks[0].title} – Fordeling ${n}`),
    );
    await look(lead, '31-fordel-bekraeft');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focusedId(page)).toBe('bulk-assign-open');

    // Meanwhile a caseworker completes one of them: it is refused on its own, with why; the other two go.
    const done = await http(
      stack,
      'POST',
      `/tasks/${sspTasks[1].id}/complete`,
      { outcome: 'DONE' },
      {
        as: 'ssp-sagsbehandler',
      },
    );
    expect(done.status).toBe(200);
    await giveButton.click();
    await dialog.getByRole('button', { name: 'Ja, giv 3 opgaver' }).click();
    await page.getByText('2 opgaver er givet til Sagsbehandler, SSP København.').waitFor();
    const result = await page.locator('.bulk-assign .alert').innerText();
    expect(result).toContain('1 opgave blev ikke givet:');
    expect(result).toContain(`${sspTasks[1].title} – Fordeling To: den er afsluttet eller annulleret i mellemtiden`);
    await page.getByText('0 opgaver valgt').waitFor();
    await look(lead, '32-fordel-resultat');

    const queue = await http(stack, 'GET', '/agencies/SSP/tasks?assignee=ssp-sagsbehandler', undefined, {
      as: 'ssp-teamleder',
    });
    const theirs = queue.body.items.map((t: { id: string }) => t.id);
    expect(theirs).toEqual(expect.arrayContaining([sspTasks[0].id, sspTasks[2].id]));
    expect(theirs).not.toContain(sspTasks[1].id);

    // A caseworker who is no team lead sees no checkboxes and no bar.
    const worker = await signedIn('ssp-sagsbehandler');
    await worker.page.goto('/app/opgaver?fane=alle');
    await worker.page.locator('table.queue-table tbody tr').first().waitFor();
    expect(await worker.page.locator('.bulk-assign, .queue-select').count()).toBe(0);

    // The task page: the playbook's instructions for a home visit, in Danish.
    await worker.page.goto(`/app/opgaver/${sspTasks[0].id}`);
    await worker.page.getByRole('heading', { level: 2, name: 'Det skal du gøre' }).waitFor();
    const instructions = await worker.page.locator('.task-instructions').innerText();
    expect(instructions).toContain('Fra playbooken:');
    expect(instructions).toContain('Aftal besøget med den anden myndighed, og tag kontakt til forældrene.');
    await look(worker, '33-opgave-instruks');
  });

  it('closes with four eyes: afventer godkendelse, the asker cannot confirm, a second coordinator can; reopen', async () => {
    const pathway = await open('Lukning Browsersen', 21, 'lokalpoliti-sagsbehandler');
    const first = await signedIn('koordinator');
    const page = first.page;
    await page.goto(`/app/forloeb/${pathway.id}`);
    await page.getByRole('heading', { level: 1, name: 'Forløb for Lukning Browsersen' }).waitFor();
    expect(await page.locator('.closure-panel').count()).toBe(0);

    // The first coordinator asks for the closure through "Registrér hændelse".
    const asked = await http(
      stack,
      'POST',
      `/pathways/${pathway.id}/events`,
      { type: 'CLOSED', occurredAt: new Date().toISOString(), data: { outcome: 'MOVED' } },
      { as: 'koordinator' },
    );
    expect(asked.status).toBe(200);
    await page.reload();
    const panel = page.locator('.closure-panel');
    await panel.waitFor();
    expect(await panel.innerText()).toContain('Afventer godkendelse');
    expect(await panel.innerText()).toContain('Lukning med udfaldet »Flyttet« er anmodet');
    await page.getByRole('button', { name: 'Godkend lukningen' }).click();
    await page
      .getByText('Du har selv anmodet om lukningen. En anden koordinator skal godkende den (fire øjne).')
      .waitFor();
    await look(first, '34-lukning-afventer');

    // A reject without a reason: the field says so, nothing is sent.
    await page.getByRole('button', { name: 'Afvis lukningen' }).click();
    await page.getByText('Skriv en begrundelse').waitFor();
    expect(await focusedId(page)).toBe('closure-reason');

    // The second coordinator confirms, with the keyboard.
    const second = await signedIn('koordinator2');
    await second.page.goto(`/app/forloeb/${pathway.id}`);
    const confirm = second.page.getByRole('button', { name: 'Godkend lukningen' });
    await confirm.focus();
    await second.page.keyboard.press('Enter');
    await second.page.getByText('Lukningen er godkendt. Forløbet er lukket.').waitFor();
    const closed = await second.page.locator('.closure-panel').innerText();
    expect(closed).toContain('Forløbet blev lukket');
    expect(closed).toContain('med udfaldet »Flyttet«');
    expect(closed).toMatch(/Det kan genåbnes til og med \d/);
    await look(second, '35-lukning-godkendt');

    // Reopened with a reason; the pathway is back in its stage, the commands each applied once.
    await second.page.getByLabel('Hvorfor genåbnes forløbet?').fill('Personen flyttede alligevel ikke');
    await second.page.getByRole('button', { name: 'Genåbn forløbet' }).click();
    await second.page.getByText('Forløbet er genåbnet.').waitFor();
    await second.page.locator('ol.stage-list > li').nth(2).waitFor();
    await look(second, '36-genaabnet');
    // The picture's stages follow the closing and the reopening.
    const stages = await second.page.locator('ol.stage-list > li').allInnerTexts();
    expect(stages.map((text) => text.split(':')[0])).toEqual(['Kontakt', 'Lukket', 'Kontakt']);
    const read = await http(stack, 'GET', `/pathways/${pathway.id}/timeline`, undefined, { as: 'koordinator' });
    const kinds = read.body.items.map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => k === 'CLOSURE_CONFIRMED')).toHaveLength(1);
    expect(kinds.filter((k: string) => k === 'PATHWAY_REOPENED')).toHaveLength(1);

    // Asked again and rejected with a reason: the pathway runs on.
    await http(
      stack,
      'POST',
      `/pathways/${pathway.id}/events`,
      { type: 'CLOSED', occurredAt: new Date().toISOString(), data: { outcome: 'OTHER' } },
      { as: 'koordinator' },
    );
    await second.page.reload();
    await second.page.getByLabel('Hvorfor afvises lukningen?').fill('Forløbet er ikke færdigt');
    await second.page.getByRole('button', { name: 'Afvis lukningen' }).click();
    await second.page.getByText('Lukningen er afvist. Forløbet kører videre.').waitFor();
    expect(
      (await http(stack, 'GET', `/pathways/${pathway.id}`, undefined, { as: 'koordinator' })).body.pendingClosure,
    ).toBe(undefined);
  });

  it('filters the pathway list by overdue, stalled, release and turning 18, as removable tags in the URL', async () => {
    const releasing = await open('Filter Løsladelse');
    const turning = await open('Filter Atten');
    await stack.db.query(`UPDATE pathways SET expected_release_at = now() + interval '20 days' WHERE id = $1`, [
      releasing.id,
    ]);
    await stack.db.query(`UPDATE pathways SET stalled = true WHERE id = $1`, [releasing.id]);
    await stack.db.query(
      `UPDATE persons SET birth_date = (now() AT TIME ZONE 'Europe/Copenhagen')::date - interval '18 years' + interval '40 days'
        WHERE pathway_id = $1`,
      [turning.id],
    );
    const coordinator = apps.find((a) => a.page.url().includes('/forloeb/')) ?? (await signedIn('koordinator'));
    const page = coordinator.page;
    await page.goto('/app/forloeb');
    await page.getByRole('heading', { level: 1, name: 'Forløb' }).waitFor();
    await page.getByRole('combobox', { name: 'Løslades inden for' }).selectOption('4');
    await page.getByRole('checkbox', { name: 'Kun forløb, der er gået i stå' }).check();
    await page.getByRole('button', { name: 'Vis' }).click();
    await page.getByRole('button', { name: 'Fjern filteret Løslades inden for 4 uger' }).waitFor();
    expect(page.url()).toContain('loesladelse-uger=4');
    expect(page.url()).toContain('gaaet-i-staa=ja');
    const rows = page.locator('table.pathway-table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    await look(coordinator, '37-forloeb-filtre');

    // Removing one tag keeps the other; "back" brings the removed one back.
    await page.getByRole('button', { name: 'Fjern filteret Gået i stå' }).click();
    await page.waitForURL((url) => !url.search.includes('gaaet-i-staa'));
    expect(page.url()).toContain('loesladelse-uger=4');
    await page.goBack();
    await page.getByRole('button', { name: 'Fjern filteret Gået i stå' }).waitFor();

    // Straight from a URL: turning 18 within 3 months finds the one whose birthday is 40 days away.
    await page.goto('/app/forloeb?fylder-18-mdr=3');
    await page.getByRole('button', { name: 'Fjern filteret Fylder 18 inden for 3 måneder' }).waitFor();
    await rows.first().waitFor();
    const ids = await rows
      .locator('a')
      .evaluateAll((links) =>
        links.map((a) => (a as unknown as { getAttribute: (n: string) => string }).getAttribute('href')),
      );
    expect(ids).toContain(`/app/forloeb/${turning.id}`);
    expect(ids).not.toContain(`/app/forloeb/${releasing.id}`);
    await page.goto('/app/forloeb?forfaldne=ja&gaaet-i-staa=ja&fylder-18-mdr=1');
    await page.getByText('Ingen forløb passer til filtrene. Fjern et filter for at se flere.').waitFor();
    expect(await page.locator('.queue-filters .tag').count()).toBe(3);
  });

  it('leaves out stage labels that do not fit in the timeline picture and names every stage in a list', async () => {
    // Three stages within a minute: CONTACT → ASSESSMENT → INTERVENTION, bands far too narrow for their labels.
    const pathway = await open('Tidslinje Tæt', 21, 'lokalpoliti-sagsbehandler');
    for (const task of pathway.tasks) {
      const done = await http(stack, 'POST', `/tasks/${task.id}/complete`, { outcome: 'DONE' }, { as: 'koordinator' });
      expect(done.status).toBe(200);
    }
    const assessed = await http(
      stack,
      'POST',
      `/pathways/${pathway.id}/events`,
      {
        type: 'ASSESSED',
        occurredAt: new Date().toISOString(),
        data: { track: 'OUTREACH', reasons: 'Vurderet på mødet' },
      },
      { as: 'koordinator' },
    );
    expect([assessed.status, assessed.body.stage]).toEqual([200, 'INTERVENTION']);
    const coordinator = apps.find((a) => a.page.url().includes('/forloeb')) ?? (await signedIn('koordinator'));
    const page = coordinator.page;
    await page.goto(`/app/forloeb/${pathway.id}`);
    const chart = page.locator('.timeline-chart');
    await chart.locator('canvas').first().waitFor();
    await page.waitForFunction(
      () => (globalThis as any).document.querySelector('.timeline-chart')?.dataset.labelledStages !== undefined,
    );
    // Only the band still going on is wide enough for its label; the two narrow ones are named in the list.
    expect(await chart.getAttribute('data-labelled-stages')).toBe('1');
    const stages = await page.locator('ol.stage-list > li').allInnerTexts();
    expect(stages.map((s) => s.split(':')[0])).toEqual(['Kontakt', 'Vurdering', 'Indsats']);
    expect(stages[2]).toContain('(nu)');
    await look(coordinator, '38-tidslinje-smalle-faser');
  });
});
