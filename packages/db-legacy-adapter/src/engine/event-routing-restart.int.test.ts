// Fault suite: the Postgres server crashes and restarts while events are being routed. A private
// server (own data directory and port, from the dev-services helpers), never the shared one, stopped
// in `immediate` mode (no shutdown checkpoint, recovery at the next start, as after a crash) while the
// engine's worker runs and five producers deliver events. Each producer sends an event again until
// the runtime answers it processed. Every event starts one run of an event-triggered workflow, and
// the first WAITERS events each resume a run waiting for them at a first `event.wait` whose second
// `event.wait` on the same key must stay open. In the end every event is PROCESSED in the audit,
// started exactly one run, and resumed its waiting run exactly once (none lost, none routed twice).
// A connection that breaks without an `error` listener is an uncaught exception, which fails the run.
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createActionRegistry, createRuntime, validateDefinition } from '@baton/runtime-core';
import { findPostgresBinaries, startPrivatePostgres } from '@baton/dev-services';
import { createTestDatabase } from '../__fixtures__/test-database.js';
import { createPostgresStores } from '../stores/create-postgres-stores.js';
import { createPostgresEngine } from './postgres-engine.js';

const TENANT = 'faults';
const EVENTS = 300;
const WAITERS = 50;
const PRODUCERS = 5;
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** Polls `check` until it holds; throws after `ms`. */
async function until(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await delay(100);
  }
}

describe('Postgres crashed and restarted while events are being routed', () => {
  const binaries = findPostgresBinaries();
  it.skipIf(!binaries)(`no accepted event of ${EVENTS} is lost, none is routed twice`, { timeout: 180_000 }, async () => {
    const server = await startPrivatePostgres('event-routing-restart');
    cleanups.push(() => server.remove());
    const url = server.url;
    const t = await createTestDatabase('fault_events', { max: 10, url });
    t.pool.on('error', () => undefined);
    cleanups.push(() => t.drop().catch(() => undefined));
    const q = (text: string) => text.replaceAll('$schema', `"${t.schema.replaceAll('"', '""')}"`);
    const actions = createActionRegistry();
    const workerErrors: string[] = [];
    const engine = createPostgresEngine({ pool: t.pool, schema: t.schema, actions, pollIntervalMs: 200, onWorkerError: (err) => workerErrors.push(err.message) });
    const runtime = createRuntime({
      engines: { db: engine },
      ...createPostgresStores({ pool: t.pool, schema: t.schema }),
      validateDefinition: (json) => validateDefinition(json, { actions }),
    });
    await runtime.publishDefinition(TENANT, {
      name: 'fault.on-order',
      version: '1.0.0',
      trigger: { type: 'event', eventName: 'ORDER_PLACED' },
      steps: [{ id: 'done', type: 'control.return', output: { $expr: 'input' } }],
    });
    await runtime.publishDefinition(TENANT, {
      name: 'fault.await-order',
      version: '1.0.0',
      steps: [
        { id: 'first', type: 'event.wait', eventName: 'ORDER_PLACED', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.first' },
        { id: 'second', type: 'event.wait', eventName: 'ORDER_PLACED', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.second' },
      ],
    });
    await engine.startWorker();
    cleanups.push(() => engine.stopWorker().catch(() => undefined));

    const eventIds = Array.from({ length: EVENTS }, (_, i) => `order-${i}-${randomUUID()}`);
    const keyOf = (i: number) => `key-${eventIds[i]}`;
    const waiters = new Map<string, number>();
    for (let i = 0; i < WAITERS; i++) waiters.set((await runtime.startRun(TENANT, { workflow: 'fault.await-order', input: { key: keyOf(i) } })).runId, i);
    const waiting = async () =>
      Number((await t.pool.query(q(`select count(*) as n from $schema.workflow_run_waits where tenant_id = $1 and step_id = 'first' and status = 'WAITING'`), [TENANT])).rows[0].n);
    await until('every waiting run to wait at its first event.wait', async () => (await waiting()) === WAITERS, 60_000);

    let accepted = 0;
    let unanswered = 0;
    let next = 0;
    let crashed = false;
    let acceptedBeforeRestart = 0;
    const producers = Array.from({ length: PRODUCERS }, async () => {
      for (let i = next++; i < EVENTS; i = next++) {
        for (const deadline = performance.now() + 90_000; ; ) {
          try {
            const result = await runtime.deliverEvent(TENANT, { eventId: eventIds[i], eventName: 'ORDER_PLACED', correlationKey: keyOf(i), payload: { i } });
            if (result.processed) {
              accepted += 1;
              break;
            }
          } catch {
            // not accepted (the database is down): send it again
          }
          if (performance.now() > deadline) throw new Error(`event ${i} was not accepted within 90 s`);
          unanswered += 1;
          await delay(100);
        }
        // The crash comes once a third of the events were accepted, while the others are in flight.
        if (accepted >= EVENTS / 3 && !crashed) {
          crashed = true;
          acceptedBeforeRestart = accepted;
          restart = server.restart({ mode: 'immediate' });
        }
      }
    });
    let restart: Promise<void> | undefined;
    await Promise.all(producers);
    await restart;

    // Every triggered run and every waiter's first wait are done by the engine's worker.
    const finishedTriggered = async () =>
      Number(
        (await t.pool.query(q(`select count(*) as n from $schema.workflow_runs where tenant_id = $1 and workflow_name = 'fault.on-order' and status = 'SUCCEEDED'`), [TENANT])).rows[0].n,
      );
    const resolvedFirst = async () =>
      Number((await t.pool.query(q(`select count(*) as n from $schema.workflow_run_waits where tenant_id = $1 and step_id = 'first' and status = 'RESOLVED'`), [TENANT])).rows[0].n);
    await until('every triggered run to finish and every waiter to take its event', async () => (await finishedTriggered()) === EVENTS && (await resolvedFirst()) === WAITERS, 60_000);

    const runs = await t.pool.query<{ trigger_event_id: string; n: string }>(
      q(`select trigger_event_id, count(*) as n from $schema.workflow_runs where tenant_id = $1 and workflow_name = 'fault.on-order' group by trigger_event_id`),
      [TENANT],
    );
    const audit = await t.pool.query<{ event_id: string; status: string }>(q(`select event_id, status from $schema.workflow_runtime_events where tenant_id = $1`), [TENANT]);
    const waits = await t.pool.query<{ run_id: string; step_id: string; status: string; resolved_by: string | null }>(
      q(`select run_id, step_id, status, resolved_by from $schema.workflow_run_waits where tenant_id = $1 and wait_type = 'EVENT' order by run_id, step_id`),
      [TENANT],
    );
    console.info(
      `postgres crash: ${accepted} events accepted (the crash after ${acceptedBeforeRestart}), ${unanswered} deliveries not answered processed and sent again; ` +
        `${runs.rows.length} events started runs; ${waits.rows.filter((w) => w.status === 'RESOLVED').length} waits resumed; worker errors: ${workerErrors.length}`,
    );
    expect(accepted).toBe(EVENTS);
    expect(unanswered).toBeGreaterThan(0);
    // Every event started exactly one run.
    const started = new Map(runs.rows.map((r) => [r.trigger_event_id, Number(r.n)]));
    expect(eventIds.filter((id) => started.get(id) !== 1)).toEqual([]);
    expect(started.size).toBe(EVENTS);
    const processed = new Set(audit.rows.filter((r) => r.status === 'PROCESSED').map((r) => r.event_id));
    expect(eventIds.filter((id) => !processed.has(id))).toEqual([]);
    // Every waiter took its own event once: the first wait resolved by it, the second still open.
    const expected = [...waiters].flatMap(([runId, i]) => [
      { run_id: runId, step_id: 'first', status: 'RESOLVED', resolved_by: eventIds[i] },
      { run_id: runId, step_id: 'second', status: 'WAITING', resolved_by: null },
    ]);
    const byRun = (a: { run_id: string; step_id: string }, b: { run_id: string; step_id: string }) => a.run_id.localeCompare(b.run_id) || a.step_id.localeCompare(b.step_id);
    expect(waits.rows.sort(byRun)).toEqual(expected.sort(byRun));
  });
});
