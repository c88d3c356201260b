import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';
import { deleteView, loadViews, saveView } from './views';

describe('CSV of what is shown', () => {
  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    expect(toCsv(['Name', 'Note'], [['Acme, Inc.', 'say "hi"'], ['=HYPERLINK("x")', 'two\nlines']])).toBe(
      'Name,Note\r\n"Acme, Inc.","say ""hi"""\r\n"\'=HYPERLINK(""x"")","two\nlines"\r\n',
    );
  });
});

describe('saved views', () => {
  it('are kept per list under their name; saving a name again replaces it', () => {
    const storage = window.localStorage;
    storage.clear();
    saveView('organizations', { name: 'Big', search: '', choice: 'ACTIVE', field: 'SIZE', direction: 'DESC' }, storage);
    saveView('organizations', { name: 'Big', search: 'a', choice: '', field: 'SIZE', direction: 'DESC' }, storage);
    saveView('contacts', { name: 'Mine', search: '', choice: '', field: 'NAME', direction: 'ASC' }, storage);
    expect(loadViews('organizations', storage)).toEqual([{ name: 'Big', search: 'a', choice: '', field: 'SIZE', direction: 'DESC' }]);
    expect(deleteView('organizations', 'Big', storage)).toEqual([]);
    expect(loadViews('contacts', storage)).toHaveLength(1);
  });

  it('survive a corrupted entry', () => {
    window.localStorage.setItem('crm.views.contacts', '{not json');
    expect(loadViews('contacts')).toEqual([]);
  });
});
