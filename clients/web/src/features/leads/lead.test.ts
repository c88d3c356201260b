import { describe, expect, it } from 'vitest';
import { formatAmount } from '../quotes/Quotes';
import { leadFieldInput } from './LeadPage';
import { leadName } from './Leads';

describe('lead inline edits', () => {
  it('splits emails and phones on commas, dropping blanks', () => {
    expect(leadFieldInput('emails', ' a@x.example, ,b@y.example ')).toEqual({ emails: ['a@x.example', 'b@y.example'] });
    expect(leadFieldInput('phones', '')).toEqual({ phones: [] });
  });
  it('clears a text field when blank and trims otherwise', () => {
    expect(leadFieldInput('company', '   ')).toEqual({ company: null });
    expect(leadFieldInput('title', ' CTO ')).toEqual({ title: 'CTO' });
    expect(leadFieldInput('status', 'QUALIFIED')).toEqual({ status: 'QUALIFIED' });
  });
  it('names a lead by person, else by company', () => {
    expect(leadName({ firstName: 'Ada', lastName: 'Lovelace', company: 'X' })).toBe('Ada Lovelace');
    expect(leadName({ firstName: null, lastName: null, company: 'Acme' })).toBe('Acme');
  });
});

describe('quote amounts', () => {
  it('shows the API decimal to the cent in the locale', () => {
    expect(formatAmount('4486.75', 'USD', 'en')).toBe('$4,486.75');
    expect(formatAmount('1200', 'EUR', 'en')).toBe('€1,200.00');
    expect(formatAmount('4486.75', 'CNY', 'zh-CN')).toBe('¥4,486.75');
    expect(formatAmount(null, 'USD', 'en')).toBe('');
  });
});
