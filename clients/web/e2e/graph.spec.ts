import { expect, test } from '@playwright/test';
import { gql, login, screenshot, signInAs } from './helpers';

interface Named { id: string; name?: string; firstName?: string; lastName?: string }
interface Neighbor { distance: number; node: Named; relationship: { source: { id: string }; target: { id: string } } }

const label = (n: Named) => n.name ?? `${n.firstName} ${n.lastName}`;

/** An organization two hops from another, and the record between them. */
async function twoHops(request: Parameters<typeof login>[0]) {
  const admin = await login(request, 'admin@demo.example');
  const data = await gql<{ organizations: { edges: { node: { id: string; name: string; neighbors: { edges: Neighbor[] } } }[] } }>(request, admin,
    `{ organizations(first: 20, orderBy: { field: NAME }) { edges { node { id name neighbors(depth: 2, first: 50) { edges { distance
        node { id ... on Organization { name } ... on Contact { firstName lastName } }
        relationship { source { id } target { id } } } } } } } }`);
  for (const { node: org } of data.organizations.edges) {
    const far = org.neighbors.edges.find((e) => e.distance === 2 && 'name' in e.node);
    if (!far) continue;
    const via = far.relationship.source.id === far.node.id ? far.relationship.target.id : far.relationship.source.id;
    const middle = org.neighbors.edges.find((e) => e.node.id === via);
    if (middle) return { from: org, middle: middle.node, to: far.node };
  }
  throw new Error('the demo data has no two-hop path');
}

test('the graph draws with WebGL, expands on click and finds a warm introduction', async ({ page }) => {
  const { from, middle, to } = await twoHops(page.request);
  await signInAs(page, 'admin@demo.example', `/app/graph?focus=${encodeURIComponent(from.id)}`);
  const canvas = page.getByTestId('graph-canvas');
  await expect(canvas).toHaveAttribute('data-webgl', /^webgl2?$/);
  const contexts = await canvas.evaluate((el) => Array.from(el.querySelectorAll('canvas'))
    .map((c) => (c.getContext('webgl2') ?? c.getContext('webgl')) !== null).filter(Boolean).length);
  expect(contexts).toBeGreaterThan(0);

  const counts = page.getByTestId('graph-counts');
  await expect(counts).not.toHaveAttribute('data-nodes', '0');
  const before = Number(await counts.getAttribute('data-nodes'));
  await expect(page.getByTestId('expand').filter({ hasText: label(to) })).toHaveCount(0);

  // Expanding the record between them brings the far one in.
  await page.getByTestId('expand').filter({ hasText: label(middle) }).first().click();
  await expect.poll(async () => Number(await counts.getAttribute('data-nodes'))).toBeGreaterThan(before);
  await expect(page.getByTestId('expand').filter({ hasText: label(to) }).first()).toBeVisible();

  await page.getByTestId('path-to').selectOption(to.id);
  await page.getByRole('button', { name: 'Find a warm introduction' }).click();
  const path = page.getByTestId('path');
  await expect(path).toHaveAttribute('data-length', '2');
  await expect(path).toContainText(`${from.name} → ${label(middle)} → ${label(to)}`);
  await page.waitForTimeout(2600); // let the layout settle for the picture
  await screenshot(page, 'graph');
});

test('depth 2 draws more of the neighbourhood than depth 1, and edge kinds filter it', async ({ page }) => {
  const { from } = await twoHops(page.request);
  await signInAs(page, 'admin@demo.example', `/app/graph?focus=${encodeURIComponent(from.id)}`);
  const counts = page.getByTestId('graph-counts');
  await expect(counts).not.toHaveAttribute('data-nodes', '0');
  const one = Number(await counts.getAttribute('data-nodes'));
  await page.getByLabel('Depth').selectOption('2');
  await expect.poll(async () => Number(await counts.getAttribute('data-nodes'))).toBeGreaterThan(one);
  // A kind nobody uses here leaves the record alone.
  await page.getByLabel('Reports to').check();
  await expect(counts).toHaveAttribute('data-nodes', '1');
});
