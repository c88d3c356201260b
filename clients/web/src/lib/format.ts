// Dates, numbers and money formatted for the user's locale and the tenant's time zone.

export function formatMoney(amount: string | null | undefined, currency: string, locale: string): string {
  if (amount == null) return '';
  return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(Number(amount));
}

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** An instant, shown as a wall-clock time in `timeZone`. */
export function formatDateTime(iso: string | null | undefined, locale: string, timeZone: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** A calendar date (no time zone of its own): formatted as that day, whatever the zone. */
export function formatDate(isoDate: string | null | undefined, locale: string): string {
  if (!isoDate) return '';
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** The month ("2026-03") an instant falls in, in `timeZone`. */
export function monthOf(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', timeZone }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}`;
}

/** Sums amounts per currency (a column may mix them); amounts are decimal strings. */
export function totalsByCurrency(items: readonly { amount?: string | null; currency: string }[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const item of items) {
    if (item.amount == null) continue;
    totals.set(item.currency, (totals.get(item.currency) ?? 0) + Number(item.amount));
  }
  return totals;
}
