import { sql, type Kysely } from 'kysely';
import type { ActionNotProvidedReason } from '@baton/event-schemas';
import { invalidCursorError, type RunRecord, type StuckRunSource } from '@baton/runtime-core';
import type { Database } from '../database/database-types.js';
import { toIso } from '../database/timestamps.js';
import { toRunRecord } from './run-row-mapping.js';

/** `needs_action_since` at the millisecond precision of the cursor (a JS date), so a page boundary is exact. */
const sinceMs = sql<Date>`date_trunc('milliseconds', r.needs_action_since)`;

/** Largest page `listStuck` returns. */
export const MAX_STUCK_PAGE = 500;

function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(cursor);
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string') && !Number.isNaN(Date.parse(parsed[0] as string))) {
      return parsed as [string, string];
    }
  } catch {
    // fall through to the typed error
  }
  throw invalidCursorError('cursor is not a stuck-runs cursor', 'not a stuck-runs cursor');
}

/**
 * Stuck Postgres-engine runs over `workflow_runs`: unfinished runs parked on an action
 * (`needs_action`, set by the engine's park) for which no unexpired `action_catalog` row of engine
 * `db` exists, i.e. no live worker provides it. Oldest parked first, paged by `(since, runId)`.
 * Shadow runs are not listed. The same rule as the claim query's, read for one tenant.
 */
export function createPostgresStuckRuns(db: Kysely<Database>): StuckRunSource {
  return {
    engine: 'db',
    async listStuck(tenant, q) {
      const limit = Math.max(1, Math.min(Math.floor(q.limit), MAX_STUCK_PAGE));
      let query = db
        .selectFrom('workflow_runs as r')
        .selectAll('r')
        .where('r.tenant_id', '=', tenant)
        .where('r.engine', '=', 'db')
        .where('r.status', 'in', ['RUNNING', 'WAITING'])
        .where('r.shadow_of', 'is', null)
        .where('r.needs_action', 'is not', null)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('action_catalog as c')
                .select(sql<number>`1`.as('one'))
                .where('c.engine', '=', 'db')
                .where('c.expires_at', '>', sql<Date>`now()`)
                .where(sql<boolean>`c.action || '@' || c.action_version = r.needs_action`),
            ),
          ),
        );
      if (q.workflow !== undefined) query = query.where('r.workflow_name', '=', q.workflow);
      if (q.cursor !== undefined) {
        const [since, runId] = decodeCursor(q.cursor);
        query = query.where(sql<boolean>`(${sinceMs}, r.run_id) > (${new Date(since)}::timestamptz, ${runId})`);
      }
      const rows = await query.orderBy(sinceMs).orderBy('r.run_id').limit(limit + 1).execute();
      const items: { run: RunRecord; reason: ActionNotProvidedReason }[] = rows.slice(0, limit).map((row) => {
        const action = row.needs_action ?? '';
        const since = toIso(row.needs_action_since ?? row.updated_at);
        const deadline = row.needs_action_deadline === null ? null : toIso(row.needs_action_deadline);
        return {
          run: toRunRecord(row),
          reason: {
            code: 'ACTION_NOT_PROVIDED',
            message: `waits for action ${action}, which no live worker of the Postgres engine provides${deadline ? `; the step fails ACTION_UNAVAILABLE at ${deadline}` : ''}`,
            action,
            since,
            deadline,
          },
        };
      });
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? JSON.stringify([last.reason.since, last.run.runId]) : null };
    },
  };
}
