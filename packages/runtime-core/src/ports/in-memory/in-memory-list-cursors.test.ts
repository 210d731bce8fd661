import { describe, expect, it } from 'vitest';
import { isBatonError } from '../../errors/baton-error.js';
import { createInMemoryStores } from './create-in-memory-stores.js';

// The in-memory stores page like the Postgres ones: a cursor the list did not answer (unreadable,
// or naming nothing of the tenant) is refused with INVALID_CURSOR instead of reading as an empty
// last page or as the first page again.

const run = (runId: string, createdAt: string) => ({
  runId,
  workflow: 'wf',
  version: '1.0.0',
  definitionHash: 'h',
  engine: 'db' as const,
  status: 'RUNNING' as const,
  input: null,
  executionKey: null,
  runKey: runId,
  createdAt,
});

async function refusal(page: Promise<unknown>): Promise<unknown> {
  const error = await page.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isBatonError(error)).toBe(true);
  return error;
}

describe('in-memory list cursors', () => {
  it('pages runs with the nextCursor it answered, and refuses an unreadable cursor or one of another tenant', async () => {
    const stores = createInMemoryStores();
    await stores.runs.create('t', run('r1', '2025-01-01T00:00:01.000Z'));
    await stores.runs.create('t', run('r2', '2025-01-01T00:00:02.000Z'));
    await stores.runs.create('u', run('u1', '2025-01-01T00:00:03.000Z'));
    const first = await stores.runs.list('t', { limit: 1 });
    expect(first.items.map((r) => r.runId)).toEqual(['r2']);
    expect((await stores.runs.list('t', { limit: 1, cursor: first.nextCursor! })).items.map((r) => r.runId)).toEqual(['r1']);

    const foreign = (await stores.runs.list('u', { limit: 1 })).items[0]!;
    const foreignCursor = encodeURIComponent(JSON.stringify([foreign.createdAt, foreign.runId]));
    for (const cursor of ['not-a-cursor', foreignCursor]) {
      expect(await refusal(stores.runs.list('t', { limit: 1, cursor }))).toMatchObject({ code: 'VALIDATION_ERROR', details: { issues: [{ path: 'cursor', code: 'INVALID_CURSOR' }] } });
    }
  });

  it("pages events with the nextCursor it answered, and refuses an event id the tenant never sent", async () => {
    const stores = createInMemoryStores();
    const received = (eventId: string, at: string) => ({ eventId, eventName: 'PAID', payload: {}, receivedAt: at });
    await stores.events.recordMany('t', [received('e1', '2025-01-01T00:00:01.000Z'), received('e2', '2025-01-01T00:00:02.000Z')]);
    await stores.events.record('u', received('u1', '2025-01-01T00:00:03.000Z'));
    const first = await stores.events.list('t', { limit: 1 });
    expect((await stores.events.list('t', { limit: 1, cursor: first.nextCursor! })).items.map((e) => e.eventId)).toEqual(['e1']);
    for (const cursor of ['nope', 'u1']) {
      expect(await refusal(stores.events.list('t', { limit: 1, cursor }))).toMatchObject({ code: 'VALIDATION_ERROR', details: { issues: [{ path: 'cursor', code: 'INVALID_CURSOR' }] } });
    }
  });
});
