/** Times on the dashboard, all in UTC like the API's revenue buckets. */

/** `2026-11-21T09:05:07Z` → `21 Nov, 09:05:07`. */
export function shortTime(iso: string): string {
  const date = new Date(iso);
  const day = date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const time = date.toLocaleTimeString('en-GB', { timeZone: 'UTC' });
  return `${day}, ${time}`;
}

/** A date input's `YYYY-MM-DD` as the start of that UTC day (ISO), or undefined when empty. */
export function dayStart(value: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : undefined;
}

/** The end of that UTC day, exclusive: the start of the next one. */
export function dayEnd(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const next = new Date(`${value}T00:00:00.000Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
}
