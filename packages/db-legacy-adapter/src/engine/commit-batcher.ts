import type { PgPoolLike } from '../database/pg-pool.js';
import { needsTransaction, writeCommits, type CommitStatements, type CommitWriterContext } from './commit-writer.js';
import { groupCommitQueue } from './group-commit-queue.js';
import type { GroupQueue } from './group-queue.js';
import { withClient } from './pooled-client.js';
import type { RunCommit } from './run-commit.js';

/**
 * Group commit of run commits: those submitted while a transaction is in flight are written
 * together in the next one, so N runs advancing at once cost one fsync instead of N. A run has at
 * most one commit in flight; a second commit of the same run waits for the next batch anyway.
 */
export class CommitBatcher {
  readonly #queue: GroupQueue<RunCommit, boolean>;

  constructor(pool: PgPoolLike, ctx: CommitWriterContext, statements: CommitStatements, maxBatch: number, maxInFlight: number) {
    this.#queue = groupCommitQueue<RunCommit>({
      maxBatch,
      maxInFlight,
      distinctIds: true,
      idOf: (commit) => commit.runId,
      write: (commits) =>
        withClient(pool, async (client) => {
          if (!needsTransaction(commits)) return writeCommits(client, ctx, statements, commits);
          await client.query('BEGIN', []);
          try {
            const applied = await writeCommits(client, ctx, statements, commits);
            await client.query('COMMIT', []);
            return applied;
          } catch (error) {
            await client.query('ROLLBACK', []).catch(() => undefined);
            throw error;
          }
        }),
    });
  }

  /** Counters for tuning and tests (`fallbacks`: batches that failed as a whole and were redone one commit at a time). */
  get stats(): { batches: number; commits: number; fallbacks: number } {
    const { batches, items, fallbacks } = this.#queue.stats;
    return { batches, commits: items, fallbacks };
  }

  /** Queues a commit; resolves `true` when it applied, `false` when its fencing token no longer matched. */
  submit(commit: RunCommit): Promise<boolean> {
    return this.#queue.submit(commit);
  }
}
