import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStores } from '@baton/db-legacy-adapter';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import { startInboxPruner } from './inbox-pruner.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('inbox_pruner');
});
afterAll(async () => db?.drop());

describe('event inbox pruning', () => {
  it('removes events older than the retention in bounded batches and keeps the newer ones', async () => {
    const stores = createPostgresStores({ pool: db.pool, schema: db.schema });
    const now = Date.parse('2026-01-10T00:00:00.000Z');
    const day = 86_400_000;
    const events = Array.from({ length: 7 }, (_, i) => ({
      eventId: `e${i}`,
      eventName: 'PAID',
      inboxKey: 'k',
      payload: {},
      // e0..e4 are 8 days old, e5 and e6 one day old
      receivedAt: new Date(now - (i < 5 ? 8 : 1) * day).toISOString(),
    }));
    await stores.events.recordMany('acme', events);
    const pruner = startInboxPruner({ inbox: stores.inbox, retentionMs: 7 * day, batchSize: 2, maxBatchesPerRound: 2, intervalMs: 3_600_000, clock: () => new Date(now) });
    try {
      // a round is capped: 2 batches of 2
      expect(await pruner.pruneOnce()).toBe(4);
      expect(await pruner.pruneOnce()).toBe(1);
      expect(await pruner.pruneOnce()).toBe(0);
    } finally {
      await pruner.stop();
    }
    const left = await stores.inbox.candidates('acme', { runId: 'r', waitId: 'w', eventName: 'PAID', correlationKey: 'k', since: new Date(now - 30 * day).toISOString() });
    expect(left.map((e) => e.eventId)).toEqual(['e5', 'e6']);
    // the audit is not pruned
    expect(await stores.events.get('acme', 'e0')).toBeDefined();
  });
});
