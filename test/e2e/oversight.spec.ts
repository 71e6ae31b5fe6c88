// The operative group and managers in a real browser: the escalation board (a decision taken there, then found in the
// history of resolved escalations) → a meeting's agenda of every kind → a decision that reaches the pathway, a member's
// item recommended to Sikker By, another prioritizing the pathway (seen on its page, timeline and the list's filter) →
// approved minutes downloaded as a PDF, rendered to PNG and read back; the operative
// group's Overblik leads from a stage's count to the pathway list; then a manager's Overblik (charts beside tables)
// and Kapacitet, which show figures and never a name. Every page is photographed into test-results/e2e and checked
// with axe-core.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
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
  let boardDrill: Drill;
  const awaitingId = randomUUID();
  const releaseId = randomUUID();

  /** A pathway and its person straight into the read model (the agenda's other kinds need no workflow). */
  async function seedPathway(id: string, stage: string, releaseAt: string | null) {
    const since = new Date(Date.now() - 3 * 86400_000).toISOString();
    await stack.db.query(
      `INSERT INTO pathways (id, workflow_id, stage, district, playbook_version, opened_at, last_progress_at, version,
                             stage_entered_at, expected_release_at)
       VALUES ($1, $2, $3, 'TINGBJERG', 0, $4, $4, 1, $4, $5)`,
      [id, `pathway-${id}`, stage, since, releaseAt],
    );
    await stack.db.query(
      `INSERT INTO persons (pathway_id, name, birth_date, contact_source_agency, contact_occurred_at, contact_context)
       VALUES ($1, $2, '2001-02-02', 'POLICE_LOCAL', $3, 'Kontekst')`,
      [id, CANARY, since],
    );
  }

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
    boardDrill = await startDrill(stack, { age: 30, playbook: quick, name: CANARY });
    await eventually(
      () => http(stack, 'GET', '/escalations', undefined, { as: 'operativ-gruppe' }),
      (res) => [drill.id, boardDrill.id].every((id) => res.body.items.some((e: any) => e.pathwayId === id)),
      20000,
    );
    await seedPathway(awaitingId, 'ASSESSMENT', null);
    await stack.db.query(
      `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at, version)
       VALUES ($1, $2, 'joint-assessment', 'ASSESSMENT', 'SSP', 'JOINT_ASSESSMENT', 'Fælles vurdering', 'OPEN',
               now() - interval '2 days', now() + interval '10 days', 1)`,
      [randomUUID(), awaitingId],
    );
    await seedPathway(releaseId, 'CUSTODY', new Date(Date.now() + 20 * 86400_000).toISOString());
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
    const rows = page.locator('table.escalation-table tbody tr');
    await rows.nth(1).waitFor();
    expect(await rows.first().innerText()).toMatch(/Niveau 1\s+Forsørgelse\s+Jobcenter/);
    await look('20-eskaleringer');

    // A decision on the board itself: the row's form, then the escalation is in the history with its note.
    const boardRow = page.locator('table.escalation-table tbody tr', { hasText: boardDrill.id.slice(0, 8) });
    await boardRow.getByRole('button', { name: 'Beslut: Forsørgelse' }).click();
    await boardRow.getByLabel('Beslutning').selectOption('NOTE');
    await boardRow.getByLabel('Begrundelse').fill('Drøftet med Jobcenter i telefonen');
    await look('20a-eskalering-beslut');
    await boardRow.getByRole('button', { name: 'Registrér beslutning' }).click();
    const history = page.locator('table.escalation-history-table tbody tr', { hasText: boardDrill.id.slice(0, 8) });
    await history.waitFor();
    expect(await history.innerText()).toContain('Noteret: Drøftet med Jobcenter i telefonen');
    expect(await page.locator('table.escalation-table tbody tr').count()).toBe(1);
    await page.getByLabel('Beslutning', { exact: true }).selectOption('EXTEND');
    await page.getByText('Ingen afgjorte eskaleringer med dette filter.').waitFor();
    await page.getByLabel('Beslutning', { exact: true }).selectOption('');
    await history.waitFor();
    expect(
      (await http(stack, 'GET', `/pathways/${boardDrill.id}/timeline`, undefined, { as: 'operativ-gruppe' })).body.items
        .map((e: any) => e.kind)
        .filter((k: string) => k === 'ESCALATION_RESOLVED'),
    ).toHaveLength(1);
    await look('20b-eskaleringer-historik');

    await page.getByRole('link', { name: 'Til møderne' }).click();
    await page.getByRole('heading', { level: 1, name: 'Møder' }).waitFor();
    await look('21-moeder');
    await page.getByRole('button', { name: 'Lav dagsorden' }).click();
    await page.getByRole('heading', { level: 1, name: /^Møde / }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'Eskalering niveau 1: Forsørgelse, Jobcenter' }).waitFor();
    const headings = await page.locator('li.meeting-item h3').allInnerTexts();
    expect(headings).toEqual([
      'Eskalering niveau 1: Forsørgelse, Jobcenter',
      expect.stringMatching(/^Nyt forløb venter på fælles vurdering siden .+ \(SSP.*\)$/),
      expect.stringMatching(/^Løsladelse ventes .+ \(Frihedsberøvelse\)$/),
    ]);
    await look('22-moede-dagsorden');

    // A member's item about a pathway, then recommended to Sikker By: in the minutes and on the pathway's timeline.
    await page.getByLabel('Emne').fill('Bolig efter løsladelse');
    await page.getByLabel('Hvorfor').fill('Kriminalforsorgen har ingen bolig i udsigt');
    await page.getByLabel('Forløb (valgfrit)').fill(drill.id);
    await page.getByRole('button', { name: 'Sæt på dagsordenen' }).click();
    const manual = page.locator('li.meeting-item', { hasText: 'Bolig efter løsladelse' });
    await manual.waitFor();
    await manual.getByLabel('Beslutning').selectOption('RECOMMEND');
    await manual.getByLabel('Indstillingen').fill('Indstilles: bolig uden for området før løsladelsen');
    await manual.getByRole('button', { name: 'Registrér beslutning' }).click();
    await manual.getByText('Indstilles til Sikker By').waitFor();
    const recorded = await http(stack, 'GET', `/pathways/${drill.id}/timeline`, undefined, { as: 'operativ-gruppe' });
    expect(recorded.body.items.filter((e: any) => e.kind === 'MEETING_DECISION')).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({
          decision: 'RECOMMEND',
          note: 'Indstilles: bolig uden for området før løsladelsen',
        }),
      }),
    ]);

    // The same pathway prioritized by the meeting: a member's item, the decision "Prioriteten ændres" to Prioriteret.
    await page.getByLabel('Emne').fill('Trusler mod familien');
    await page.getByLabel('Hvorfor').fill('Politiet har oplysninger om trusler');
    await page.getByLabel('Forløb (valgfrit)').fill(drill.id);
    await page.getByRole('button', { name: 'Sæt på dagsordenen' }).click();
    const threat = page.locator('li.meeting-item', { hasText: 'Trusler mod familien' });
    await threat.waitFor();
    expect(await threat.innerText()).toContain('Prioritet nu: Normal');
    await threat.getByLabel('Beslutning').selectOption('CHANGE_PRIORITY');
    expect(await threat.getByLabel('Ny prioritet').inputValue()).toBe('HIGH');
    await threat.getByLabel('Begrundelse').fill('Prioriteres indtil truslerne er afklaret');
    await look('22a-moede-prioritet-form');
    await threat.getByRole('button', { name: 'Registrér beslutning' }).click();
    await threat.getByText('Prioriteten ændres (Prioriteret)').waitFor();
    await threat.getByText('Prioritet nu: Prioriteret').waitFor();
    expect(
      (await http(stack, 'GET', `/pathways/${drill.id}`, undefined, { as: 'operativ-gruppe' })).body.priority,
    ).toBe('HIGH');

    const due = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(
      new Date(Date.now() + 7 * 86400_000),
    );
    const escalated = page.locator('li.meeting-item', { hasText: 'Eskalering niveau 1' });
    await escalated.getByLabel('Beslutning').selectOption('EXTEND');
    await escalated.getByLabel('Ny frist').fill(due);
    await escalated.getByLabel('Begrundelse').fill('Jobcenter har fået ny kontaktperson');
    await escalated.getByRole('button', { name: 'Registrér beslutning' }).click();
    await escalated.getByText('Fristen forlænges').waitFor();
    expect(await escalated.locator('.meeting-decision').innerText()).toContain('Jobcenter har fået ny kontaktperson');
    // The decision reached the pathway: its task has the new deadline and the timeline says why.
    expect(new Date((await drill.status()).tasks[0].dueAt).toISOString()).toBe(
      new Date(`${due}T16:00:00+01:00`).toISOString(),
    );
    const timeline = await http(stack, 'GET', `/pathways/${drill.id}/timeline`, undefined, { as: 'operativ-gruppe' });
    expect(timeline.body.items.map((e: any) => e.kind)).toEqual(
      expect.arrayContaining(['ESCALATION_RESOLVED', 'DEADLINE_EXTENDED']),
    );
    await look('23-moede-beslutning');
    // "Forløbet lukkes" asks for the closing outcome and says a coordinator confirms it (not sent here).
    const awaiting = page.locator('li.meeting-item', { hasText: 'Nyt forløb venter' });
    await awaiting.getByLabel('Beslutning').selectOption('CLOSE');
    await awaiting.getByText('Lukningen skal bekræftes af en koordinator på forløbets side (to par øjne).').waitFor();
    await awaiting.getByLabel('Udfald ved lukning').selectOption('COMPLETED');
    await look('23a-moede-luk-form');
    await awaiting.getByLabel('Beslutning').selectOption('NOTE');

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
    expect(text).toContain('2. Nyt forløb venter på fælles vurdering siden');
    expect(text).toContain('3. Løsladelse ventes');
    expect(text).toContain('4. Bolig efter løsladelse (sat på af Den operative styregruppe)');
    expect(text).toContain('Indstillinger til Sikker By');
    expect(text).toContain('Punkt 4: Indstilles: bolig uden for området før løsladelsen');
    expect(text).toContain('5. Trusler mod familien (sat på af Den operative styregruppe)');
    expect(text).toContain('Beslutning: Prioriteten ændres til prioriteret. Prioriteres indtil truslerne er afklaret');
    expect(text).not.toContain(CANARY);
    // The first page as a picture, to be looked at with the screenshots.
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', file, path.join(SCREENSHOT_DIR, '25-referat')]);

    // The recommendations, collected under the meetings for Sikker By's next meeting.
    await page.getByRole('link', { name: 'Møder', exact: true }).click();
    const recommendation = page.locator('table.recommendation-table tbody tr').first();
    await recommendation.waitFor();
    expect(await recommendation.innerText()).toContain('Indstilles: bolig uden for området før løsladelsen');
    await look('25a-indstillinger');

    // The operative group's Overblik: a chart beside each table, and a stage's count leads to the pathway list.
    await page.getByRole('link', { name: 'Overblik', exact: true }).click();
    await page.locator('.dashboard-stages-chart canvas').waitFor();
    await page.locator('.dashboard-sla-chart canvas').waitFor();
    await look('25b-overblik-operativ');
    await page.getByRole('link', { name: '2 forløb i fasen Kontakt' }).click();
    await page.locator('table.pathway-table tbody tr').nth(1).waitFor();
    expect(await page.locator('table.pathway-table tbody tr').count()).toBe(2);
    expect(await page.locator('main').innerText()).not.toContain(CANARY);
    await look('25c-forloeb-kontakt');

    // The meeting's recommendation on the pathway's own timeline, in Danish.
    await page.goto(`/app/forloeb/${drill.id}`);
    await page
      .locator('ol.timeline li', {
        hasText: 'Den operative styregruppes beslutning: Indstilles til Sikker By – Indstilles: bolig uden for området',
      })
      .waitFor();
    await look('25d-forloeb-moedebeslutning');
    // The priority on the pathway page, on its timeline, and in the pathway list's "Prioriteret" filter.
    const priority = page.locator('dl.identity-list div', { hasText: 'Prioritet' });
    expect(await priority.locator('dd').innerText()).toBe('Prioriteret');
    await page
      .locator('ol.timeline li', { hasText: 'Prioritet ændret af den operative styregruppe: Normal → Prioriteret' })
      .waitFor();
    await look('25e-forloeb-prioritet');
    await page.goto('/app/forloeb?prioriteret=ja');
    await page.locator('table.pathway-table tbody tr').first().waitFor();
    expect(await page.locator('table.pathway-table tbody tr').count()).toBe(1);
    expect(await page.locator('table.pathway-table tbody tr').innerText()).toContain('Prioriteret');
    await look('25f-forloeb-prioriterede');
  });

  it('marks the prioritized pathway’s task "Prioriteret" in the agency’s queue', async () => {
    await page.getByRole('button', { name: 'Log ud' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await signIn('jobcenter-sagsbehandler');
    await page.getByRole('link', { name: 'Alle åbne' }).click();
    const rows = page.locator('table tbody tr');
    await rows.nth(1).waitFor();
    const prioritized = rows.filter({ hasText: 'Prioriteret' });
    expect(await prioritized.count()).toBe(1);
    // The row is the prioritized pathway's task: its link leads to a task of that pathway.
    const href = await prioritized.getByRole('link', { name: 'Forsørgelse' }).getAttribute('href');
    const taskId = href!.split('/').pop()!;
    expect((await drill.status()).tasks.map((t) => t.id)).toContain(taskId);
    await look('25g-koe-prioriteret');
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
    // The charts are there, named by their summary; a manager gets no way to the pathways.
    await page.locator('.dashboard-stages-chart canvas').waitFor();
    expect(await page.getByRole('img', { name: /^Søjlediagram: åbne forløb pr. fase/ }).count()).toBe(1);
    expect(await page.locator('table.dashboard-stages a').count()).toBe(0);
    await look('26-overblik-leder');

    await page.getByRole('link', { name: 'Kapacitet', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Kapacitet' }).waitFor();
    const jobcenter = page.locator('table.capacity-table tbody tr', { hasText: 'Jobcenter' });
    expect(await jobcenter.innerText()).toMatch(/Jobcenter\s+2\s+0\s+0/);
    expect(await page.locator('main').innerText()).toContain(
      '0 opgaver i gang hos sagsbehandlere uden handling i 7 dage',
    );
    await page.getByLabel('Fraværende efter').selectOption('14');
    await page.getByRole('columnheader', { name: 'I gang hos fraværende (14 dage)' }).waitFor();
    expect(await page.locator('main').innerText()).not.toContain(CANARY);
    await look('27-kapacitet');
  });

  it("shows a team lead its own agency's people: claimed, overdue, last action and who is absent, in words", async () => {
    // An SSP caseworker last here 20 days ago holding one overdue task of a seeded pathway.
    await stack.db.query(
      `INSERT INTO users (user_id, display_name, agency_code, roles, first_seen_at, last_seen_at)
       VALUES ('ssp-fravaer', 'Fravær Fraværsen', 'SSP', '{CASEWORKER}', now() - interval '60 days',
               now() - interval '20 days')`,
    );
    await stack.db.query(
      `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at,
                          assignee, version)
       VALUES ($1, $2, 'held-task', 'ASSESSMENT', 'SSP', 'JOINT_ASSESSMENT', 'Fælles vurdering', 'CLAIMED',
               now() - interval '25 days', now() - interval '3 days', 'ssp-fravaer', 1)`,
      [randomUUID(), awaitingId],
    );
    await page.getByRole('button', { name: 'Log ud' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await signIn('ssp-teamleder');
    await page.getByRole('link', { name: 'Kapacitet', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: /^Medarbejdere i SSP/ }).waitFor();
    const absent = page.locator('table.capacity-table tbody tr', { hasText: 'Fravær Fraværsen' });
    expect(await absent.innerText()).toMatch(/Fravær Fraværsen\s+1\s+1\s+\d.*\s+fraværende/);
    const lead = page.locator('table.capacity-table tbody tr', { hasText: 'Teamleder, SSP' });
    expect(await lead.innerText()).not.toContain('fraværende');
    expect(await page.locator('main').innerText()).toMatch(/\d+ opgaver? i køen er ikke tildelt nogen\./);
    expect(await page.locator('main').innerText()).not.toContain(CANARY);
    await look('27b-kapacitet-teamleder');
  });
});
