import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStores } from '@baton/db-legacy-adapter';
import { writeProjection } from '@baton/temporal-adapter';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';

// The two writes that race on the Temporal path, at the store level: the ingress records an event
// (into the inbox) and then looks up the open waits of its key; a Temporal run's projection write
// opens a wait and then reads the inbox. Whatever the interleaving, one of them sees the other, so
// the event either reaches the wait as a signal or is in what the wait reads (SPEC-dsl "Event inbox").
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('inbox_race', { poolSize: 20 });
});
afterAll(async () => db?.drop());

describe('event inbox: event write versus wait open (Temporal projection path)', () => {
  it('1,000 interleavings: every event is seen by the wait open or finds the wait', { timeout: 120_000 }, async () => {
    const stores = createPostgresStores({ pool: db.pool, schema: db.schema });
    const tenant = 'acme';
    const ROUNDS = 1000;
    const PARALLEL = 20;
    let viaInbox = 0;
    let viaIndex = 0;
    let both = 0;
    for (let round = 0; round < ROUNDS / PARALLEL; round++) {
      for (let j = 0; j < PARALLEL; j++) {
        const runId = `run-${round * PARALLEL + j}`;
        await stores.runs.create(tenant, {
          runId,
          workflow: 'race',
          version: '1.0.0',
          definitionHash: 'h',
          engine: 'temporal',
          status: 'RUNNING',
          input: null,
          executionKey: null,
          runKey: runId,
          createdAt: new Date().toISOString(),
        });
      }
      await Promise.all(
        Array.from({ length: PARALLEL }, async (_, j) => {
          const i = round * PARALLEL + j;
          const key = `k-${i}`;
          const runId = `run-${i}`;
          const now = new Date(Date.now() - 1000).toISOString();
          const openWait = async () => {
            await new Promise((r) => setTimeout(r, i % 3));
            const written = await writeProjection(stores, {
              tenant,
              runId,
              steps: [],
              openedWaits: [{ waitId: `w-${i}`, type: 'EVENT', stepId: 'pay', eventName: 'PAID', correlationKey: key, createdAt: now }],
              openedTasks: [],
              closedWaits: [],
              resolvedTasks: [],
              closedTasks: [],
              inboxRequests: [{ waitId: `w-${i}`, eventName: 'PAID', correlationKey: key, since: now }],
            });
            return (written.inbox?.[`w-${i}`] ?? []).map((e) => e.eventId);
          };
          const recordEvent = async () => {
            await new Promise((r) => setTimeout(r, (i + 1) % 3));
            await stores.events.recordMany(tenant, [
              { eventId: `e-${i}`, eventName: 'PAID', correlationKey: key, inboxKey: key, payload: { i }, receivedAt: new Date().toISOString() },
            ]);
            return (await stores.waits.findWaitingMany(tenant, [{ eventName: 'PAID', correlationKey: key }])).map((w) => w.runId);
          };
          const [inboxed, routedTo] = await Promise.all([openWait(), recordEvent()]);
          const sawEvent = inboxed.includes(`e-${i}`);
          const foundWait = routedTo.includes(runId);
          expect(sawEvent || foundWait, `interleaving ${i}: the event fell between the two writes`).toBe(true);
          if (sawEvent && foundWait) both += 1;
          else if (sawEvent) viaInbox += 1;
          else viaIndex += 1;
        }),
      );
    }
    console.info(`event inbox race (store level, Temporal path): ${ROUNDS} interleavings; event read by the wait only ${viaInbox}, wait found by the event only ${viaIndex}, both ${both}`);
    expect(viaInbox + viaIndex + both).toBe(ROUNDS);
  });
});
