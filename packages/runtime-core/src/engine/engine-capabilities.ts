/**
 * What an engine supports and how it behaves; each flag defaults to `false` (kysely's `DialectAdapter`
 * flags). Runtime-core decides behaviour from these flags, never from the engine's kind.
 */
export interface EngineCapabilities {
  /** `retry(run)` re-runs a FAILED run from its failed step */
  readonly retryFailedRun: boolean;
  /** `resume(run)` lets an operator resolve the run's current wait */
  readonly adminResume: boolean;
  /** the engine can put a resolved wait back to waiting (redelivery tooling) */
  readonly requeueWait: boolean;
  /**
   * `deliverEvent` is resolved locally in transactions shared by concurrent deliveries (Postgres), so an
   * event batch holds its slot until those deliveries finished. Without it a delivery is an independent
   * remote call (a Temporal signal): the batcher may start the next batch while it is in flight.
   */
  readonly batchedDelivery: boolean;
  /**
   * `cancel` asks a remote authority that settles the run asynchronously (Temporal) and may answer a
   * `CancelOutcome`; a failing cancel means the authority refused and nothing changed, answered as
   * `WORKFLOW_TEMPORAL_CANCEL_FAILED`. Without it the engine applies the cancel itself and its errors
   * pass through.
   */
  readonly asyncCancel: boolean;
  /**
   * `createAndStart(req)` writes the run's `RunStore` row and makes the run runnable in one commit
   * (the Postgres engine, whose runs are rows of the table the run store reads), so a start is
   * acknowledged after one durable write. Without it the runtime creates the row, then calls `start`.
   */
  readonly storesRunOnStart: boolean;
}

/** Builds a capability set from the flags given; every flag not given is `false`. */
export function defineCapabilities(flags: Partial<EngineCapabilities> = {}): EngineCapabilities {
  return Object.freeze({
    retryFailedRun: flags.retryFailedRun ?? false,
    adminResume: flags.adminResume ?? false,
    requeueWait: flags.requeueWait ?? false,
    batchedDelivery: flags.batchedDelivery ?? false,
    asyncCancel: flags.asyncCancel ?? false,
    storesRunOnStart: flags.storesRunOnStart ?? false,
  });
}
