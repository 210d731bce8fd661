import type { RunCompletionFeed } from '@baton/runtime-core';
import type { PgPoolLike } from '../database/pg-pool.js';
import { runFinishedChannel } from '../engine/sql-names.js';
import { startWakeListener } from '../engine/wake-listener.js';

/** Options of {@link createPostgresRunCompletionFeed}. */
export interface PostgresRunCompletionFeedOptions {
  /** the feed holds one connection of this pool in `LISTEN` */
  readonly pool: PgPoolLike;
  /** schema of Baton's tables @default 'baton' */
  readonly schema?: string;
  /** called when the LISTEN connection fails (it reconnects, then wakes every watcher) */
  readonly onError?: (error: Error) => void;
}

/** The Postgres run completion feed: one LISTEN connection shared by every watcher of the process. */
export interface PostgresRunCompletionFeed extends RunCompletionFeed {
  /** Resolves once the first LISTEN succeeded. */
  readonly ready: Promise<void>;
  /** Runs watched now (a run watched by several requests counts once). */
  readonly watchedRuns: () => number;
  /** Calls every watcher with `closing = true`, stops listening and releases the connection. */
  close(): Promise<void>;
}

const key = (tenant: string, runId: string) => `${tenant}\u0000${runId}`;

function parsePayload(payload: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(payload);
    if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') return key(parsed[0], parsed[1]);
  } catch {
    // not ours: ignore
  }
  return undefined;
}

/**
 * Fans the run table's "run finished" notifications (migration 0006) out to the watchers of each
 * run, by tenant and run id. After a (re)connect every watcher is called, since notifications sent
 * while the connection was down are lost.
 */
export function createPostgresRunCompletionFeed(options: PostgresRunCompletionFeedOptions): PostgresRunCompletionFeed {
  const watchers = new Map<string, Set<(closing: boolean) => void>>();
  const call = (set: Iterable<(closing: boolean) => void>, closing = false) => {
    for (const onChange of [...set]) onChange(closing);
  };
  const listener = startWakeListener({
    pool: options.pool,
    channel: runFinishedChannel(options.schema ?? 'baton'),
    onWake: (payload) => {
      if (payload === undefined) {
        for (const set of [...watchers.values()]) call(set);
        return;
      }
      const k = parsePayload(payload);
      const set = k === undefined ? undefined : watchers.get(k);
      if (set) call(set);
    },
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return {
    ready: listener.ready,
    watchedRuns: () => watchers.size,
    watch(tenant, runId, onChange) {
      const k = key(tenant, runId);
      let set = watchers.get(k);
      if (!set) watchers.set(k, (set = new Set()));
      set.add(onChange);
      return () => {
        set.delete(onChange);
        if (set.size === 0 && watchers.get(k) === set) watchers.delete(k);
      };
    },
    async close() {
      for (const set of [...watchers.values()]) call(set, true);
      watchers.clear();
      await listener.close();
    },
  };
}
