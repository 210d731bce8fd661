import { BatonError, ErrorCode, planRunUpgrade, type RunUpgradeOutcome, type RunUpgradeRequest } from '@baton/runtime-core';
import type { PgPoolLike } from '../database/pg-pool.js';
import { insertUpgradeAudit } from '../stores/postgres-upgrade-audit.js';
import { inTransaction, lockRun } from './direct-input.js';
import type { TableNames } from './sql-names.js';
import type { SqlStatement } from './sql-statement.js';

/** What moving a Postgres-engine run needs. */
export interface UpgradeRunDeps {
  readonly pool: PgPoolLike;
  readonly names: TableNames;
  readonly schema: string;
  /** the row lock statement */
  readonly lock: SqlStatement;
  /** the wake-up channel: a worker claims the moved run again */
  readonly channel: string;
}

/**
 * Moves one Postgres-engine run to another version, in one transaction under its row lock:
 * runtime-core's `planRunUpgrade` decides on the stored state (a run not on `from`, not at a wait or
 * at a changed step is skipped); a move writes the new version, definition hash and state, bumps the
 * fencing token and clears the lease (a worker still holding the run cannot commit the old state over
 * it) and makes the run due, so a worker claims it again and reads its event inbox with the new
 * definition. The audit row is written in the same transaction, MOVED or SKIPPED.
 */
export async function upgradeDbRun(deps: UpgradeRunDeps, tenant: string, runId: string, request: RunUpgradeRequest): Promise<RunUpgradeOutcome> {
  const { from, to, audit } = request;
  return inTransaction(deps.pool, async (client) => {
    const locked = await lockRun(client, deps.lock, tenant, runId);
    if (!locked) throw new BatonError(ErrorCode.RUN_NOT_FOUND, `run ${runId} not found`, { details: { runId } });
    const decision =
      locked.version !== from.version
        ? ({ kind: 'skip', class: 'CANNOT_MOVE', reason: 'NOT_ON_FROM_VERSION' } as const)
        : locked.state === null
          ? ({ kind: 'skip', class: 'CANNOT_MOVE', reason: 'NOT_AT_A_WAIT' } as const)
          : planRunUpgrade(from, to, locked.state);
    if (decision.kind === 'move') {
      await client.query(
        `UPDATE ${deps.names.runs} SET workflow_version = $3, definition_hash = $4, state = $5::jsonb, fencing_token = fencing_token + 1,
           lease_owner = NULL, lease_expires_at = NULL, wake_at = now(), updated_at = now()
         WHERE tenant_id = $1 AND run_id = $2 AND engine = 'db'`,
        [tenant, runId, to.version, to.hash, JSON.stringify(decision.state)],
      );
      await client.query('SELECT pg_notify($1, $2)', [deps.channel, '']);
    }
    const entry = {
      workflow: locked.workflow,
      runId,
      engine: 'db' as const,
      from: from.version,
      to: to.version,
      actor: audit.actor,
      at: audit.at,
      outcome: decision.kind === 'move' ? ('MOVED' as const) : ('SKIPPED' as const),
      ...(decision.kind === 'skip' ? { reason: decision.reason } : {}),
    };
    await insertUpgradeAudit(client, deps.schema, tenant, entry);
    const value: RunUpgradeOutcome =
      decision.kind === 'move'
        ? { moved: true, audited: true }
        : { moved: false, audited: true, class: decision.class, reason: decision.reason, ...(decision.stepPath !== undefined ? { stepPath: decision.stepPath } : {}) };
    return { value, commit: true };
  });
}
