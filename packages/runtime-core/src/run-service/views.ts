import type { EventView, HumanTaskView, RunSummary, RunView, RunWait } from '@baton/event-schemas';
import type { EventAuditRecord } from '../ports/event-audit.js';
import type { RunRecord } from '../ports/run-store.js';
import type { HumanTaskRecord } from '../ports/task-store.js';
import type { WaitRecord } from '../ports/wait-index.js';

/** The API view of a wait (`RunWait`): the stored wait without routing fields. */
export function toRunWait(wait: WaitRecord): RunWait {
  const { tenant: _t, runId: _r, engine: _e, status: _s, closedAt: _c, ...view } = wait;
  return view;
}

/** The row of `GET /v1/runs`. */
export function toRunSummary(run: RunRecord): RunSummary {
  return {
    runId: run.runId,
    workflow: run.workflow,
    version: run.version,
    engine: run.engine,
    status: run.status,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    ...(run.completedAt === undefined ? {} : { completedAt: run.completedAt }),
  };
}

/** The answer of `GET /v1/runs/:runId`: the projection with its open waits. */
export function toRunView(run: RunRecord, openWaits: readonly WaitRecord[]): RunView {
  return {
    ...toRunSummary(run),
    input: run.input,
    ...(run.output === undefined ? {} : { output: run.output }),
    ...(run.error === undefined ? {} : { error: run.error }),
    waits: openWaits.map(toRunWait),
  };
}

/** The API view of a human task. */
export function toTaskView(task: HumanTaskRecord): HumanTaskView {
  const { tenant: _t, engine: _e, ...view } = task;
  return view;
}

/** The API view of an audited event: the envelope, its routing outcome and errors. */
export function toEventView(event: EventAuditRecord): EventView {
  const outcome = event.outcome;
  return {
    eventId: event.eventId,
    eventName: event.eventName,
    ...(event.correlationKey === undefined ? {} : { envelopeCorrelationKey: event.correlationKey }),
    correlationKey: outcome?.correlationKey ?? null,
    correlationSource: outcome?.correlationSource ?? null,
    status: event.status,
    deliveries: event.deliveries,
    payload: event.payload,
    ...(event.occurredAt === undefined ? {} : { occurredAt: event.occurredAt }),
    receivedAt: event.receivedAt,
    ...(outcome === undefined ? {} : { processedAt: outcome.processedAt }),
    routed: [...(outcome?.routed ?? [])],
    startedRuns: [...(outcome?.startedRuns ?? [])],
    errors: (outcome?.errors ?? []).map((e) => ({ ...e })),
  };
}
