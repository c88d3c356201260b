import { expect, test } from '@playwright/test';
import { gql, login, screenshot, signInAs } from './helpers';

async function busiestOrganization(request: Parameters<typeof login>[0]): Promise<{ id: string; name: string; country: string | null }> {
  const admin = await login(request, 'admin@demo.example');
  const data = await gql<{ organizations: { edges: { node: { id: string; name: string; country: string | null; interactions: { totalCount: number } } }[] } }>(
    request, admin, '{ organizations(first: 30, orderBy: { field: NAME }) { edges { node { id name country interactions(first: 1) { totalCount } } } } }');
  const nodes = data.organizations.edges.map((e) => e.node);
  return nodes.sort((a, b) => b.interactions.totalCount - a.interactions.totalCount)[0];
}

test('log a call on the customer 360 and see it on the timeline', async ({ page }) => {
  const org = await busiestOrganization(page.request);
  await signInAs(page, 'admin@demo.example', `/app/organizations/${org.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(org.name);
  await expect(page.getByTestId('timeline-item').first()).toBeVisible();

  const form = page.getByRole('form', { name: 'Log an interaction' });
  // An empty subject is refused at the field, and nothing is logged.
  await form.getByRole('button', { name: 'Log' }).click();
  await expect(form.getByRole('alert')).toBeVisible();

  const subject = `Renewal call ${Date.now()}`;
  await form.getByLabel('Kind').selectOption('CALL');
  await form.getByLabel('Subject').fill(subject);
  await form.getByLabel('Notes').fill('They want a three-year term.');
  await form.getByLabel('Minutes').fill('25');
  await form.getByRole('button', { name: 'Log' }).click();
  await expect(form.getByRole('status')).toHaveText('Interaction logged');
  await expect(page.getByTestId('timeline-item').first()).toContainText(subject);

  const admin = await login(page.request, 'admin@demo.example');
  const stored = await gql<{ interactions: { edges: { node: { kind: string; durationMinutes: number; organization: { id: string } } }[] } }>(
    page.request, admin, `query($s: String!) { interactions(first: 5, filter: { search: $s }) { edges { node { kind durationMinutes organization { id } } } } }`, { s: subject });
  expect(stored.interactions.edges.map((e) => e.node)).toEqual([{ kind: 'CALL', durationMinutes: 25, organization: { id: org.id } }]);
  await screenshot(page, 'customer-360');
});

test('the timeline loads older interactions as one scrolls', async ({ page }) => {
  const org = await busiestOrganization(page.request);
  await signInAs(page, 'admin@demo.example', `/app/organizations/${org.id}`);
  const items = page.getByTestId('timeline-item');
  await expect(items).toHaveCount(20);
  await items.last().scrollIntoViewIfNeeded();
  await page.getByTestId('timeline').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect.poll(() => items.count()).toBeGreaterThan(20);
});

test('inline edit: an invalid value is refused at its field, a valid one is saved', async ({ page }) => {
  const org = await busiestOrganization(page.request);
  await signInAs(page, 'admin@demo.example', `/app/organizations/${org.id}`);
  const size = page.locator('dd[data-field="size"]');
  await size.getByRole('button', { name: 'Edit Employees' }).click();
  await size.getByLabel('Employees').fill('-5');
  await size.getByRole('button', { name: 'Save' }).click();
  await expect(size.getByRole('alert')).toBeVisible();
  await expect(size.getByLabel('Employees')).toHaveAttribute('aria-invalid', 'true');

  const industry = page.locator('dd[data-field="industry"]');
  await industry.getByRole('button', { name: 'Edit Industry' }).click();
  await industry.getByLabel('Industry').fill('Quantum logistics');
  await industry.getByRole('button', { name: 'Save' }).click();
  await expect(industry).toContainText('Quantum logistics');
  await expect(industry.getByRole('alert')).toHaveCount(0);
});

test('fields a role may not read show as hidden, not as an error', async ({ page }) => {
  const org = await busiestOrganization(page.request);
  await signInAs(page, 'analyst@demo.example', `/app/organizations/${org.id}`);
  const contact = page.getByTestId('contact').first();
  await expect(contact.locator('[data-hidden="emails"]')).toHaveText('Hidden');
  await expect(contact.locator('[data-hidden="phones"]')).toHaveText('Hidden');
  await expect(page.locator('.error')).toHaveCount(0);
});
