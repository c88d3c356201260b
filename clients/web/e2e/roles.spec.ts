import { expect, test } from '@playwright/test';
import { gql, login, signInAs } from './helpers';

const ROLES = ['admin', 'manager', 'rep1', 'marketing', 'service', 'analyst'].map((name) => `${name}@demo.example`);

// Every screen works for every role: what a role may not see reads "Hidden" or
// "You may not see this", never an error page.
for (const email of ROLES) {
  test(`every screen works for ${email}`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const session = await login(page.request, email);
    const org = await gql<{ organizations: { edges: { node: { id: string } }[] } }>(page.request, session,
      '{ organizations(first: 1, orderBy: { field: NAME }) { edges { node { id } } } }');
    const orgId = org.organizations.edges[0]?.node.id;
    await signInAs(page, email, '/app/board');
    const screens = ['/app/board', '/app/leads', '/app/lists/organizations', '/app/lists/contacts', '/app/lists/opportunities', '/app/dashboards', `/app/graph?focus=${orgId}`];
    if (orgId) screens.push(`/app/organizations/${orgId}`);
    for (const path of screens) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByText('Loading…'), `${path} as ${email}`).toHaveCount(0);
      await expect(page.locator('p.error'), `${path} as ${email}`).toHaveCount(0);
    }
    expect(errors).toEqual([]);
  });
}

test('a role that may not read amounts sees them as hidden on the board', async ({ page }) => {
  await signInAs(page, 'service@demo.example', '/app/board');
  await expect(page.getByTestId('card').first()).toBeVisible();
  await expect(page.locator('.card-amount [data-hidden="amount"]').first()).toHaveText('Hidden');
  await expect(page.locator('p.error')).toHaveCount(0);
});
