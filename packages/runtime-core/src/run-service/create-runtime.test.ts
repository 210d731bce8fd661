import { describe, expect, it } from 'vitest';
import { startNotAcceptedError } from '../engine/start-not-accepted.js';
import { isBatonError, toErrorBody } from '../errors/baton-error.js';
import { createHarness, definition } from './__fixtures__/runtime-harness.js';

async function errorOf(promise: Promise<unknown>): Promise<{ code?: string; body: ReturnType<typeof toErrorBody> }> {
  try {
    await promise;
  } catch (err) {
    return { code: isBatonError(err) ? err.code : 'not-a-baton-error', body: toErrorBody(err) };
  }
  throw new Error('expected a rejection');
}

describe('publishDefinition / getWorkflow / setPolicy', () => {
  it('publishes a version, treats the same content as a no-op, refuses other content', async () => {
    const { runtime } = createHarness();
    const first = await runtime.publishDefinition('acme', definition('billing.invoice', '1.0.0'));
    expect(first).toMatchObject({ name: 'billing.invoice', version: '1.0.0', created: true });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await runtime.publishDefinition('acme', definition('billing.invoice', '1.0.0'))).toEqual({ ...first, created: false });
    const conflict = await errorOf(runtime.publishDefinition('acme', definition('billing.invoice', '1.0.0', { description: 'changed' })));
    expect(conflict.code).toBe('WORKFLOW_VERSION_EXISTS');
    expect(conflict.body.error).toMatchObject({ name: 'billing.invoice', version: '1.0.0', hash: first.hash });
  });

  it('refuses an invalid definition with INVALID_WORKFLOW_DEFINITION and its issues', async () => {
    const { runtime } = createHarness();
    const { code, body } = await errorOf(runtime.publishDefinition('acme', { name: 'Bad Name', version: 'x', steps: [] }));
    expect(code).toBe('INVALID_WORKFLOW_DEFINITION');
    expect((body.error.issues as { path: string }[]).map((i) => i.path)).toEqual(expect.arrayContaining(['name', 'version', 'steps']));
  });

  it('publishes per tenant: the same version may differ between tenants', async () => {
    const { runtime } = createHarness();
    await runtime.publishDefinition('acme', definition('w', '1.0.0'));
    expect((await runtime.publishDefinition('globex', definition('w', '1.0.0', { description: 'other' }))).created).toBe(true);
    expect((await errorOf(runtime.getWorkflow('initech', 'w'))).code).toBe('WORKFLOW_NOT_FOUND');
  });

  it('lists versions ascending by semver with the default policy', async () => {
    const { runtime } = createHarness();
    for (const v of ['1.10.0', '1.2.0', '1.9.0']) await runtime.publishDefinition('acme', definition('w', v));
    const summary = await runtime.getWorkflow('acme', 'w');
    expect(summary.versions.map((v) => v.version)).toEqual(['1.2.0', '1.9.0', '1.10.0']);
    expect(summary.policy).toEqual({ versionPolicy: { type: 'latest' } });
    expect(summary.versions[0]!.publishedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('sets policies by merging the parts given, and validates them', async () => {
    const { runtime } = createHarness();
    await runtime.publishDefinition('acme', definition('w', '1.0.0'));
    await runtime.publishDefinition('acme', definition('w', '1.1.0'));
    expect(await runtime.setPolicy('acme', 'w', { engine: { type: 'percent', temporalPercent: 10 } })).toEqual({
      versionPolicy: { type: 'latest' },
      engine: { type: 'percent', temporalPercent: 10 },
    });
    expect(await runtime.setPolicy('acme', 'w', { versionPolicy: { type: 'exact', version: '1.0.0' } })).toEqual({
      versionPolicy: { type: 'exact', version: '1.0.0' },
      engine: { type: 'percent', temporalPercent: 10 },
    });
    const unpublished = await errorOf(runtime.setPolicy('acme', 'w', { versionPolicy: { type: 'weighted', weights: { '1.0.0': 50, '2.0.0': 50 } } }));
    expect(unpublished.code).toBe('VALIDATION_ERROR');
    expect(unpublished.body.error.issues).toEqual([{ path: 'versionPolicy.weights["2.0.0"]', message: "version 2.0.0 of 'w' is not published", code: 'unknown_version' }]);
    const zero = await errorOf(runtime.setPolicy('acme', 'w', { versionPolicy: { type: 'weighted', weights: { '1.0.0': 0 } } }));
    expect(zero.code).toBe('VALIDATION_ERROR');
    expect((await errorOf(runtime.setPolicy('acme', 'w', { engine: { type: 'percent', temporalPercent: 101 } }))).code).toBe('VALIDATION_ERROR');
    expect((await errorOf(runtime.setPolicy('acme', 'missing', { engine: { type: 'db' } }))).code).toBe('WORKFLOW_NOT_FOUND');
  });
});

describe('startRun', () => {
  const inputSchema = { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } };

  it('starts a run on the routed engine with the resolved version and pinned definition', async () => {
    const h = createHarness();
    await h.runtime.publishDefinition('acme', definition('w', '1.0.0'));
    await h.runtime.publishDefinition('acme', definition('w', '1.1.0'));
    const started = await h.runtime.startRun('acme', { workflow: 'w', input: { a: 1 } });
    expect(started).toEqual({ runId: 'run-0001', workflow: 'w', version: '1.1.0', engine: 'db', status: 'RUNNING', created: true });
    expect(h.db.calls).toHaveLength(1);
    expect(h.db.calls[0]!.arg).toMatchObject({
      tenant: 'acme',
      runId: 'run-0001',
      workflow: { name: 'w', version: '1.1.0' },
      definition: { name: 'w', version: '1.1.0' },
      input: { a: 1 },
      executionKey: null,
      runKey: 'run-0001',
      startedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(h.temporal.calls).toHaveLength(0);
  });

  it('refuses input that does not satisfy inputSchema with VALIDATION_ERROR, creating nothing', async () => {
    const h = createHarness();
    await h.runtime.publishDefinition('acme', definition('w', '1.0.0', { inputSchema }));
    const { code, body } = await errorOf(h.runtime.startRun('acme', { workflow: 'w', input: { amount: 'ten' } }));
    expect(code).toBe('VALIDATION_ERROR');
    expect(body.error.issues).toEqual([expect.objectContaining({ path: 'input.amount', code: 'type' })]);
    expect(h.portCalls.filter((c) => c.port === 'runs')).toEqual([]);
    expect(h.db.calls).toEqual([]);
  });

  it('takes an explicit version (or range), and answers WORKFLOW_NOT_FOUND for an unknown one', async () => {
    const h = createHarness();
    for (const v of ['1.0.0', '1.1.0', '2.0.0']) await h.runtime.publishDefinition('acme', definition('w', v));
    expect((await h.runtime.startRun('acme', { workflow: 'w', version: '1.0.0', input: null })).version).toBe('1.0.0');
    expect((await h.runtime.startRun('acme', { workflow: 'w', version: '^1', input: null })).version).toBe('1.1.0');
    expect((await errorOf(h.runtime.startRun('acme', { workflow: 'w', version: '3.0.0', input: null }))).code).toBe('WORKFLOW_NOT_FOUND');
    expect((await errorOf(h.runtime.startRun('acme', { workflow: 'nope', input: null }))).code).toBe('WORKFLOW_NOT_FOUND');
  });

  it('follows the version policy, and a weighted policy gives the same execution key the same version', async () => {
    const h = createHarness();
    for (const v of ['1.0.0', '1.1.0']) await h.runtime.publishDefinition('acme', definition('w', v));
    await h.runtime.setPolicy('acme', 'w', { versionPolicy: { type: 'exact', version: '1.0.0' } });
    expect((await h.runtime.startRun('acme', { workflow: 'w', input: null })).version).toBe('1.0.0');
    await h.runtime.setPolicy('acme', 'w', { versionPolicy: { type: 'weighted', weights: { '1.0.0': 50, '1.1.0': 50 } } });
    const versions = new Set<string>();
    for (let i = 0; i < 40; i++) versions.add((await h.runtime.startRun('acme', { workflow: 'w', input: null, executionKey: `k${i}` })).version);
    expect(versions).toEqual(new Set(['1.0.0', '1.1.0']));
    const other = createHarness();
    for (const v of ['1.0.0', '1.1.0']) await other.runtime.publishDefinition('acme', definition('w', v));
    await other.runtime.setPolicy('acme', 'w', { versionPolicy: { type: 'weighted', weights: { '1.0.0': 50, '1.1.0': 50 } } });
    for (let i = 0; i < 40; i++) {
      const here = await h.runtime.startRun('acme', { workflow: 'w', input: null, executionKey: `k${i}` });
      const there = await other.runtime.startRun('acme', { workflow: 'w', input: null, executionKey: `k${i}` });
      expect(there.version).toBe(here.version);
    }
  });

  it('is idempotent by executionKey: the same run, not created again', async () => {
    const h = createHarness();
    await h.runtime.publishDefinition('acme', definition('w', '1.0.0'));
    const first = await h.runtime.startRun('acme', { workflow: 'w', input: { n: 1 }, executionKey: 'order-1' });
    const again = await h.runtime.startRun('acme', { workflow: 'w', input: { n: 1 }, executionKey: 'order-1' });
    expect(again).toEqual({ ...first, created: false });
    expect((await h.runtime.listRuns('acme')).items).toHaveLength(1);
    // another tenant's same key is another run
    await h.runtime.publishDefinition('globex', definition('w', '1.0.0'));
    expect((await h.runtime.startRun('globex', { workflow: 'w', input: null, executionKey: 'order-1' })).created).toBe(true);
  });

  it('re-hands an unfinished run to its engine on a repeated start (a crash between create and start)', async () => {
    const h = createHarness();
    await h.runtime.publishDefinition('acme', definition('w', '1.0.0'));
    h.db.failures.start = new Error('connection reset');
    const failed = await errorOf(h.runtime.startRun('acme', { workflow: 'w', input: null, executionKey: 'k' }));
    expect(failed.code).toBe('ENGINE_UNAVAILABLE');
    expect(failed.body.error).toMatchObject({ engine: 'db', runId: 'run-0001' });
    const retried = await h.runtime.startRun('acme', { workflow: 'w', input: null, executionKey: 'k' });
    expect(retried).toMatchObject({ runId: 'run-0001', created: false });
    expect(h.db.calls.map((c) => [c.op, c.runId])).toEqual([
      ['start', 'run-0001'],
      ['start', 'run-0001'],
    ]);
  });

  it('fails the run with ENGINE_UNAVAILABLE when the engine proves it did not accept the start, and still answers 503', async () => {
    const h = createHarness();
    await h.runtime.publishDefinition('acme', definition('w', '1.0.0'));
    h.temporal.failures.start = startNotAcceptedError('temporal', 'run-0001', 'Temporal did not accept the start of run run-0001: connection refused');
    const refused = await errorOf(h.runtime.startRun('acme', { workflow: 'w', input: null, engine: 'temporal', executionKey: 'k' }));
    expect(refused.code).toBe('ENGINE_UNAVAILABLE');
    expect(refused.body.error).toMatchObject({ engine: 'temporal', runId: 'run-0001', startAccepted: false });
    const run = await h.runtime.getRun('acme', 'run-0001');
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatchObject({ category: 'TransientError', code: 'ENGINE_UNAVAILABLE', message: expect.stringContaining('did not accept the start') });
    expect((await h.runtime.listRuns('acme', { status: 'RUNNING' })).items).toEqual([]);
    // the same executionKey answers the failed run and does not hand it to the engine again
    expect(await h.runtime.startRun('acme', { workflow: 'w', input: null, engine: 'temporal', executionKey: 'k' })).toMatchObject({ runId: 'run-0001', status: 'FAILED', created: false });
    expect(h.temporal.calls.filter((c) => c.op === 'start')).toHaveLength(1);
  });

  it('keeps the run RUNNING when the outcome of the start is unknown (the engine may be running it)', async () => {
    const h = createHarness();
    await h.runtime.publishDefinition('acme', definition('w', '1.0.0'));
    h.temporal.failures.start = new Error('deadline exceeded');
    expect((await errorOf(h.runtime.startRun('acme', { workflow: 'w', input: null, engine: 'temporal' }))).code).toBe('ENGINE_UNAVAILABLE');
    expect((await h.runtime.getRun('acme', 'run-0001')).status).toBe('RUNNING');
  });

  it('does not re-hand a finished run', async () => {
    const h = createHarness();
    await h.runtime.publishDefinition('acme', definition('w', '1.0.0'));
    const run = await h.runtime.startRun('acme', { workflow: 'w', input: null, executionKey: 'k' });
    await h.stores.runs.update('acme', run.runId, { status: 'SUCCEEDED', output: 1, updatedAt: 'x' });
    expect(await h.runtime.startRun('acme', { workflow: 'w', input: null, executionKey: 'k' })).toMatchObject({ status: 'SUCCEEDED', created: false });
    expect(h.db.calls).toHaveLength(1);
  });

  it('routes by the engine policy, percent by a stable hash', async () => {
    const h = createHarness();
    await h.runtime.publishDefinition('acme', definition('w', '1.0.0'));
    await h.runtime.setPolicy('acme', 'w', { engine: { type: 'temporal' } });
    expect((await h.runtime.startRun('acme', { workflow: 'w', input: null })).engine).toBe('temporal');
    await h.runtime.setPolicy('acme', 'w', { engine: { type: 'percent', temporalPercent: 30 } });
    const engines: string[] = [];
    for (let i = 0; i < 200; i++) engines.push((await h.runtime.startRun('acme', { workflow: 'w', input: null, executionKey: `e${i}` })).engine);
    const share = engines.filter((e) => e === 'temporal').length / engines.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
    expect(h.temporal.calls.filter((c) => c.op === 'start')).toHaveLength(1 + engines.filter((e) => e === 'temporal').length);
  });

  it('uses the default engine when no policy is stored', async () => {
    const h = createHarness({ defaultEngine: 'temporal' });
    await h.runtime.publishDefinition('acme', definition('w', '1.0.0'));
    expect((await h.runtime.startRun('acme', { workflow: 'w', input: null })).engine).toBe('temporal');
  });

  it('honours an explicit engine only when the policy allows it', async () => {
    const h = createHarness();
    await h.runtime.publishDefinition('acme', definition('w', '1.0.0'));
    expect((await h.runtime.startRun('acme', { workflow: 'w', input: null, engine: 'temporal' })).engine).toBe('temporal');
    await h.runtime.setPolicy('acme', 'w', { engine: { type: 'db' } });
    const refused = await errorOf(h.runtime.startRun('acme', { workflow: 'w', input: null, engine: 'temporal' }));
    expect(refused.code).toBe('ENGINE_OVERRIDE_NOT_ALLOWED');
    await h.runtime.setPolicy('acme', 'w', { engine: { type: 'percent', temporalPercent: 5 } });
    expect((await h.runtime.startRun('acme', { workflow: 'w', input: null, engine: 'temporal' })).engine).toBe('temporal');
  });

  it('answers ENGINE_UNAVAILABLE for an engine that is not wired, creating nothing', async () => {
    const h = createHarness({ withTemporal: false });
    await h.runtime.publishDefinition('acme', definition('w', '1.0.0'));
    await h.runtime.setPolicy('acme', 'w', { engine: { type: 'temporal' } });
    const { code, body } = await errorOf(h.runtime.startRun('acme', { workflow: 'w', input: null }));
    expect(code).toBe('ENGINE_UNAVAILABLE');
    expect(body.error).toMatchObject({ engine: 'temporal' });
    expect((await h.runtime.listRuns('acme')).items).toEqual([]);
  });

  it('runs a child on the pinned engine with the given run id', async () => {
    const h = createHarness();
    await h.runtime.publishDefinition('acme', definition('w', '1.0.0'));
    await h.runtime.setPolicy('acme', 'w', { engine: { type: 'db' } });
    const child = await h.runtime.startRun('acme', { workflow: 'w', input: null }, { runId: 'child-1', parentRunId: 'p', pinEngine: 'temporal' });
    expect(child).toMatchObject({ runId: 'child-1', engine: 'temporal' });
    expect(h.temporal.calls[0]!.arg).toMatchObject({ parentRunId: 'p' });
  });
});

describe('getRun / listRuns / listSteps', () => {
  it('shows a run with its open waits, only to its tenant', async () => {
    const h = createHarness();
    await h.runtime.publishDefinition('acme', definition('w', '1.0.0'));
    const { runId } = await h.runtime.startRun('acme', { workflow: 'w', input: { x: 1 } });
    await h.stores.waits.open('acme', { runId, engine: 'db', waitId: 'w1', type: 'EVENT', stepId: 's', eventName: 'E', correlationKey: 'k', createdAt: 't1' });
    await h.stores.waits.open('acme', { runId, engine: 'db', waitId: 'w0', type: 'TIMER', stepId: 's0', createdAt: 't0' });
    await h.stores.waits.close('acme', runId, 'w0', 'RESOLVED', 't2');
    const view = await h.runtime.getRun('acme', runId);
    expect(view).toEqual({
      runId,
      workflow: 'w',
      version: '1.0.0',
      engine: 'db',
      status: 'RUNNING',
      input: { x: 1 },
      waits: [{ waitId: 'w1', type: 'EVENT', stepId: 's', eventName: 'E', correlationKey: 'k', createdAt: 't1' }],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect((await errorOf(h.runtime.getRun('globex', runId))).code).toBe('RUN_NOT_FOUND');
    expect((await errorOf(h.runtime.listSteps('globex', runId))).code).toBe('RUN_NOT_FOUND');
    expect((await h.runtime.listRuns('globex')).items).toEqual([]);
  });

  it('lists runs newest first with filters and a cursor', async () => {
    const h = createHarness();
    await h.runtime.publishDefinition('acme', definition('a', '1.0.0'));
    await h.runtime.publishDefinition('acme', definition('b', '1.0.0'));
    for (let i = 0; i < 5; i++) {
      await h.runtime.startRun('acme', { workflow: i % 2 ? 'b' : 'a', input: i });
      h.tick();
    }
    const page1 = await h.runtime.listRuns('acme', { limit: 2 });
    expect(page1.items.map((r) => r.runId)).toEqual(['run-0005', 'run-0004']);
    const page2 = await h.runtime.listRuns('acme', { limit: 2, cursor: page1.nextCursor! });
    expect(page2.items.map((r) => r.runId)).toEqual(['run-0003', 'run-0002']);
    const page3 = await h.runtime.listRuns('acme', { limit: 2, cursor: page2.nextCursor! });
    expect(page3).toEqual({ items: [expect.objectContaining({ runId: 'run-0001' })], nextCursor: null });
    expect((await h.runtime.listRuns('acme', { workflow: 'b' })).items.map((r) => r.runId)).toEqual(['run-0004', 'run-0002']);
    expect((await h.runtime.listRuns('acme', { engine: 'temporal' })).items).toEqual([]);
    expect((await h.runtime.listRuns('acme', { status: 'RUNNING', limit: 1000 })).items).toHaveLength(5);
  });

  it('lists step records in (generation, seq) order', async () => {
    const h = createHarness();
    await h.runtime.publishDefinition('acme', definition('w', '1.0.0'));
    const { runId } = await h.runtime.startRun('acme', { workflow: 'w', input: null });
    const step = (key: string, generation: number, seq: number) => ({
      key,
      stepId: key,
      stepType: 'action.call' as const,
      path: key,
      iteration: String(generation),
      generation,
      seq,
      status: 'SUCCEEDED' as const,
      attempt: 1,
      startedAt: '2026-01-01T00:00:00.000Z',
    });
    await h.stores.runs.upsertSteps('acme', runId, [step('c', 1, 0), step('b', 0, 1), step('a', 0, 0)]);
    await h.stores.runs.upsertSteps('acme', runId, [{ ...step('a', 0, 0), attempt: 2 }]);
    const { items } = await h.runtime.listSteps('acme', runId);
    expect(items.map((s) => [s.key, s.attempt])).toEqual([
      ['a', 2],
      ['b', 1],
      ['c', 1],
    ]);
  });
});

describe('the store reads of a start', () => {
  it('reads the versions and the policy once each, the published document once per version, and writes the run once', async () => {
    const h = createHarness();
    await h.runtime.publishDefinition('acme', definition('billing.invoice', '1.0.0'));
    await h.runtime.startRun('acme', { workflow: 'billing.invoice', input: { n: 0 } });
    h.portCalls.length = 0;
    for (let n = 1; n <= 3; n++) await h.runtime.startRun('acme', { workflow: 'billing.invoice', input: { n } });
    const perStart = ['definitions.getPolicy', 'definitions.listVersions', 'runs.create'];
    expect(h.portCalls.map((c) => `${c.port}.${c.method}`)).toEqual([...perStart, ...perStart, ...perStart]);
    expect(h.db.calls.filter((c) => c.op === 'start').map((c) => (c.arg as { input: unknown }).input)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }]);
  });
});

