import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';

export const SCREENSHOTS = resolve(import.meta.dirname, '../../../docs/screenshots');

export interface Session { token: string; tenant: string; email: string; expiresAt: number }

export async function login(request: APIRequestContext, email: string, tenant = 'demo'): Promise<Session> {
  const response = await request.post('/dev/login', { data: { tenant, email } });
  const { token } = (await response.json()) as { token: string };
  return { token, tenant, email, expiresAt: Date.now() + 8 * 3600_000 };
}

/** Opens the app already signed in as `email` (the picker itself has its own test). */
export async function signInAs(page: Page, email: string, path = '/app/board'): Promise<Session> {
  const session = await login(page.request, email);
  await page.addInitScript((value) => {
    localStorage.setItem('crm.session', value);
    if (!localStorage.getItem('crm.language')) localStorage.setItem('crm.language', 'en');
  }, JSON.stringify(session));
  await page.goto(path);
  return session;
}

export async function gql<T>(request: APIRequestContext, session: Session, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await request.post('/graphql', {
    data: { query, variables },
    headers: { authorization: `Bearer ${session.token}` },
  });
  const body = (await response.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** With E2E_SCREENSHOTS=1 (`make screenshots`): the README's pictures, from the top of the page. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!process.env.E2E_SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`) });
}

/** Waits until the board has fetched every page of its opportunities. */
export async function boardLoaded(page: Page): Promise<number> {
  const board = page.getByTestId('board');
  await board.and(page.locator('[data-complete="yes"]')).waitFor();
  return Number(await board.getAttribute('data-count'));
}
