import { isTerminalRunStatus, type EngineKind, type RunStatus } from '@baton/event-schemas';
import type { EngineCapabilities } from '../engine/engine-capabilities.js';
import { BatonError, toErrorBody, type ErrorBody } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';

/** Operator actions on a run. */
export const RunControlAction = {
  CANCEL: 'cancel',
  RETRY: 'retry',
  RESUME: 'resume',
} as const;
export type RunControlAction = (typeof RunControlAction)[keyof typeof RunControlAction];

/** What the plan looks at: the run's projection and its open waits. */
export interface RunControlSubject {
  readonly runId: string;
  readonly engine: EngineKind;
  readonly status: RunStatus;
  /** the run's open waits (resume needs one, or a WAITING status) */
  readonly openWaitCount?: number;
}

/** The operation to perform on the run's own engine. */
export interface RunControlOperation {
  readonly kind: 'perform';
  readonly action: RunControlAction;
  readonly runId: string;
  readonly engine: EngineKind;
}

/** A refusal, decided before anything is mutated, with the SPEC-api error body to answer. */
export interface RunControlRefusal {
  readonly kind: 'refuse';
  readonly action: RunControlAction;
  readonly error: BatonError;
  readonly body: ErrorBody;
}

export type RunControlPlan = RunControlOperation | RunControlRefusal;

const TEMPORAL_HINTS: Readonly<Record<'retry' | 'resume', string>> = {
  retry:
    'Temporal owns the history of this run and cannot re-run it in place: start a new run (POST /v1/runs), or reset the workflow with `temporal workflow reset`.',
  resume:
    'Temporal owns the waits of this run: deliver the awaited event (POST /v1/events) or complete its task (POST /v1/tasks/:taskId/complete).',
};

const CAPABILITY: Readonly<Record<'retry' | 'resume', keyof EngineCapabilities>> = { retry: 'retryFailedRun', resume: 'adminResume' };

function refuse(action: RunControlAction, error: BatonError): RunControlRefusal {
  return { kind: 'refuse', action, error, body: toErrorBody(error) };
}

/**
 * The refusal of an action the engine's capabilities lack. Only the error names the engine: a Temporal
 * run answers the SPEC-api `WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED` with a hint, any other engine
 * `ENGINE_ACTION_UNSUPPORTED`; whether to refuse is the capability flag's decision.
 */
function unsupported(action: 'retry' | 'resume', engine: EngineKind, runId: string): BatonError {
  if (engine === 'temporal') {
    return new BatonError(ErrorCode.WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED, `${action} is not supported for runs on the Temporal engine`, {
      details: { action, engine, runId, hint: TEMPORAL_HINTS[action] },
    });
  }
  return new BatonError(ErrorCode.ENGINE_ACTION_UNSUPPORTED, `the '${engine}' engine does not support ${action}`, { details: { action, engine, runId } });
}

/**
 * Decides a run-control request from the run's projection and its engine's capabilities (`undefined`
 * when that engine is not wired: `ENGINE_UNAVAILABLE`), without side effects. Cancel: any unfinished
 * run. Retry: a FAILED run of an engine with `retryFailedRun`. Resume: a waiting run of an engine with
 * `adminResume`. An engine without the flag refuses the action whatever the run's status (the Temporal
 * engine: `WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED`).
 */
export function planRunControl(run: RunControlSubject, action: RunControlAction, capabilities: EngineCapabilities | undefined): RunControlPlan {
  const { runId, engine, status } = run;
  if (capabilities === undefined) {
    return refuse(action, new BatonError(ErrorCode.ENGINE_UNAVAILABLE, `the '${engine}' engine is not configured in this process`, { details: { engine, runId } }));
  }
  if (action !== 'cancel' && !capabilities[CAPABILITY[action]]) return refuse(action, unsupported(action, engine, runId));
  switch (action) {
    case 'cancel':
      if (isTerminalRunStatus(status)) return refuse(action, finished(runId, status));
      break;
    case 'retry':
      if (status !== 'FAILED') {
        return refuse(action, new BatonError(ErrorCode.RUN_NOT_FAILED, `run ${runId} is ${status}, not FAILED`, { details: { runId, status } }));
      }
      break;
    case 'resume':
      if (isTerminalRunStatus(status)) return refuse(action, finished(runId, status));
      if (status !== 'WAITING' && !(run.openWaitCount ?? 0)) {
        return refuse(action, new BatonError(ErrorCode.RUN_NOT_WAITING, `run ${runId} is ${status} and has no open wait to resume`, { details: { runId, status } }));
      }
      break;
  }
  return { kind: 'perform', action, runId, engine };
}

function finished(runId: string, status: RunStatus): BatonError {
  return new BatonError(ErrorCode.RUN_ALREADY_FINISHED, `run ${runId} already finished (${status})`, { details: { runId, status } });
}
