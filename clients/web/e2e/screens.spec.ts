import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { gql, login, signInAs } from './helpers';

test('lists: search, filter, sort, a saved view and a CSV of exactly what is shown', async ({ page }) => {
  await signInAs(page, 'admin@demo.example', '/app/lists/organizations');
  const shown = page.getByTestId('shown');
  await expect(shown).toHaveAttribute('data-shown', '50');
  const admin = await login(page.request, 'admin@demo.example');
  const all = await gql<{ organizations: { totalCount: number } }>(page.request, admin, '{ organizations(first: 1) { totalCount } }');
  await expect(shown).toHaveAttribute('data-total', String(all.organizations.totalCount));

  await page.getByLabel('Lifecycle stage').selectOption('ACTIVE');
  await page.getByLabel('Sort', { exact: true }).selectOption('SIZE');
  await page.getByLabel('Sort direction').selectOption('DESC');
  const active = await gql<{ organizations: { totalCount: number; edges: { node: { name: string } }[] } }>(page.request, admin,
    '{ organizations(first: 3, filter: { lifecycleStage: [ACTIVE] }, orderBy: { field: SIZE, direction: DESC }) { totalCount edges { node { name } } } }');
  await expect(shown).toHaveAttribute('data-total', String(active.organizations.totalCount));
  const firstNames = active.organizations.edges.map((e) => e.node.name);
  await expect(page.getByTestId('row').first().locator('td').first()).toHaveText(firstNames[0]);

  await page.getByLabel('View name').fill('Big active');
  await page.getByRole('button', { name: 'Save view' }).click();
  await page.reload();
  await expect(shown).toHaveAttribute('data-total', String(all.organizations.totalCount));
  await page.getByLabel('Saved views').selectOption('Big active');
  await expect(shown).toHaveAttribute('data-total', String(active.organizations.totalCount));

  const rows = Number(await shown.getAttribute('data-shown'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '').trimEnd().split('\r\n');
  expect(csv[0]).toBe('Name,Industry,Country,Employees,Lifecycle stage,Owner,Updated');
  expect(csv).toHaveLength(rows + 1);
  expect(csv[1].startsWith(firstNames[0].includes(',') ? `"${firstNames[0]}"` : firstNames[0])).toBe(true);

  await page.getByLabel('Search').fill(firstNames[1]);
  await expect(page.getByTestId('row').first().locator('td').first()).toHaveText(firstNames[1]);
});

test('lists: a field the role may not read is shown as hidden, in the CSV too', async ({ page }) => {
  await signInAs(page, 'analyst@demo.example', '/app/lists/contacts');
  await expect(page.getByTestId('row').first().locator('td').nth(2)).toHaveText('Hidden');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8').split('\r\n');
  expect(csv[1].split(',')[2]).toBe('Hidden');
});

test('dashboards draw pipeline by stage, won and lost by month, and activity by rep', async ({ page }) => {
  await signInAs(page, 'admin@demo.example', '/app/dashboards');
  for (const id of ['chart-stage', 'chart-won-lost', 'chart-activity']) {
    await expect(page.getByTestId(id).locator('canvas')).toBeVisible();
  }
});

test('the API explorer is bundled and signed in as the app is', async ({ page }) => {
  await signInAs(page, 'rep1@demo.example', '/app/explorer');
  const explorer = page.getByTestId('explorer');
  await expect(explorer.locator('.graphiql-container')).toBeVisible();
  // The editor loads its workers first; a click before then runs nothing.
  await expect(explorer.locator('.graphiql-query-editor')).toContainText('viewer');
  await expect(async () => {
    await explorer.getByRole('button', { name: /Execute query/ }).click();
    await expect(explorer.locator('.result-window')).toContainText('rep1@demo.example', { timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
});

test('the app works offline: nothing but the crm-graph server is ever asked for', async ({ page, baseURL }) => {
  const origin = new URL(baseURL ?? '').origin;
  const foreign: string[] = [];
  await page.context().route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    foreign.push(url);
    return route.abort('internetdisconnected');
  });
  const fonts: string[] = [];
  page.on('response', (response) => {
    if (/\.woff2$/.test(response.url()) && response.ok()) fonts.push(new URL(response.url()).pathname);
  });
  await signInAs(page, 'admin@demo.example', '/app/board');
  await expect(page.getByTestId('card').first()).toBeVisible();
  for (const path of ['/app/lists/organizations', '/app/graph', '/app/dashboards', '/app/explorer']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 }).or(page.getByTestId('explorer'))).toBeVisible();
    await expect(page.getByText('Loading…')).toHaveCount(0);
  }
  await expect(page.getByTestId('explorer').locator('.graphiql-container')).toBeVisible();
  // GraphiQL at /graphql is the bundled one too.
  await page.goto('/graphql');
  await expect(page).toHaveURL(/\/app\/explorer$/);
  await expect(page.getByTestId('explorer').locator('.graphiql-container')).toBeVisible();
  // The bundled fonts are used, not a fallback.
  expect(await page.evaluate(() => document.fonts.check('16px Inter'))).toBe(true);

  // In Simplified Chinese the bundled CJK font draws the text (the machine has none of its own).
  await page.goto('/app/board');
  await page.getByTestId('language').selectOption('zh-CN');
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText('销售管道');
  await expect.poll(() => page.evaluate(async () => {
    await document.fonts.ready;
    const loaded = [...document.fonts].filter((f) => f.family.replace(/["']/g, '') === 'Noto Sans SC' && f.status === 'loaded');
    return loaded.length > 0 && document.fonts.check('16px "Noto Sans SC"', '销售管道');
  })).toBe(true);
  // What Chromium actually drew the heading with: the web font, not a system one.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'main h1' });
  await expect.poll(async () => {
    const used = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    // (the slices' own name table says "Noto Sans SC Thin": Google cut them from the variable font)
    return used.fonts.some((f) => f.isCustomFont && f.familyName.startsWith('Noto Sans SC') && f.glyphCount >= 4);
  }).toBe(true);
  // Only some of the ~100 slices were fetched, all from the crm-graph server.
  const slices = fonts.filter((path) => path.includes('noto-sans-sc'));
  expect(slices.length).toBeGreaterThan(0);
  expect(slices.length).toBeLessThan(40);
  expect(slices.every((path) => path.startsWith('/app/assets/'))).toBe(true);
  expect(foreign).toEqual([]);
});

test('Simplified Chinese: strings, numbers and dates follow the language', async ({ page }) => {
  await signInAs(page, 'admin@demo.example', '/app/board');
  await page.getByTestId('language').selectOption('zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('销售管道');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('column-total').first()).toContainText('个商机');
  await page.reload();
  await expect(page.getByRole('link', { name: '仪表盘' })).toBeVisible();
});

for (const width of [390, 1280]) {
  test(`readable at ${width} pixels wide: nothing overflows the page sideways`, async ({ page }) => {
    await page.setViewportSize({ width, height: 844 });
    for (const path of ['/app/board', '/app/lists/organizations', '/app/dashboards']) {
      if (path === '/app/board') await signInAs(page, 'admin@demo.example', path);
      else await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
}
