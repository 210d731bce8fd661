import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStores } from '@baton/db-legacy-adapter';
import type { EntityEvent, RuntimeStores } from '@baton/runtime-core';
import { writeProjection } from '@baton/temporal-adapter';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';

// A Temporal workflow task that fails after its projection local activities ran (a signal arrived as
// it completed: UnhandledCommand, or a timeout under load) leaves their writes behind: the waits it
// closed are recorded as resolved by the events they took. The retried task replays the run from its
// last completed task, opens the same waits again (same wait ids), and reads the inbox again: each wait
// must be offered the event it took the first time, or the run skips those events (an entity run then
// takes its queue out of order: seen in the full suite as a second run started for the same entity).
let db: TestDatabase;
let stores: RuntimeStores;
beforeAll(async () => {
  db = await createTestDatabase('retried_wft');
  stores = createPostgresStores({ pool: db.pool, schema: db.schema });
});
afterAll(async () => db?.drop());

const tenant = 'acme';
const EMPTY = { steps: [], openedTasks: [], resolvedTasks: [], closedTasks: [] } as const;

async function createRun(runId: string): Promise<void> {
  await stores.runs.create(tenant, {
    runId,
    workflow: 'retry',
    version: '1.0.0',
    definitionHash: 'h',
    engine: 'temporal',
    status: 'WAITING',
    input: null,
    executionKey: null,
    runKey: runId,
    createdAt: new Date().toISOString(),
  });
}

/**
 * One workflow task attempt of a run that takes two events with two waits in turn (`w1` then `w2`),
 * as its projection batches: open `w1` and read its inbox; close `w1` with the first event it was
 * offered, open `w2` and read; close `w2` with its first. Answers the event ids each wait was offered.
 */
async function attempt(runId: string, key: string, request: { readonly entity?: true; readonly since: string }): Promise<{ w1: string[]; w2: string[] }> {
  const wait = (waitId: string) => ({ waitId, type: 'EVENT' as const, stepId: 'next', eventName: 'PAID', correlationKey: key, createdAt: request.since });
  const inbox = (waitId: string) => ({ waitId, eventName: 'PAID', correlationKey: key, since: request.since, ...(request.entity ? { entity: true as const } : {}) });
  const first = await writeProjection(stores, { tenant, runId, ...EMPTY, openedWaits: [wait('w1')], closedWaits: [], inboxRequests: [inbox('w1')] });
  const w1 = (first.inbox?.w1 ?? []).map((e) => e.eventId);
  const second = await writeProjection(stores, {
    tenant,
    runId,
    ...EMPTY,
    openedWaits: [wait('w2')],
    closedWaits: [{ waitId: 'w1', outcome: 'RESOLVED', at: new Date().toISOString(), resolvedBy: w1[0]! }],
    inboxRequests: [inbox('w2')],
  });
  const w2 = (second.inbox?.w2 ?? []).map((e) => e.eventId);
  await writeProjection(stores, { tenant, runId, ...EMPTY, openedWaits: [], closedWaits: [{ waitId: 'w2', outcome: 'RESOLVED', at: new Date().toISOString(), resolvedBy: w2[0]! }] });
  return { w1, w2 };
}

describe('a retried Temporal workflow task reads the inbox again (SPEC-dsl "Event inbox")', () => {
  it('each wait of the retry is offered the event it took in the failed attempt; other waits still skip it', async () => {
    const runId = `run-${randomUUID()}`;
    const key = `k-${randomUUID()}`;
    await createRun(runId);
    const since = new Date(Date.now() - 60_000).toISOString();
    for (const n of [1, 2, 3]) {
      await stores.events.recordMany(tenant, [
        { eventId: `e-${n}`, eventName: 'PAID', correlationKey: key, inboxKey: key, payload: { n }, receivedAt: new Date(Date.now() - 30_000 + n).toISOString() },
      ]);
    }
    const failed = await attempt(runId, key, { since });
    expect(failed).toEqual({ w1: ['e-1', 'e-2', 'e-3'], w2: ['e-2', 'e-3'] });
    // The task failed after both batches were written; the retry does the same again.
    const retried = await attempt(runId, key, { since });
    expect(retried).toEqual({ w1: ['e-1', 'e-3'], w2: ['e-2', 'e-3'] });
  });

  it('an entity run: each wait of the retry is offered its own event first, in sequence order', async () => {
    const key = `acct-${randomUUID()}`;
    const runId = `run-${randomUUID()}`;
    const admit = (eventId: string) =>
      stores.entities!.admit(
        tenant,
        { workflow: 'retry', entityKey: key, event: { eventId, eventName: 'PAID', correlationKey: key, payload: {}, receivedAt: new Date().toISOString() } },
        async (startEvent: EntityEvent) => ({
          run: {
            runId,
            workflow: 'retry',
            version: '1.0.0',
            definitionHash: 'h',
            engine: 'temporal' as const,
            status: 'WAITING' as const,
            input: { sequence: startEvent.sequence },
            executionKey: null,
            runKey: runId,
            triggerEventId: startEvent.eventId,
            entityKey: key,
            createdAt: new Date().toISOString(),
          },
        }),
      );
    for (const id of ['start', 'a-2', 'a-3', 'a-4']) await admit(id);
    const since = new Date().toISOString();
    const failed = await attempt(runId, key, { entity: true, since });
    expect(failed).toEqual({ w1: ['a-2', 'a-3', 'a-4'], w2: ['a-3', 'a-4'] });
    const retried = await attempt(runId, key, { entity: true, since });
    expect(retried).toEqual({ w1: ['a-2', 'a-4'], w2: ['a-3', 'a-4'] });
    // The entity counts follow the waits: two taken after the start event, one pending.
    expect(await stores.entities!.get(tenant, 'retry', key)).toMatchObject({ runId, sequence: 3, pending: 1 });
  });
});
