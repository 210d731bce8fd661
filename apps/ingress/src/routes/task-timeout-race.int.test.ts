// A task completion racing the task's timeout, through the HTTP API on both engines: whichever input
// the interpreter takes first wins; the other answers 409 TASK_ALREADY_CLOSED and the task shows
// what really happened (runtime-core `decideTaskCompletion`, the task store's `close`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HumanTaskView, RunView } from '@baton/event-schemas';
import { errorOf, tenantClient, type TenantClient } from '../__fixtures__/http.js';
import { createIngressHarness, TENANT_A, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { waitFor } from '../__fixtures__/wait-for.js';

const TIMEOUT_MS = 1_000;
/** Runs per engine; the completion is sent from 100 ms before to 400 ms after the task's timeoutAt. */
const ITERATIONS = 40;
const CONCURRENCY = 20;

const racing = {
  name: 'ops.racing-approval',
  version: '1.0.0',
  steps: [
    {
      id: 'approve',
      type: 'human.task',
      taskType: 'approval',
      title: 'Approve before it times out',
      timeoutMs: TIMEOUT_MS,
      formSchema: { type: 'object', required: ['approved'], properties: { approved: { type: 'boolean' } } },
      saveAs: 'vars.approval',
    },
    { id: 'done', type: 'control.return', output: { $expr: 'vars.approval' } },
  ],
};

let h: IngressHarness;
let a: TenantClient;

beforeAll(async () => {
  h = await createIngressHarness('task-race', { engines: 'both' });
  a = tenantClient(h.app, TENANT_A);
  expect((await a.post('/v1/workflows', racing)).statusCode).toBe(201);
});
afterAll(async () => h?.close());

interface Outcome {
  readonly answer: number;
  readonly code?: string;
  readonly details?: Record<string, unknown>;
  readonly run: RunView;
  readonly task: HumanTaskView;
}

async function race(engine: 'db' | 'temporal', i: number): Promise<Outcome> {
  const started = await a.post('/v1/runs', { workflow: racing.name, input: {}, engine });
  expect(started.statusCode, started.body).toBe(201);
  const { runId } = started.json() as { runId: string };
  const open = await waitFor(
    () => a.get(`/v1/tasks?runId=${runId}`).then((r) => (r.json() as { items: HumanTaskView[] }).items),
    (items) => items.length === 1,
    { timeoutMs: 20_000, intervalMs: 20 },
  );
  const task = open[0]!;
  // The interleaving under test: the completion lands around the moment the timeout fires, from 400 ms
  // before to 1.55 s after. On Temporal the fired timer is taken at the workflow's next activation: while
  // the workflow waits on its projection activity, an update arriving a few hundred ms after the
  // timeout can still be taken first (whichever it takes first wins, and the other is refused).
  const offset = -400 + ((i * 50) % 2000);
  const at = Date.parse(task.timeoutAt!) + offset;
  await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
  const res = await a.post(`/v1/tasks/${task.taskId}/complete`, { response: { approved: true } });
  const run = await waitFor(
    () => a.get(`/v1/runs/${runId}`).then((r) => r.json() as RunView),
    (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED',
    { timeoutMs: 20_000, intervalMs: 50 },
  );
  // The task row settles with the run's last projection write.
  const settled = await waitFor(
    () => a.get(`/v1/tasks?runId=${runId}`).then((r) => (r.json() as { items: HumanTaskView[] }).items[0]!),
    (t) => t.status !== 'OPEN',
    { timeoutMs: 10_000, intervalMs: 50 },
  );
  if (res.statusCode === 200) return { answer: 200, run, task: settled };
  const error = errorOf(res);
  const { code, message: _message, ...details } = error;
  return { answer: res.statusCode, code, details, run, task: settled };
}

async function races(engine: 'db' | 'temporal'): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let base = 0; base < ITERATIONS; base += CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CONCURRENCY, ITERATIONS - base) }, (_, k) => race(engine, base + k));
    outcomes.push(...(await Promise.all(batch)));
  }
  return outcomes;
}

describe.each(['db', 'temporal'] as const)('a task completion racing its timeout on the %s engine', (engine) => {
  it(`the first input the interpreter takes wins, the other answers 409 TASK_ALREADY_CLOSED (${ITERATIONS} interleavings)`, async () => {
    const outcomes = await races(engine);
    for (const o of outcomes) {
      if (o.answer === 200) {
        // The completion won: the run took the task's answer, the task shows it.
        expect(o.run, JSON.stringify(o)).toMatchObject({ status: 'SUCCEEDED', output: { approved: true } });
        expect(o.task, JSON.stringify(o)).toMatchObject({ status: 'COMPLETED', response: { approved: true } });
        expect(o.task.closeReason).toBeUndefined();
      } else {
        // The timeout won: the completion is refused, the run took the timeout path, the task says it timed out.
        expect({ answer: o.answer, code: o.code }, JSON.stringify(o)).toEqual({ answer: 409, code: 'TASK_ALREADY_CLOSED' });
        expect(o.details).toMatchObject({ taskId: o.task.taskId, status: 'CANCELED', closeReason: 'TIMED_OUT' });
        expect(o.run, JSON.stringify(o)).toMatchObject({ status: 'FAILED', error: { category: 'TimeoutError', code: 'TASK_TIMEOUT' } });
        expect(o.task, JSON.stringify(o)).toMatchObject({ status: 'CANCELED', closeReason: 'TIMED_OUT' });
        expect(o.task.response).toBeUndefined();
      }
    }
    // Completions sent well before the timeout win; those sent well after lose.
    expect(outcomes.some((o) => o.answer === 200)).toBe(true);
    expect(outcomes.some((o) => o.answer === 409)).toBe(true);
  }, 60_000);
});
