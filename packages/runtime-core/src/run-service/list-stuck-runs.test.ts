import { describe, expect, it } from 'vitest';
import { isBatonError, toErrorBody } from '../errors/baton-error.js';
import { InMemoryRunStore } from '../ports/in-memory/in-memory-run-store.js';
import { InMemoryStuckRuns } from '../ports/in-memory/in-memory-stuck-runs.js';
import type { StuckRun, StuckRunSource } from '../ports/stuck-run-source.js';
import { createHarness, definition } from './__fixtures__/runtime-harness.js';

async function errorOf(promise: Promise<unknown>): Promise<{ code?: string; body: ReturnType<typeof toErrorBody> }> {
  try {
    await promise;
  } catch (err) {
    return { code: isBatonError(err) ? err.code : 'not-a-baton-error', body: toErrorBody(err) };
  }
  throw new Error('expected a rejection');
}

/** A second source standing for another engine's judge: lists the given runs, one page per call of `limit`. */
function listSource(engine: 'db' | 'temporal', stuck: () => StuckRun[]): StuckRunSource {
  return {
    engine,
    async listStuck(tenant, q) {
      const all = stuck().filter((s) => s.run.tenant === tenant && (q.workflow === undefined || s.run.workflow === q.workflow));
      const start = q.cursor === undefined ? 0 : Number(q.cursor);
      const items = all.slice(start, start + q.limit);
      return { items, nextCursor: start + q.limit < all.length ? String(start + q.limit) : null };
    },
  };
}

async function setup(extra: StuckRunSource[] = []) {
  const runs = new InMemoryRunStore();
  const stuckRuns = new InMemoryStuckRuns(runs);
  const h = createHarness({ runs, stuckRuns, engineStuckRuns: extra });
  for (const tenant of ['acme', 'globex']) {
    await h.runtime.publishDefinition(tenant, definition('a', '1.0.0'));
    await h.runtime.publishDefinition(tenant, definition('b', '1.0.0'));
  }
  return { h, runs, stuckRuns };
}

describe('listStuckRuns / listRuns({ stuck: true })', () => {
  it('lists a tenant’s runs parked on an action no live worker provides, in the run-list shape plus stuckReason', async () => {
    const { h, runs, stuckRuns } = await setup();
    const parked = await h.runtime.startRun('acme', { workflow: 'a', input: 1 });
    const provided = await h.runtime.startRun('acme', { workflow: 'a', input: 2 });
    const waiting = await h.runtime.startRun('acme', { workflow: 'b', input: 3 });
    const finished = await h.runtime.startRun('acme', { workflow: 'b', input: 4 });
    const foreign = await h.runtime.startRun('globex', { workflow: 'a', input: 5 });
    await runs.update('acme', waiting.runId, { status: 'WAITING', updatedAt: '2026-01-01T00:00:01.000Z' });
    stuckRuns.park('acme', parked.runId, 'ops.vanished@1', '2026-01-01T00:00:02.000Z', '2026-01-02T00:00:02.000Z');
    stuckRuns.park('acme', provided.runId, 'ops.present@1', '2026-01-01T00:00:02.000Z');
    stuckRuns.park('acme', finished.runId, 'ops.vanished@1', '2026-01-01T00:00:02.000Z');
    await runs.update('acme', finished.runId, { status: 'FAILED', updatedAt: '2026-01-01T00:00:03.000Z' });
    stuckRuns.park('globex', foreign.runId, 'ops.vanished@1', '2026-01-01T00:00:02.000Z');
    stuckRuns.setProvided(['ops.present@1']);

    const listed = await h.runtime.listRuns('acme', { stuck: true });
    expect(listed).toEqual({
      items: [
        {
          runId: parked.runId,
          workflow: 'a',
          version: '1.0.0',
          engine: 'db',
          status: 'RUNNING',
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
          stuckReason: {
            code: 'ACTION_NOT_PROVIDED',
            message: 'waits for action ops.vanished@1, which no live worker provides',
            action: 'ops.vanished@1',
            since: '2026-01-01T00:00:02.000Z',
            deadline: '2026-01-02T00:00:02.000Z',
          },
        },
      ],
      nextCursor: null,
    });
    expect(await h.runtime.listStuckRuns('acme')).toEqual(listed);
    expect((await h.runtime.listRuns('globex', { stuck: true })).items.map((r) => r.runId)).toEqual([foreign.runId]);
    expect((await h.runtime.listRuns('acme', { stuck: true, workflow: 'b' })).items).toEqual([]);
    // without stuck, the normal list (no stuckReason)
    expect((await h.runtime.listRuns('acme')).items.every((r) => r.stuckReason === undefined)).toBe(true);
    // a worker providing it appears: no longer stuck
    stuckRuns.setProvided(['ops.present@1', 'ops.vanished@1']);
    expect((await h.runtime.listRuns('acme', { stuck: true })).items).toEqual([]);
  });

  it('pages across sources with limit and cursor; engine picks the sources', async () => {
    const temporalStuck: StuckRun[] = [];
    const { h, runs, stuckRuns } = await setup([listSource('temporal', () => temporalStuck)]);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { runId } = await h.runtime.startRun('acme', { workflow: 'a', input: i });
      stuckRuns.park('acme', runId, 'ops.vanished@1', `2026-01-01T00:00:0${i}.000Z`);
      ids.push(runId);
    }
    for (let i = 0; i < 2; i++) {
      const { runId } = await h.runtime.startRun('acme', { workflow: 'b', input: i, engine: 'temporal' });
      const run = (await runs.get('acme', runId))!;
      temporalStuck.push({ run, reason: { code: 'ACTION_NOT_PROVIDED', message: 'stand-in', action: 'x@1', since: run.createdAt, deadline: null } });
      ids.push(runId);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await h.runtime.listRuns('acme', { stuck: true, limit: 2, ...(cursor === undefined ? {} : { cursor }) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.runId));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined && pages < 10);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
    expect((await h.runtime.listRuns('acme', { stuck: true, engine: 'temporal' })).items.map((r) => r.engine)).toEqual(['temporal', 'temporal']);
    expect((await h.runtime.listRuns('acme', { stuck: true, engine: 'db' })).items).toHaveLength(3);
  });

  it('refuses filters a stuck run cannot match and foreign cursors with VALIDATION_ERROR', async () => {
    const { h } = await setup();
    const refused = await errorOf(h.runtime.listRuns('acme', { stuck: true, status: 'FAILED', createdAfter: '2026-01-01T00:00:00.000Z' }));
    expect(refused.code).toBe('VALIDATION_ERROR');
    expect(refused.body.error.issues).toEqual([
      { path: 'status', message: 'not allowed with stuck=true', code: 'NOT_WITH_STUCK' },
      { path: 'createdAfter', message: 'not allowed with stuck=true', code: 'NOT_WITH_STUCK' },
    ]);
    for (const cursor of ['run-0001', Buffer.from('[7,null]').toString('base64url'), Buffer.from('[0,"nope"]').toString('base64url')]) {
      const bad = await errorOf(h.runtime.listRuns('acme', { stuck: true, cursor }));
      expect(bad.code, cursor).toBe('VALIDATION_ERROR');
      expect(bad.body.error.issues).toEqual([expect.objectContaining({ path: 'cursor', code: 'INVALID_CURSOR' })]);
    }
  });

  it('a runtime without stuck-run sources lists nothing', async () => {
    const h = createHarness();
    await h.runtime.publishDefinition('acme', definition('a', '1.0.0'));
    await h.runtime.startRun('acme', { workflow: 'a', input: 1 });
    expect(await h.runtime.listRuns('acme', { stuck: true })).toEqual({ items: [], nextCursor: null });
  });
});
