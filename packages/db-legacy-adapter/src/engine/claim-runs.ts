import type { InterpreterState, ShadowLink } from '@baton/runtime-core';
import { shadowLinkOf } from '../stores/run-row-mapping.js';
import type { JsonValue } from '@baton/event-schemas';
import type { QueryClient } from './commit-writer.js';
import type { TableNames } from './sql-names.js';
import type { SqlStatement } from './sql-statement.js';

/** A run this worker now holds a lease on. */
export interface ClaimedRun {
  readonly runId: string;
  readonly tenant: string;
  readonly workflow: string;
  readonly version: string;
  readonly definitionHash: string;
  readonly runKey: string;
  readonly input: JsonValue;
  readonly state: InterpreterState | null;
  readonly fencingToken: string;
  readonly parentRunId: string | null;
  readonly createdAt: Date;
  /** entity workflows: the entity key the run serves */
  readonly entityKey: string | null;
  /** `id@version` of the action this run waits for (no worker that claimed it had it), else null */
  readonly needsAction: string | null;
  /** the wait for `needsAction` passed its deadline with no live provider: the step fails ACTION_UNAVAILABLE */
  readonly needsActionExpired: boolean;
  /** the run's place in a shadow pair */
  readonly shadow?: ShadowLink;
}

interface ClaimRow {
  /** null on the one row of a claim that took nothing */
  run_id: string | null;
  tenant_id: string;
  workflow_name: string;
  workflow_version: string;
  definition_hash: string;
  run_key: string;
  input: JsonValue;
  state: InterpreterState | null;
  fencing_token: string;
  parent_run_id: string | null;
  created_at: Date;
  entity_key: string | null;
  needs_action: string | null;
  needs_action_expired: boolean | null;
  shadow_of: string | null;
  shadow_run_id: string | null;
  next_due_ms: number | null;
}

/**
 * The claim query. Only `engine = 'db'` rows, due (`wake_at <= now()`), not leased by a live
 * worker (or leased by this worker over half a lease ago but no longer processed here, e.g. after a
 * lost connection: a fresher own lease may be a local start's adoption racing this claim, and
 * claiming it would process the run twice and call its action twice);
 * `FOR UPDATE SKIP LOCKED` so concurrent claimers never wait for or take the same row. Each claim
 * bumps the fencing token: commits of any earlier holder stop matching. Every row also carries
 * {@link nextDueExpression} (one row with only that when nothing was claimed), so a claim that
 * leaves slots free needs no second round trip to know how long to sleep.
 */
export function claimStatement(n: TableNames): string {
  return `
WITH due AS (
  SELECT run_id FROM ${n.runs}
  WHERE engine = 'db' AND wake_at <= now()
    AND (lease_owner IS NULL OR lease_expires_at < now()
      -- leased by this worker, not processed here, and leased over half a lease ago: a fresh own lease
      -- may be a local start's adoption that committed after this claim's active list was taken
      OR (lease_owner = $1 AND NOT (run_id = ANY($4::text[])) AND lease_expires_at < now() + $3::int * interval '0.5 millisecond'))
    -- a run waiting for an action: only workers that provide it, or anyone once its wait expired
    -- while no live worker of this engine provides it (the step then fails ACTION_UNAVAILABLE)
    AND (needs_action IS NULL OR needs_action = ANY($5::text[])
      OR (needs_action_deadline <= now() AND NOT EXISTS (
        SELECT 1 FROM ${n.actionCatalog} c
        WHERE c.engine = 'db' AND c.expires_at > now() AND c.action || '@' || c.action_version = needs_action)))
  ORDER BY wake_at
  LIMIT $2
  FOR UPDATE SKIP LOCKED
), claimed AS (
UPDATE ${n.runs} AS r
SET lease_owner = $1, lease_expires_at = now() + $3::int * interval '1 millisecond', fencing_token = r.fencing_token + 1
FROM due WHERE r.run_id = due.run_id AND r.engine = 'db'
RETURNING r.run_id, r.tenant_id, r.workflow_name, r.workflow_version, r.definition_hash, r.run_key, r.input, r.state,
  r.fencing_token, r.parent_run_id, r.created_at, r.entity_key, r.needs_action, (r.needs_action_deadline <= now()) AS needs_action_expired, r.shadow_of, r.shadow_run_id
)
SELECT c.*, n.next_due_ms FROM (SELECT ${nextDueExpression(n)} AS next_due_ms) AS n LEFT JOIN claimed AS c ON true`;
}

/** What a claim took, and how long until more work becomes due (null: nothing scheduled). */
export interface ClaimResult {
  readonly runs: ClaimedRun[];
  /** ms until the next run becomes due or a foreign lease expires, as the claim's snapshot saw it (the runs it claimed count as not leased yet) */
  readonly nextDueMs: number | null;
}

/**
 * Claims up to `limit` due runs for `owner`, skipping the ids in `active` (still processed here);
 * `provided` = the `id@version` of every action this worker has. Answers them with the time until
 * the next due work, read by the same statement.
 */
export async function claimRunsAndNextDue(
  client: QueryClient,
  statement: SqlStatement,
  owner: string,
  limit: number,
  leaseMs: number,
  active: readonly string[],
  provided: readonly string[],
): Promise<ClaimResult> {
  const result = await statement.run<ClaimRow>(client, [owner, limit, Math.round(leaseMs), active, provided]);
  const due = result.rows[0]?.next_due_ms;
  const runs = result.rows.flatMap((r) => (r.run_id === null ? [] : [toClaimedRun(r.run_id, r)]));
  return { runs, nextDueMs: due === null || due === undefined ? null : Number(due) };
}

function toClaimedRun(runId: string, r: ClaimRow): ClaimedRun {
  return {
    runId,
    tenant: r.tenant_id,
    workflow: r.workflow_name,
    version: r.workflow_version,
    definitionHash: r.definition_hash,
    runKey: r.run_key,
    input: r.input,
    state: r.state,
    fencingToken: String(r.fencing_token),
    parentRunId: r.parent_run_id,
    createdAt: r.created_at,
    entityKey: r.entity_key,
    needsAction: r.needs_action,
    needsActionExpired: r.needs_action_expired === true,
    ...shadowLinkOf({ engine: 'db', shadow_of: r.shadow_of, shadow_run_id: r.shadow_run_id }),
  };
}

/** Milliseconds until the next run becomes due or a foreign lease expires (null: nothing scheduled); `$1` is this worker. */
function nextDueExpression(n: TableNames): string {
  return `extract(epoch FROM (least(
  (SELECT min(wake_at) FROM ${n.runs} WHERE engine = 'db' AND wake_at > now()),
  (SELECT min(lease_expires_at) FROM ${n.runs} WHERE engine = 'db' AND wake_at <= now() AND lease_owner <> $1)
) - now())) * 1000`;
}

/** Renews this worker's leases on runs whose token is unchanged; returns the ids still held. */
export function renewStatement(n: TableNames): string {
  return `
UPDATE ${n.runs} AS r SET lease_expires_at = now() + $2::int * interval '1 millisecond'
FROM unnest($3::text[], $4::bigint[]) AS l(run_id, token)
WHERE r.run_id = ANY($3::text[]) AND r.run_id = l.run_id AND r.fencing_token = l.token AND r.lease_owner = $1 AND r.engine = 'db'
RETURNING r.run_id`;
}

/**
 * Parks a run whose next action this worker lacks: releases the lease without failing anything,
 * records the action it waits for (only workers providing it claim it from now on) and, on the
 * first park, when the wait started and when it gives up. Fenced: a no-op if anyone claimed it since.
 */
export function parkStatement(n: TableNames): string {
  return `
UPDATE ${n.runs} SET lease_owner = NULL, lease_expires_at = NULL, wake_at = now(),
  needs_action = $4,
  needs_action_since = CASE WHEN needs_action IS NOT DISTINCT FROM $4 THEN coalesce(needs_action_since, now()) ELSE now() END,
  needs_action_deadline = CASE WHEN needs_action IS NOT DISTINCT FROM $4 AND needs_action_deadline IS NOT NULL THEN needs_action_deadline
    ELSE now() + $5::int * interval '1 millisecond' END
WHERE run_id = $1 AND fencing_token = $2 AND lease_owner = $3 AND engine = 'db'`;
}

/** Clears the action a run waited for, once a worker that provides it holds the run. */
export function clearNeedsActionStatement(n: TableNames): string {
  return `UPDATE ${n.runs} SET needs_action = NULL, needs_action_since = NULL, needs_action_deadline = NULL WHERE run_id = $1 AND fencing_token = $2`;
}
