/**
 * True when Postgres refused a write for what it holds, so the same write fails on every attempt:
 * SQLSTATE class 22 (data exception: a NUL or unpaired surrogate in jsonb, a malformed value) and
 * class 54 (program limit exceeded: a value too large). Connection and serialization errors are not.
 */
export function isDeterministicWriteError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
}

/** The SQLSTATE of a Postgres error, if it has one. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
