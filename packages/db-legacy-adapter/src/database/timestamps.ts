/** ISO-8601 text of a `timestamptz` value read by node-postgres. */
export function toIso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/** {@link toIso}, keeping `null` as `undefined` (for optional record fields). */
export function toIsoOrUndefined(value: Date | string | null | undefined): string | undefined {
  return value === null || value === undefined ? undefined : toIso(value);
}

/** A jsonb parameter: node-postgres would send a JS array as a Postgres array, so always send JSON text. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

/** {@link json}, or SQL NULL for `undefined`/`null`. */
export function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
