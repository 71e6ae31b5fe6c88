// The browser tests' stack with sign-in: the development issuer in this process (test/support/dev-issuer.ts), whose
// web client may send codes to this stack's /app/auth/callback, and the API configured to name it to the app.
import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import type { TestIssuer } from '../../support/dev-issuer';
import { startStack, type TestStack } from '../../support/stack';

export interface SignInStack {
  stack: TestStack;
  issuer: TestIssuer;
  stop(): Promise<void>;
}

/** A free loopback port: the issuer must know the API's callback address before the API starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startSignInStack(options: { playbook?: 1 | 2 | 3 } = {}): Promise<SignInStack> {
  const port = await freePort();
  // The stack's own issuer (it stops with the stack), told where this API's web app receives its codes.
  const stack = await startStack({
    ...options,
    port,
    issuer: { webRedirectUris: [`http://127.0.0.1:${port}/app/auth/callback`] },
  });
  return {
    stack,
    issuer: stack.issuer,
    async stop() {
      await stack.stop();
    },
  };
}

/** Types a demo account's user name and password into the issuer's form (README's "every password is dev-<user>"). */
export async function fillIssuerLogin(page: Page, username: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: 'Sign in to Exit Pathways' }).waitFor();
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(`dev-${username}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** After the login form: allows access on the first sign-in of an account in this browser, then waits for the app. */
export async function allowAndReturn(page: Page): Promise<void> {
  const allow = page.getByRole('button', { name: 'Allow' });
  const signedIn = page.getByRole('button', { name: 'Log ud' });
  await allow.or(signedIn).first().waitFor();
  if (await allow.isVisible()) await allow.click();
  await signedIn.waitFor();
}
