import type { PgPoolLike } from '../database/pg-pool.js';
import { claimRunsAndNextDue, type ClaimedRun } from './claim-runs.js';
import { EngineErrorCode, RunProcessingStopped } from './engine-errors.js';
import type { SettledRun } from './engine-options.js';
import type { LeaseKeeper } from './lease-keeper.js';
import { withClient } from './pooled-client.js';
import type { SqlStatement } from './sql-statement.js';

/** What the loop needs. */
export interface ClaimLoopOptions {
  readonly pool: PgPoolLike;
  readonly owner: string;
  readonly concurrency: number;
  readonly leaseMs: number;
  readonly pollIntervalMs: number;
  /** claims and reads the time until the next due work in one statement (claim-runs.ts) */
  readonly claimStatement: SqlStatement;
  /** `id@version` of every action this worker provides: runs waiting for another action are left to workers that have it */
  readonly provided: readonly string[];
  readonly leases: LeaseKeeper;
  /** Processes one claimed run; resolves (with the final status, if it finished) when it waits or finishes. */
  readonly process: (run: ClaimedRun, signal: AbortSignal) => Promise<SettledRun | undefined>;
  /** Told about a finished run once its slot is free again (so a follow-up start can take the slot). */
  readonly onSettled: (run: SettledRun) => void;
  readonly onError: (error: Error) => void;
}

const MAX_BACKOFF_MS = 5000;

/**
 * The worker: claims due runs into free slots, processes them concurrently, and sleeps until a
 * notification, a freed slot, the next due time or the poll interval, whichever comes first.
 */
export class ClaimLoop {
  readonly #o: ClaimLoopOptions;
  readonly #active = new Map<string, Promise<void>>();
  /** Slots promised to local starts that are inserting their run. */
  #reserved = 0;
  /** A notification arrived or the last claim filled every free slot: more due work may be waiting. */
  #backlog = true;
  #stopping = false;
  #wake: (() => void) | undefined;
  #woken = false;
  #loop: Promise<void> | undefined;
  #failures = 0;

  constructor(options: ClaimLoopOptions) {
    this.#o = options;
  }

  /** Number of runs being processed. */
  get activeCount(): number {
    return this.#active.size;
  }

  #free(): number {
    return this.#o.concurrency - this.#active.size - this.#reserved;
  }

  /** Whether a local start could take a slot now (see {@link reserve}). */
  canAdopt(): boolean {
    return !this.#stopping && this.#loop !== undefined && this.#free() > 0;
  }

  /** Promises a slot to a local start (it inserts the run already leased to this worker); false when none is free. */
  reserve(): boolean {
    if (this.#stopping || this.#loop === undefined || this.#free() <= 0) return false;
    this.#reserved += 1;
    return true;
  }

  /** Gives back a reserved slot whose start did not produce a run to process. */
  unreserve(): void {
    this.#reserved -= 1;
    this.wake();
  }

  start(): void {
    if (this.#loop) return;
    this.#stopping = false;
    this.#loop = this.#run();
  }

  /** A notification arrived: look for work now. */
  notified(): void {
    this.#backlog = true;
    this.wake();
  }

  /** Asks the loop to look again (a slot freed, a reservation returned). */
  wake(): void {
    this.#woken = true;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Processes a run a local start inserted already leased to this worker, in the slot it reserved. */
  adoptReserved(run: ClaimedRun): void {
    this.#reserved -= 1;
    this.#launch(run);
  }

  /** Stops claiming; waits for the runs in progress (aborting them after `graceMs`). */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#loop;
    this.#loop = undefined;
    const all = Promise.allSettled([...this.#active.values()]);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.#o.leases.abortAll(new RunProcessingStopped(EngineErrorCode.WORKER_STOPPING, '*'));
      await all;
    }
  }

  #launch(run: ClaimedRun): void {
    const signal = this.#o.leases.track(run.runId, run.fencingToken);
    const work = this.#o
      .process(run, signal)
      .catch((error: unknown) => {
        if (!(error instanceof RunProcessingStopped)) this.#o.onError(error as Error);
        return undefined;
      })
      .then((settled) => {
        this.#o.leases.untrack(run.runId);
        this.#active.delete(run.runId);
        if (settled) this.#o.onSettled(settled);
        // A freed slot is worth a claim only when due work may be waiting; else the poll covers it.
        if (this.#backlog) this.wake();
      });
    this.#active.set(run.runId, work);
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      this.#woken = false;
      const free = this.#free();
      let claimed: ClaimedRun[] = [];
      let waitMs = this.#o.pollIntervalMs;
      if (free > 0) {
        try {
          const result = await withClient(this.#o.pool, (client) =>
            claimRunsAndNextDue(client, this.#o.claimStatement, this.#o.owner, free, this.#o.leaseMs, [...this.#active.keys()], this.#o.provided),
          );
          claimed = result.runs;
          if (claimed.length < free && result.nextDueMs !== null) waitMs = Math.min(waitMs, Math.max(1, Math.ceil(result.nextDueMs)));
          this.#failures = 0;
          this.#backlog = claimed.length === free;
        } catch (error) {
          this.#o.onError(error as Error);
          this.#failures += 1;
          waitMs = Math.min(MAX_BACKOFF_MS, 50 * 2 ** Math.min(this.#failures, 7));
        }
        for (const run of claimed) this.#launch(run);
        if (claimed.length > 0 && claimed.length === free) continue;
      }
      if (this.#stopping || this.#woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.#wake = undefined;
          resolve();
        }, waitMs);
        this.#wake = () => {
          clearTimeout(timer);
          // let other wake-ups of this tick (several runs finishing) coalesce into one claim
          setImmediate(resolve);
        };
      });
    }
  }
}
