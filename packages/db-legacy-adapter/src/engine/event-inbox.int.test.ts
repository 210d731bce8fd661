import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '@baton/runtime-core';
import type { JsonValue, RunView } from '@baton/event-schemas';
import { createEngineHarness, workflow, type EngineHarness } from '../__fixtures__/engine-harness.js';
import { createTestActions } from '../__fixtures__/test-actions.js';
import { createPostgresEventInbox } from '../stores/postgres-event-inbox.js';

// SPEC-dsl "Event inbox" on the Postgres engine, through the run service (the ingress's path):
// an event that arrives before its wait opens is kept and taken when the wait opens.
let h: EngineHarness;
let runtime: Runtime;
beforeAll(async () => {
  h = await createEngineHarness('event_inbox', createTestActions().registry, { poolMax: 30 });
  runtime = createRuntime({ engines: { db: h.engine }, ...h.stores });
});
afterAll(async () => h?.close());

const tenant = 'acme';

async function publish(name: string, steps: unknown[]) {
  await runtime.publishDefinition(tenant, workflow(name, steps));
}

async function settle(runId: string, statuses: readonly string[] = ['SUCCEEDED', 'FAILED', 'CANCELED'], timeoutMs = 20_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await runtime.getRun(tenant, runId);
    if (statuses.includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} is ${run.status}, expected one of ${statuses.join(', ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Settles when the run waits on `stepId` (its wait is committed). */
async function waitingOn(runId: string, stepId: string): Promise<RunView> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const run = await runtime.getRun(tenant, runId);
    if (run.status === 'WAITING' && run.waits.some((w) => w.stepId === stepId)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} is ${run.status}, not waiting on ${stepId}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const event = (eventId: string, key: string, payload: JsonValue = {}) => ({ eventId, eventName: 'PAID', correlationKey: key, payload });

describe('event inbox (Postgres engine)', () => {
  it('an event sent before the run waits answers routed: [] and the run resumes with it when its wait opens', async () => {
    await publish('inbox.early', [
      { id: 'nap', type: 'time.wait', durationMs: 400 },
      { id: 'pay', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.paid' },
      { id: 'out', type: 'control.return', output: { $expr: 'vars.paid' } },
    ]);
    const run = await runtime.startRun(tenant, { workflow: 'inbox.early', input: { key: 'early-1' } });
    const sent = await runtime.deliverEvent(tenant, event('early-e1', 'early-1', { amount: 5 }));
    expect(sent).toMatchObject({ duplicate: false, routed: [] });
    const done = await settle(run.runId);
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      output: { eventId: 'early-e1', eventName: 'PAID', correlationKey: 'early-1', payload: { amount: 5 } },
    });
  });

  it('an event received before the run started is not taken (since runStart)', async () => {
    await publish('inbox.before-start', [
      { id: 'pay', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.paid' },
      { id: 'out', type: 'control.return', output: { $expr: 'vars.paid.eventId' } },
    ]);
    await runtime.deliverEvent(tenant, event('before-e1', 'before-1'));
    const run = await runtime.startRun(tenant, { workflow: 'inbox.before-start', input: { key: 'before-1' } });
    await waitingOn(run.runId, 'pay');
    await runtime.deliverEvent(tenant, event('before-e2', 'before-1'));
    expect(await settle(run.runId)).toMatchObject({ status: 'SUCCEEDED', output: 'before-e2' });
  });

  it('since: "waitStart" takes only events received after the wait opened', async () => {
    await publish('inbox.wait-start', [
      { id: 'nap', type: 'time.wait', durationMs: 300 },
      { id: 'pay', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' }, since: 'waitStart', saveAs: 'vars.paid' },
      { id: 'out', type: 'control.return', output: { $expr: 'vars.paid.eventId' } },
    ]);
    const run = await runtime.startRun(tenant, { workflow: 'inbox.wait-start', input: { key: 'ws-1' } });
    expect(await runtime.deliverEvent(tenant, event('ws-early', 'ws-1'))).toMatchObject({ routed: [] });
    await waitingOn(run.runId, 'pay');
    const later = await runtime.deliverEvent(tenant, event('ws-late', 'ws-1'));
    expect(later.routed).toEqual([{ runId: run.runId, engine: 'db' }]);
    expect(await settle(run.runId)).toMatchObject({ status: 'SUCCEEDED', output: 'ws-late' });
  });

  it('a run takes an event once; the same event resumes another run; the earliest event whose filter is true wins', async () => {
    await publish('inbox.once', [
      { id: 'nap', type: 'time.wait', durationMs: 300 },
      { id: 'a', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' }, filter: { $expr: 'event.payload.ok' }, saveAs: 'vars.a' },
      { id: 'b', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.b' },
      { id: 'out', type: 'control.return', output: { a: { $expr: 'vars.a.eventId' }, b: { $expr: 'vars.b.eventId' } } },
    ]);
    const first = await runtime.startRun(tenant, { workflow: 'inbox.once', input: { key: 'once-1' } });
    const second = await runtime.startRun(tenant, { workflow: 'inbox.once', input: { key: 'once-1' } });
    await runtime.deliverEvent(tenant, event('once-no', 'once-1', { ok: false }));
    await runtime.deliverEvent(tenant, event('once-yes', 'once-1', { ok: true }));
    // `a` skips the filtered-out event and takes the next; `b` takes the earliest one not taken by this run.
    const [one, two] = await Promise.all([settle(first.runId), settle(second.runId)]);
    expect(one).toMatchObject({ status: 'SUCCEEDED', output: { a: 'once-yes', b: 'once-no' } });
    expect(two).toMatchObject({ status: 'SUCCEEDED', output: { a: 'once-yes', b: 'once-no' } });
  });

  it('a run does not take the same event at two waits', async () => {
    await publish('inbox.twice', [
      { id: 'nap', type: 'time.wait', durationMs: 300 },
      { id: 'a', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.a' },
      { id: 'b', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.b' },
      { id: 'out', type: 'control.return', output: { a: { $expr: 'vars.a.eventId' }, b: { $expr: 'vars.b.eventId' } } },
    ]);
    const run = await runtime.startRun(tenant, { workflow: 'inbox.twice', input: { key: 'twice-1' } });
    await runtime.deliverEvent(tenant, event('twice-e1', 'twice-1'));
    await waitingOn(run.runId, 'b');
    // a duplicate delivery of the taken event changes nothing
    expect(await runtime.deliverEvent(tenant, event('twice-e1', 'twice-1'))).toMatchObject({ duplicate: true, routed: [] });
    expect((await runtime.getRun(tenant, run.runId)).status).toBe('WAITING');
    await runtime.deliverEvent(tenant, event('twice-e2', 'twice-1'));
    expect(await settle(run.runId)).toMatchObject({ status: 'SUCCEEDED', output: { a: 'twice-e1', b: 'twice-e2' } });
  });

  it('prunes the inbox in bounded batches; a pruned event is no longer taken', async () => {
    const inbox = createPostgresEventInbox(h.t.db);
    for (let i = 0; i < 5; i++) await runtime.deliverEvent(tenant, event(`prune-${i}`, 'prune-1'));
    const query = { runId: 'nobody', eventName: 'PAID', correlationKey: 'prune-1', since: '2000-01-01T00:00:00.000Z', waitId: 'w' };
    expect((await inbox.candidates(tenant, query)).map((e) => e.eventId)).toEqual(['prune-0', 'prune-1', 'prune-2', 'prune-3', 'prune-4']);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await inbox.prune(future, 2)).toBe(2);
    let total = 2;
    for (let n = await inbox.prune(future, 2); n > 0; n = await inbox.prune(future, 2)) {
      expect(n).toBeLessThanOrEqual(2);
      total += n;
    }
    expect(total).toBeGreaterThanOrEqual(5);
    expect(await inbox.candidates(tenant, query)).toEqual([]);
    // the audit keeps the events: a duplicate is still recognised
    expect(await runtime.deliverEvent(tenant, event('prune-0', 'prune-1'))).toMatchObject({ duplicate: true });
  });

  it('race: event deliveries interleaved with wait openings 1,000 times lose no event and take none twice', { timeout: 240_000 }, async () => {
    await publish('inbox.race', [
      { id: 'a', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.a' },
      { id: 'b', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.b' },
      { id: 'out', type: 'control.return', output: { a: { $expr: 'vars.a.eventId' }, b: { $expr: 'vars.b.eventId' } } },
    ]);
    const RUNS = 1000;
    const PARALLEL = 40;
    let early = 0;
    let live = 0;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    for (let round = 0; round < RUNS / PARALLEL; round++) {
      const runs = await Promise.all(
        Array.from({ length: PARALLEL }, async (_, j) => {
          const i = round * PARALLEL + j;
          const key = `race-${i}`;
          const run = await runtime.startRun(tenant, { workflow: 'inbox.race', input: { key } });
          // Each run opens wait `a` right after its start, then `b` right after taking its first event:
          // the two deliveries land before, between or after those openings.
          const sent = await Promise.all(
            [0, 1].map(async (n) => {
              await sleep((i * 7 + n * 3) % 12);
              return runtime.deliverEvent(tenant, event(`${key}-e${n}`, key));
            }),
          );
          for (const s of sent) {
            if (s.routed.length) live += 1;
            else early += 1;
          }
          return { runId: run.runId, key };
        }),
      );
      for (const { runId, key } of runs) {
        const done = await settle(runId, ['SUCCEEDED', 'FAILED', 'CANCELED'], 30_000);
        expect(done.status).toBe('SUCCEEDED');
        const output = done.output as { a: string; b: string };
        expect([output.a, output.b].sort()).toEqual([`${key}-e0`, `${key}-e1`]);
      }
    }
    // both paths were exercised: events kept for a later wait, and events routed to an open wait
    expect(early).toBeGreaterThan(0);
    expect(live).toBeGreaterThan(0);
    console.info(`event inbox race (Postgres): ${RUNS} runs, ${2 * RUNS} events, ${early} taken from the inbox, ${live} routed to an open wait`);
  });
});
