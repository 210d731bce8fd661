/** Codes of the engine's local errors. */
export const EngineErrorCode = {
  /** The run's fencing token changed: another worker (or a direct input) took it over. */
  LEASE_LOST: 'LEASE_LOST',
  /** The worker is stopping; the run is left for another claim. */
  WORKER_STOPPING: 'WORKER_STOPPING',
} as const;
export type EngineErrorCode = (typeof EngineErrorCode)[keyof typeof EngineErrorCode];

/** Why a worker stopped processing a run without committing; `path` is the run id. */
export class RunProcessingStopped extends Error {
  override readonly name = 'RunProcessingStopped';
  readonly code: EngineErrorCode;
  readonly path: string;

  constructor(code: EngineErrorCode, runId: string) {
    super(code === EngineErrorCode.LEASE_LOST ? `lease on run ${runId} was lost; its commit was refused` : `worker stopping; run ${runId} left for another claim`);
    this.code = code;
    this.path = runId;
  }
}
