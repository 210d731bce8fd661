import type { PgPoolLike } from '../database/pg-pool.js';
import { needsTransaction, writeCommits, type CommitStatements, type CommitWriterContext } from './commit-writer.js';
import { isConnectionError } from './connection-errors.js';
import { withClient } from './pooled-client.js';
import type { RunCommit } from './run-commit.js';

interface Pending {
  readonly commit: RunCommit;
  resolve(applied: boolean): void;
  reject(error: unknown): void;
}

/**
 * Group commit: run commits submitted while a transaction is in flight are written together in
 * the next one, so N runs advancing at once cost one fsync instead of N.
 */
export class CommitBatcher {
  readonly #pool: PgPoolLike;
  readonly #ctx: CommitWriterContext;
  readonly #statements: CommitStatements;
  readonly #maxBatch: number;
  readonly #maxInFlight: number;
  #queue: Pending[] = [];
  #inFlight = 0;
  #scheduled = false;
  /** Counters for tuning and tests (`fallbacks`: batches that failed as a whole and were redone one commit at a time). */
  readonly stats = { batches: 0, commits: 0, fallbacks: 0 };

  constructor(pool: PgPoolLike, ctx: CommitWriterContext, statements: CommitStatements, maxBatch: number, maxInFlight: number) {
    this.#pool = pool;
    this.#ctx = ctx;
    this.#statements = statements;
    this.#maxBatch = maxBatch;
    this.#maxInFlight = maxInFlight;
  }

  /** Queues a commit; resolves `true` when it applied, `false` when its fencing token no longer matched. */
  submit(commit: RunCommit): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.#queue.push({ commit, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#inFlight >= this.#maxInFlight || this.#scheduled) return;
    this.#scheduled = true;
    // One macrotask of delay lets runs whose actions finished in the same tick join the batch.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    if (this.#inFlight >= this.#maxInFlight || this.#queue.length === 0) return;
    this.#inFlight += 1;
    const batch = this.#takeBatch();
    try {
      const applied = await this.#write(batch.map((p) => p.commit));
      this.stats.batches += 1;
      this.stats.commits += batch.length;
      for (const p of batch) p.resolve(applied.has(p.commit.runId));
    } catch (error) {
      // One run's commit must not fail the others of its batch: redo each on its own, so only the
      // commits that fail by themselves are refused (a lost connection fails them all anyway).
      if (batch.length === 1 || isConnectionError(error)) for (const p of batch) p.reject(error);
      else await this.#writeOneByOne(batch);
    } finally {
      this.#inFlight -= 1;
      if (this.#queue.length) this.#schedule();
    }
  }

  async #writeOneByOne(batch: readonly Pending[]): Promise<void> {
    this.stats.fallbacks += 1;
    for (const p of batch) {
      try {
        const applied = await this.#write([p.commit]);
        this.stats.batches += 1;
        this.stats.commits += 1;
        p.resolve(applied.has(p.commit.runId));
      } catch (error) {
        p.reject(error);
      }
    }
  }

  #takeBatch(): Pending[] {
    // A run has at most one commit in flight, but guard anyway: a second commit of the same run waits for the next batch.
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const seen = new Set<string>();
    for (const p of this.#queue) {
      if (batch.length < this.#maxBatch && !seen.has(p.commit.runId)) {
        seen.add(p.commit.runId);
        batch.push(p);
      } else rest.push(p);
    }
    this.#queue = rest;
    return batch;
  }

  #write(commits: RunCommit[]): Promise<Set<string>> {
    return withClient(this.#pool, async (client) => {
      if (!needsTransaction(commits)) return writeCommits(client, this.#ctx, this.#statements, commits);
      await client.query('BEGIN', []);
      try {
        const applied = await writeCommits(client, this.#ctx, this.#statements, commits);
        await client.query('COMMIT', []);
        return applied;
      } catch (error) {
        await client.query('ROLLBACK', []).catch(() => undefined);
        throw error;
      }
    });
  }
}
