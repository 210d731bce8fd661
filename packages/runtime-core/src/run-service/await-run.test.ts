import type { RunStatus, RunView } from '@baton/event-schemas';
import { describe, expect, it } from 'vitest';
import type { RunCompletionFeed } from '../ports/run-completion-feed.js';
import { awaitRunView } from './await-run.js';

function view(status: RunStatus): RunView {
  return { runId: 'r1', workflow: 'w', version: '1.0.0', engine: 'db', status, input: {}, waits: [], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
}

/** A feed a test fires by hand; records who watches. */
function manualFeed() {
  const watchers = new Map<string, Set<(closing: boolean) => void>>();
  const feed: RunCompletionFeed = {
    watch(tenant, runId, onChange) {
      const key = `${tenant}/${runId}`;
      const set = watchers.get(key) ?? new Set();
      set.add(onChange);
      watchers.set(key, set);
      return () => set.delete(onChange);
    },
  };
  return { feed, watching: (key: string) => watchers.get(key)?.size ?? 0, fire: (key: string, closing = false) => [...(watchers.get(key) ?? [])].forEach((f) => f(closing)) };
}

describe('awaitRunView', () => {
  it('answers a finished run after one read', async () => {
    const { feed, watching } = manualFeed();
    let reads = 0;
    const result = await awaitRunView({ feed, tenant: 'acme', runId: 'r1', waitMs: 10_000, read: async () => (reads++, view('SUCCEEDED')) });
    expect(result.status).toBe('SUCCEEDED');
    expect(reads).toBe(1);
    expect(watching('acme/r1')).toBe(0);
  });

  it('answers when the feed reports the run finished, reading only on notifications', async () => {
    const { feed, watching, fire } = manualFeed();
    let status: RunStatus = 'RUNNING';
    let reads = 0;
    const pending = awaitRunView({ feed, tenant: 'acme', runId: 'r1', waitMs: 10_000, read: async () => (reads++, view(status)) });
    await expect.poll(() => watching('acme/r1')).toBe(1);
    await expect.poll(() => reads).toBe(1);
    fire('acme/r1'); // a spurious wake-up (e.g. a reconnect): read again, keep waiting
    await expect.poll(() => reads).toBe(2);
    status = 'FAILED';
    fire('acme/r1');
    expect((await pending).status).toBe('FAILED');
    expect(reads).toBe(3);
    expect(watching('acme/r1')).toBe(0);
  });

  it('a completion committed between watching and the first read is not missed', async () => {
    const { feed, fire } = manualFeed();
    let status: RunStatus = 'RUNNING';
    let reads = 0;
    const result = await awaitRunView({
      feed,
      tenant: 'acme',
      runId: 'r1',
      waitMs: 10_000,
      read: async () => {
        reads++;
        const seen = view(status);
        if (reads === 1) {
          status = 'SUCCEEDED';
          fire('acme/r1');
        }
        return seen;
      },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(reads).toBe(2);
  });

  it('answers the current state when the time is up, with one read at the start and one at the end', async () => {
    const { feed, watching } = manualFeed();
    let status: RunStatus = 'RUNNING';
    let reads = 0;
    const pending = awaitRunView({ feed, tenant: 'acme', runId: 'r1', waitMs: 200, read: async () => (reads++, view(status)) });
    await expect.poll(() => reads).toBe(1);
    status = 'WAITING';
    expect((await pending).status).toBe('WAITING');
    expect(reads).toBe(2);
    expect(watching('acme/r1')).toBe(0);
  });

  it('answers the current state at once when the feed closes (the process stops)', async () => {
    const { feed, fire } = manualFeed();
    let reads = 0;
    const pending = awaitRunView({ feed, tenant: 'acme', runId: 'r1', waitMs: 60_000, read: async () => (reads++, view('WAITING')) });
    await expect.poll(() => reads).toBe(1);
    fire('acme/r1', true);
    expect((await pending).status).toBe('WAITING');
    expect(reads).toBe(2);
  });

  it('without a feed or with no wait, answers the current state at once', async () => {
    const { feed } = manualFeed();
    expect((await awaitRunView({ feed: undefined, tenant: 'acme', runId: 'r1', waitMs: 10_000, read: async () => view('RUNNING') })).status).toBe('RUNNING');
    expect((await awaitRunView({ feed, tenant: 'acme', runId: 'r1', waitMs: 0, read: async () => view('RUNNING') })).status).toBe('RUNNING');
  });

  it('a missing run rejects (RUN_NOT_FOUND from the read) and stops watching', async () => {
    const { feed, watching } = manualFeed();
    await expect(awaitRunView({ feed, tenant: 'acme', runId: 'r1', waitMs: 10_000, read: () => Promise.reject(new Error('RUN_NOT_FOUND')) })).rejects.toThrow('RUN_NOT_FOUND');
    expect(watching('acme/r1')).toBe(0);
  });
});
