import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { gql, login, signInAs } from './helpers';

test('create a lead, see the contact it duplicates, convert it onto that customer', async ({ page }) => {
  const admin = await login(page.request, 'admin@demo.example');
  const data = await gql<{ contacts: { edges: { node: { id: string; firstName: string; lastName: string; emails: string[]; organization: { id: string; name: string } | null } }[] } }>(
    page.request, admin, '{ contacts(first: 20, orderBy: { field: NAME }) { edges { node { id firstName lastName emails organization { id name } } } } }');
  const contact = data.contacts.edges.map((e) => e.node).find((c) => c.emails.length && c.organization);
  if (!contact?.organization) throw new Error('the demo data has a contact with an email and an organization');
  const orgId = contact.organization.id;

  // An earlier lead from the same person, to merge into the new one.
  const earlier = `Early${Date.now()}`;
  await gql(page.request, admin, 'mutation($i: LeadCreateInput!) { leadCreate(input: $i) { lead { id } } }',
    { i: { firstName: contact.firstName, lastName: earlier, emails: [contact.emails[0]], source: 'EVENT' } });

  await signInAs(page, 'admin@demo.example', '/app/leads');
  await expect(page.getByTestId('lead-list')).toBeVisible();
  await page.getByRole('button', { name: 'New lead' }).click();
  const form = page.getByRole('form', { name: 'New lead' });
  await form.getByLabel('First name').fill(contact.firstName);
  await form.getByLabel('Last name').fill(`${contact.lastName} ${Date.now()}`);
  await form.getByLabel('Company').fill(contact.organization.name);
  await form.getByLabel('Email').fill(contact.emails[0]);
  await form.getByRole('button', { name: 'Create lead' }).click();

  const duplicate = page.getByTestId('duplicate').filter({ hasText: `${contact.firstName} ${contact.lastName}` });
  await expect(duplicate).toContainText('same email');
  await expect(duplicate).toContainText(contact.organization.name);

  const other = page.getByTestId('duplicate').filter({ hasText: earlier });
  await expect(other).toContainText('same email');
  const merge = page.getByRole('form', { name: 'Merge' });
  await merge.getByLabel('Merge into this lead').selectOption({ label: `${contact.firstName} ${earlier}` });
  await merge.getByRole('button', { name: 'Merge' }).click();
  await expect(merge.getByRole('status')).toHaveText('Leads merged');
  await expect(other).toHaveCount(0);

  // An invalid email is refused at its field; nothing else changes.
  await page.getByRole('button', { name: 'Edit Emails' }).click();
  await page.getByLabel('Emails', { exact: true }).fill('not-an-email');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('[data-field="emails"] [role="alert"]')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();

  const convert = page.getByRole('form', { name: 'Convert' });
  await convert.getByLabel('Organization').selectOption(contact.organization.id);
  await convert.getByLabel('Contact').selectOption(contact.id);
  await convert.getByRole('button', { name: 'Convert' }).click();
  // Global IDs are base64 and may hold '/' or '+': paths carry them encoded.
  await expect(page).toHaveURL((url) => url.pathname === `/app/organizations/${encodeURIComponent(orgId)}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(contact.organization.name);
});

test('a rep builds a two-line quote, the API totals show, a manager approves the discount, the PDF downloads', async ({ page, browser }) => {
  const rep = await login(page.request, 'rep1@demo.example');
  const me = await gql<{ viewer: { id: string } }>(page.request, rep, '{ viewer { id } }');
  const opps = await gql<{ opportunities: { edges: { node: { id: string; name: string; currency: string } }[] } }>(
    page.request, rep, 'query($o: [ID!]) { opportunities(first: 20, filter: { status: [OPEN], owner: $o }) { edges { node { id name currency } } } }', { o: [me.viewer.id] });
  const opp = opps.opportunities.edges[0].node;

  await signInAs(page, 'rep1@demo.example', `/app/opportunities/${encodeURIComponent(opp.id)}/quotes`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Quotes for ${opp.name}`);
  await page.getByRole('button', { name: 'New quote' }).click();
  await expect(page.getByTestId('quote-status')).toHaveText('Draft');

  const add = page.getByRole('form', { name: 'Add line' });
  // 10 × 59.00 (the default price book) − 25 % = 442.50, + 10 % tax = 486.75
  await add.getByLabel('Product').selectOption({ label: 'CRM-PRO · CRM Professional' });
  await add.getByLabel('Quantity').fill('10');
  await add.getByLabel('Discount %').fill('25');
  await add.getByLabel('Tax %').fill('10');
  await add.getByRole('button', { name: 'Add line' }).click();
  await expect(page.getByTestId('quote-line')).toHaveCount(1);
  await expect(page.locator('[data-total="grand"]')).toHaveText('$486.75');
  // Onboarding at an overridden 4,000.00, no discount, no tax.
  await add.getByLabel('Product').selectOption({ label: 'SRV-ONB · Onboarding package' });
  await add.getByLabel('Unit price').fill('4000');
  await add.getByRole('button', { name: 'Add line' }).click();
  await expect(page.getByTestId('quote-line')).toHaveCount(2);
  await expect(page.locator('[data-total="subtotal"]')).toHaveText('$4,590.00');
  await expect(page.locator('[data-total="discount"]')).toHaveText('$147.50');
  await expect(page.locator('[data-total="tax"]')).toHaveText('$44.25');
  await expect(page.locator('[data-total="grand"]')).toHaveText('$4,486.75');
  // Editing a line's quantity in place: the API recomputes (2 × 4,000.00).
  await page.getByLabel('Quantity 2').fill('2');
  await page.getByLabel('Quantity 2').press('Enter');
  await expect(page.locator('[data-total="grand"]')).toHaveText('$8,486.75');

  // A 25 % line discount is over the 20 % threshold: the quote waits for a manager.
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await expect(page.getByTestId('quote-status')).toHaveText('In review');
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Send' })).toHaveCount(0);
  const quoteUrl = page.url();

  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signInAs(manager, 'manager@demo.example', new URL(quoteUrl).pathname);
  await expect(manager.getByTestId('quote-status')).toHaveText('In review');
  await manager.getByLabel('Comment').fill('Fine for a two-year term.');
  await manager.getByRole('button', { name: 'Approve' }).click();
  await expect(manager.getByTestId('quote-status')).toHaveText('Approved');
  await managerContext.close();

  await page.reload();
  await expect(page.getByTestId('quote-status')).toHaveText('Approved');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('quote-status')).toHaveText('Sent');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download PDF' }).click();
  const file = await (await download).path();
  expect(readFileSync(file).subarray(0, 4).toString('latin1')).toBe('%PDF');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.frameLocator('iframe[title="Preview"]').locator('body')).toContainText('CRM Professional');
});
