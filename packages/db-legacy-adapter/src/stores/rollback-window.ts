import { sql, type Kysely } from 'kysely';
import type { EnginePolicy, WorkflowPolicy } from '@baton/event-schemas';
import type { EngineRunWindow, RollbackWindow } from '@baton/runtime-core';
import type { Database } from '../database/database-types.js';
import { json, jsonOrNull } from '../database/timestamps.js';

/** A workflow whose policy asks for automatic rollback. */
export interface RollbackCandidate {
  readonly tenant: string;
  readonly workflow: string;
  readonly policy: WorkflowPolicy;
  /** when the engine policy last changed (Temporal's window starts there), `null` when never recorded */
  readonly engineChangedAt: string | null;
}

/** Every workflow policy with a `rollback` field (of every tenant), with the time its engine policy last changed. */
export async function listRollbackCandidates(db: Kysely<Database>): Promise<RollbackCandidate[]> {
  const rows = await db
    .selectFrom('workflow_policies as p')
    .select([
      'p.tenant_id',
      'p.workflow_name',
      'p.version_policy',
      'p.engine_policy',
      'p.shadow_policy',
      'p.rollout_gate',
      'p.rollback_policy',
      (eb) =>
        eb
          .selectFrom('workflow_policy_history as h')
          .select(sql<Date | null>`max(h.at)`.as('at'))
          .whereRef('h.tenant_id', '=', 'p.tenant_id')
          .whereRef('h.workflow_name', '=', 'p.workflow_name')
          .where(sql<boolean>`h.from_policy -> 'engine' is distinct from h.to_policy -> 'engine'`)
          .as('engine_changed_at'),
    ])
    .where('p.rollback_policy', 'is not', null)
    .orderBy('p.tenant_id')
    .orderBy('p.workflow_name')
    .execute();
  return rows.map((row) => {
    const policy = { versionPolicy: row.version_policy } as WorkflowPolicy;
    if (row.engine_policy) policy.engine = row.engine_policy as WorkflowPolicy['engine'];
    if (row.shadow_policy) policy.shadow = row.shadow_policy as WorkflowPolicy['shadow'];
    if (row.rollout_gate) policy.rolloutGate = row.rollout_gate as WorkflowPolicy['rolloutGate'];
    policy.rollback = row.rollback_policy as WorkflowPolicy['rollback'];
    const changed = row.engine_changed_at as Date | string | null;
    return { tenant: row.tenant_id, workflow: row.workflow_name, policy, engineChangedAt: changed === null ? null : new Date(changed).toISOString() };
  });
}

/** Options of {@link readRollbackWindow}. */
export interface RollbackWindowOptions {
  /** the most recently finished runs per engine that count */
  readonly windowRuns: number;
  /** only Temporal runs created at or after this time count (the last engine policy change) */
  readonly temporalSince?: string | null;
}

/**
 * The sliding window of a workflow's finished runs per engine: the `windowRuns` most recently
 * completed SUCCEEDED or FAILED runs of each engine, with their failures and the p99 of their
 * duration (created → completed). Shadow runs do not count. Temporal's runs count only from
 * `temporalSince` on (the last engine policy change), so the runs that caused a rollback do not
 * roll back the next rollout again; Postgres's, the baseline, count whenever they ran.
 */
export async function readRollbackWindow(db: Kysely<Database>, tenant: string, workflow: string, options: RollbackWindowOptions): Promise<RollbackWindow> {
  const side = async (engine: 'db' | 'temporal', since: string | null | undefined): Promise<EngineRunWindow> => {
    let recent = db
      .selectFrom('workflow_runs')
      .select(['status', sql<number>`extract(epoch from (completed_at - created_at)) * 1000`.as('ms')])
      .where('tenant_id', '=', tenant)
      .where('workflow_name', '=', workflow)
      .where('engine', '=', engine)
      .where('shadow_of', 'is', null)
      .where('status', 'in', ['SUCCEEDED', 'FAILED'])
      .where('completed_at', 'is not', null)
      .orderBy('completed_at', 'desc')
      .limit(options.windowRuns);
    if (since) recent = recent.where('created_at', '>=', new Date(since));
    const row = await db
      .selectFrom(recent.as('r'))
      .select([
        sql<string>`count(*)`.as('finished'),
        sql<string>`count(*) filter (where r.status = 'FAILED')`.as('failed'),
        sql<number | null>`percentile_cont(0.99) within group (order by r.ms)`.as('p99'),
      ])
      .executeTakeFirstOrThrow();
    return { finished: Number(row.finished), failed: Number(row.failed), p99Ms: row.p99 === null ? null : Number(row.p99) };
  };
  const [dbSide, temporalSide] = await Promise.all([side('db', null), side('temporal', options.temporalSince)]);
  return { db: dbSide, temporal: temporalSide };
}

/** A rollback to apply: the engine policy it was judged under and how the policy changes. */
export interface RollbackWrite {
  readonly tenant: string;
  readonly workflow: string;
  /** the engine policy the breach was measured under; the write happens only while it is still the stored one */
  readonly judgedEngine: EnginePolicy | undefined;
  /** the policy after the rollback, from the stored one (runtime-core's `rolledBackPolicy`) */
  readonly next: (current: WorkflowPolicy) => WorkflowPolicy;
  readonly at: string;
  readonly actor: string;
  readonly reason: string;
}

/**
 * Writes a rollback and its policy-history entry in one transaction, as a compare-and-set: when the
 * stored engine policy is no longer the one the breach was judged under (an operator changed it
 * meanwhile) nothing is written and `false` is answered. `next` is applied to the stored (locked)
 * policy, so a concurrent change of its other fields is kept.
 */
export async function applyRollback(db: Kysely<Database>, write: RollbackWrite): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('workflow_policies')
      .select(['version_policy', 'engine_policy', 'shadow_policy', 'rollout_gate', 'rollback_policy'])
      .where('tenant_id', '=', write.tenant)
      .where('workflow_name', '=', write.workflow)
      .forUpdate()
      .executeTakeFirst();
    if (!current || !sameJson(current.engine_policy ?? undefined, write.judgedEngine)) return false;
    const from = { versionPolicy: current.version_policy } as WorkflowPolicy;
    if (current.engine_policy) from.engine = current.engine_policy as WorkflowPolicy['engine'];
    if (current.shadow_policy) from.shadow = current.shadow_policy as WorkflowPolicy['shadow'];
    if (current.rollout_gate) from.rolloutGate = current.rollout_gate as WorkflowPolicy['rolloutGate'];
    if (current.rollback_policy) from.rollback = current.rollback_policy as WorkflowPolicy['rollback'];
    const to = write.next(from);
    await trx
      .updateTable('workflow_policies')
      .set({
        version_policy: json(to.versionPolicy),
        engine_policy: jsonOrNull(to.engine),
        shadow_policy: jsonOrNull(to.shadow),
        rollout_gate: jsonOrNull(to.rolloutGate),
        rollback_policy: jsonOrNull(to.rollback),
        updated_at: new Date(write.at),
      })
      .where('tenant_id', '=', write.tenant)
      .where('workflow_name', '=', write.workflow)
      .execute();
    await trx
      .insertInto('workflow_policy_history')
      .values({
        tenant_id: write.tenant,
        workflow_name: write.workflow,
        at: write.at,
        actor: write.actor,
        from_policy: json(from),
        to_policy: json(to),
        forced: false,
        reason: write.reason,
      })
      .execute();
    return true;
  });
}

/** Structural equality of two JSON values (key order ignored). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
