import { createHash } from 'node:crypto';

/** A double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Fully quoted names of the engine's tables in one schema, for the hand-written hot-path SQL. */
export interface TableNames {
  readonly runs: string;
  readonly steps: string;
  readonly waits: string;
  readonly invocations: string;
  readonly tasks: string;
  readonly actionCatalog: string;
}

/** Quoted `"schema"."table"` names of the engine's tables. */
export function tableNames(schema: string): TableNames {
  const q = (table: string) => `${quoteIdent(schema)}.${quoteIdent(table)}`;
  return {
    runs: q('workflow_runs'),
    steps: q('workflow_run_steps'),
    waits: q('workflow_run_waits'),
    invocations: q('workflow_action_invocations'),
    tasks: q('workflow_human_tasks'),
    actionCatalog: q('action_catalog'),
  };
}

/**
 * The LISTEN/NOTIFY channel of a schema. Channel names are identifiers limited to 63 bytes, and a
 * schema name may be up to 63 bytes itself, so the channel carries a hash of it.
 */
export function wakeChannel(schema: string): string {
  return `baton_wake_${schemaHash(schema)}`;
}

/**
 * The LISTEN/NOTIFY channel on which a schema's run table announces finished runs (payload: the
 * JSON array `[tenant, runId]`), sent by the trigger of migration 0006 whichever engine wrote the status.
 */
export function runFinishedChannel(schema: string): string {
  return `baton_done_${schemaHash(schema)}`;
}

function schemaHash(schema: string): string {
  return createHash('sha256').update(schema).digest('hex').slice(0, 24);
}
