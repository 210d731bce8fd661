import type { ListRunsQuery, ListRunsResponse } from '@baton/event-schemas';
import { invalidCursorError, validationError } from '../errors/baton-error.js';
import type { StuckRunSource } from '../ports/stuck-run-source.js';
import { toRunSummary } from './views.js';

/** The query fields `stuck=true` cannot be combined with (a stuck run is unfinished by definition). */
const NOT_WITH_STUCK = ['status', 'createdAfter', 'createdBefore'] as const;

/** A page position across the sources: the index of the source being read and that source's own cursor. */
interface StuckCursor {
  readonly source: number;
  readonly inner: string | null;
}

function encodeCursor(cursor: StuckCursor): string {
  return Buffer.from(JSON.stringify([cursor.source, cursor.inner]), 'utf8').toString('base64url');
}

function decodeCursor(text: string, sources: number): StuckCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && Number.isInteger(parsed[0]) && parsed[0] >= 0 && parsed[0] < sources) {
      const inner: unknown = parsed[1];
      if (inner === null || typeof inner === 'string') return { source: parsed[0] as number, inner };
    }
  } catch {
    // fall through to the typed error
  }
  throw invalidCursorError('cursor is not a nextCursor of GET /v1/runs?stuck=true', 'not a stuck-runs cursor');
}

/**
 * `GET /v1/runs?stuck=true`: the tenant's runs that cannot progress, each with its `stuckReason`.
 * Reads the sources in order (each in its own order), filling each page up to `limit` before moving
 * to the next source; the cursor records which source and where in it the next page starts.
 */
export async function listStuckRuns(sources: readonly StuckRunSource[], tenant: string, query: ListRunsQuery, limit: number): Promise<ListRunsResponse> {
  const refused = NOT_WITH_STUCK.filter((field) => query[field] !== undefined);
  if (refused.length > 0) {
    throw validationError(
      `stuck=true cannot be combined with ${refused.join(', ')}`,
      refused.map((field) => ({ path: field, message: 'not allowed with stuck=true', code: 'NOT_WITH_STUCK' })),
    );
  }
  const selected = sources.filter((s) => query.engine === undefined || s.engine === query.engine);
  if (selected.length === 0) return { items: [], nextCursor: null };
  let position: StuckCursor = query.cursor === undefined ? { source: 0, inner: null } : decodeCursor(query.cursor, selected.length);
  const items: ListRunsResponse['items'] = [];
  for (;;) {
    const source = selected[position.source]!;
    const page = await source.listStuck(tenant, {
      limit: limit - items.length,
      ...(query.workflow === undefined ? {} : { workflow: query.workflow }),
      ...(position.inner === null ? {} : { cursor: position.inner }),
    });
    for (const { run, reason } of page.items) items.push({ ...toRunSummary(run), stuckReason: reason });
    if (page.nextCursor !== null) return { items, nextCursor: encodeCursor({ source: position.source, inner: page.nextCursor }) };
    if (position.source + 1 >= selected.length) return { items, nextCursor: null };
    position = { source: position.source + 1, inner: null };
    if (items.length >= limit) return { items, nextCursor: encodeCursor(position) };
  }
}
