import { randomUUID } from 'node:crypto';
import type { JsonValue, WorkflowDefinition } from '@baton/event-schemas';
import { contentHash, type ActionRegistry, type RunRef, type RuntimeStores } from '@baton/runtime-core';
import { createPostgresEngine, type PostgresEngine } from '../engine/postgres-engine.js';
import type { PostgresEngineOptions } from '../engine/engine-options.js';
import { createPostgresStores } from '../stores/create-postgres-stores.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** A fresh schema with an engine (worker started) and the stores over it. */
export interface EngineHarness {
  readonly t: TestDatabase;
  readonly engine: PostgresEngine;
  readonly stores: RuntimeStores;
  readonly tenant: string;
  publish(definition: WorkflowDefinition, tenant?: string): Promise<{ name: string; version: string; hash: string }>;
  start(definition: WorkflowDefinition, input: JsonValue, extra?: { runId?: string; executionKey?: string; tenant?: string }): Promise<RunRef<'db'>>;
  close(): Promise<void>;
}

/** Creates the harness; `worker: false` leaves the worker stopped. */
export async function createEngineHarness(
  prefix: string,
  actions: ActionRegistry,
  options: { awkward?: boolean; worker?: boolean; engine?: Partial<PostgresEngineOptions>; poolMax?: number } = {},
): Promise<EngineHarness> {
  const t = await createTestDatabase(prefix, { awkward: options.awkward ?? false, max: options.poolMax ?? 20 });
  const engine = createPostgresEngine({ pool: t.pool, schema: t.schema, actions, leaseMs: 5000, pollIntervalMs: 200, ...options.engine });
  const stores = createPostgresStores({ pool: t.pool, schema: t.schema });
  if (options.worker !== false) await engine.startWorker();
  const tenant = 'acme';
  const publish: EngineHarness['publish'] = async (definition, on = tenant) => {
    const hash = contentHash(definition);
    const outcome = await stores.definitions.publish(on, {
      name: definition.name,
      version: definition.version,
      hash,
      definition,
      triggerEventName: null,
      publishedAt: new Date().toISOString(),
    });
    if (outcome.status === 'conflict') throw new Error(`${definition.name}@${definition.version} published with other content`);
    return { name: definition.name, version: definition.version, hash };
  };
  return {
    t,
    engine,
    stores,
    tenant,
    publish,
    async start(definition, input, extra = {}) {
      const on = extra.tenant ?? tenant;
      const { hash } = await publish(definition, on);
      const runId = extra.runId ?? randomUUID();
      return engine.start({
        tenant: on,
        runId,
        workflow: { name: definition.name, version: definition.version, hash },
        definition,
        input,
        executionKey: extra.executionKey ?? null,
        runKey: extra.executionKey ?? runId,
        startedAt: new Date().toISOString(),
      });
    },
    async close() {
      await engine.stopWorker({ graceMs: 2000 });
      await t.drop();
    },
  };
}

/** A definition with the given steps. */
export function workflow(name: string, steps: unknown[], version = '1.0.0'): WorkflowDefinition {
  return { name, version, steps } as unknown as WorkflowDefinition;
}

/** `n` core.echo steps, each saving its output. */
export function echoSteps(n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `s${i + 1}`,
    type: 'action.call',
    action: 'core.echo',
    actionVersion: 1,
    input: { step: i + 1, run: { $expr: 'run.id' } },
    saveAs: `vars.s${i + 1}`,
  }));
}

/** Every row a run owns (run, waits, steps), to prove that something changed nothing. */
export async function runRows(t: TestDatabase, runId: string) {
  const [run, waits, steps] = await Promise.all([
    t.db.selectFrom('workflow_runs').selectAll().where('run_id', '=', runId).executeTakeFirstOrThrow(),
    t.db.selectFrom('workflow_run_waits').selectAll().where('run_id', '=', runId).orderBy('wait_id').execute(),
    t.db.selectFrom('workflow_run_steps').selectAll().where('run_id', '=', runId).orderBy('seq').execute(),
  ]);
  return { run, waits, steps };
}
