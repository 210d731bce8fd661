import type { Kysely } from 'kysely';
import type { JsonValue } from '@baton/event-schemas';
import type { ActionResultStore } from '@baton/runtime-core';
import type { Database } from '../database/database-types.js';
import { jsonOrNull } from '../database/timestamps.js';

/**
 * `ActionResultStore` over `workflow_action_invocations`: the durable idempotency record an
 * engine other than this one (the Temporal worker) gives `executeAction`, so a completed
 * invocation with the same key returns its stored output instead of running again.
 * The Postgres engine writes the same table inside its own step commits.
 */
export function createPostgresActionResultStore(db: Kysely<Database>): ActionResultStore {
  return {
    async get(idempotencyKey, invocation) {
      const row = await db
        .selectFrom('workflow_action_invocations')
        .select(['status', 'output'])
        .where('tenant_id', '=', invocation.tenant)
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirst();
      return row?.status === 'COMPLETED' ? ((row.output as JsonValue | null) ?? null) : undefined;
    },

    async put(idempotencyKey, output, invocation) {
      await db
        .insertInto('workflow_action_invocations')
        .values({
          tenant_id: invocation.tenant,
          idempotency_key: idempotencyKey,
          run_id: invocation.runId,
          step_id: invocation.stepId,
          action: invocation.action,
          action_version: invocation.actionVersion,
          attempt: invocation.attempt,
          status: 'COMPLETED',
          output: jsonOrNull(output),
          error: null,
        })
        // The first completed output wins; a failed attempt recorded under the key is replaced.
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'idempotency_key'])
            .doUpdateSet({ status: 'COMPLETED', output: jsonOrNull(output), error: null, attempt: invocation.attempt, completed_at: new Date() })
            .where('workflow_action_invocations.status', '<>', 'COMPLETED'),
        )
        .execute();
    },
  };
}
