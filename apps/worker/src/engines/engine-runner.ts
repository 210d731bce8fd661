import type { EngineKind } from '@baton/event-schemas';
import type { HealthCheckResult } from '../http/health-server.js';

/** One engine's worker loop inside the worker process. */
export interface EngineRunner {
  readonly engine: EngineKind;
  /** Begins taking work (claiming runs, polling the task queue). */
  start(): Promise<void>;
  /**
   * Stops taking new work, lets in-flight steps finish for up to `graceMs`, aborts the rest and
   * hands their runs back (Postgres leases released, Temporal tasks returned to the queue).
   */
  stop(graceMs: number): Promise<void>;
  /** Whether the loop runs and its backend answers. */
  health(): Promise<HealthCheckResult>;
}
