import type { Kysely } from 'kysely';
import type { DefinitionVersionRetiredReason, EngineKind } from '@baton/event-schemas';
import { invalidCursorError, type RunRecord, type StuckRunSource } from '@baton/runtime-core';
import type { Database } from '../database/database-types.js';
import { toIso } from '../database/timestamps.js';
import { toRunRecord } from './run-row-mapping.js';

/** Largest page `listStuck` returns. */
const MAX_PAGE = 500;

function decodeCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(cursor);
    if (Array.isArray(parsed) && parsed.length === 1 && typeof parsed[0] === 'string') return parsed[0];
  } catch {
    // fall through to the typed error
  }
  throw invalidCursorError('cursor is not a stuck-runs cursor', 'not a stuck-runs cursor');
}

/**
 * Unfinished runs (of one engine) of a definition version an operator retired, over
 * `workflow_runs` joined to the retired `workflow_definition_versions` rows. Listed with
 * `stuckReason: DEFINITION_VERSION_RETIRED`, in run id order; shadow runs are not listed. A run may
 * also be listed by another source with another reason (e.g. pinned to a build no worker polls).
 */
export function createPostgresRetiredVersionRuns(db: Kysely<Database>, engine: EngineKind): StuckRunSource {
  return {
    engine,
    async listStuck(tenant, q) {
      const limit = Math.max(1, Math.min(Math.floor(q.limit), MAX_PAGE));
      let query = db
        .selectFrom('workflow_runs as r')
        .innerJoin('workflow_definition_versions as v', (join) =>
          join.onRef('v.tenant_id', '=', 'r.tenant_id').onRef('v.name', '=', 'r.workflow_name').onRef('v.version', '=', 'r.workflow_version'),
        )
        .selectAll('r')
        .select(['v.retired_at', 'v.retired_reason'])
        .where('r.tenant_id', '=', tenant)
        .where('r.engine', '=', engine)
        .where('r.status', 'in', ['RUNNING', 'WAITING'])
        .where('r.shadow_of', 'is', null)
        .where('v.retired_at', 'is not', null);
      if (q.workflow !== undefined) query = query.where('r.workflow_name', '=', q.workflow);
      if (q.cursor !== undefined) query = query.where('r.run_id', '>', decodeCursor(q.cursor));
      const rows = await query.orderBy('r.run_id').limit(limit + 1).execute();
      const items: { run: RunRecord; reason: DefinitionVersionRetiredReason }[] = rows.slice(0, limit).map((row) => {
        return {
          run: toRunRecord(row),
          reason: {
            code: 'DEFINITION_VERSION_RETIRED',
            message: `runs ${row.workflow_name}@${row.workflow_version}, which was retired${row.retired_reason ? ` (${row.retired_reason})` : ''}; upgrade, drain or cancel it`,
            workflow: row.workflow_name,
            version: row.workflow_version,
            retiredAt: toIso(row.retired_at!),
            retiredReason: row.retired_reason,
          },
        };
      });
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? JSON.stringify([last.run.runId]) : null };
    },
  };
}
