import type { EngineKind } from '@baton/event-schemas';
import { defineCapabilities, type EngineCapabilities } from '../../engine/engine-capabilities.js';
import { assertEngineAuthority } from '../../engine/engine-authority-error.js';
import { createRunRef } from '../../engine/run-ref.js';
import type { CancelOutcome, RunUpgradeOutcome, WorkflowEngine } from '../../engine/workflow-engine.js';

/** One call an engine received. */
export interface EngineCall {
  readonly op: 'start' | 'deliverEvent' | 'completeHumanTask' | 'cancel' | 'retry' | 'resume' | 'upgradeRun';
  readonly runId: string;
  readonly arg: unknown;
}

/** A test engine: records every call; `failures` makes the next call of an operation throw. */
export interface RecordingEngine<K extends EngineKind> extends WorkflowEngine<K> {
  readonly calls: EngineCall[];
  readonly failures: Partial<Record<EngineCall['op'], Error>>;
  /** What `cancel` answers (an engine that settles asynchronously, like Temporal); nothing by default. */
  cancelOutcome?: CancelOutcome;
  /** What `upgradeRun` answers. @default { moved: true, audited: false } */
  upgradeOutcome?: RunUpgradeOutcome;
}

/** Creates a recording engine of `kind` (capabilities default to none, like the Temporal engine). */
export function createRecordingEngine<K extends EngineKind>(kind: K, capabilities: Partial<EngineCapabilities> = {}): RecordingEngine<K> {
  const calls: EngineCall[] = [];
  const failures: Partial<Record<EngineCall['op'], Error>> = {};
  const record = (op: EngineCall['op'], runId: string, arg: unknown): void => {
    calls.push({ op, runId, arg });
    const failure = failures[op];
    if (failure) {
      delete failures[op];
      throw failure;
    }
  };
  const engine: RecordingEngine<K> = {
    kind,
    capabilities: defineCapabilities(capabilities),
    calls,
    failures,
    async start(req) {
      record('start', req.runId, req);
      return createRunRef(kind, req.tenant, req.runId);
    },
    async deliverEvent(run, event) {
      assertEngineAuthority(engine, run);
      record('deliverEvent', run.runId, event);
    },
    async completeHumanTask(run, task) {
      assertEngineAuthority(engine, run);
      record('completeHumanTask', run.runId, task);
    },
    async cancel(run, reason) {
      assertEngineAuthority(engine, run);
      record('cancel', run.runId, reason);
      return engine.cancelOutcome;
    },
    async upgradeRun(run, request) {
      assertEngineAuthority(engine, run);
      record('upgradeRun', run.runId, request);
      return engine.upgradeOutcome ?? { moved: true, audited: false };
    },
  };
  if (capabilities.retryFailedRun) {
    engine.retry = async (run, reason) => {
      assertEngineAuthority(engine, run);
      record('retry', run.runId, reason);
    };
  }
  if (capabilities.adminResume) {
    engine.resume = async (run, request) => {
      assertEngineAuthority(engine, run);
      record('resume', run.runId, request);
    };
  }
  return engine;
}
