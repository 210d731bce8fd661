import { GroupQueue } from './group-queue.js';

/** How a {@link groupCommitQueue} writes and batches its items. */
export interface GroupCommitOptions<T> {
  /** Writes a batch in one statement or transaction; answers the ids of the items it applied. */
  readonly write: (items: readonly T[]) => Promise<ReadonlySet<string>>;
  /** The id an item is answered by (a run id). */
  readonly idOf: (item: T) => string;
  readonly maxBatch: number;
  /** batches written at the same time */
  readonly maxInFlight: number;
  /** at most one item per id in a batch (a later one waits for the next batch) @default false */
  readonly distinctIds?: boolean;
}

/**
 * Group commit: a {@link GroupQueue} of writes, each item answered `true` when the write applied it
 * (`false`: fenced out, already there), so N concurrent writes cost one statement and one commit.
 */
export function groupCommitQueue<T>(options: GroupCommitOptions<T>): GroupQueue<T, boolean> {
  return new GroupQueue<T, boolean>({
    maxBatch: options.maxBatch,
    maxInFlight: options.maxInFlight,
    keyOf: options.idOf,
    distinct: options.distinctIds ?? false,
    run: async (items) => {
      const applied = await options.write(items);
      return items.map((item) => applied.has(options.idOf(item)));
    },
  });
}
