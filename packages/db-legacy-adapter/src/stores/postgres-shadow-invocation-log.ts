import type { ExpressionBuilder, Kysely } from 'kysely';
import type { JsonValue, RunStatus, WorkflowError } from '@baton/event-schemas';
import type { PrimaryInvocationLookup, RecordedInvocation, ShadowInvocationLog } from '@baton/runtime-core';
import type { Database } from '../database/database-types.js';
import { json } from '../database/timestamps.js';

/** `ShadowInvocationLog` over `shadow_invocations`; a lookup reads the record and the primary's status in one statement. */
export function createPostgresShadowInvocationLog(db: Kysely<Database>): ShadowInvocationLog {
  return {
    async record(tenant: string, primaryRunId: string, key: string, outcome: RecordedInvocation): Promise<void> {
      await db
        .insertInto('shadow_invocations')
        .values({
          tenant_id: tenant,
          primary_run_id: primaryRunId,
          invocation_key: key,
          ok: outcome.ok,
          output: outcome.ok ? json(outcome.output) : null,
          error: outcome.ok ? null : json(outcome.error),
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    },

    async lookup(tenant: string, primaryRunId: string, key: string): Promise<PrimaryInvocationLookup> {
      const invocation = (eb: ExpressionBuilder<Database, never>, column: 'ok' | 'output' | 'error') =>
        eb
          .selectFrom('shadow_invocations')
          .select(column)
          .where('tenant_id', '=', tenant)
          .where('primary_run_id', '=', primaryRunId)
          .where('invocation_key', '=', key);
      const row = (await db
        .selectNoFrom((eb) => [
          eb.selectFrom('workflow_runs').select('status').where('tenant_id', '=', tenant).where('run_id', '=', primaryRunId).as('status'),
          invocation(eb, 'ok').as('ok'),
          invocation(eb, 'output').as('output'),
          invocation(eb, 'error').as('error'),
        ])
        .executeTakeFirst()) as { status: RunStatus | null; ok: boolean | null; output: JsonValue | null; error: WorkflowError | null } | undefined;
      const found = row?.ok !== null && row?.ok !== undefined;
      const status = row?.status ?? undefined;
      if (!found || !row) return status === undefined ? {} : { primaryStatus: status };
      const recorded: RecordedInvocation = row.ok ? { ok: true, output: row.output } : { ok: false, error: row.error! };
      return { recorded, ...(status === undefined ? {} : { primaryStatus: status }) };
    },
  };
}
