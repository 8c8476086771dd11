/**
 * Fast ISO-8601 formatting for the tenant's hot paths (every materialised user formats a dozen
 * dates; `Date#toISOString` dominated the profile). Day strings are cached: a tenant uses a few
 * thousand distinct days.
 */

const DAY_MS = 86_400_000;
const dayText = new Map<number, string>();

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM-DD` of a UTC day number (days since 1970-01-01). */
export function formatIsoDay(day: number): string {
  let text = dayText.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayText.size < 100_000) dayText.set(day, text);
  }
  return text;
}

/** `YYYY-MM-DDThh:mm:ssZ` of an epoch-ms instant (whole seconds, as Graph shows most dates). */
export function formatIsoInstant(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  const s = Math.floor((ms - day * DAY_MS) / 1000);
  return `${formatIsoDay(day)}T${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}Z`;
}
