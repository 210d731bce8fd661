import type { PgPoolLike } from '../database/pg-pool.js';
import { withClient } from './pooled-client.js';
import type { SqlStatement } from './sql-statement.js';
import { EngineErrorCode, RunProcessingStopped } from './engine-errors.js';

interface Held {
  readonly token: string;
  readonly controller: AbortController;
  renewedAt: number;
}

/**
 * Keeps the leases of the runs this worker processes: commits renew them as a side effect; runs
 * that went a third of the lease without a commit (a long action) are renewed in one statement.
 * A run whose token changed (taken over, cancelled) is aborted through its signal.
 */
export class LeaseKeeper {
  readonly #held = new Map<string, Held>();
  readonly #pool: PgPoolLike;
  readonly #statement: SqlStatement;
  readonly #owner: string;
  readonly #leaseMs: number;
  readonly #onError: (error: Error) => void;
  #timer: NodeJS.Timeout | undefined;
  #renewing = false;

  constructor(pool: PgPoolLike, statement: SqlStatement, owner: string, leaseMs: number, onError: (error: Error) => void) {
    this.#pool = pool;
    this.#statement = statement;
    this.#owner = owner;
    this.#leaseMs = leaseMs;
    this.#onError = onError;
  }

  /** Starts tracking a claimed run; the signal aborts when its lease is lost. */
  track(runId: string, token: string): AbortSignal {
    const controller = new AbortController();
    this.#held.set(runId, { token, controller, renewedAt: Date.now() });
    return controller.signal;
  }

  /** A commit renewed the lease. */
  renewed(runId: string): void {
    const held = this.#held.get(runId);
    if (held) held.renewedAt = Date.now();
  }

  untrack(runId: string): void {
    this.#held.delete(runId);
  }

  /** Aborts every tracked run (worker stopping). */
  abortAll(reason: Error): void {
    for (const held of this.#held.values()) held.controller.abort(reason);
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.renewDue(), Math.max(50, Math.floor(this.#leaseMs / 6)));
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Renews the leases not renewed for a third of their length; aborts the runs that lost theirs. */
  async renewDue(): Promise<void> {
    if (this.#renewing) return;
    const threshold = Date.now() - this.#leaseMs / 3;
    const due = [...this.#held.entries()].filter(([, h]) => h.renewedAt <= threshold);
    if (due.length === 0) return;
    this.#renewing = true;
    const started = Date.now();
    try {
      const result = await withClient(this.#pool, (client) =>
        this.#statement.run<{ run_id: string }>(client, [this.#owner, Math.round(this.#leaseMs), due.map(([id]) => id), due.map(([, h]) => h.token)]),
      );
      const kept = new Set(result.rows.map((r) => r.run_id));
      for (const [runId, held] of due) {
        if (this.#held.get(runId) !== held) continue;
        if (kept.has(runId)) held.renewedAt = started;
        else held.controller.abort(new RunProcessingStopped(EngineErrorCode.LEASE_LOST, runId));
      }
    } catch (error) {
      this.#onError(error as Error);
    } finally {
      this.#renewing = false;
    }
  }
}
