import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepRecord, WorkflowDefinition } from '@baton/event-schemas';
import { isBatonError, type NewRun, type RuntimeStores } from '@baton/runtime-core';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import { spyOnStatements } from '../__fixtures__/statement-spy.js';
import { createPostgresStores } from './create-postgres-stores.js';

let t: TestDatabase;
let stores: RuntimeStores;
beforeAll(async () => {
  // An awkward schema name (space, capitals, quote, dot) proves every query quotes it.
  t = await createTestDatabase('stores', { awkward: true });
  stores = createPostgresStores({ pool: t.pool, schema: t.schema });
});
afterAll(async () => t?.drop());

/** A pool over the test database counting the named statements whose name mentions `purpose`. */
const countingPool = (purpose: string) => spyOnStatements(t.pool, purpose);

const definition = { name: 'billing.remind', version: '1.0.0', steps: [{ id: 'done', type: 'control.return' }] } as unknown as WorkflowDefinition;
const at = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s)).toISOString();

function newRun(runId: string, extra: Partial<NewRun> = {}): NewRun {
  return {
    runId,
    workflow: 'billing.remind',
    version: '1.0.0',
    definitionHash: 'h1',
    engine: 'temporal',
    status: 'RUNNING',
    input: { invoiceId: 'inv-1', list: [1, 2] },
    executionKey: null,
    runKey: runId,
    createdAt: at(0),
    ...extra,
  };
}

describe('definition store', () => {
  const version = { name: 'billing.remind', version: '1.0.0', hash: 'h1', definition, triggerEventName: 'INVOICE_CREATED', publishedAt: at(1) };

  it('reads the policy and the versions of a start in one statement, the same as the two reads, never cached', async () => {
    const store = stores.definitions;
    const read = (name: string) => store.getPolicyAndVersions!('acme', name);
    const separate = async (name: string) => ({ policy: await store.getPolicy('acme', name), versions: await store.listVersions('acme', name) });
    const name = 'start.reads';
    expect(await read(name)).toEqual({ policy: undefined, versions: [] });
    const v = (version: string, s: number) => ({ name, version, hash: `h-${version}`, definition: { ...definition, name, version }, triggerEventName: null, publishedAt: at(s) });
    await store.publish('acme', v('1.0.0', 1));
    await store.publish('acme', v('1.1.0', 2));
    expect(await read(name)).toEqual(await separate(name));
    expect((await read(name)).versions.map((x) => x.version)).toEqual(['1.0.0', '1.1.0']);
    expect((await read(name)).policy).toBeUndefined();
    await store.setPolicy('acme', name, { versionPolicy: { type: 'exact', version: '1.0.0' }, engine: { type: 'percent', temporalPercent: 10 } });
    expect(await read(name)).toEqual(await separate(name));
    expect((await read(name)).policy).toEqual({ versionPolicy: { type: 'exact', version: '1.0.0' }, engine: { type: 'percent', temporalPercent: 10 } });
    // the next read after a policy change answers the new policy: nothing is cached
    await store.setPolicy('acme', name, { versionPolicy: { type: 'latest' } });
    expect((await read(name)).policy).toEqual({ versionPolicy: { type: 'latest' } });
    expect(await read('start.none')).toEqual({ policy: undefined, versions: [] });
    expect((await stores.definitions.getPolicyAndVersions!('other-tenant', name)).versions).toEqual([]);
  });

  it('groups the start reads made at the same time into one statement, each answered as if read alone', async () => {
    const counting = countingPool('policy_and_versions');
    const grouped = createPostgresStores({ pool: counting.pool, schema: t.schema }).definitions;
    const names = Array.from({ length: 8 }, (_, i) => `start.grouped-${i}`);
    for (const [i, name] of names.entries()) {
      await stores.definitions.publish('acme', { name, version: '1.0.0', hash: `h-${i}`, definition: { ...definition, name }, triggerEventName: null, publishedAt: at(i) });
      if (i % 2 === 0) await stores.definitions.setPolicy('acme', name, { versionPolicy: { type: 'exact', version: '1.0.0' } });
    }
    const alone = await Promise.all(names.map(async (name) => ({ policy: await stores.definitions.getPolicy('acme', name), versions: await stores.definitions.listVersions('acme', name) })));
    // 40 reads at once (each workflow 5 times, and one of another tenant): far fewer statements, the same answers.
    const requests = [...names, ...names, ...names, ...names, ...names];
    const answers = await Promise.all([...requests.map((name) => grouped.getPolicyAndVersions!('acme', name)), grouped.getPolicyAndVersions!('other-tenant', names[0]!)]);
    requests.forEach((name, i) => expect(answers[i], name).toEqual(alone[names.indexOf(name)]));
    expect(answers[requests.length]).toEqual({ policy: undefined, versions: [] });
    expect(counting.statements()).toBeGreaterThan(0);
    expect(counting.statements()).toBeLessThanOrEqual(2);
    // a read asked after a policy change returned answers the new policy
    await stores.definitions.setPolicy('acme', names[1]!, { versionPolicy: { type: 'latest' } });
    expect((await grouped.getPolicyAndVersions!('acme', names[1]!)).policy).toEqual({ versionPolicy: { type: 'latest' } });
  });

  it('publishes once, answers unchanged for the same content and conflict for other content', async () => {
    expect((await stores.definitions.publish('acme', version)).status).toBe('created');
    expect((await stores.definitions.publish('acme', version)).status).toBe('unchanged');
    const other = await stores.definitions.publish('acme', { ...version, hash: 'h2' });
    expect(other.status).toBe('conflict');
    expect((await stores.definitions.get('acme', 'billing.remind', '1.0.0'))?.hash).toBe('h1');
    expect(await stores.definitions.get('other-tenant', 'billing.remind', '1.0.0')).toBeUndefined();
  });

  it('lets exactly one of several concurrent publishes of a new version create it', async () => {
    const v = { ...version, version: '2.0.0', hash: 'h-2' };
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => stores.definitions.publish('acme', v)));
    expect(outcomes.filter((o) => o.status === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'unchanged')).toHaveLength(3);
  });

  it('lists versions and event-triggered definitions per tenant, and stores policies', async () => {
    expect((await stores.definitions.listVersions('acme', 'billing.remind')).map((v) => v.version).sort()).toEqual(['1.0.0', '2.0.0']);
    expect(await stores.definitions.listVersions('other-tenant', 'billing.remind')).toEqual([]);
    expect((await stores.definitions.listEventTriggered('acme', 'INVOICE_CREATED')).length).toBe(2);
    expect(await stores.definitions.getPolicy('acme', 'billing.remind')).toBeUndefined();
    await stores.definitions.setPolicy('acme', 'billing.remind', { versionPolicy: { type: 'exact', version: '1.0.0' }, engine: { type: 'percent', temporalPercent: 10 } });
    await stores.definitions.setPolicy('acme', 'billing.remind', { versionPolicy: { type: 'latest' } });
    expect(await stores.definitions.getPolicy('acme', 'billing.remind')).toEqual({ versionPolicy: { type: 'latest' } });
    expect(await stores.definitions.getPolicy('other-tenant', 'billing.remind')).toBeUndefined();
  });
});

describe('run store', () => {
  it('creates a run once per run id and per (workflow, executionKey), atomically', async () => {
    const first = await stores.runs.create('acme', newRun('run-a', { executionKey: 'order-1' }));
    expect(first.created).toBe(true);
    expect(first.run.input).toEqual({ invoiceId: 'inv-1', list: [1, 2] });
    const racing = await Promise.all(['run-b', 'run-c', 'run-d'].map((id) => stores.runs.create('acme', newRun(id, { executionKey: 'order-1' }))));
    expect(racing.every((r) => !r.created && r.run.runId === 'run-a')).toBe(true);
    expect((await stores.runs.create('acme', newRun('run-a'))).created).toBe(false);
    // the same execution key in another tenant is another run
    expect((await stores.runs.create('globex', newRun('run-g', { executionKey: 'order-1' }))).created).toBe(true);
    expect(await stores.runs.get('globex', 'run-a')).toBeUndefined();
  });

  it('reads a run with its open waits in one grouped statement, the same as get and listForRun', async () => {
    const counting = countingPool('run_with_open_waits');
    const grouped = createPostgresStores({ pool: counting.pool, schema: t.schema }).runs;
    await stores.runs.create('acme', newRun('run-view-1', { status: 'WAITING' }));
    await stores.runs.create('acme', newRun('run-view-2'));
    const wait = { runId: 'run-view-1', engine: 'temporal' as const, type: 'EVENT' as const, stepId: 'pay', eventName: 'PAID', correlationKey: 'inv-9', timeoutAt: at(100) };
    // two open waits created at the same instant (ordered by wait id), one task, one closed wait
    await stores.waits.open('acme', { ...wait, waitId: 'w-b', createdAt: at(3) });
    await stores.waits.open('acme', { ...wait, waitId: 'w-a', createdAt: at(3) });
    await stores.waits.open('acme', { ...wait, waitId: 't-1', type: 'HUMAN_TASK', taskType: 'approve', title: 'Approve', assignee: 'ops', createdAt: at(2) });
    await stores.waits.open('acme', { ...wait, waitId: 'w-closed', createdAt: at(1) });
    await stores.waits.close('acme', 'run-view-1', 'w-closed', 'RESOLVED', at(4), 'ev-1');
    const alone = async (runId: string) => ({ run: await stores.runs.get('acme', runId), openWaits: await stores.waits.listForRun('acme', runId, { status: 'WAITING' }) });
    const expected = [await alone('run-view-1'), await alone('run-view-2')];
    expect(expected[0]!.openWaits.map((w) => w.waitId)).toEqual(['t-1', 'w-a', 'w-b']);
    expect(expected[1]!.openWaits).toEqual([]);

    // 20 reads at once, one of another tenant and one of a missing run: at most 2 statements, each answer as read alone
    const requests = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 'run-view-1' : 'run-view-2'));
    const answers = await Promise.all([...requests.map((runId) => grouped.getWithOpenWaits!('acme', runId)), grouped.getWithOpenWaits!('globex', 'run-view-1'), grouped.getWithOpenWaits!('acme', 'missing')]);
    requests.forEach((runId, i) => expect(answers[i], runId).toEqual(expected[runId === 'run-view-1' ? 0 : 1]));
    expect(answers.slice(requests.length)).toEqual([undefined, undefined]);
    expect(counting.statements()).toBeGreaterThan(0);
    expect(counting.statements()).toBeLessThanOrEqual(2);
  });

  it('applies a patch only under its status condition', async () => {
    await stores.runs.create('acme', newRun('run-p'));
    expect(await stores.runs.update('acme', 'run-p', { status: 'SUCCEEDED', output: [1], updatedAt: at(5) }, { statusIn: ['WAITING'] })).toBeUndefined();
    const done = await stores.runs.update('acme', 'run-p', { status: 'SUCCEEDED', output: [1], completedAt: at(5), updatedAt: at(5) }, { statusIn: ['RUNNING'] });
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: [1], completedAt: at(5) });
    expect(await stores.runs.update('globex', 'run-p', { status: 'FAILED', updatedAt: at(6) })).toBeUndefined();
  });

  it('pages newest first with an exact cursor and filters', async () => {
    for (let i = 0; i < 5; i++) await stores.runs.create('paging', newRun(`page-${i}`, { createdAt: at(10 + i), engine: i % 2 ? 'db' : 'temporal' }));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await stores.runs.list('paging', { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((r) => r.runId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['page-4', 'page-3', 'page-2', 'page-1', 'page-0']);
    expect((await stores.runs.list('paging', { limit: 10, engine: 'db' })).items.map((r) => r.runId)).toEqual(['page-3', 'page-1']);
  });

  it('upserts step records by key and lists them in order', async () => {
    await stores.runs.create('acme', newRun('run-s'));
    const step = (stepId: string, seq: number, status: StepRecord['status']): StepRecord => ({
      key: `${stepId}@0`,
      stepId,
      stepType: 'action.call',
      path: stepId,
      iteration: '0',
      generation: 0,
      seq,
      status,
      attempt: 1,
      startedAt: at(seq),
    });
    await stores.runs.upsertSteps('acme', 'run-s', [step('b', 1, 'RUNNING'), step('a', 0, 'SUCCEEDED')]);
    await stores.runs.upsertSteps('acme', 'run-s', [{ ...step('b', 1, 'SUCCEEDED'), output: { ok: true }, completedAt: at(9) }]);
    const steps = await stores.runs.listSteps('acme', 'run-s');
    expect(steps.map((s) => [s.key, s.status])).toEqual([
      ['a@0', 'SUCCEEDED'],
      ['b@0', 'SUCCEEDED'],
    ]);
    expect(steps[1]!.output).toEqual({ ok: true });
    expect(await stores.runs.listSteps('globex', 'run-s')).toEqual([]);
    await expect(stores.runs.upsertSteps('globex', 'run-s', [step('c', 2, 'RUNNING')])).rejects.toSatisfy((e) => isBatonError(e, 'RUN_NOT_FOUND'));
  });

  it('never leaves a late RUNNING step in a cancelled run: a conditional step write races the finishing writes', async () => {
    // The Temporal projection protocol: an unfinished batch writes its steps only while the run is
    // unfinished; the finishing batch updates the run row, then writes its steps.
    const unfinished = { statusIn: ['RUNNING', 'WAITING'] as const };
    const record = (status: StepRecord['status']): StepRecord => ({
      key: 'call@0',
      stepId: 'call',
      stepType: 'action.call',
      path: 'call',
      iteration: '0',
      generation: 0,
      seq: 0,
      status,
      attempt: 1,
      startedAt: at(0),
      ...(status === 'CANCELED' ? { completedAt: at(1) } : {}),
    });
    for (let i = 0; i < 60; i++) {
      const runId = `run-race-${i}`;
      await stores.runs.create('acme', newRun(runId));
      const late = stores.runs.upsertSteps('acme', runId, [record('RUNNING')], unfinished);
      const finishing = (async () => {
        await stores.runs.update('acme', runId, { status: 'CANCELED', completedAt: at(1), updatedAt: at(1) }, unfinished);
        await stores.runs.upsertSteps('acme', runId, [record('CANCELED')]);
      })();
      await Promise.all([late, finishing]);
      const steps = await stores.runs.listSteps('acme', runId);
      expect(steps.map((s) => s.status)).toEqual(['CANCELED']);
    }
    // a write arriving after the run finished is refused outright
    await stores.runs.upsertSteps('acme', 'run-race-0', [record('RUNNING'), { ...record('RUNNING'), key: 'next@0', stepId: 'next', seq: 1 }], unfinished);
    expect((await stores.runs.listSteps('acme', 'run-race-0')).map((s) => [s.key, s.status])).toEqual([['call@0', 'CANCELED']]);
  });
});

describe('wait index', () => {
  it('finds open event waits by tenant, name and key, and closes each once', async () => {
    await stores.runs.create('acme', newRun('run-w'));
    const wait = { runId: 'run-w', engine: 'temporal' as const, waitId: 'w1', type: 'EVENT' as const, stepId: 'pay', eventName: 'PAID', correlationKey: 'inv-1', createdAt: at(1), timeoutAt: at(100) };
    await stores.waits.open('acme', wait);
    await stores.waits.open('acme', wait);
    expect(await stores.waits.findWaiting('acme', 'PAID', 'inv-1')).toMatchObject([{ runId: 'run-w', waitId: 'w1', engine: 'temporal', timeoutAt: at(100) }]);
    expect(await stores.waits.findWaiting('globex', 'PAID', 'inv-1')).toEqual([]);
    expect(await stores.waits.findWaiting('acme', 'PAID', 'inv-2')).toEqual([]);
    const closes = await Promise.all([1, 2, 3].map(() => stores.waits.close('acme', 'run-w', 'w1', 'RESOLVED', at(2))));
    expect(closes.filter(Boolean)).toHaveLength(1);
    expect(await stores.waits.findWaiting('acme', 'PAID', 'inv-1')).toEqual([]);
    await stores.waits.open('acme', { ...wait, waitId: 't1', type: 'HUMAN_TASK', taskType: 'approve', title: 'Approve', createdAt: at(2) });
    expect(await stores.waits.closeAllForRun('acme', 'run-w', 'CANCELED', at(3))).toBe(1);
    expect((await stores.waits.listForRun('acme', 'run-w')).map((w) => [w.waitId, w.status, w.taskType])).toEqual([
      ['w1', 'RESOLVED', undefined],
      ['t1', 'CANCELED', 'approve'],
    ]);
  });
});

describe('event audit', () => {
  it('records an event once per tenant and counts redeliveries', async () => {
    const event = { eventId: 'e1', eventName: 'PAID', correlationKey: ' inv-1 ', payload: { amount: 5 }, receivedAt: at(1) };
    const first = await stores.events.record('acme', event);
    expect(first).toMatchObject({ duplicate: false, alreadyProcessed: false, record: { status: 'RECEIVED', deliveries: 1, correlationKey: ' inv-1 ' } });
    const again = await stores.events.record('acme', event);
    expect(again).toMatchObject({ duplicate: true, alreadyProcessed: false, record: { deliveries: 2 } });
    expect((await stores.events.record('globex', event)).duplicate).toBe(false);

    await stores.events.markProcessed('acme', 'e1', {
      status: 'PROCESSED',
      correlationKey: 'inv-1',
      correlationSource: 'explicit',
      routed: [{ runId: 'run-w', engine: 'temporal' }],
      startedRuns: [],
      errors: [],
      processedAt: at(2),
    });
    expect((await stores.events.record('acme', event)).alreadyProcessed).toBe(true);
    expect((await stores.events.get('acme', 'e1'))?.outcome).toMatchObject({ correlationKey: 'inv-1', routed: [{ runId: 'run-w' }], processedAt: at(2) });
  });
});

describe('task store', () => {
  it('completes an open task once; then refuses with TASK_ALREADY_COMPLETED; reopen undoes it', async () => {
    await stores.runs.create('acme', newRun('run-t'));
    await stores.tasks.open('acme', { taskId: 'task-1', runId: 'run-t', engine: 'temporal', stepId: 'approve', taskType: 'approval', title: 'Approve', formSchema: { type: 'object' }, createdAt: at(1) });
    const results = await Promise.allSettled([1, 2, 3].map((i) => stores.tasks.complete('acme', 'task-1', { response: { ok: i }, completedAt: at(2) })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && isBatonError(r.reason, 'TASK_ALREADY_COMPLETED'))).toHaveLength(2);
    await expect(stores.tasks.complete('globex', 'task-1', { response: {}, completedAt: at(2) })).rejects.toSatisfy((e) => isBatonError(e, 'TASK_NOT_FOUND'));
    await stores.tasks.reopen('acme', 'task-1');
    expect((await stores.tasks.get('acme', 'task-1'))?.status).toBe('OPEN');
    expect(await stores.tasks.close('acme', 'task-1', at(3))).toBe(true);
    expect(await stores.tasks.close('acme', 'task-1', at(3))).toBe(false);
    expect((await stores.tasks.list('acme', { runId: 'run-t' })).map((x) => x.status)).toEqual(['CANCELED']);
  });
});
