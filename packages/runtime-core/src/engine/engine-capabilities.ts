/** Optional operations an engine supports; each defaults to `false` (kysely's `DialectAdapter` flags). */
export interface EngineCapabilities {
  /** `retry(run)` re-runs a FAILED run from its failed step */
  readonly retryFailedRun: boolean;
  /** `resume(run)` lets an operator resolve the run's current wait */
  readonly adminResume: boolean;
  /** the engine can put a resolved wait back to waiting (redelivery tooling) */
  readonly requeueWait: boolean;
}

/** Builds a capability set from the flags given; every flag not given is `false`. */
export function defineCapabilities(flags: Partial<EngineCapabilities> = {}): EngineCapabilities {
  return Object.freeze({
    retryFailedRun: flags.retryFailedRun ?? false,
    adminResume: flags.adminResume ?? false,
    requeueWait: flags.requeueWait ?? false,
  });
}
