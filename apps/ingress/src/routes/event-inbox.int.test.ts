import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventAcceptedResponse, RunView } from '@baton/event-schemas';
import { tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, TENANT_A, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { waitFor } from '../__fixtures__/wait-for.js';

// SPEC-dsl "Event inbox" through the API, on both engines: an event that arrives before the run
// waits for it is kept, and the run takes it when its wait opens.
let h: IngressHarness;
let a: TenantClient;

/** Naps, then waits for PAID keyed by input.key (`since` as given), then returns what it took. */
const napThenWait = (name: string, since?: 'runStart' | 'waitStart') => ({
  name,
  version: '1.0.0',
  steps: [
    { id: 'nap', type: 'time.wait', durationMs: 600 },
    {
      id: 'pay',
      type: 'event.wait',
      eventName: 'PAID',
      correlationKey: { $expr: 'input.key' },
      saveAs: 'vars.paid',
      ...(since ? { since } : {}),
    },
    { id: 'done', type: 'control.return', output: { $expr: 'vars.paid' } },
  ],
});

/** Two waits for PAID on the same key, returning the two event ids it took. */
const twoWaits = {
  name: 'inbox.two-waits',
  version: '1.0.0',
  steps: [
    { id: 'a', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.a' },
    { id: 'b', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.b' },
    { id: 'done', type: 'control.return', output: { a: { $expr: 'vars.a.eventId' }, b: { $expr: 'vars.b.eventId' } } },
  ],
};

beforeAll(async () => {
  h = await createIngressHarness('event_inbox', { engines: 'both' });
  a = tenantClient(h.app, TENANT_A);
  for (const definition of [napThenWait('inbox.default'), napThenWait('inbox.wait-start', 'waitStart'), twoWaits]) {
    expect((await a.post('/v1/workflows', definition)).statusCode).toBe(201);
  }
});
afterAll(async () => h?.close());

async function start(workflow: string, engine: 'db' | 'temporal', key: string): Promise<string> {
  const res = await a.post('/v1/runs', { workflow, input: { key }, engine });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { runId: string }).runId;
}

function untilRun(runId: string, done: (run: RunView) => boolean, timeoutMs = 30_000): Promise<RunView> {
  return waitFor(() => a.get(`/v1/runs/${runId}`).then((r) => r.json() as RunView), done, { timeoutMs, intervalMs: 50 });
}

async function send(eventId: string, key: string, payload: Record<string, unknown> = {}): Promise<EventAcceptedResponse> {
  const res = await a.post('/v1/events', { eventId, eventName: 'PAID', correlationKey: key, payload });
  expect(res.statusCode, res.body).toBe(202);
  return res.json() as EventAcceptedResponse;
}

describe.each(['db', 'temporal'] as const)('event inbox through the API (%s engine)', (engine) => {
  it('an event sent before the run waits answers 202 routed: [] and the run resumes with it when its wait opens', async () => {
    const key = `early-${randomUUID()}`;
    const runId = await start('inbox.default', engine, key);
    const eventId = `ev-${randomUUID()}`;
    expect(await send(eventId, key, { amount: 7 })).toMatchObject({ eventId, duplicate: false, routed: [], startedRuns: [] });
    const run = await untilRun(runId, (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED');
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: { eventId, eventName: 'PAID', correlationKey: key, payload: { amount: 7 } } });
  });

  it('since: "waitStart" keeps the old behaviour: an earlier event is not taken, a later one resumes the run', async () => {
    const key = `ws-${randomUUID()}`;
    const runId = await start('inbox.wait-start', engine, key);
    expect(await send(`ev-early-${randomUUID()}`, key)).toMatchObject({ routed: [] });
    await untilRun(runId, (r) => r.status === 'WAITING' && r.waits.some((w) => w.stepId === 'pay'));
    const lateId = `ev-late-${randomUUID()}`;
    // the wait is indexed once the run shows it waiting on `pay`
    expect((await send(lateId, key)).routed).toEqual([{ runId, engine }]);
    const run = await untilRun(runId, (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED');
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: { eventId: lateId } });
  });

  it('a run takes an event once: its second wait takes the next event, not the same one again', async () => {
    const key = `once-${randomUUID()}`;
    const runId = await start('inbox.two-waits', engine, key);
    const first = `ev-1-${randomUUID()}`;
    await send(first, key);
    await untilRun(runId, (r) => r.status === 'WAITING' && r.waits.some((w) => w.stepId === 'b'));
    // a duplicate of the taken event is not routed and not taken again
    expect(await send(first, key)).toMatchObject({ duplicate: true, routed: [] });
    const second = `ev-2-${randomUUID()}`;
    await send(second, key);
    const run = await untilRun(runId, (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED');
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: { a: first, b: second } });
    // the events that resumed the run: the one taken from the inbox and the one routed to its wait
    const resumed = await a.get(`/v1/events?runId=${encodeURIComponent(runId)}`);
    expect(resumed.statusCode).toBe(200);
    expect((resumed.json() as { items: Array<{ eventId: string }> }).items.map((e) => e.eventId)).toEqual([second, first]);
  });
});

describe('event inbox race on the Temporal engine', () => {
  it('event deliveries interleaved with wait openings lose no event and take none twice', { timeout: 300_000 }, async () => {
    const RUNS = 150;
    const PARALLEL = 15;
    let early = 0;
    let live = 0;
    for (let round = 0; round < RUNS / PARALLEL; round++) {
      const runs = await Promise.all(
        Array.from({ length: PARALLEL }, async (_, j) => {
          const i = round * PARALLEL + j;
          const key = `race-${i}-${randomUUID()}`;
          const runId = await start('inbox.two-waits', 'temporal', key);
          const sent = await Promise.all(
            [0, 1].map(async (n) => {
              await new Promise((r) => setTimeout(r, (i * 37 + n * 53) % 400));
              return send(`${key}-e${n}`, key);
            }),
          );
          for (const s of sent) {
            if (s.routed.length) live += 1;
            else early += 1;
          }
          return { runId, key };
        }),
      );
      for (const { runId, key } of runs) {
        const run = await untilRun(runId, (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED', 60_000);
        expect(run.status).toBe('SUCCEEDED');
        const output = run.output as { a: string; b: string };
        expect([output.a, output.b].sort()).toEqual([`${key}-e0`, `${key}-e1`]);
      }
    }
    expect(early).toBeGreaterThan(0);
    expect(live).toBeGreaterThan(0);
    console.info(`event inbox race (Temporal, through the API): ${RUNS} runs, ${2 * RUNS} events, ${early} taken from the inbox, ${live} routed to an open wait`);
  });
});
