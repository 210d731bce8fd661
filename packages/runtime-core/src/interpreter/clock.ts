// Time arithmetic on the logical clock that arrives with each input (never the wall clock).

/** Adds milliseconds to an ISO time. */
export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** True when `text` is an ISO-8601 date-time that `Date.parse` understands. */
export function isIsoTime(text: unknown): text is string {
  return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(text) && Number.isFinite(Date.parse(text));
}

/** Milliseconds from `from` to `to` (negative when `to` is earlier). */
export function msBetween(from: string, to: string): number {
  return Date.parse(to) - Date.parse(from);
}
