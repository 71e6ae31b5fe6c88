// On hold, notes and a task's own history in a real browser (issue 10 item 8, issue 11 pages 2–3): an SSP caseworker
// puts the home visit on hold from the task page (an empty form first: the Danish error summary), finds it under
// "På hold" and not in the active list, writes a note, resumes it, completes it and finds it under "Afsluttet";
// a handover task says in words whether the receiver has acknowledged. Every page is photographed into
// test-results/e2e and checked with axe-core.
import type { Browser, Page } from 'playwright-core';
import type { Playbook } from '../../libs/domain/src';
import { publish, startDrill, type Drill } from '../support/drill';
import { http, pathwayRequest, type TestStack } from '../support/stack';
import { launchBrowser, openPage, screenshot, seriousViolations, type AppPage } from './support/browser';
import { allowAndReturn, fillIssuerLogin, startSignInStack, type SignInStack } from './support/sign-in';
import { findDevUser } from '../../scripts/dev-stack/dev-accounts';

const HOME_VISIT = 'Forebyggende hjemmebesøg hos forældrene sammen med DKS';
const HANDOVER = 'Overdragelse af kontakten til DKS';

/** SSP hands the contact over to DKS: the receiver acknowledges. */
const handoverPlaybook: Playbook = {
  version: 0,
  name: 'handover drill',
  stages: {
    CONTACT: {
      tasks: [
        {
          key: 'contact-handover',
          agency: 'SSP',
          type: 'HANDOVER',
          title: HANDOVER,
          due: { kind: 'workingDays', days: 5 },
          handoverTo: 'POLICE_DKS',
        },
      ],
    },
  },
};

/** The page's way of writing a date (apps/web/src/format/dates.ts): "13. dec. 2026". */
function shownDate(days: number): string {
  return new Intl.DateTimeFormat('da-DK', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'Europe/Copenhagen',
  }).format(new Date(Date.now() + days * 24 * 3600_000));
}

/** A calendar date `days` from today, typed the Danish way (dd.mm.åååå), in Copenhagen. */
function danishDateIn(days: number): string {
  const date = new Date(Date.now() + days * 24 * 3600_000);
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(date).split('-');
  return `${d}.${m}.${y}`;
}

describe('on hold, notes and history in the web app', () => {
  let signIns: SignInStack;
  let stack: TestStack;
  let browser: Browser;
  let app: AppPage;
  let page: Page;
  let drill: Drill;

  async function look(name: string): Promise<void> {
    await screenshot(page, name);
    expect({ page: name, violations: await seriousViolations(page) }).toEqual({ page: name, violations: [] });
    expect(app.problems).toEqual([]);
  }

  const focusedId = () => page.evaluate(() => ((globalThis as any).document.activeElement?.id as string) ?? '');
  const rows = () => page.locator('table.queue-table tbody tr');
  async function rowTexts(): Promise<string[]> {
    await page.locator('table.queue-table, .queue-empty').first().waitFor();
    return rows().allInnerTexts();
  }

  beforeAll(async () => {
    signIns = await startSignInStack();
    stack = signIns.stack;
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 16, name: 'Pause Testesen' }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(created.status).toBe(201);
    // The read model keeps a pathway's playbook by version: the drill's must be there.
    await publish(stack, handoverPlaybook);
    drill = await startDrill(stack, { age: 16, playbook: handoverPlaybook, name: 'Overdraget Testesen' });
    browser = await launchBrowser();
    app = await openPage(browser, stack.baseUrl);
    page = app.page;
  });
  afterAll(async () => {
    await app?.context.close();
    await browser?.close();
    await signIns?.stop();
  });

  it('an SSP caseworker holds a task until a date, writes a note, resumes and completes it', async () => {
    await page.goto('/app/opgaver?fane=alle');
    await page.getByRole('heading', { level: 1, name: 'Log ind' }).waitFor();
    await page.getByRole('button', { name: 'Log ind' }).click();
    await fillIssuerLogin(page, 'ssp-sagsbehandler');
    await allowAndReturn(page);
    await page.getByRole('heading', { level: 1, name: 'Afdelingens opgaver' }).waitFor();
    for (const tab of ['Mine', 'Ikke tildelt', 'Alle åbne', 'På hold', 'Afsluttet'])
      await page.getByRole('link', { name: tab, exact: true }).waitFor();
    await page.getByRole('link', { name: HOME_VISIT }).click();
    await page.getByRole('heading', { level: 1, name: HOME_VISIT }).waitFor();

    // An empty form: the API's 400 as a Danish error summary naming the date and the reason.
    await page.getByRole('button', { name: 'Sæt på hold' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    await page.getByRole('link', { name: 'På hold til: skal udfyldes' }).waitFor();
    await page.getByRole('link', { name: 'Årsag: skal udfyldes' }).waitFor();
    await look('30-opgave-paa-hold-fejl');
    // The summary's link takes the keyboard to the field.
    await page.getByRole('link', { name: 'På hold til: skal udfyldes' }).click();
    expect(await focusedId()).toBe('until');

    // Keyboard only from the date field: type it (the focus stays in the field), Tab to the reasons, Space picks the
    // first; Tab to the note, Tab to the button, Enter.
    const until = danishDateIn(7);
    await page.keyboard.type(until);
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('reason');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('hold-note');
    await page.keyboard.type('Mor ringer efter ferien');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('Opgaven er sat på hold.').waitFor();
    const about = await page.locator('.task-identity').innerText();
    expect(about).toContain(`til ${shownDate(7)} – Venter på borgeren`);
    expect(about).toContain('Mor ringer efter ferien');
    await page.getByRole('button', { name: 'Genoptag nu' }).waitFor();
    await page.locator('.task-history').getByText('Sat på hold').waitFor();

    // A working note: the agency's own, with who wrote it and when.
    await page.getByLabel('Ny note').fill('Talt med mor; nyt møde efter ferien');
    await page.getByRole('button', { name: 'Gem note' }).click();
    await page.getByText('Noten er gemt.').waitFor();
    const notes = await page.locator('.task-notes').innerText();
    expect(notes).toContain('Talt med mor; nyt møde efter ferien');
    expect(notes).toContain(findDevUser('ssp-sagsbehandler')!.name);
    await look('31-opgave-paa-hold');

    // "På hold" lists it with its date and reason; the active list does not.
    await page.goto('/app/opgaver?fane=hold');
    await page.getByRole('heading', { level: 1, name: 'Afdelingens opgaver' }).waitFor();
    const held = await rowTexts();
    expect(held).toHaveLength(1);
    expect(held[0]).toContain(HOME_VISIT);
    expect(held[0]).toContain(`På hold til ${shownDate(7)}`);
    expect(held[0]).toContain('Venter på borgeren');
    await look('32-koe-paa-hold');
    await page.getByRole('link', { name: 'Alle åbne', exact: true }).click();
    await page.waitForURL(/fane=alle/);
    expect((await rowTexts()).join('\n')).not.toContain(HOME_VISIT);

    // Back from hold at once, then completed: the history tells it all, and "Afsluttet" lists it.
    await page.goto('/app/opgaver?fane=hold');
    await page.getByRole('link', { name: HOME_VISIT }).click();
    await page.getByRole('button', { name: 'Genoptag nu' }).click();
    await page.getByText('Opgaven er tilbage i køen.').waitFor();
    await page.locator('.task-history').getByText('Tilbage fra hold').waitFor();
    await page.getByRole('radio', { name: 'Udført' }).check();
    await page.getByRole('button', { name: 'Afslut opgave' }).click();
    await page.getByText('Opgaven er afsluttet.').waitFor();

    await page.goto('/app/opgaver?fane=afsluttet');
    const ended = await rowTexts();
    expect(ended).toHaveLength(1);
    expect(ended[0]).toContain(HOME_VISIT);
    expect(ended[0]).toContain('Udført');
    await look('33-koe-afsluttet');
    await page.getByRole('link', { name: HOME_VISIT }).click();
    const history = await page.locator('.task-history').innerText();
    for (const entry of [
      'Opgave oprettet',
      'Sat på hold',
      'Tilbage fra hold – genoptaget',
      'Opgave afsluttet – udfald: Udført',
    ])
      expect(history).toContain(entry);
    await look('34-opgave-historik');
  });

  it('a handover task says whether the receiver has acknowledged', async () => {
    await page.goto('/app/opgaver?fane=alle');
    await page.getByRole('link', { name: HANDOVER }).click();
    await page.getByRole('heading', { level: 1, name: HANDOVER }).waitFor();
    expect(await page.locator('.handover-state').innerText()).toContain('Overdrages til');
    await page.getByRole('radio', { name: 'Udført' }).check();
    await page.getByRole('button', { name: 'Afslut opgave' }).click();
    await page.getByText('Opgaven er afsluttet.').waitFor();
    await page.goto(`/app/opgaver?fane=alle`);
    await page.getByRole('link', { name: HANDOVER }).click();
    await page.locator('.handover-state').getByText('venter på, at modtageren kvitterer').waitFor();
    // A handover that waits for its receiver cannot be held: the receiver's clock runs.
    expect(await page.getByRole('button', { name: 'Sæt på hold' }).count()).toBe(0);
    await look('35-overdragelse-venter');

    await drill.complete('contact-handover-ack');
    await page.goto('/app/opgaver?fane=afsluttet');
    await page.getByRole('link', { name: HANDOVER }).click();
    await page.locator('.handover-state').getByText('modtageren har kvitteret').waitFor();
    await page.locator('.task-history').getByText('Overdragelse kvitteret').waitFor();
    await look('36-overdragelse-kvitteret');
  });
});
