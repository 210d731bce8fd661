// End to end: every example on the Postgres engine and on the Temporal engine, through the real
// HTTP API, with the worker and the ingress as separate processes. Both engines must produce the
// same output and the same step trace.
import type { EngineKind, RunView } from '@baton/event-schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error.js';
import { startE2eStack, type E2eStack } from './__fixtures__/e2e-stack.js';
import { ENGINES, awaitFinished, awaitWait, loadExample, startOnEachEngine, traceOf, withWaitTimeouts } from './__fixtures__/run-helpers.js';

let stack: E2eStack;

/** Event waits of the invoice example time out after this in the tests (3 days in the example). */
const INVOICE_WINDOW_MS = 2500;
/** The ticket review times out after this in the tests (4 hours in the example). */
const REVIEW_TIMEOUT_MS = 4000;

beforeAll(async () => {
  stack = await startE2eStack();
  const definitions = [
    withWaitTimeouts(loadExample('invoice-reminder/invoice-reminder.workflow.json'), INVOICE_WINDOW_MS),
    withWaitTimeouts(loadExample('ticket-escalation/ticket-escalation.workflow.json'), REVIEW_TIMEOUT_MS),
    loadExample('order-fulfilment/order-fulfilment.workflow.json'),
    loadExample('status-poller/status-poller-1.0.0.workflow.json'),
    loadExample('status-poller/status-poller-1.1.0.workflow.json'),
  ];
  for (const definition of definitions) expect((await stack.client.publishWorkflow(definition)).status).toBe(201);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

/** Runs of both engines finished with the same status, output and step trace. */
async function expectSameOnBothEngines(ids: Record<EngineKind, string>, normalize: (run: RunView) => unknown = (run) => run.output): Promise<{ db: RunView; temporal: RunView }> {
  const [db, temporal] = await Promise.all(ENGINES.map((engine) => awaitFinished(stack.client, ids[engine], 90_000)));
  expect(db!.engine).toBe('db');
  expect(temporal!.engine).toBe('temporal');
  expect({ status: temporal!.status, output: normalize(temporal!) }).toEqual({ status: db!.status, output: normalize(db!) });
  const [dbTrace, temporalTrace] = await Promise.all([traceOf(stack.client, ids.db), traceOf(stack.client, ids.temporal)]);
  expect(temporalTrace).toEqual(dbTrace);
  expect(dbTrace.length).toBeGreaterThan(0);
  return { db: db!, temporal: temporal! };
}

describe('order fulfilment (forEach, tryCatch, retries, http.request to the demo inventory)', () => {
  it('ships what it can reserve, retries the flaky line, backorders the rest — the same on both engines', async () => {
    const input = {
      orderId: 'e2e-1001',
      inventoryUrl: stack.inventory.url,
      lines: [
        { sku: 'BOOK-1', quantity: 2 },
        { sku: 'MUG-2', quantity: 1 },
        { sku: 'LAMP-3', quantity: 1 },
      ],
    };
    const { db } = await expectSameOnBothEngines(await startOnEachEngine(stack.client, 'shop.order-fulfilment', input));
    expect(db.status).toBe('SUCCEEDED');
    expect(db.output).toEqual({
      orderId: 'e2e-1001',
      status: 'PARTIALLY_SHIPPED',
      trackingNumber: 'TRK-e2e-1001',
      shipped: [
        { sku: 'BOOK-1', quantity: 2, reservationId: 'R-e2e-1001-BOOK-1' },
        { sku: 'MUG-2', quantity: 1, reservationId: 'R-e2e-1001-MUG-2' },
      ],
      backordered: [{ sku: 'LAMP-3', quantity: 1, reason: 'HTTP_ERROR' }],
    });
    const trace = await traceOf(stack.client, db.runId);
    expect(trace.find((s) => s.path === 'reserve-lines[1]/reserve-line/reserve')).toMatchObject({ status: 'SUCCEEDED', attempt: 2 });
    expect(trace.find((s) => s.path === 'reserve-lines[2]/reserve-line/reserve')).toMatchObject({ status: 'FAILED', attempt: 1, error: 'ActionError/HTTP_ERROR' });
    expect(trace.find((s) => s.path === 'reserve-lines[2]/reserve-line/record-backorder')).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('ships a fully reservable order on both engines', async () => {
    const input = { orderId: 'e2e-1002', inventoryUrl: stack.inventory.url, lines: [{ sku: 'BOOK-1', quantity: 1 }] };
    const { db } = await expectSameOnBothEngines(await startOnEachEngine(stack.client, 'shop.order-fulfilment', input));
    expect(db.output).toMatchObject({ status: 'SHIPPED', backordered: [], trackingNumber: 'TRK-e2e-1002' });
  });
});

describe('ticket escalation (human task with a form schema)', () => {
  const taskOf = async (runId: string) => {
    await awaitWait(stack.client, runId, (run) => run.waits.some((w) => w.type === 'HUMAN_TASK'));
    const { items } = await stack.client.listTasks({ runId, status: 'OPEN' });
    expect(items).toHaveLength(1);
    return items[0]!;
  };

  it('routes a low-priority ticket to the standard queue without a task', async () => {
    const { db } = await expectSameOnBothEngines(await startOnEachEngine(stack.client, 'support.ticket-escalation', { ticketId: 'T-1', subject: 'Password reset', priority: 'low' }));
    expect(db.output).toEqual({ ticketId: 'T-1', decision: 'STANDARD_QUEUE', queue: 'standard' });
  });

  it('refuses responses the form rejects, then escalates on approval', async () => {
    const ids = await startOnEachEngine(stack.client, 'support.ticket-escalation', { ticketId: 'T-2', subject: 'Refund missing', priority: 'urgent' });
    for (const engine of ENGINES) {
      const task = await taskOf(ids[engine]);
      expect(task).toMatchObject({ taskType: 'escalation-approval', title: 'Escalate ticket T-2: Refund missing', assignee: 'support-lead', status: 'OPEN' });
      for (const bad of [{ decision: 'maybe' }, { decision: 'approve' }, { decision: 'approve', team: 'payments', extra: 1 }]) {
        const error = await stack.client.completeTask(task.taskId, bad).then(() => undefined, (e: unknown) => e);
        expect(error, `${engine}: ${JSON.stringify(bad)}`).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
      }
      await stack.client.completeTask(task.taskId, { decision: 'approve', team: 'payments', comment: 'VIP customer' }, 'lead@example.com');
      const again = await stack.client.completeTask(task.taskId, { decision: 'reject' }).then(() => undefined, (e: unknown) => e);
      expect(again).toMatchObject({ status: 409, code: 'TASK_ALREADY_COMPLETED' });
    }
    const { db } = await expectSameOnBothEngines(ids);
    expect(db.output).toEqual({ ticketId: 'T-2', decision: 'ESCALATED', team: 'payments', comment: 'VIP customer' });
  });

  it('closes a rejected escalation', async () => {
    const ids = await startOnEachEngine(stack.client, 'support.ticket-escalation', { ticketId: 'T-3', subject: 'Feature request', priority: 'normal', customerTier: 'enterprise' });
    for (const engine of ENGINES) await stack.client.completeTask((await taskOf(ids[engine])).taskId, { decision: 'reject', comment: 'duplicate of T-1' });
    const { db } = await expectSameOnBothEngines(ids);
    expect(db.output).toEqual({ ticketId: 'T-3', decision: 'REJECTED', comment: 'duplicate of T-1' });
  });

  it('escalates to tier 2 by itself when nobody answers in time', async () => {
    const ids = await startOnEachEngine(stack.client, 'support.ticket-escalation', { ticketId: 'T-4', subject: 'Outage', priority: 'high' });
    const { db } = await expectSameOnBothEngines(ids);
    expect(db.output).toEqual({ ticketId: 'T-4', decision: 'ESCALATED', team: 'tier2', comment: 'no answer within 4 hours: escalated automatically' });
    const trace = await traceOf(stack.client, db.runId);
    expect(trace.find((s) => s.stepId === 'approve-escalation')).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/^TimeoutError\//) });
    expect((await stack.client.listTasks({ runId: db.runId })).items[0]).toMatchObject({ status: 'CANCELED' });
  });
});

describe('invoice reminder (event.wait with timeout, reminders, continue-as-new)', () => {
  it('sends the reminders, continuing as new each interval, then hands the invoice to collections', async () => {
    const input = { invoiceId: 'INV-A', customer: 'acme', amount: 120, maxReminders: 2, settleAfterMs: 100, remindersSent: 0 };
    const { db } = await expectSameOnBothEngines(await startOnEachEngine(stack.client, 'billing.invoice-reminder', input));
    expect(db.output).toEqual({ invoiceId: 'INV-A', status: 'SENT_TO_COLLECTIONS', remindersSent: 2 });
    const trace = await traceOf(stack.client, db.runId);
    expect([...new Set(trace.map((s) => s.generation))]).toEqual([0, 1, 2]);
    expect(trace.filter((s) => s.stepId === 'send-reminder').map((s) => s.generation)).toEqual([0, 1]);
  });

  it('starts from INVOICE_CREATED on the policy engine and closes as paid when a matching payment arrives after a reminder', async () => {
    const ids = {} as Record<EngineKind, string>;
    for (const engine of ENGINES) {
      await stack.client.setPolicy('billing.invoice-reminder', { engine: { type: engine } });
      const created = await stack.client.sendEvent({
        eventId: `created-${engine}`,
        eventName: 'INVOICE_CREATED',
        payload: { invoiceId: `INV-B-${engine}`, customer: 'globex', amount: 80, maxReminders: 3, settleAfterMs: 200 },
      });
      expect(created.startedRuns).toEqual([expect.objectContaining({ workflow: 'billing.invoice-reminder', engine, created: true })]);
      ids[engine] = created.startedRuns[0]!.runId;
    }
    for (const engine of ENGINES) {
      // The second interval: one reminder went out and the run continued as new.
      await awaitWait(stack.client, ids[engine], (run, steps) => steps.some((s) => s.generation === 1 && s.stepId === 'wait-for-payment' && s.status === 'WAITING') && run.waits.some((w) => w.type === 'EVENT'));
      const partial = await stack.client.sendEvent({ eventId: `partial-${engine}`, eventName: 'INVOICE_PAID', correlationKey: `INV-B-${engine}`, payload: { amount: 50 } });
      expect(partial.routed).toEqual([{ runId: ids[engine], engine }]);
      const paid = await stack.client.sendEvent({ eventId: `paid-${engine}`, eventName: 'INVOICE_PAID', correlationKey: ` INV-B-${engine} `, payload: { amount: 80 } });
      expect(paid).toMatchObject({ correlationKey: `INV-B-${engine}`, correlationSource: 'explicit', routed: [{ runId: ids[engine], engine }] });
      const duplicate = await stack.client.sendEvent({ eventId: `paid-${engine}`, eventName: 'INVOICE_PAID', correlationKey: `INV-B-${engine}`, payload: { amount: 80 } });
      expect(duplicate.duplicate).toBe(true);
    }
    const { db, temporal } = await expectSameOnBothEngines(ids, (run) => ({ ...(run.output as object), invoiceId: '(per engine)' }));
    expect(db.output).toEqual({ invoiceId: 'INV-B-db', status: 'PAID', remindersSent: 1, paidAmount: 80 });
    expect(temporal.output).toMatchObject({ invoiceId: 'INV-B-temporal' });
  });
});

describe('status poller (versioned, upgrades at continue-as-new)', () => {
  it('runs 1.0.0 until the policy points at 1.1.0, then continues as 1.1.0 — the same on both engines', async () => {
    await stack.client.setPolicy('ops.status-poller', { versionPolicy: { type: 'exact', version: '1.0.0' } });
    const ids = await startOnEachEngine(stack.client, 'ops.status-poller', { target: 'https://status.example.com', intervalMs: 1500, maxRounds: 3 });
    for (const engine of ENGINES) {
      const run = await awaitWait(stack.client, ids[engine], (r, steps) => steps.some((s) => s.stepId === 'pause' && s.generation === 0 && s.status === 'WAITING') && r.waits.some((w) => w.type === 'TIMER'));
      expect(run.version).toBe('1.0.0');
    }
    await stack.client.setPolicy('ops.status-poller', { versionPolicy: { type: 'exact', version: '1.1.0' } });
    const { db } = await expectSameOnBothEngines(ids);
    expect(db.output).toEqual({ target: 'https://status.example.com', rounds: 3, versions: ['1.0.0', '1.1.0', '1.1.0'], consecutiveFailures: 0 });
    for (const engine of ENGINES) expect((await stack.client.getRun(ids[engine])).version).toBe('1.1.0');
    const trace = await traceOf(stack.client, db.runId);
    expect(trace.filter((s) => s.stepId === 'classify').map((s) => s.generation)).toEqual([1, 2]);
    expect(trace.some((s) => s.stepId === 'record')).toBe(true);
  });
});
