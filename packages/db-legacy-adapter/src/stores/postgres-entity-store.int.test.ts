import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityEvent, EntityRunBuilder, EntityStore, NewRun } from '@baton/runtime-core';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import { createPostgresEntityStore } from './postgres-entity-store.js';

// SPEC-dsl "Entity workflows" at the store: one live run per entity key, sequence numbers in
// admission order, a duplicate id admitted once, leftovers taken first by the next run.
let t: TestDatabase;
let store: EntityStore;
beforeAll(async () => {
  t = await createTestDatabase('entity_store', { awkward: true });
  store = createPostgresEntityStore(t.db);
});
afterAll(async () => t?.drop());

const TENANT = 'acme';
const WORKFLOW = 'entity.account';

const newRun = (startEvent: EntityEvent, entityKey: string): NewRun => ({
  runId: `run-${randomUUID()}`,
  workflow: WORKFLOW,
  version: '1.0.0',
  definitionHash: 'h',
  engine: 'db',
  status: 'RUNNING',
  input: { sequence: startEvent.sequence },
  executionKey: `event:${entityKey}:${startEvent.eventId}`,
  runKey: `event:${entityKey}:${startEvent.eventId}`,
  triggerEventId: startEvent.eventId,
  entityKey,
  createdAt: new Date().toISOString(),
});

/** A builder that records which events it was asked to build a run for. */
function builder(entityKey: string, refuse: ReadonlySet<string> = new Set()): EntityRunBuilder & { asked: string[] } {
  const asked: string[] = [];
  const build = async (startEvent: EntityEvent) => {
    asked.push(startEvent.eventId);
    if (refuse.has(startEvent.eventId)) return { rejected: { category: 'ValidationError' as const, code: 'VALIDATION_ERROR', message: 'refused' } };
    return { run: newRun(startEvent, entityKey) };
  };
  return Object.assign(build, { asked });
}

const admit = (entityKey: string, eventId: string, build: EntityRunBuilder, tenant = TENANT) =>
  store.admit(
    tenant,
    { workflow: WORKFLOW, entityKey, event: { eventId, eventName: 'ORDER', correlationKey: entityKey, payload: { eventId }, receivedAt: new Date().toISOString() } },
    build,
  );

/** Marks `eventId` taken by `runId` (as an engine does when an EVENT wait of the run resolves with it). */
const take = (runId: string, eventId: string) =>
  t.db
    .insertInto('workflow_run_waits')
    .values({ tenant_id: TENANT, run_id: runId, wait_id: `w-${eventId}`, engine: 'db', wait_type: 'EVENT', step_id: 'next', status: 'RESOLVED', resolved_by: eventId })
    .execute();

const finish = (runId: string) => t.db.updateTable('workflow_runs').set({ status: 'SUCCEEDED' }).where('run_id', '=', runId).execute();

describe('Postgres entity store', () => {
  it('16 concurrent first events start exactly one run and get sequence numbers 1..16; the run takes the others in sequence order', async () => {
    const key = `k-${randomUUID()}`;
    const build = builder(key);
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => admit(key, `e${i}`, build)));
    expect(results.filter((r) => r.started)).toHaveLength(1);
    expect(results.map((r) => r.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    const runIds = new Set(results.map((r) => r.run?.runId));
    expect(runIds.size).toBe(1);
    const runId = [...runIds][0]!;
    const starter = results.find((r) => r.started)!;
    // The start event is the earliest one admitted; the run's queue holds the 15 others in sequence order.
    expect(starter.startEvent?.sequence).toBe(1);
    const queue = await store.candidates(TENANT, { runId, eventName: 'ORDER', entityKey: key, limit: 100 });
    expect(queue.map((e) => e.sequence)).toEqual(Array.from({ length: 15 }, (_, i) => i + 2));
    expect(await store.get(TENANT, WORKFLOW, key)).toMatchObject({ runId, engine: 'db', status: 'RUNNING', sequence: 1, pending: 15 });
    expect(await store.get('other-tenant', WORKFLOW, key)).toBeUndefined();
  });

  it('a duplicate event id keeps its first sequence number and adds nothing', async () => {
    const key = `k-${randomUUID()}`;
    const build = builder(key);
    const first = await admit(key, 'a', build);
    await admit(key, 'b', build);
    const again = await admit(key, 'b', build);
    expect(again).toMatchObject({ sequence: 2, duplicate: true, started: false, run: { runId: first.run!.runId } });
    expect((await admit(key, 'c', build)).sequence).toBe(3);
    expect(build.asked).toEqual(['a']);
  });

  it('taken events leave the queue; after the run finishes the next event starts a new run that takes the leftovers first', async () => {
    const key = `k-${randomUUID()}`;
    const build = builder(key);
    const first = (await admit(key, 'a', build)).run!.runId;
    for (const id of ['b', 'c', 'd']) await admit(key, id, build);
    await take(first, 'b');
    expect((await store.nextEvent(TENANT, first, 'ORDER'))?.eventId).toBe('c');
    expect(await store.get(TENANT, WORKFLOW, key)).toMatchObject({ sequence: 2, pending: 2 });
    await finish(first);

    const next = await admit(key, 'e', build);
    expect(next).toMatchObject({ sequence: 5, started: true, startEvent: { eventId: 'c', sequence: 3 } });
    const second = next.run!.runId;
    expect(second).not.toBe(first);
    expect((await store.candidates(TENANT, { runId: second, eventName: 'ORDER', entityKey: key, limit: 100 })).map((e) => e.eventId)).toEqual(['d', 'e']);
    expect(await store.get(TENANT, WORKFLOW, key)).toMatchObject({ runId: second, sequence: 3, pending: 2 });
  });

  it('a start event the builder refuses is never taken, and the next event is tried', async () => {
    const key = `k-${randomUUID()}`;
    const build = builder(key, new Set(['bad']));
    const refused = await admit(key, 'bad', build);
    expect(refused).toMatchObject({ sequence: 1, started: false, rejected: [{ event: { eventId: 'bad' }, error: { code: 'VALIDATION_ERROR' } }] });
    expect(refused.run).toBeUndefined();
    expect(await store.get(TENANT, WORKFLOW, key)).toBeUndefined();
    const good = await admit(key, 'good', build);
    expect(good).toMatchObject({ sequence: 2, started: true, startEvent: { eventId: 'good' } });
    expect(await store.candidates(TENANT, { runId: good.run!.runId, eventName: 'ORDER', entityKey: key, limit: 100 })).toEqual([]);
  });
});

describe('Postgres entity store reads under a long queue', () => {
  it('reads the next untaken event of a run that took 900 of 1,000 (figures logged)', async () => {
    const key = `k-${randomUUID()}`;
    const build = builder(key);
    const runId = (await admit(key, 'q0', build)).run!.runId;
    const ids = Array.from({ length: 999 }, (_, i) => `q${i + 1}`);
    for (let i = 0; i < ids.length; i += 50) await Promise.all(ids.slice(i, i + 50).map((id) => admit(key, id, build)));
    await t.db
      .insertInto('workflow_run_waits')
      .values(ids.slice(0, 900).map((id) => ({ tenant_id: TENANT, run_id: runId, wait_id: `w-${id}`, engine: 'db' as const, wait_type: 'EVENT' as const, step_id: 'next', status: 'RESOLVED' as const, resolved_by: id })))
      .execute();
    const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
      const started = performance.now();
      const value = await f();
      return [value, performance.now() - started];
    };
    const [next, nextMs] = await timed(() => store.nextEvent(TENANT, runId, 'ORDER'));
    const [queue, queueMs] = await timed(() => store.candidates(TENANT, { runId, eventName: 'ORDER', entityKey: key, limit: 100 }));
    const [entity, getMs] = await timed(() => store.get(TENANT, WORKFLOW, key));
    expect(next?.sequence).toBe(902);
    expect(queue.map((e) => e.sequence)).toEqual(Array.from({ length: 99 }, (_, i) => i + 902));
    expect(entity).toMatchObject({ sequence: 901, pending: 99 });
    console.log(`[entity-store] 1,000 queued, 900 taken: nextEvent ${nextMs.toFixed(1)} ms, candidates ${queueMs.toFixed(1)} ms, get ${getMs.toFixed(1)} ms`);
    // The reads an engine makes per take must not scan the run's taken events once per queued event.
    expect(nextMs).toBeLessThan(100);
    expect(queueMs).toBeLessThan(100);
  }, 60_000);
});
