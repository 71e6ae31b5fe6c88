// The operative group and managers in a real browser: the escalation board → a meeting's agenda → a decision that
// reaches the pathway → approved minutes downloaded as a PDF; then a manager's Overblik and Kapacitet, which show
// figures and never a name. Every page is photographed into test-results/e2e and checked with axe-core.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { eventually, publish, quickJobcenterPlaybook, startDrill, type Drill } from '../support/drill';
import { http, type TestStack } from '../support/stack';
import {
  SCREENSHOT_DIR,
  launchBrowser,
  openPage,
  screenshot,
  seriousViolations,
  type AppPage,
} from './support/browser';
import { allowAndReturn, fillIssuerLogin, startSignInStack, type SignInStack } from './support/sign-in';

const CANARY = 'Kanariefugl Browsersen';
const quick = quickJobcenterPlaybook('meeting drill');

describe('the operative group and managers in the web app', () => {
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

  async function signIn(username: string): Promise<void> {
    await page.getByRole('heading', { level: 1, name: 'Log ind' }).waitFor();
    await page.getByRole('button', { name: 'Log ind' }).click();
    await fillIssuerLogin(page, username);
    await allowAndReturn(page);
  }

  beforeAll(async () => {
    signIns = await startSignInStack();
    stack = signIns.stack;
    await publish(stack, quick);
    drill = await startDrill(stack, { age: 30, playbook: quick, name: CANARY });
    await eventually(
      () => http(stack, 'GET', '/escalations', undefined, { as: 'operativ-gruppe' }),
      (res) => res.body.items.some((e: any) => e.pathwayId === drill.id),
      15000,
    );
    browser = await launchBrowser();
    app = await openPage(browser, stack.baseUrl);
    page = app.page;
  });
  afterAll(async () => {
    await app?.context.close();
    await browser?.close();
    await signIns?.stop();
  });

  it('takes the operative group from the board to a meeting, a decision and approved minutes', async () => {
    await page.goto('/');
    await signIn('operativ-gruppe');
    await page.getByRole('link', { name: 'Eskaleringer', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Eskaleringer' }).waitFor();
    const row = page.locator('table.escalation-table tbody tr').first();
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Niveau 1\s+Forsørgelse\s+Jobcenter/);
    await look('20-eskaleringer');

    await page.getByRole('link', { name: 'Til møderne' }).click();
    await page.getByRole('heading', { level: 1, name: 'Møder' }).waitFor();
    await look('21-moeder');
    await page.getByRole('button', { name: 'Lav dagsorden' }).click();
    await page.getByRole('heading', { level: 1, name: /^Møde / }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'Eskalering niveau 1: Forsørgelse, Jobcenter' }).waitFor();
    await look('22-moede-dagsorden');

    const due = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(
      new Date(Date.now() + 7 * 86400_000),
    );
    await page.getByLabel('Beslutning').selectOption('EXTEND');
    await page.getByLabel('Ny frist').fill(due);
    await page.getByLabel('Begrundelse').fill('Jobcenter har fået ny kontaktperson');
    await page.getByRole('button', { name: 'Registrér beslutning' }).click();
    await page.getByText('Fristen forlænges').waitFor();
    expect(await page.locator('.meeting-decision').innerText()).toContain('Jobcenter har fået ny kontaktperson');
    // The decision reached the pathway: its task has the new deadline and the timeline says why.
    expect(new Date((await drill.status()).tasks[0].dueAt).toISOString()).toBe(
      new Date(`${due}T16:00:00+01:00`).toISOString(),
    );
    const timeline = await http(stack, 'GET', `/pathways/${drill.id}/timeline`, undefined, { as: 'operativ-gruppe' });
    expect(timeline.body.items.map((e: any) => e.kind)).toEqual(
      expect.arrayContaining(['ESCALATION_RESOLVED', 'DEADLINE_EXTENDED']),
    );
    await look('23-moede-beslutning');

    await page.getByLabel('Til stede').fill('Politiets EAS\nSSP København\nJobcenter København');
    await page.getByRole('button', { name: 'Godkend referat' }).click();
    await page.getByText(/Referatet er godkendt/).waitFor();
    await look('24-moede-godkendt');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Hent referat (PDF)' }).click(),
    ]);
    const file = path.join(SCREENSHOT_DIR, 'referat.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Referat af møde i den operative styregruppe');
    expect(text).toContain('Til stede Politiets EAS, SSP København, Jobcenter København');
    expect(text).toContain('1. Eskalering niveau 1: Forsørgelse, Jobcenter');
    expect(text).toContain('Beslutning: Fristen forlænges til');
    expect(text).not.toContain(CANARY);
    // The first page as a picture, to be looked at with the screenshots.
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', file, path.join(SCREENSHOT_DIR, '25-referat')]);
  });

  it('shows a manager the overview and the capacity without any name, small figures hidden', async () => {
    await page.getByRole('button', { name: 'Log ud' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await signIn('leder');
    expect(await page.getByRole('link', { name: 'Eskaleringer', exact: true }).count()).toBe(0);
    await page.getByRole('link', { name: 'Overblik', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Overblik' }).waitFor();
    await page.locator('table.dashboard-stages').waitFor();
    const content = await page.locator('main').innerText();
    // One open pathway in Kontakt: fewer than 3 people, so hidden.
    expect(content).toContain('Tal fra færre end 3 personer vises som "<3"');
    expect(await page.locator('table.dashboard-stages tbody tr').first().innerText()).toMatch(/Kontakt\s+<3/);
    expect(content).not.toContain(CANARY);
    expect(content).not.toContain(drill.id.slice(0, 8));
    await look('26-overblik-leder');

    await page.getByRole('link', { name: 'Kapacitet', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Kapacitet' }).waitFor();
    const jobcenter = page.locator('table.capacity-table tbody tr', { hasText: 'Jobcenter' });
    expect(await jobcenter.innerText()).toMatch(/Jobcenter\s+1\s+0\s+0/);
    expect(await page.locator('main').innerText()).not.toContain(CANARY);
    await look('27-kapacitet');
  });
});
