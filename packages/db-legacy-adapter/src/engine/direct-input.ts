import type { StepRecord, WorkflowError } from '@baton/event-schemas';
import {
  advance,
  pendingCommands,
  type AdvanceOptions,
  type InterpreterCommand,
  type InterpreterInput,
  type InterpreterState,
} from '@baton/runtime-core';
import type { PgPoolClientLike, PgPoolLike } from '../database/pg-pool.js';
import { buildRunCommit, type Resolution } from './build-run-commit.js';
import { withClient } from './pooled-client.js';
import { writeCommits, type CommitStatements, type CommitWriterContext } from './commit-writer.js';
import { applyResult, type RunCursor } from './continue-generation.js';
import type { DefinitionSource } from './definition-source.js';
import type { ResolvedEngineOptions } from './engine-options.js';
import type { RunCommit } from './run-commit.js';
import type { TableNames } from './sql-names.js';
import type { SqlStatement } from './sql-statement.js';

/** What applying an input under the row lock needs. */
export interface DirectInputDeps {
  readonly options: ResolvedEngineOptions;
  readonly pool: PgPoolLike;
  readonly names: TableNames;
  readonly statements: CommitStatements;
  /** the row lock statement (see {@link lockStatement}) */
  readonly lock: SqlStatement;
  readonly writer: CommitWriterContext;
  readonly definitions: DefinitionSource;
}

/** The locked run row. */
export interface LockedRun {
  readonly runId: string;
  readonly tenant: string;
  readonly workflow: string;
  readonly version: string;
  readonly definitionHash: string;
  readonly runKey: string;
  readonly input: unknown;
  readonly state: InterpreterState | null;
  readonly status: string;
  readonly fencingToken: string;
  readonly parentRunId: string | null;
  readonly createdAt: Date;
  /** entity workflows: the entity key the run serves */
  readonly entityKey: string | null;
  /** the run is a primary or a shadow of a shadow pair */
  readonly shadowed: boolean;
}

/** How an input is applied: which input, and what to do when the interpreter rejects it. */
export interface DirectInputPlan<T> {
  /**
   * Runs first, under the row lock, before the interpreter: may claim the wait with a conditional
   * update; returning `undefined` skips the input (e.g. the wait was already resolved).
   */
  prepare?(client: PgPoolClientLike, run: LockedRun, state: InterpreterState): Promise<{ readonly skip: T } | undefined>;
  input(state: InterpreterState, now: string): InterpreterInput;
  /** Called when the interpreter rejected the input; the transaction is rolled back (no trace). */
  rejected(rejection: WorkflowError | undefined, run: LockedRun): T;
  /** Called after the commit. */
  applied(commit: RunCommit): T;
  readonly resolutions?: ReadonlyMap<string, Resolution>;
  readonly defaultResolution?: Resolution;
  /** Waits `prepare` already closed with its conditional update (no second write). */
  readonly preclosed?: ReadonlySet<string>;
}

const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

/** Outcome of one locked run: its commit, and the children it cancelled. */
export interface LockedOutcome<T> {
  readonly value: T;
  readonly commits: readonly RunCommit[];
  readonly notify: boolean;
}

/** Locks one Postgres-engine run row of a tenant (`$1` tenant, `$2` run id). */
export function lockStatement(n: TableNames): string {
  return `SELECT run_id, tenant_id, workflow_name, workflow_version, definition_hash, run_key, input, state, status, fencing_token::text AS fencing_token,
    parent_run_id, created_at, entity_key, shadow_of, shadow_run_id
  FROM ${n.runs} WHERE tenant_id = $1 AND run_id = $2 AND engine = 'db' FOR UPDATE`;
}

export interface LockRow {
  run_id: string;
  tenant_id: string;
  workflow_name: string;
  workflow_version: string;
  definition_hash: string;
  run_key: string;
  input: unknown;
  state: InterpreterState | null;
  status: string;
  fencing_token: string;
  parent_run_id: string | null;
  created_at: Date;
  entity_key: string | null;
  shadow_of: string | null;
  shadow_run_id: string | null;
}

/** The locked run a row of the lock statement describes. */
export function toLockedRun(r: LockRow): LockedRun {
  return {
    runId: r.run_id,
    tenant: r.tenant_id,
    workflow: r.workflow_name,
    version: r.workflow_version,
    definitionHash: r.definition_hash,
    runKey: r.run_key,
    input: r.input,
    state: r.state,
    status: r.status,
    fencingToken: r.fencing_token,
    parentRunId: r.parent_run_id,
    createdAt: r.created_at,
    entityKey: r.entity_key,
    shadowed: r.shadow_of !== null || r.shadow_run_id !== null,
  };
}

/** Locks the run row (`engine = 'db'` only); `undefined` when there is no such Postgres run in the tenant. */
export async function lockRun(client: PgPoolClientLike, lock: SqlStatement, tenant: string, runId: string): Promise<LockedRun | undefined> {
  const r = (await lock.run<LockRow>(client, [tenant, runId])).rows[0];
  return r ? toLockedRun(r) : undefined;
}

/** An input run on a locked run, before anything is written: the commit it makes. */
export interface ComputedInput<T> {
  readonly commit: RunCommit;
  /** the commit without the waits `prepare` already closed (what is written) */
  readonly written: RunCommit;
  readonly cursor: RunCursor;
  readonly notify: boolean;
  readonly plan: DirectInputPlan<T>;
}

/**
 * Runs one input on a locked run without writing: materializes the state (a run not yet claimed
 * gets its Start applied here), calls `prepare`, runs the interpreter and builds the commit in
 * `direct` mode, which bumps the fencing token so a worker still holding a lease cannot commit
 * over it. Reads (definitions) go through `client`.
 */
export async function computeLockedInput<T>(
  deps: DirectInputDeps,
  client: PgPoolClientLike,
  run: LockedRun,
  plan: DirectInputPlan<T>,
): Promise<ComputedInput<T> | { readonly rejected: T }> {
  const { options, definitions } = deps;
  const now = () => options.clock().toISOString();
  const advanceOptions: AdvanceOptions = options.limits ? { limits: options.limits } : {};
  const meta = { tenant: run.tenant, runKey: run.runKey, startedAt: run.createdAt.toISOString() };
  const published = await definitions.get(run.tenant, run.workflow, run.version, client);
  const cursor: RunCursor = {
    state: run.state!,
    definition: published.definition,
    version: run.version,
    definitionHash: run.definitionHash,
    steps: [] as StepRecord[],
    commands: [] as InterpreterCommand[],
  };
  if (run.state === null) {
    const start = await advance(
      published.definition,
      undefined,
      {
        type: 'Start',
        now: now(),
        context: {
          runId: run.runId,
          tenant: run.tenant,
          workflow: run.workflow,
          version: run.version,
          engine: 'db',
          startedAt: meta.startedAt,
          ...(run.entityKey !== null ? { entityKey: run.entityKey } : {}),
        },
        input: run.input as never,
      },
      advanceOptions,
    );
    await applyResult(cursor, start, meta, definitions, now, advanceOptions, client);
  }
  const prepared = await plan.prepare?.(client, run, cursor.state);
  if (prepared) return { rejected: prepared.skip };
  const result = await advance(cursor.definition, cursor.state, plan.input(cursor.state, now()), advanceOptions);
  if (!result.accepted) return { rejected: plan.rejected(result.rejection, run) };
  await applyResult(cursor, result, meta, definitions, now, advanceOptions, client);

  const left = pendingCommands(cursor.state);
  // A new event wait is handed to a worker too: it reads the event inbox once the wait is committed.
  const wakeNow =
    cursor.state.status === 'running' && (left.some((c) => c.type === 'RunAction' || c.type === 'StartChild') || cursor.commands.some((c) => c.type === 'AwaitEvent'));
  const commit = buildRunCommit({
    tenant: run.tenant,
    runId: run.runId,
    fencingToken: run.fencingToken,
    mode: 'direct',
    before: run.state,
    after: cursor.state,
    workflowVersion: cursor.version,
    definitionHash: cursor.definitionHash,
    steps: cursor.steps,
    commands: cursor.commands,
    invocations: [],
    startChildren: [],
    parentRunId: run.parentRunId,
    release: true,
    wakeNow,
    now: now(),
    shadowed: run.shadowed,
    ...(plan.resolutions ? { resolutions: plan.resolutions } : {}),
    ...(plan.defaultResolution ? { defaultResolution: plan.defaultResolution } : {}),
  });
  const preclosed = plan.preclosed;
  const written = preclosed?.size ? { ...commit, closeWaits: commit.closeWaits.filter((w) => !preclosed.has(w.waitId)) } : commit;
  return { commit, written, cursor, notify: wakeNow, plan };
}

/**
 * What follows a written commit in the same transaction: children of a cancelled parent are
 * cancelled with it (parent row first, then each child: one lock order).
 */
export async function finishLockedRun<T>(deps: DirectInputDeps, client: PgPoolClientLike, run: LockedRun, computed: ComputedInput<T>): Promise<LockedOutcome<T>> {
  const commits: RunCommit[] = [computed.commit];
  let notify = computed.notify;
  for (const c of computed.cursor.commands) {
    if (c.type !== 'CancelChild') continue;
    const child = await lockRun(client, deps.lock, run.tenant, c.childRunId);
    if (!child || ['SUCCEEDED', 'FAILED', 'CANCELED'].includes(child.status)) continue;
    const outcome = await applyToLockedRun(deps, client, child, cancelPlan(c.reason));
    if ('commits' in outcome) {
      commits.push(...outcome.commits);
      notify ||= outcome.notify;
    }
  }
  return { value: computed.plan.applied(computed.commit), commits, notify };
}

/**
 * Applies one input to a locked run inside the caller's transaction: {@link computeLockedInput},
 * then the commit is written and {@link finishLockedRun} cancels the children of a cancelled parent.
 */
export async function applyToLockedRun<T>(
  deps: DirectInputDeps,
  client: PgPoolClientLike,
  run: LockedRun,
  plan: DirectInputPlan<T>,
): Promise<LockedOutcome<T> | { readonly rejected: T }> {
  const computed = await computeLockedInput(deps, client, run, plan);
  if ('rejected' in computed) return computed;
  const applied = await writeCommits(client, deps.writer, deps.statements, [computed.written]);
  if (!applied.has(run.runId)) throw new Error(`run ${run.runId} changed under its row lock`);
  return finishLockedRun(deps, client, run, computed);
}

/** The plan of a cancellation (used for children of a cancelled parent). */
export function cancelPlan(reason: string): DirectInputPlan<RunCommit | undefined> {
  return {
    input: (_state, now) => ({ type: 'Cancel', now, reason }),
    rejected: () => undefined,
    applied: (commit) => commit,
  };
}

/** What a transaction body decided: keep its writes (`commit`) or roll them back. */
export interface TransactionOutcome<T> {
  readonly value: T;
  readonly commit: boolean;
}

/**
 * Runs `work` in a transaction on a pooled connection, committing or rolling back as it decides;
 * retries on deadlock or serialization failure (a cancel locks parent then child, a finishing child
 * locks child then parent).
 */
export async function inTransaction<T>(pool: PgPoolLike, work: (client: PgPoolClientLike) => Promise<TransactionOutcome<T>>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withClient(pool, async (client) => {
        await client.query('BEGIN', []);
        try {
          const outcome = await work(client);
          await client.query(outcome.commit ? 'COMMIT' : 'ROLLBACK', []);
          return outcome.value;
        } catch (error) {
          await client.query('ROLLBACK', []).catch(() => undefined);
          throw error;
        }
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt < MAX_ATTEMPTS && code !== undefined && RETRYABLE_SQLSTATES.has(code)) continue;
      throw error;
    }
  }
}
