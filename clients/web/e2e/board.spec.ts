import { expect, test } from '@playwright/test';
import { boardLoaded, gql, login, screenshot, signInAs } from './helpers';

interface Opp { id: string; name: string; version: number; stage: { id: string; name: string }; owner: { name: string } | null }

async function visibleOpportunities(request: Parameters<typeof login>[0], email: string): Promise<number> {
  const session = await login(request, email);
  const data = await gql<{ opportunities: { totalCount: number } }>(request, session,
    '{ opportunities(first: 1, filter: { pipeline: null }) { totalCount } }');
  return data.opportunities.totalCount;
}

test('sign in with the demo user picker', async ({ page }) => {
  await page.goto('/app/');
  await page.getByLabel('Demo users').selectOption({ label: 'Rachel Ortiz <rep1@demo.example> (sales_rep)' });
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('who')).toContainText('rep1@demo.example');
  await boardLoaded(page);
  // The session survives a reload, and the app's own route survives it too (SPA fallback).
  await page.reload();
  await expect(page.getByTestId('who')).toContainText('rep1@demo.example');
});

// The demo's sellers are the two reps: their manager's team and the tenant-wide roles
// see both; each rep sees only their own; marketing may not read opportunities at all.
for (const { email, owners } of [
  { email: 'rep1@demo.example', owners: ['Rachel Ortiz'] },
  { email: 'rep2@demo.example', owners: ['Daniel Okafor'] },
  { email: 'admin@demo.example', owners: ['Daniel Okafor', 'Rachel Ortiz'] },
  { email: 'manager@demo.example', owners: ['Daniel Okafor', 'Rachel Ortiz'] },
  { email: 'analyst@demo.example', owners: ['Daniel Okafor', 'Rachel Ortiz'] },
]) {
  test(`${email} sees the opportunities their role allows`, async ({ page }) => {
    await signInAs(page, email);
    const count = await boardLoaded(page);
    // Every opportunity the API lets this user see (the demo has one pipeline), and no more.
    expect(count).toBe(await visibleOpportunities(page.request, email));
    const shownOwners = new Set(await page.locator('.card-owner').allInnerTexts());
    expect([...shownOwners].sort()).toEqual(owners);
  });
}

test('marketing may not read opportunities: the board says so instead of failing', async ({ page }) => {
  await signInAs(page, 'marketing@demo.example');
  await expect(page.getByTestId('forbidden')).toHaveText('You may not see this.');
  await expect(page.getByTestId('card')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('the admin of another tenant sees only that tenant\'s opportunities', async ({ page, request }) => {
  const other = await login(request, 'admin@other.example', 'other');
  await page.addInitScript((value) => localStorage.setItem('crm.session', value), JSON.stringify(other));
  await page.goto('/app/board');
  await boardLoaded(page);
  await expect(page.locator('.card-owner').first()).toHaveText('Olivia Osterman');
  expect(new Set(await page.locator('.card-owner').allInnerTexts())).toEqual(new Set(['Olivia Osterman']));
});

async function firstOpenCard(request: Parameters<typeof login>[0]): Promise<Opp> {
  const admin = await login(request, 'admin@demo.example');
  const data = await gql<{ opportunities: { edges: { node: Opp }[] } }>(request, admin,
    `{ opportunities(first: 1, filter: { status: [OPEN], owner: null }, orderBy: { field: AMOUNT, direction: DESC }) {
        edges { node { id name version stage { id name } owner { name } } } } }`);
  return data.opportunities.edges[0].node;
}

test('a card dragged in one browser moves live in another', async ({ browser, page }) => {
  const opp = await firstOpenCard(page.request);
  await signInAs(page, 'admin@demo.example');
  await boardLoaded(page);
  const other = await browser.newContext();
  const watcher = await other.newPage();
  await signInAs(watcher, 'admin@demo.example');
  await boardLoaded(watcher);

  const target = opp.stage.name === 'Proposal' ? 'Negotiation' : 'Proposal';
  const card = page.locator(`[data-id="${opp.id}"]`);
  await expect(watcher.getByTestId(`column-${opp.stage.name}`).locator(`[data-id="${opp.id}"]`)).toBeVisible();
  await card.dragTo(page.getByTestId(`column-${target}`), { targetPosition: { x: 60, y: 20 } });
  await expect(page.getByTestId(`column-${target}`).locator(`[data-id="${opp.id}"]`)).toBeVisible();
  await expect(page.getByTestId('board-notice')).toContainText(`moved to ${target}`);
  // The second context never touched it: the move arrives over the subscription.
  await expect(watcher.getByTestId(`column-${target}`).locator(`[data-id="${opp.id}"]`)).toBeVisible();
  await screenshot(page, 'board');
  await other.close();
});

test('a conflicting move shows the newer version instead of overwriting it', async ({ page }) => {
  const opp = await firstOpenCard(page.request);
  // No live updates in this page, so it keeps showing the old version.
  await page.routeWebSocket(/\/graphql$/, () => {});
  await signInAs(page, 'admin@demo.example');
  await boardLoaded(page);
  const shownVersion = Number(await page.locator(`[data-id="${opp.id}"]`).getAttribute('data-version'));

  // Someone else moves it meanwhile.
  const admin = await login(page.request, 'admin@demo.example');
  const elsewhere = opp.stage.name === 'Qualification' ? 'Discovery' : 'Qualification';
  const stages = await gql<{ node: { pipeline: { stages: { edges: { node: { id: string; name: string } }[] } } } }>(
    page.request, admin, `query($id: ID!) { node(id: $id) { ... on Opportunity { pipeline { stages(first: 50) { edges { node { id name } } } } } } }`, { id: opp.id });
  const stageIds = new Map(stages.node.pipeline.stages.edges.map((e) => [e.node.name, e.node.id]));
  const moved = await gql<{ opportunityMoveStage: { opportunity: { version: number } } }>(page.request, admin,
    `mutation($input: OpportunityMoveStageInput!) { opportunityMoveStage(input: $input) { opportunity { version } errors { message } } }`,
    { input: { id: opp.id, stageId: stageIds.get(elsewhere), expectedVersion: shownVersion } });
  const newer = moved.opportunityMoveStage.opportunity.version;

  const mine = [...stageIds.keys()].find((name) => name !== elsewhere && name !== opp.stage.name && !/won|lost/i.test(name)) ?? 'Proposal';
  await page.locator(`[data-id="${opp.id}"] select`).selectOption({ label: mine });
  const notice = page.getByTestId('board-notice');
  await expect(notice).toContainText(`now version ${newer}, in stage ${elsewhere}`);
  await expect(notice).toContainText('not applied');
  // The card shows the newer state, not the user's move.
  await expect(page.getByTestId(`column-${elsewhere}`).locator(`[data-id="${opp.id}"]`)).toBeVisible();
  const after = await gql<{ node: { stage: { name: string }; version: number } }>(page.request, admin,
    `query($id: ID!) { node(id: $id) { ... on Opportunity { version stage { name } } } }`, { id: opp.id });
  expect(after.node).toEqual({ version: newer, stage: { name: elsewhere } });
});

test('sign in with OpenID Connect (authorization code with PKCE)', async ({ page }) => {
  // Only the server this run starts is configured with the local provider.
  test.skip(!process.env.E2E_OIDC_ISSUER, 'E2E_BASE_URL names a server without OpenID Connect');
  await page.goto('/app/');
  await page.getByRole('button', { name: 'Sign in with your identity provider' }).click();
  // To the provider and back to /app/callback, which trades the code (and verifier) for a token.
  await expect(page.getByTestId('who')).toContainText('rep2@demo.example');
  await expect(page).toHaveURL(/\/app\/board$/);
  await boardLoaded(page);
  expect(new Set(await page.locator('.card-owner').allInnerTexts())).toEqual(new Set(['Daniel Okafor']));
});

test('an opportunity created elsewhere appears on the board without a reload', async ({ page }) => {
  await signInAs(page, 'admin@demo.example');
  const before = await boardLoaded(page);
  // A rep creates it (and owns it): the admin sees every rep's opportunities.
  const rep = await login(page.request, 'rep1@demo.example');
  const name = `Live deal ${Date.now()}`;
  await gql(page.request, rep, 'mutation($input: OpportunityCreateInput!) { opportunityCreate(input: $input) { errors { message } } }',
    { input: { name, amount: '12345', currency: 'USD' } });
  await expect(page.getByTestId('column-Qualification').getByText(name)).toBeVisible();
  expect(await boardLoaded(page)).toBe(before + 1);
});
