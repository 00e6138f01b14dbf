/** Dates and "in 9 minutes" in the user's locale, through Intl only. */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatDateTime(epochMs: number): string {
  return dateTime.format(epochMs);
}

const units: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 9 minutes", "2 hours ago", "now": the largest whole unit, rounded toward the present. */
export function formatRelative(epochMs: number, now: number): string {
  const delta = epochMs - now;
  for (const [unit, size] of units) {
    if (Math.abs(delta) >= size) return relative.format(Math.trunc(delta / size), unit);
  }
  return relative.format(0, 'second');
}

export const toIso = (epochMs: number): string => new Date(epochMs).toISOString();
