// One Chromium (Debian's, found by scripts/dev-stack/ensure-chromium.js) per test file, pages that run under the
// API's own Content-Security-Policy, screenshots into test-results/e2e, and axe-core checks.
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureChromium } = require('../../../scripts/dev-stack/ensure-chromium.js') as {
  ensureChromium: () => string;
};

export const SCREENSHOT_DIR = path.resolve(__dirname, '../../../test-results/e2e');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: ensureChromium(),
    headless: true,
    // As root (CI containers) Chromium refuses to start with its sandbox.
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}

export interface AppPage {
  page: Page;
  context: BrowserContext;
  /** Content-Security-Policy violations and uncaught page errors seen so far. */
  problems: string[];
}

export async function openPage(browser: Browser, baseUrl: string): Promise<AppPage> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: 'da-DK',
    timezoneId: 'Europe/Copenhagen',
    viewport: { width: 1280, height: 900 },
  });
  const problems: string[] = [];
  // The pages run under the Content-Security-Policy the API sends (apps/api/src/core/hardening.ts): a violation,
  // such as a fetch to an origin it does not allow, shows up in `problems`.
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  return { page, context, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script> tag would be refused).
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // Runs in the page; the test code's types have no DOM, hence globalThis.
    const inPage = globalThis as unknown as {
      axe: { run: (ctx: unknown, options: object) => Promise<any> };
      document: unknown;
    };
    const result = await inPage.axe.run(inPage.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return (result.violations as any[]).map((v) => ({
      id: v.id as string,
      impact: v.impact as string | null,
      help: v.help as string,
      targets: (v.nodes as any[]).map((n) => String(n.target)),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
