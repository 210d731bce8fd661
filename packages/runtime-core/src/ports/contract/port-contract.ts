import type { RunStatus, StepRecord, WorkflowDefinition } from '@baton/event-schemas';
import type { EventOutcome } from '../event-audit.js';
import type { NewDefinitionVersion } from '../definition-store.js';
import type { NewRun } from '../run-store.js';
import type { RuntimeStores } from '../runtime-stores.js';
import type { OpenWait } from '../wait-index.js';
import type { NewHumanTask } from '../task-store.js';
import { expectEqual, expectRejects, expectTrue } from './contract-checks.js';

/** Two tenants no other case uses, so cases can share one set of stores. */
export interface PortContractTenants {
  readonly tenant: string;
  readonly otherTenant: string;
}

/** One rule of a port, checked against an implementation; throws `PortContractViolation` when broken. */
export interface PortContractCase {
  readonly port: keyof RuntimeStores;
  readonly name: string;
  run(stores: RuntimeStores, tenants: PortContractTenants): Promise<void>;
}

const T0 = '2026-01-01T00:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();

const doc = (name: string, version: string, eventName?: string): WorkflowDefinition => ({
  name,
  version,
  ...(eventName === undefined ? {} : { trigger: { type: 'event', eventName } }),
  steps: [{ id: 'a', type: 'transform.assign', assign: { 'vars.x': 1 } }],
});

const version = (name: string, v: string, hash: string, eventName?: string): NewDefinitionVersion => ({
  name,
  version: v,
  hash,
  definition: doc(name, v, eventName),
  triggerEventName: eventName ?? null,
  publishedAt: T0,
});

const newRun = (runId: string, over: Partial<NewRun> = {}): NewRun => ({
  runId,
  workflow: 'w',
  version: '1.0.0',
  definitionHash: 'h1',
  engine: 'db',
  status: 'RUNNING',
  input: { n: 1 },
  executionKey: null,
  runKey: runId,
  createdAt: T0,
  ...over,
});

const step = (key: string, generation: number, seq: number, attempt = 1): StepRecord => ({
  key,
  stepId: key.split('@')[0]!,
  stepType: 'action.call',
  path: key,
  iteration: String(generation),
  generation,
  seq,
  status: 'SUCCEEDED',
  attempt,
  startedAt: T0,
});

const eventWait = (runId: string, waitId: string, eventName: string, correlationKey: string, createdAt = T0): OpenWait => ({
  runId,
  engine: 'db',
  waitId,
  type: 'EVENT',
  stepId: 'wait',
  eventName,
  correlationKey,
  createdAt,
});

const task = (taskId: string, runId: string, createdAt = T0): NewHumanTask => ({
  taskId,
  runId,
  engine: 'temporal',
  stepId: 'approve',
  taskType: 'approval',
  title: 'Approve',
  formSchema: { type: 'object' },
  createdAt,
});

const outcome = (status: EventOutcome['status']): EventOutcome => ({
  status,
  correlationKey: 'k',
  correlationSource: 'explicit',
  routed: [{ runId: 'r1', engine: 'db' }],
  startedRuns: [{ runId: 'r2', workflow: 'w', version: '1.0.0', engine: 'temporal', created: true }],
  errors: [{ code: 'ENGINE_UNAVAILABLE', message: 'down', runId: 'r3', retryable: true }],
  processedAt: at(5),
});

/**
 * The behaviour every implementation of the runtime ports must have (in-memory, Postgres, ...).
 * Waits and tasks are opened for runs that exist, and run ids are unique across tenants (a store may
 * enforce both), so every case derives its run ids from its tenant.
 * An adapter's tests run each case, e.g. `for (const c of PORT_CONTRACT_CASES) it(c.name, () => c.run(stores, freshTenants()))`.
 */
export const PORT_CONTRACT_CASES: readonly PortContractCase[] = [
  {
    port: 'definitions',
    name: 'publish stores a version once: same hash is unchanged, another hash is a conflict that overwrites nothing',
    async run({ definitions }, { tenant }) {
      const created = await definitions.publish(tenant, version('w', '1.0.0', 'h1'));
      expectEqual(created.status, 'created', 'first publish');
      expectEqual(await definitions.get(tenant, 'w', '1.0.0'), { ...version('w', '1.0.0', 'h1'), tenant }, 'get after publish');
      const same = await definitions.publish(tenant, { ...version('w', '1.0.0', 'h1'), publishedAt: at(9) });
      expectEqual(same.status, 'unchanged', 'same content again');
      const conflict = await definitions.publish(tenant, version('w', '1.0.0', 'h2'));
      expectEqual(conflict.status === 'conflict' && conflict.existing.hash, 'h1', 'other content reports the stored hash');
      expectEqual((await definitions.get(tenant, 'w', '1.0.0'))?.hash, 'h1', 'the stored version is unchanged');
      expectEqual(await definitions.get(tenant, 'w', '9.9.9'), undefined, 'a missing version');
    },
  },
  {
    port: 'definitions',
    name: 'versions, policies and event triggers are per tenant and per name',
    async run({ definitions }, { tenant, otherTenant }) {
      await definitions.publish(tenant, version('w', '1.0.0', 'a'));
      await definitions.publish(tenant, version('w', '1.1.0', 'b', 'PAID'));
      await definitions.publish(tenant, version('other', '1.0.0', 'c', 'PAID'));
      await definitions.publish(tenant, version('shipper', '1.0.0', 'd', 'SHIPPED'));
      await definitions.publish(otherTenant, version('w', '2.0.0', 'e', 'PAID'));
      const versions = (await definitions.listVersions(tenant, 'w')).map((v) => v.version).sort();
      expectEqual(versions, ['1.0.0', '1.1.0'], 'listVersions of one name in one tenant');
      const summary = (await definitions.listVersions(tenant, 'w')).find((v) => v.version === '1.1.0');
      expectEqual(summary, { name: 'w', version: '1.1.0', hash: 'b', triggerEventName: 'PAID', publishedAt: T0, retiredAt: null, retiredReason: null }, 'a version summary');
      const triggered = (await definitions.listEventTriggered(tenant, 'PAID')).map((v) => `${v.name}@${v.version}`).sort();
      expectEqual(triggered, ['other@1.0.0', 'w@1.1.0'], 'listEventTriggered');
      expectEqual(await definitions.getPolicy(tenant, 'w'), undefined, 'no policy before one is set');
      await definitions.setPolicy(tenant, 'w', { versionPolicy: { type: 'exact', version: '1.0.0' }, engine: { type: 'percent', temporalPercent: 12.5 } });
      await definitions.setPolicy(tenant, 'w', { versionPolicy: { type: 'weighted', weights: { '1.0.0': 90, '1.1.0': 10 } } });
      expectEqual(await definitions.getPolicy(tenant, 'w'), { versionPolicy: { type: 'weighted', weights: { '1.0.0': 90, '1.1.0': 10 } } }, 'setPolicy replaces');
      expectEqual(await definitions.getPolicy(otherTenant, 'w'), undefined, 'policies are per tenant');
    },
  },
  {
    port: 'definitions',
    name: 'retireVersion marks a published version once (the first retirement stays), per tenant; a missing version is undefined',
    async run({ definitions }, { tenant, otherTenant }) {
      await definitions.publish(tenant, version('w', '1.0.0', 'a'));
      await definitions.publish(tenant, version('w', '1.1.0', 'b'));
      await definitions.publish(otherTenant, version('w', '1.0.0', 'a'));
      const first = await definitions.retireVersion(tenant, 'w', '1.0.0', { at: T0, reason: 'bug 12' });
      expectEqual([first?.retiredAt, first?.retiredReason], [T0, 'bug 12'], 'the retirement');
      const again = await definitions.retireVersion(tenant, 'w', '1.0.0', { at: at(5), reason: 'other' });
      expectEqual([again?.retiredAt, again?.retiredReason], [T0, 'bug 12'], 'retiring again keeps the first retirement');
      const listed = Object.fromEntries((await definitions.listVersions(tenant, 'w')).map((v) => [v.version, v.retiredAt ?? null]));
      expectEqual(listed, { '1.0.0': T0, '1.1.0': null }, 'listVersions shows the retirement');
      expectEqual((await definitions.listVersions(otherTenant, 'w'))[0]?.retiredAt ?? null, null, 'another tenant\'s version is not retired');
      expectEqual(await definitions.retireVersion(tenant, 'w', '9.9.9', { at: T0, reason: null }), undefined, 'a missing version');
      expectEqual(await definitions.retireVersion(otherTenant, 'w', '1.1.0', { at: T0, reason: null }), undefined, 'another tenant\'s version is missing');
    },
  },
  {
    port: 'definitions',
    name: 'shadow, rolloutGate and rollback are stored with the policy; a change is recorded with the policy it replaced, newest first',
    async run({ definitions }, { tenant, otherTenant }) {
      await definitions.publish(tenant, version('w', '1.0.0', 'a'));
      const first = {
        versionPolicy: { type: 'latest' as const },
        engine: { type: 'percent' as const, temporalPercent: 10 },
        shadow: { percent: 50, engine: 'temporal' as const },
        rolloutGate: { minCompared: 100, maxDiscrepancyRate: 0.01, maxLatencyRatio: 2 },
        rollback: { minRuns: 20, maxErrorRateRatio: 2, maxP99LatencyRatio: 5 },
      };
      await definitions.setPolicy(tenant, 'w', first, { at: T0, actor: 'key-aaaaaaaa', forced: false, reason: null });
      expectEqual(await definitions.getPolicy(tenant, 'w'), first, 'every field round-trips');
      const second = { versionPolicy: { type: 'latest' as const }, engine: { type: 'percent' as const, temporalPercent: 0 } };
      await definitions.setPolicy(tenant, 'w', second, { at: '2026-01-02T00:00:00.000Z', actor: 'baton-rollback', forced: true, reason: 'breach' });
      expectEqual(await definitions.getPolicy(tenant, 'w'), second, 'absent fields are removed');
      await definitions.setPolicy(tenant, 'w', second);
      expectEqual(
        await definitions.listPolicyHistory(tenant, 'w', 10),
        [
          { at: '2026-01-02T00:00:00.000Z', actor: 'baton-rollback', forced: true, reason: 'breach', from: first, to: second },
          { at: T0, actor: 'key-aaaaaaaa', forced: false, reason: null, from: null, to: first },
        ],
        'history newest first; a write without a change is not recorded',
      );
      expectEqual((await definitions.listPolicyHistory(tenant, 'w', 1)).length, 1, 'history is limited');
      expectEqual(await definitions.listPolicyHistory(otherTenant, 'w', 10), [], 'history is per tenant');
    },
  },
  {
    port: 'definitions',
    name: 'listEventTriggeredMany answers the triggered versions of several event names, this tenant only',
    async run({ definitions }, { tenant, otherTenant }) {
      await definitions.publish(tenant, version('paid', '1.0.0', 'a', 'PAID'));
      await definitions.publish(tenant, version('paid', '1.1.0', 'b'));
      await definitions.publish(tenant, version('shipped', '1.0.0', 'c', 'SHIPPED'));
      await definitions.publish(tenant, version('refunded', '1.0.0', 'd', 'REFUNDED'));
      await definitions.publish(otherTenant, version('paid', '2.0.0', 'e', 'PAID'));
      const found = (await definitions.listEventTriggeredMany(tenant, ['PAID', 'SHIPPED', 'NOTHING'])).map((v) => `${v.triggerEventName}:${v.name}@${v.version}`).sort();
      expectEqual(found, ['PAID:paid@1.0.0', 'SHIPPED:shipped@1.0.0'], 'versions triggered by any of the names');
      expectEqual(await definitions.listEventTriggeredMany(tenant, []), [], 'no names, no versions');
    },
  },
  {
    port: 'definitions',
    name: 'listNames answers the published workflow names of one tenant, ascending',
    async run({ definitions }, { tenant, otherTenant }) {
      expectEqual(await definitions.listNames(tenant), [], 'nothing published');
      await definitions.publish(tenant, version('zeta', '1.0.0', 'a'));
      await definitions.publish(tenant, version('alpha', '1.0.0', 'b'));
      await definitions.publish(tenant, version('alpha', '1.1.0', 'c'));
      await definitions.publish(otherTenant, version('hidden', '1.0.0', 'd'));
      expectEqual(await definitions.listNames(tenant), ['alpha', 'zeta'], 'each name once, ascending, this tenant only');
    },
  },
  {
    port: 'runs',
    name: 'list filters by creation time: createdAfter inclusive, createdBefore exclusive',
    async run({ runs }, { tenant }) {
      const rid = (id: string) => `${tenant}.${id}`;
      for (let i = 0; i < 4; i++) await runs.create(tenant, newRun(rid(`t${i}`), { createdAt: at(i * 10) }));
      const ids = async (q: { createdAfter?: string; createdBefore?: string }) => (await runs.list(tenant, { limit: 50, ...q })).items.map((r) => r.runId);
      expectEqual(await ids({ createdAfter: at(10) }), [rid('t3'), rid('t2'), rid('t1')], 'createdAfter includes its instant');
      expectEqual(await ids({ createdBefore: at(20) }), [rid('t1'), rid('t0')], 'createdBefore excludes its instant');
      expectEqual(await ids({ createdAfter: at(5), createdBefore: at(25) }), [rid('t2'), rid('t1')], 'a window');
    },
  },
  {
    port: 'events',
    name: 'list pages the tenant events most recently received first, every event exactly once',
    async run({ events }, { tenant, otherTenant }) {
      const received = (eventId: string, s: number) => ({ eventId, eventName: 'PAID', payload: { id: eventId }, receivedAt: at(s) });
      // e2 and e3 share a receive time: the event id breaks the tie
      for (const [id, s] of [['e0', 0], ['e1', 1], ['e2', 2], ['e3', 2], ['e4', 3]] as const) await events.record(tenant, received(id, s));
      await events.markProcessed(tenant, 'e1', outcome('PROCESSED'));
      await events.record(otherTenant, received('hidden', 9));
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const result = await events.list(tenant, { limit: 2, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...result.items.map((e) => e.eventId));
        if (result.nextCursor === null) break;
        cursor = result.nextCursor;
      }
      expectEqual(seen, ['e4', 'e3', 'e2', 'e1', 'e0'], 'pages newest first, (receivedAt, eventId) descending');
      const processed = (await events.list(tenant, { limit: 50 })).items.find((e) => e.eventId === 'e1');
      expectEqual([processed?.status, processed?.outcome?.routed], ['PROCESSED', [{ runId: 'r1', engine: 'db' }]], 'a listed event carries its outcome');
      expectEqual((await events.list(tenant, { limit: 5 })).nextCursor, null, 'an exact last page has no cursor');
    },
  },
  {
    port: 'events',
    name: 'list with runId answers the events that resolved a wait of that run of the tenant, newest first',
    async run({ events, runs, waits }, { tenant, otherTenant }) {
      const rid = (id: string) => `${tenant}.${id}`;
      const received = (eventId: string, s: number) => ({ eventId, eventName: 'PAID', correlationKey: 'k', payload: {}, receivedAt: at(s) });
      for (const id of ['r1', 'r2']) await runs.create(tenant, newRun(rid(id)));
      await runs.create(otherTenant, newRun(rid('r9')));
      for (const [id, s] of [['early', 0], ['live', 2], ['unrelated', 3], ['other-run', 4]] as const) await events.record(tenant, received(id, s));
      await events.record(otherTenant, received('early', 5));
      // r1 took `early` (from the inbox) and `live` (routed); r2 took `other-run`; `unrelated` resumed nothing
      await waits.open(tenant, eventWait(rid('r1'), 'w1', 'PAID', 'k', at(1)));
      await waits.open(tenant, eventWait(rid('r1'), 'w2', 'PAID', 'k', at(1)));
      await waits.open(tenant, eventWait(rid('r1'), 'w3', 'PAID', 'k', at(1)));
      await waits.open(tenant, eventWait(rid('r2'), 'w1', 'PAID', 'k', at(1)));
      await waits.open(otherTenant, eventWait(rid('r9'), 'w1', 'PAID', 'k', at(1)));
      await waits.close(tenant, rid('r1'), 'w1', 'RESOLVED', at(2), 'early');
      await waits.close(tenant, rid('r1'), 'w2', 'RESOLVED', at(3), 'live');
      await waits.close(tenant, rid('r1'), 'w3', 'TIMED_OUT', at(3));
      await waits.close(tenant, rid('r2'), 'w1', 'RESOLVED', at(4), 'other-run');
      await waits.close(otherTenant, rid('r9'), 'w1', 'RESOLVED', at(5), 'early');
      const ids = async (t: string, runId: string, limit = 50) => (await events.list(t, { limit, runId })).items.map((e) => e.eventId);
      expectEqual(await ids(tenant, rid('r1')), ['live', 'early'], "the run's resolving events, newest first");
      expectEqual(await ids(tenant, rid('r2')), ['other-run'], 'another run: its own');
      expectEqual(await ids(otherTenant, rid('r1')), [], "another tenant sees nothing of the tenant's run");
      expectEqual(await ids(tenant, rid('nope')), [], 'an unknown run');
      const first = await events.list(tenant, { limit: 1, runId: rid('r1') });
      const second = await events.list(tenant, { limit: 1, runId: rid('r1'), cursor: first.nextCursor ?? '' });
      expectEqual([first.items[0]?.eventId, second.items[0]?.eventId, second.nextCursor], ['live', 'early', null], 'pages by cursor');
    },
  },
  {
    port: 'runs',
    name: 'create is idempotent by run id and by (tenant, workflow, executionKey), also under concurrency',
    async run({ runs }, { tenant, otherTenant }) {
      const rid = (id: string) => `${tenant}.${id}`;
      const first = await runs.create(tenant, newRun(rid('r1'), { executionKey: 'k1', runKey: 'k1' }));
      expectEqual(first, { created: true, run: { ...newRun(rid('r1'), { executionKey: 'k1', runKey: 'k1' }), tenant, updatedAt: T0 } }, 'first create');
      const byKey = await runs.create(tenant, newRun(rid('r2'), { executionKey: 'k1', runKey: 'k1', input: 'other' }));
      expectEqual([byKey.created, byKey.run.runId, byKey.run.input], [false, rid('r1'), { n: 1 }], 'same executionKey answers the first run');
      expectEqual((await runs.create(tenant, newRun(rid('r1')))).created, false, 'same run id');
      expectEqual((await runs.create(tenant, newRun(rid('r3'), { workflow: 'other', executionKey: 'k1' }))).created, true, 'the key is per workflow');
      expectEqual((await runs.create(otherTenant, newRun(rid('r4'), { executionKey: 'k1' }))).created, true, 'the key is per tenant');
      expectEqual((await runs.create(tenant, newRun(rid('r5')))).created, true, 'no key: a new run');
      expectEqual((await runs.create(tenant, newRun(rid('r6')))).created, true, 'no key: another new run');
      const racing = await Promise.all([1, 2, 3, 4, 5].map((i) => runs.create(tenant, newRun(rid(`race-${i}`), { executionKey: 'race' }))));
      expectEqual(racing.filter((r) => r.created).length, 1, 'one of five racing creates wins');
      expectEqual(new Set(racing.map((r) => r.run.runId)).size, 1, 'all racing creates answer the winner');
      expectEqual(await runs.get(otherTenant, rid('r1')), undefined, 'another tenant does not see the run');
    },
  },
  {
    port: 'runs',
    name: 'update applies absent/null/value fields and honours the status condition',
    async run({ runs }, { tenant }) {
      const rid = (id: string) => `${tenant}.${id}`;
      await runs.create(tenant, newRun(rid('u1')));
      const failed = await runs.update(tenant, rid('u1'), {
        status: 'FAILED',
        error: { category: 'ActionError', code: 'X', message: 'boom' },
        currentStepId: 's1',
        completedAt: at(1),
        updatedAt: at(1),
      });
      expectEqual([failed?.status, failed?.error?.code, failed?.currentStepId, failed?.completedAt, failed?.updatedAt], ['FAILED', 'X', 's1', at(1), at(1)], 'set fields');
      const retried = await runs.update(tenant, rid('u1'), { status: 'RUNNING', error: null, completedAt: null, updatedAt: at(2) }, { statusIn: ['FAILED'] });
      expectEqual([retried?.status, retried?.error, retried?.completedAt, retried?.currentStepId], ['RUNNING', undefined, undefined, 's1'], 'null clears, absent keeps');
      const refused = await runs.update(tenant, rid('u1'), { status: 'CANCELED', updatedAt: at(3) }, { statusIn: ['SUCCEEDED', 'FAILED'] });
      expectEqual(refused, undefined, 'condition not met');
      expectEqual((await runs.get(tenant, rid('u1')))?.status, 'RUNNING', 'nothing changed when the condition failed');
      await runs.update(tenant, rid('u1'), { status: 'SUCCEEDED', output: null, updatedAt: at(4) });
      expectEqual((await runs.get(tenant, rid('u1')))?.output, null, 'a null output is a value');
      expectEqual(await runs.update(tenant, rid('missing'), { updatedAt: at(5) }), undefined, 'missing run');
      const moved = await runs.update(tenant, rid('u1'), { version: '1.1.0', definitionHash: 'h-next', updatedAt: at(6) });
      expectEqual([moved?.version, moved?.definitionHash], ['1.1.0', 'h-next'], 'continue-as-new moves the version');
    },
  },
  {
    port: 'runs',
    name: 'list pages newest first with filters, every run exactly once',
    async run({ runs }, { tenant }) {
      const rid = (id: string) => `${tenant}.${id}`;
      const statuses: RunStatus[] = ['RUNNING', 'WAITING', 'FAILED', 'RUNNING', 'SUCCEEDED', 'RUNNING', 'RUNNING'];
      for (let i = 0; i < statuses.length; i++) {
        // two runs share a creation time: the run id breaks the tie
        await runs.create(tenant, newRun(rid(`l${i}`), { createdAt: at(Math.min(i, 5)), engine: i % 3 ? 'db' : 'temporal', workflow: i % 2 ? 'a' : 'b', status: statuses[i]! }));
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const result = await runs.list(tenant, { limit: 3, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...result.items.map((r) => r.runId));
        if (result.nextCursor === null) break;
        cursor = result.nextCursor;
      }
      expectEqual(seen, [rid('l6'), rid('l5'), rid('l4'), rid('l3'), rid('l2'), rid('l1'), rid('l0')], 'pages newest first, (createdAt, runId) descending');
      expectEqual((await runs.list(tenant, { limit: 50, status: 'RUNNING', workflow: 'b' })).items.map((r) => r.runId), [rid('l6'), rid('l0')], 'status + workflow filter');
      expectEqual((await runs.list(tenant, { limit: 50, engine: 'temporal' })).items.map((r) => r.runId), [rid('l6'), rid('l3'), rid('l0')], 'engine filter');
      expectEqual((await runs.list(tenant, { limit: 7 })).nextCursor, null, 'an exact last page has no cursor');
    },
  },
  {
    port: 'runs',
    name: 'steps upsert by key and list by (generation, seq)',
    async run({ runs }, { tenant, otherTenant }) {
      const rid = (id: string) => `${tenant}.${id}`;
      await runs.create(tenant, newRun(rid('s1')));
      await runs.upsertSteps(tenant, rid('s1'), [step('c@1', 1, 0), step('b@0', 0, 1), step('a@0', 0, 0)]);
      await runs.upsertSteps(tenant, rid('s1'), [{ ...step('a@0', 0, 0, 2), status: 'FAILED', error: { category: 'TransientError', code: 'T', message: 'm' } }]);
      const steps = await runs.listSteps(tenant, rid('s1'));
      expectEqual(steps.map((s) => [s.key, s.attempt, s.status]), [['a@0', 2, 'FAILED'], ['b@0', 1, 'SUCCEEDED'], ['c@1', 1, 'SUCCEEDED']], 'ordered, replaced by key');
      expectEqual(steps[0]?.error, { category: 'TransientError', code: 'T', message: 'm' }, 'step error stored');
      expectEqual(await runs.listSteps(otherTenant, rid('s1')), [], 'steps are per tenant');
    },
  },
  {
    port: 'runs',
    name: 'a conditional steps upsert writes nothing into a run whose status is not listed',
    async run({ runs }, { tenant }) {
      const rid = `${tenant}.cond1`;
      await runs.create(tenant, newRun(rid, { engine: 'temporal' }));
      await runs.upsertSteps(tenant, rid, [step('a@0', 0, 0)], { statusIn: ['RUNNING', 'WAITING'] });
      expectEqual((await runs.listSteps(tenant, rid)).map((s) => s.key), ['a@0'], 'written while the run is RUNNING');
      await runs.update(tenant, rid, { status: 'CANCELED', completedAt: T0, updatedAt: T0 }, { statusIn: ['RUNNING', 'WAITING'] });
      await runs.upsertSteps(tenant, rid, [{ ...step('a@0', 0, 0), status: 'RUNNING' }, step('b@0', 0, 1)], { statusIn: ['RUNNING', 'WAITING'] });
      expectEqual(
        (await runs.listSteps(tenant, rid)).map((s) => [s.key, s.status]),
        [['a@0', 'SUCCEEDED']],
        'a late write does not reach a CANCELED run',
      );
      await runs.upsertSteps(tenant, rid, [{ ...step('a@0', 0, 0), status: 'CANCELED' }]);
      expectEqual((await runs.listSteps(tenant, rid)).map((s) => [s.key, s.status]), [['a@0', 'CANCELED']], 'an unconditional write still applies');
    },
  },
  {
    port: 'waits',
    name: 'waits open once, close once, and are found by (tenant, eventName, key) while waiting',
    async run({ runs, waits }, { tenant, otherTenant }) {
      const rid = (id: string) => `${tenant}.${id}`;
      for (const id of [rid('r1'), rid('r2'), rid('r4'), rid('r5')]) await runs.create(tenant, newRun(id));
      await runs.create(tenant, newRun(rid('r3'), { engine: 'temporal' }));
      await runs.create(otherTenant, newRun(rid('r9')));
      await waits.open(tenant, eventWait(rid('r1'), 'w1', 'PAID', 'k1'));
      await waits.open(tenant, eventWait(rid('r1'), 'w1', 'PAID', 'changed'));
      await waits.open(tenant, eventWait(rid('r2'), 'w1', 'PAID', 'k1', at(1)));
      await waits.open(tenant, { ...eventWait(rid('r3'), 'w1', 'PAID', 'k1'), engine: 'temporal' });
      await waits.open(tenant, eventWait(rid('r4'), 'w1', 'SHIPPED', 'k1'));
      await waits.open(tenant, { runId: rid('r5'), engine: 'db', waitId: 't1', type: 'TIMER', stepId: 'sleep', createdAt: T0, timeoutAt: at(60) });
      await waits.open(otherTenant, eventWait(rid('r9'), 'w1', 'PAID', 'k1'));
      const found = (await waits.findWaiting(tenant, 'PAID', 'k1')).map((w) => `${w.runId}:${w.engine}`).sort();
      expectEqual(found, [`${rid('r1')}:db`, `${rid('r2')}:db`, `${rid('r3')}:temporal`], 'candidates of both engines, this tenant only');
      expectEqual(await waits.close(tenant, rid('r1'), 'w1', 'RESOLVED', at(2)), true, 'first close');
      expectEqual(await waits.close(tenant, rid('r1'), 'w1', 'RESOLVED', at(3)), false, 'second close does nothing');
      expectEqual(await waits.close(otherTenant, rid('r2'), 'w1', 'RESOLVED', at(3)), false, 'another tenant cannot close it');
      expectEqual((await waits.findWaiting(tenant, 'PAID', 'k1')).map((w) => w.runId).sort(), [rid('r2'), rid('r3')], 'a closed wait is no candidate');
      const [closed] = await waits.listForRun(tenant, rid('r1'));
      expectEqual([closed?.status, closed?.closedAt, closed?.correlationKey], ['RESOLVED', at(2), 'k1'], 'closed wait kept, first open wins');
      expectEqual((await waits.listForRun(tenant, rid('r5'), { status: 'WAITING' }))[0]?.timeoutAt, at(60), 'a timer wait');
    },
  },
  {
    port: 'waits',
    name: 'closeAllForRun closes only the open waits of that run; listForRun is oldest first',
    async run({ runs, waits }, { tenant }) {
      const rid = (id: string) => `${tenant}.${id}`;
      for (const id of [rid('c1'), rid('c2')]) await runs.create(tenant, newRun(id));
      await waits.open(tenant, eventWait(rid('c1'), 'b', 'E', 'k', at(2)));
      await waits.open(tenant, eventWait(rid('c1'), 'a', 'E', 'k', at(1)));
      await waits.open(tenant, eventWait(rid('c1'), 'c', 'E', 'k', at(3)));
      await waits.open(tenant, eventWait(rid('c2'), 'a', 'E', 'k'));
      await waits.close(tenant, rid('c1'), 'c', 'TIMED_OUT', at(4));
      expectEqual(await waits.closeAllForRun(tenant, rid('c1'), 'CANCELED', at(5)), 2, 'two open waits closed');
      expectEqual((await waits.listForRun(tenant, rid('c1'))).map((w) => [w.waitId, w.status]), [['a', 'CANCELED'], ['b', 'CANCELED'], ['c', 'TIMED_OUT']], 'oldest first');
      expectEqual((await waits.listForRun(tenant, rid('c2'), { status: 'WAITING' })).length, 1, 'the other run untouched');
    },
  },
  {
    port: 'events',
    name: 'record dedupes by (tenant, eventId); only a PROCESSED outcome makes a redelivery a no-op',
    async run({ events }, { tenant, otherTenant }) {
      const received = { eventId: 'e1', eventName: 'PAID', correlationKey: ' k ', payload: { a: 1 }, receivedAt: T0 };
      const first = await events.record(tenant, received);
      expectEqual([first.duplicate, first.alreadyProcessed, first.record.status, first.record.deliveries], [false, false, 'RECEIVED', 1], 'first delivery');
      const again = await events.record(tenant, { ...received, receivedAt: at(1) });
      expectEqual([again.duplicate, again.alreadyProcessed, again.record.deliveries], [true, false, 2], 'redelivery before routing finished');
      await events.markProcessed(tenant, 'e1', outcome('FAILED'));
      expectEqual((await events.record(tenant, received)).alreadyProcessed, false, 'a FAILED outcome is routed again');
      await events.markProcessed(tenant, 'e1', outcome('PROCESSED'));
      const done = await events.record(tenant, received);
      expectEqual([done.duplicate, done.alreadyProcessed, done.record.status], [true, true, 'PROCESSED'], 'processed');
      expectEqual(done.record.outcome, outcome('PROCESSED'), 'the outcome is stored');
      expectEqual(done.record.correlationKey, ' k ', 'the envelope key is kept as sent');
      await events.markProcessed(tenant, 'e1', outcome('FAILED'));
      expectEqual((await events.get(tenant, 'e1'))?.status, 'PROCESSED', 'a late FAILED does not reopen a processed event');
      expectEqual((await events.record(otherTenant, received)).duplicate, false, 'event ids are per tenant');
      expectEqual(await events.get(tenant, 'nope'), undefined, 'unknown event');
    },
  },
  {
    port: 'events',
    name: 'recordMany records a batch: a repeated id is one row counting each delivery; markProcessedMany stores each outcome',
    async run({ events }, { tenant, otherTenant }) {
      const received = (eventId: string, receivedAt = T0) => ({ eventId, eventName: 'PAID', payload: { id: eventId }, receivedAt });
      await events.record(tenant, received('done'));
      await events.markProcessed(tenant, 'done', outcome('PROCESSED'));
      await events.record(tenant, received('open'));
      const batch = await events.recordMany(tenant, [received('b1'), received('done', at(1)), received('b1', at(1)), received('open', at(1)), received('b2')]);
      expectEqual(
        batch.map((r) => [r.record.eventId, r.duplicate, r.alreadyProcessed]),
        [['b1', false, false], ['done', true, true], ['b1', true, false], ['open', true, false], ['b2', false, false]],
        'answers in order: new, processed duplicate, repeat in the batch, unprocessed duplicate, new',
      );
      expectEqual(batch[1]?.record.outcome, outcome('PROCESSED'), 'a processed duplicate carries its outcome');
      expectEqual([(await events.get(tenant, 'b1'))?.deliveries, (await events.get(tenant, 'open'))?.deliveries], [2, 2], 'every delivery counted');
      expectEqual((await events.get(tenant, 'b1'))?.payload, { id: 'b1' }, 'the first occurrence is recorded');
      expectEqual(await events.recordMany(tenant, []), [], 'an empty batch');
      await events.markProcessedMany(tenant, [
        { eventId: 'b1', outcome: outcome('PROCESSED') },
        { eventId: 'b2', outcome: outcome('FAILED') },
        { eventId: 'done', outcome: outcome('FAILED') },
      ]);
      expectEqual(
        [(await events.get(tenant, 'b1'))?.status, (await events.get(tenant, 'b2'))?.status, (await events.get(tenant, 'done'))?.status],
        ['PROCESSED', 'FAILED', 'PROCESSED'],
        'each outcome stored; a late FAILED does not reopen a processed event',
      );
      expectEqual((await events.get(tenant, 'b1'))?.outcome, outcome('PROCESSED'), 'the outcome is stored whole');
      const other = await events.recordMany(otherTenant, [received('b1'), received('b2')]);
      expectEqual([other[0]?.duplicate, other[0]?.alreadyProcessed], [false, false], 'event ids are per tenant');
      await events.markProcessedMany(otherTenant, [{ eventId: 'b2', outcome: outcome('PROCESSED') }]);
      expectEqual([(await events.get(tenant, 'b2'))?.status, (await events.get(otherTenant, 'b2'))?.status], ['FAILED', 'PROCESSED'], 'outcomes are per tenant');
    },
  },
  {
    port: 'waits',
    name: 'findWaitingMany finds the open EVENT waits of several keys at once, this tenant only, oldest first',
    async run({ runs, waits }, { tenant, otherTenant }) {
      const rid = (id: string) => `${tenant}.${id}`;
      for (const id of ['m1', 'm2', 'm3', 'm4', 'm5']) await runs.create(tenant, newRun(rid(id)));
      await runs.create(otherTenant, newRun(rid('m9')));
      await waits.open(tenant, eventWait(rid('m1'), 'w', 'PAID', 'k1', at(3)));
      await waits.open(tenant, eventWait(rid('m2'), 'w', 'PAID', 'k2', at(1)));
      await waits.open(tenant, eventWait(rid('m3'), 'w', 'SHIPPED', 'k1', at(2)));
      await waits.open(tenant, eventWait(rid('m4'), 'w', 'PAID', 'k3', at(0)));
      await waits.open(tenant, eventWait(rid('m5'), 'w', 'PAID', 'k1', at(4)));
      await waits.close(tenant, rid('m5'), 'w', 'RESOLVED', at(5));
      await waits.open(otherTenant, eventWait(rid('m9'), 'w', 'PAID', 'k1'));
      const found = await waits.findWaitingMany(tenant, [
        { eventName: 'PAID', correlationKey: 'k1' },
        { eventName: 'PAID', correlationKey: 'k2' },
        { eventName: 'SHIPPED', correlationKey: 'k1' },
        { eventName: 'SHIPPED', correlationKey: 'k2' },
      ]);
      expectEqual(found.map((w) => w.runId), [rid('m2'), rid('m3'), rid('m1')], 'exact (name, key) pairs, open only, oldest first');
      expectEqual([found[0]?.eventName, found[0]?.correlationKey, found[0]?.status], ['PAID', 'k2', 'WAITING'], 'the wait records');
      expectEqual(await waits.findWaitingMany(tenant, []), [], 'no keys, no waits');
    },
  },
  {
    port: 'tasks',
    name: 'tasks open once, complete once (also when racing), reopen and cancel',
    async run({ runs, tasks }, { tenant, otherTenant }) {
      const rid = (id: string) => `${tenant}.${id}`;
      for (const id of [rid('r1'), rid('r2')]) await runs.create(tenant, newRun(id, { engine: 'temporal' }));
      await tasks.open(tenant, task(rid('t1'), rid('r1'), at(2)));
      await tasks.open(tenant, { ...task(rid('t1'), rid('r1')), title: 'changed' });
      await tasks.open(tenant, task(rid('t2'), rid('r1'), at(1)));
      await tasks.open(tenant, task(rid('t3'), rid('r2'), at(3)));
      expectEqual((await tasks.list(tenant, { runId: rid('r1') })).map((t) => t.taskId), [rid('t2'), rid('t1')], 'oldest first, filtered by run');
      expectEqual((await tasks.get(tenant, rid('t1')))?.title, 'Approve', 'the first open wins');
      const racing = await Promise.allSettled([1, 2, 3].map((n) => tasks.complete(tenant, rid('t1'), { response: { n }, completedAt: at(4), completedBy: 'ana' })));
      expectEqual(racing.filter((r) => r.status === 'fulfilled').length, 1, 'one of three racing completions wins');
      const done = await tasks.get(tenant, rid('t1'));
      expectEqual([done?.status, done?.completedAt, done?.completedBy], ['COMPLETED', at(4), 'ana'], 'completed');
      await expectRejects(tasks.complete(tenant, rid('t1'), { response: {}, completedAt: at(5) }), 'TASK_ALREADY_COMPLETED', 'complete twice');
      await expectRejects(tasks.complete(tenant, 'nope', { response: {}, completedAt: at(5) }), 'TASK_NOT_FOUND', 'complete a missing task');
      await expectRejects(tasks.complete(otherTenant, rid('t2'), { response: {}, completedAt: at(5) }), 'TASK_NOT_FOUND', 'another tenant');
      await tasks.reopen(tenant, rid('t1'));
      const reopened = await tasks.get(tenant, rid('t1'));
      expectEqual([reopened?.status, reopened?.response, reopened?.completedAt], ['OPEN', undefined, undefined], 'reopened');
      expectEqual(await tasks.close(tenant, rid('t3'), at(6), 'TIMED_OUT'), true, 'close an open task');
      expectEqual(await tasks.close(tenant, rid('t3'), at(7)), false, 'close again');
      const timedOut = await tasks.get(tenant, rid('t3'));
      expectEqual([timedOut?.status, timedOut?.closeReason, timedOut?.completedAt], ['CANCELED', 'TIMED_OUT', at(6)], 'closed with its reason');
      expectEqual(await tasks.cancelForRun(tenant, rid('r1'), at(8)), 2, 'cancel the open tasks of a run');
      expectEqual((await tasks.list(tenant, { status: 'CANCELED' })).map((t) => t.taskId).sort(), [rid('t1'), rid('t2'), rid('t3')], 'all cancelled');
      expectTrue((await tasks.list(otherTenant, {})).length === 0, 'another tenant sees no tasks');
    },
  },
  {
    port: 'tasks',
    name: 'a completion with a hand-off is an outbox entry: claimed when due (a lease), settled once, cleared by reopen',
    async run({ runs, tasks }, { tenant, otherTenant }) {
      const rid = (id: string) => `${tenant}.${id}`;
      const mine = (list: readonly { tenant: string; taskId: string }[]) => list.filter((t) => t.tenant === tenant).map((t) => t.taskId);
      await runs.create(tenant, newRun(rid('h-run'), { engine: 'temporal' }));
      for (const id of ['h1', 'h2', 'h3']) await tasks.open(tenant, task(rid(id), rid('h-run')));
      await tasks.complete(tenant, rid('h1'), { response: { ok: 1 }, completedAt: at(10), handoff: { dueAt: at(20) } });
      await tasks.complete(tenant, rid('h2'), { response: { ok: 2 }, completedAt: at(11), handoff: { dueAt: at(21) } });
      await tasks.complete(tenant, rid('h3'), { response: { ok: 3 }, completedAt: at(12) });
      const h1 = await tasks.get(tenant, rid('h1'));
      expectEqual([h1?.status, h1?.handoff, h1?.handoffAttempts], ['COMPLETED', 'PENDING', 0], 'recorded with a pending hand-off');
      expectEqual((await tasks.get(tenant, rid('h3')))?.handoff, undefined, 'no hand-off unless asked');
      expectEqual(mine(await tasks.claimHandoffs(at(19), at(100), 10)), [], 'nothing due yet');
      const first = await tasks.claimHandoffs(at(20), at(50), 10);
      expectEqual(mine(first), [rid('h1')], 'the due one');
      expectEqual(first.find((t) => t.taskId === rid('h1'))?.handoffAttempts, 1, 'an attempt more');
      expectEqual(first.find((t) => t.taskId === rid('h1'))?.response, { ok: 1 }, 'with its response');
      expectEqual(mine(await tasks.claimHandoffs(at(30), at(60), 10)), [rid('h2')], 'a claimed one is leased until retryAt');
      await tasks.noteHandoffFailure(tenant, rid('h2'), 'ENGINE_UNAVAILABLE: down');
      expectEqual((await tasks.get(tenant, rid('h2')))?.handoffError, 'ENGINE_UNAVAILABLE: down', 'why it failed');
      await tasks.settleHandoff(otherTenant, rid('h1'), 'DELIVERED');
      expectEqual((await tasks.get(tenant, rid('h1')))?.handoff, 'PENDING', 'another tenant settles nothing');
      await tasks.settleHandoff(tenant, rid('h1'), 'DELIVERED');
      await tasks.settleHandoff(tenant, rid('h1'), 'REFUSED', 'late');
      expectEqual((await tasks.get(tenant, rid('h1')))?.handoff, 'DELIVERED', 'settled once');
      expectEqual(mine(await tasks.claimHandoffs(at(1000), at(2000), 10)), [rid('h2')], 'a settled one is never claimed again');
      await tasks.reopen(tenant, rid('h2'));
      const reopened = await tasks.get(tenant, rid('h2'));
      expectEqual([reopened?.status, reopened?.handoff, reopened?.handoffError], ['OPEN', undefined, undefined], 'reopen clears the hand-off');
      expectEqual(mine(await tasks.claimHandoffs(at(3000), at(4000), 10)), [], 'nothing left');
    },
  },
  {
    port: 'tasks',
    name: 'close takes an open task and a completion the run had not taken (pending hand-off), never a delivered one',
    async run({ runs, tasks }, { tenant }) {
      const rid = (id: string) => `${tenant}.${id}`;
      const mine = (list: readonly { tenant: string; taskId: string }[]) => list.filter((t) => t.tenant === tenant).map((t) => t.taskId);
      await runs.create(tenant, newRun(rid('c-run'), { engine: 'temporal' }));
      for (const id of ['lost', 'taken', 'direct']) await tasks.open(tenant, task(rid(id), rid('c-run')));
      await tasks.complete(tenant, rid('lost'), { response: { ok: 1 }, completedAt: at(10), completedBy: 'ana', handoff: { dueAt: at(20) } });
      await tasks.complete(tenant, rid('taken'), { response: { ok: 2 }, completedAt: at(10), handoff: { dueAt: at(20) } });
      await tasks.settleHandoff(tenant, rid('taken'), 'DELIVERED');
      await tasks.complete(tenant, rid('direct'), { response: { ok: 3 }, completedAt: at(10) });
      expectEqual(await tasks.close(tenant, rid('lost'), at(11), 'TIMED_OUT'), true, 'a pending completion loses to the timeout');
      const lost = await tasks.get(tenant, rid('lost'));
      expectEqual(
        [lost?.status, lost?.closeReason, lost?.response, lost?.completedBy, lost?.completedAt, lost?.handoff],
        ['CANCELED', 'TIMED_OUT', undefined, undefined, at(11), 'REFUSED'],
        'the task shows it timed out, without the refused response',
      );
      expectEqual(mine(await tasks.claimHandoffs(at(1000), at(2000), 10)), [], 'a lost completion is never handed off');
      expectEqual(await tasks.close(tenant, rid('taken'), at(12), 'TIMED_OUT'), false, 'a delivered completion stays');
      expectEqual(await tasks.close(tenant, rid('direct'), at(12)), false, 'a completion without hand-off stays');
      expectEqual((await tasks.get(tenant, rid('taken')))?.status, 'COMPLETED', 'still completed');
      await tasks.reopen(tenant, rid('lost'));
      expectEqual((await tasks.get(tenant, rid('lost')))?.status, 'CANCELED', 'a closed task is never reopened');
    },
  },
];
