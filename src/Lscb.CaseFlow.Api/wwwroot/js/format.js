// Numbers and dates as the analyst reads them. Dates are UTC calendar days, written YYYY-MM-DD.

export const nfInt = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
export const nf1 = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
export const nf2 = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

/** A value as the analyst reads it: counts whole, percentages and rates to one decimal place. */
export function fmt(value, kind, { unit = true } = {}) {
  if (value == null || Number.isNaN(value)) return '—';
  if (kind === 'count') return nfInt.format(value);
  if (kind === 'percentage') return nf1.format(value) + (unit ? '%' : '');
  return nf1.format(value);
}
export function unitOf(kind, apiUnit) {
  if (kind === 'rate') return apiUnit || 'per 10,000';
  return '';
}

// Dates are handled as UTC calendar days, written YYYY-MM-DD.
export const DAY = 86_400_000;
export function parseDate(text) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text ?? '')) return null;
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : null;
}
export const iso = date => date.toISOString().slice(0, 10);
export const addDays = (date, n) => new Date(date.getTime() + n * DAY);
/** Calendar months, clamped to the end of the month (as .NET DateOnly.AddMonths). */
export function addMonths(date, n) {
  const y = date.getUTCFullYear(), m = date.getUTCMonth() + n, d = date.getUTCDate();
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, last)));
}
/** The financial year (April–March) a date falls in, named by the calendar year it starts in. */
export const fyOf = date => (date.getUTCMonth() >= 3 ? date.getUTCFullYear() : date.getUTCFullYear() - 1);
export const fyName = fy => `${fy}-${String((fy + 1) % 100).padStart(2, '0')}`;
export function quarterOf(fy, q) {
  const from = new Date(Date.UTC(fy, 3 + (q - 1) * 3, 1));
  return { from: iso(from), to: iso(addDays(addMonths(from, 3), -1)) };
}
export const yearOf = fy => ({ from: `${fy}-04-01`, to: `${fy + 1}-03-31` });
export function rollingYear(endText) {
  const end = parseDate(endText);
  return end ? { from: iso(addDays(addMonths(end, -12), 1)), to: iso(end) } : null;
}
/** The first day of the financial quarter holding a date. */
export function quarterStart(date) {
  const m = date.getUTCMonth();
  return new Date(Date.UTC(date.getUTCFullYear(), m - ((m + 9) % 3), 1));
}

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const shortDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
export const fmtLong = text => (parseDate(text) ? longDate.format(parseDate(text)) : text);
export const fmtShort = text => (parseDate(text) ? shortDate.format(parseDate(text)) : text);

/** What a window is called: "Q1 2016-17", "2016-17", "12 months to 30 June 2016", or its two dates. */
export function describeWindow({ from, to }) {
  const f = parseDate(from), t = parseDate(to);
  if (!f || !t) return `${from} to ${to}`;
  const fy = fyOf(f);
  for (let q = 1; q <= 4; q++) {
    const w = quarterOf(fy, q);
    if (w.from === from && w.to === to) return `Q${q} ${fyName(fy)}`;
  }
  const y = yearOf(fy);
  if (y.from === from && y.to === to) return `Financial year ${fyName(fy)}`;
  const r = rollingYear(to);
  if (r && r.from === from) return `12 months to ${fmtLong(to)}`;
  return `${fmtLong(from)} to ${fmtLong(to)}`;
}

