import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatMoney, monthOf, totalsByCurrency } from './format';

describe('formatting for the locale and the tenant time zone', () => {
  it('formats money for the language', () => {
    expect(formatMoney('1234567.50', 'USD', 'en')).toBe('$1,234,568');
    expect(formatMoney('1234567.50', 'CNY', 'zh-CN')).toBe('¥1,234,568');
    expect(formatMoney(null, 'USD', 'en')).toBe('');
  });

  it('shows an instant as the wall clock of the tenant time zone', () => {
    const late = '2026-03-31T20:30:00Z';
    expect(formatDateTime(late, 'en', 'UTC')).toContain('Mar 31, 2026');
    expect(formatDateTime(late, 'en', 'Asia/Shanghai')).toContain('Apr 1, 2026');
    expect(formatDateTime(late, 'zh-CN', 'Asia/Shanghai')).toContain('2026年4月1日');
    expect(monthOf(late, 'UTC')).toBe('2026-03');
    expect(monthOf(late, 'Asia/Shanghai')).toBe('2026-04');
  });

  it('keeps a calendar date the same day in every zone', () => {
    expect(formatDate('2026-12-31', 'en')).toBe('Dec 31, 2026');
    expect(formatDate('2026-12-31', 'zh-CN')).toBe('2026年12月31日');
  });

  it('adds up amounts per currency, skipping hidden ones', () => {
    const totals = totalsByCurrency([
      { amount: '10.50', currency: 'USD' },
      { amount: '4.50', currency: 'USD' },
      { amount: '7', currency: 'EUR' },
      { amount: null, currency: 'EUR' },
    ]);
    expect([...totals]).toEqual([['USD', 15], ['EUR', 7]]);
  });
});
