import type { PgPoolClientLike } from '../database/pg-pool.js';
import type { RunCommit } from './run-commit.js';
import type { TableNames } from './sql-names.js';
import { sqlStatement, type SqlStatement } from './sql-statement.js';

/** What the writer needs besides the commits. */
export interface CommitWriterContext {
  readonly names: TableNames;
  /** NOTIFY channel woken when a commit makes another run runnable (a child, a parent) */
  readonly channel: string;
  /** lease owner id of this worker */
  readonly owner: string;
  /** lease length renewed by each commit that keeps the lease */
  readonly leaseMs: number;
}

/** Minimal client surface: one parameterized query. */
export type QueryClient = Pick<PgPoolClientLike, 'query'>;

const TERMINAL = `('SUCCEEDED', 'FAILED', 'CANCELED')`;

/**
 * The hot path in one statement: action results (always: a worker that lost its lease still leaves
 * its completed output for the next one to reuse), then the run rows fenced by token (and lease
 * owner, for worker commits), then the step rows and the waits opened ($7) of only the runs whose
 * fenced update matched. A commit that only opens waits (a run reaching its next wait) is this one
 * statement, with no transaction around it.
 */
function mainStatement(n: TableNames): string {
  return `
WITH inv AS (
  INSERT INTO ${n.invocations} AS i (tenant_id, idempotency_key, run_id, step_id, action, action_version, attempt, status, output, error)
  SELECT x.tenant_id, x.idempotency_key, x.run_id, x.step_id, x.action, x.action_version, x.attempt, x.status, x.output, x.error
  FROM jsonb_to_recordset($2::jsonb) AS x(tenant_id text, idempotency_key text, run_id text, step_id text, action text,
    action_version int, attempt int, status text, output jsonb, error jsonb)
  ON CONFLICT (tenant_id, idempotency_key) DO UPDATE SET
    run_id = excluded.run_id, step_id = excluded.step_id, attempt = excluded.attempt, status = excluded.status,
    output = excluded.output, error = excluded.error, completed_at = now()
  WHERE i.status <> 'COMPLETED'
),
upd AS (
  UPDATE ${n.runs} AS r SET
    state = x.state,
    status = x.status,
    workflow_version = x.workflow_version,
    definition_hash = x.definition_hash,
    generation = x.generation,
    output = x.output,
    error = x.error,
    cancel_reason = coalesce(x.cancel_reason, r.cancel_reason),
    current_step_id = x.current_step_id,
    completed_at = CASE WHEN x.terminal THEN coalesce(r.completed_at, now()) ELSE NULL END,
    updated_at = now(),
    fencing_token = CASE WHEN x.direct THEN r.fencing_token + 1 ELSE r.fencing_token END,
    wake_at = CASE WHEN x.release THEN x.wake_at ELSE r.wake_at END,
    lease_owner = CASE WHEN x.release THEN NULL ELSE r.lease_owner END,
    lease_expires_at = CASE WHEN x.release THEN NULL ELSE now() + $4::int * interval '1 millisecond' END
  FROM jsonb_to_recordset($1::jsonb) AS x(run_id text, token bigint, direct boolean, state jsonb, status text,
    workflow_version text, definition_hash text, generation int, output jsonb, error jsonb, cancel_reason text,
    current_step_id text, terminal boolean, release boolean, wake_at timestamptz)
  -- run_id = ANY($6): the planner cannot size jsonb_to_recordset and would scan the whole table
  WHERE r.run_id = ANY($6::text[]) AND r.run_id = x.run_id AND r.engine = 'db' AND r.fencing_token = x.token
    AND (x.direct OR r.lease_owner = $5)
  RETURNING r.run_id, r.tenant_id, r.fencing_token
),
st AS (
  INSERT INTO ${n.steps} AS s (tenant_id, run_id, step_id, iteration, generation, seq, path, step_type, status, attempt,
    started_at, completed_at, output, error, fencing_token)
  SELECT u.tenant_id, x.run_id, x.step_id, x.iteration, x.generation, x.seq, x.path, x.step_type, x.status, x.attempt,
    x.started_at, x.completed_at, x.output, x.error, u.fencing_token
  FROM jsonb_to_recordset($3::jsonb) AS x(run_id text, step_id text, iteration text, generation int, seq int, path text,
    step_type text, status text, attempt int, started_at timestamptz, completed_at timestamptz, output jsonb, error jsonb)
  JOIN upd AS u ON u.run_id = x.run_id
  ON CONFLICT (run_id, step_id, iteration) DO UPDATE SET
    generation = excluded.generation, seq = excluded.seq, path = excluded.path, step_type = excluded.step_type,
    status = excluded.status, attempt = excluded.attempt, started_at = excluded.started_at,
    completed_at = excluded.completed_at, output = excluded.output, error = excluded.error,
    fencing_token = excluded.fencing_token, updated_at = now()
),
ow AS (
  INSERT INTO ${n.waits} (tenant_id, run_id, wait_id, engine, wait_type, step_id, event_name, correlation_key, due_at, status, detail, created_at)
  SELECT x.tenant_id, x.run_id, x.wait_id, 'db', x.wait_type, x.step_id, x.event_name, x.correlation_key, x.due_at, 'WAITING', x.detail, x.created_at
  FROM jsonb_to_recordset($7::jsonb) AS x(tenant_id text, run_id text, wait_id text, wait_type text, step_id text, event_name text,
    correlation_key text, due_at timestamptz, detail jsonb, created_at timestamptz)
  JOIN upd AS u ON u.run_id = x.run_id
  ON CONFLICT (run_id, wait_id) DO NOTHING
)
SELECT run_id FROM upd`;
}

function sideStatements(n: TableNames): Record<'closeWaits' | 'openTasks' | 'closeTasks' | 'children' | 'wakeParents', string> {
  return {
    // Conditional: a wait resolves (or is cancelled) once.
    closeWaits: `
UPDATE ${n.waits} AS w SET status = x.status, resolved_by = x.resolved_by, resolved_at = now()
FROM jsonb_to_recordset($1::jsonb) AS x(run_id text, wait_id text, status text, resolved_by text)
WHERE w.run_id = ANY($2::text[]) AND w.run_id = x.run_id AND w.wait_id = x.wait_id AND w.status = 'WAITING'`,
    openTasks: `
INSERT INTO ${n.tasks} (tenant_id, task_id, run_id, engine, step_id, task_type, title, form_schema, assignee, status, due_at)
SELECT x.tenant_id, x.task_id, x.run_id, 'db', x.step_id, x.task_type, x.title, x.form_schema, x.assignee, 'OPEN', x.due_at
FROM jsonb_to_recordset($1::jsonb) AS x(tenant_id text, task_id text, run_id text, step_id text, task_type text, title text,
  form_schema jsonb, assignee text, due_at timestamptz)
ON CONFLICT (tenant_id, task_id) DO NOTHING`,
    closeTasks: `
UPDATE ${n.tasks} AS t SET status = x.status, close_reason = x.close_reason,
  response = CASE WHEN x.status = 'COMPLETED' THEN coalesce(x.response, t.response) END,
  completed_by = CASE WHEN x.status = 'COMPLETED' THEN coalesce(x.completed_by, t.completed_by) END,
  completed_at = CASE WHEN t.status = 'OPEN' THEN coalesce(t.completed_at, now()) ELSE now() END,
  handoff = CASE WHEN t.handoff = 'PENDING' THEN 'REFUSED' ELSE t.handoff END,
  handoff_due_at = CASE WHEN t.handoff = 'PENDING' THEN NULL ELSE t.handoff_due_at END,
  handoff_error = CASE WHEN t.handoff = 'PENDING' THEN 'TASK_ALREADY_CLOSED: ' || x.close_reason ELSE t.handoff_error END
FROM jsonb_to_recordset($1::jsonb) AS x(tenant_id text, task_id text, status text, close_reason text, response jsonb, completed_by text)
WHERE t.task_id = ANY($2::text[]) AND t.tenant_id = x.tenant_id AND t.task_id = x.task_id
  AND (t.status = 'OPEN' OR (x.status = 'CANCELED' AND t.status = 'COMPLETED' AND t.handoff = 'PENDING'))`,
    // jsonb_to_recordset reads a JSON null input as SQL NULL: a child started with input null stores jsonb null.
    children: `
INSERT INTO ${n.runs} (run_id, tenant_id, workflow_name, workflow_version, definition_hash, engine, status, run_key, input,
  parent_run_id, parent_step_id, wake_at, shadow_of, shadow_run_id)
SELECT x.run_id, x.tenant_id, x.workflow, x.version, x.definition_hash, 'db', 'RUNNING', x.run_id, coalesce(x.input, 'null'::jsonb),
  x.parent_run_id, x.parent_step_id, now(), x.shadow_of, x.shadow_run_id
FROM jsonb_to_recordset($1::jsonb) AS x(run_id text, tenant_id text, workflow text, version text, definition_hash text, input jsonb,
  parent_run_id text, parent_step_id text, shadow_of text, shadow_run_id text)
ON CONFLICT DO NOTHING`,
    // A poke: the parent may be mid-processing under a lease; bumping the token makes that worker
    // drop it so the next claim sees the finished child (no lost wake-up).
    wakeParents: `
UPDATE ${n.runs} SET wake_at = now(), fencing_token = fencing_token + 1, lease_owner = NULL, lease_expires_at = NULL
WHERE run_id = ANY($1::text[]) AND engine = 'db' AND status NOT IN ${TERMINAL}`,
  };
}

type SideStatement = keyof ReturnType<typeof sideStatements>;

/** The statements of a table set, built once. */
export interface CommitStatements {
  readonly main: SqlStatement;
  readonly side: { readonly [K in SideStatement]: SqlStatement };
}

/** Builds the statements of {@link writeCommits} for a schema's tables. */
export function buildCommitStatements(names: TableNames, prepared = true): CommitStatements {
  const side = sideStatements(names);
  return {
    main: sqlStatement('commit', mainStatement(names), prepared),
    side: Object.fromEntries(Object.entries(side).map(([key, text]) => [key, sqlStatement(key, text, prepared)])) as CommitStatements['side'],
  };
}

/** The wait rows the commits open. */
function openWaitRows(commits: readonly RunCommit[]) {
  return commits.flatMap((c) =>
    c.openWaits.map((w) => ({
      tenant_id: c.tenant,
      run_id: c.runId,
      wait_id: w.waitId,
      wait_type: w.type,
      step_id: w.stepId,
      event_name: w.eventName ?? null,
      correlation_key: w.correlationKey ?? null,
      due_at: w.dueAt ?? null,
      detail: w.detail ?? null,
      created_at: w.createdAt,
    })),
  );
}

/** True when a commit has rows for the side statements (the waits it opens go in the main statement). */
function hasSideStatementRows(c: RunCommit): boolean {
  return c.closeWaits.length > 0 || c.openTasks.length > 0 || c.closeTasks.length > 0 || c.startChildren.length > 0 || c.wakeParent !== null;
}

function mainParams(ctx: CommitWriterContext, commits: readonly RunCommit[]): unknown[] {
  const runs = commits.map((c) => ({
    run_id: c.runId,
    token: c.fencingToken,
    direct: c.mode === 'direct',
    state: c.state,
    status: c.status,
    workflow_version: c.workflowVersion,
    definition_hash: c.definitionHash,
    generation: c.generation,
    output: c.output ?? null,
    error: c.error ?? null,
    cancel_reason: c.cancelReason ?? null,
    current_step_id: c.currentStepId,
    terminal: c.terminal,
    release: c.release !== undefined,
    wake_at: c.release?.wakeAt ?? null,
  }));
  const invocations = commits.flatMap((c) =>
    c.invocations.map((i) => ({
      tenant_id: c.tenant,
      idempotency_key: i.idempotencyKey,
      run_id: c.runId,
      step_id: i.stepId,
      action: i.action,
      action_version: i.actionVersion,
      attempt: i.attempt,
      status: i.status,
      output: i.output ?? null,
      error: i.error ?? null,
    })),
  );
  const steps = commits.flatMap((c) => {
    const byKey = new Map(c.steps.map((s) => [`${s.stepId}@${s.iteration}`, s]));
    return [...byKey.values()].map((s) => ({
      run_id: c.runId,
      step_id: s.stepId,
      iteration: s.iteration,
      generation: s.generation,
      seq: s.seq,
      path: s.path,
      step_type: s.stepType,
      status: s.status,
      attempt: s.attempt,
      started_at: s.startedAt,
      completed_at: s.completedAt ?? null,
      output: s.output ?? null,
      error: s.error ?? null,
    }));
  });
  return [
    JSON.stringify(runs),
    JSON.stringify(invocations),
    JSON.stringify(steps),
    ctx.leaseMs,
    ctx.owner,
    commits.map((c) => c.runId),
    JSON.stringify(openWaitRows(commits)),
  ];
}

/**
 * Issues the statements of a batch of run commits on `client` (the caller owns the transaction) and
 * returns the ids of the runs whose fenced update applied; side rows are written for those only.
 */
export async function writeCommits(
  client: QueryClient,
  ctx: CommitWriterContext,
  statements: CommitStatements,
  commits: readonly RunCommit[],
): Promise<Set<string>> {
  if (commits.length === 0) return new Set();
  const result = await statements.main.run<{ run_id: string }>(client, mainParams(ctx, commits));
  const accepted = new Set(result.rows.map((r) => r.run_id));
  const applied = commits.filter((c) => accepted.has(c.runId) && hasSideStatementRows(c));
  if (applied.length === 0) return accepted;

  const side = statements.side;
  const rows = <T, R extends object>(pick: (c: RunCommit) => readonly T[], shape: (c: RunCommit, item: T) => R): R[] =>
    applied.flatMap((c) => pick(c).map((item) => shape(c, item)));

  // The main statement opened the commits' new waits: a wait row is never both opened and closed by
  // one commit (it would be in neither list), and an open never changes an existing row (DO NOTHING).
  const closeWaits = rows((c) => c.closeWaits, (c, w) => ({ run_id: c.runId, wait_id: w.waitId, status: w.status, resolved_by: w.resolvedBy ?? null }));
  if (closeWaits.length) await side.closeWaits.run(client, [JSON.stringify(closeWaits), closeWaits.map((w) => w.run_id)]);
  const closeTasks = rows(
    (c) => c.closeTasks,
    (c, t) => ({
      tenant_id: c.tenant,
      task_id: t.taskId,
      status: t.status,
      close_reason: t.closeReason ?? null,
      response: t.response === undefined ? null : t.response,
      completed_by: t.completedBy ?? null,
    }),
  );
  if (closeTasks.length) await side.closeTasks.run(client, [JSON.stringify(closeTasks), closeTasks.map((t) => t.task_id)]);
  const openTasks = rows(
    (c) => c.openTasks,
    (c, t) => ({
      tenant_id: c.tenant,
      task_id: t.taskId,
      run_id: c.runId,
      step_id: t.stepId,
      task_type: t.taskType,
      title: t.title,
      form_schema: t.formSchema ?? null,
      assignee: t.assignee ?? null,
      due_at: t.dueAt ?? null,
    }),
  );
  if (openTasks.length) await side.openTasks.run(client, [JSON.stringify(openTasks)]);
  const children = rows(
    (c) => c.startChildren,
    (c, k) => ({
      run_id: k.runId,
      tenant_id: c.tenant,
      workflow: k.workflow,
      version: k.version,
      definition_hash: k.definitionHash,
      input: k.input,
      parent_run_id: c.runId,
      parent_step_id: k.stepId,
      shadow_of: k.shadowOf ?? null,
      shadow_run_id: k.shadowRunId ?? null,
    }),
  );
  if (children.length) await side.children.run(client, [JSON.stringify(children)]);
  const parents = applied.map((c) => c.wakeParent).filter((p): p is string => p !== null);
  if (parents.length) await side.wakeParents.run(client, [parents]);
  if (children.length || parents.length) await client.query('SELECT pg_notify($1, $2)', [ctx.channel, '']);
  return accepted;
}

/** True when a batch needs a transaction (more than the single main statement). */
export function needsTransaction(commits: readonly RunCommit[]): boolean {
  return commits.some(hasSideStatementRows);
}
