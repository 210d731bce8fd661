import { describe, expect, it } from 'vitest';
import { createInMemoryStores } from './create-in-memory-stores.js';

const received = (eventId: string, at: string, inboxKey?: string) => ({
  eventId,
  eventName: 'PAID',
  payload: { id: eventId },
  receivedAt: at,
  ...(inboxKey !== undefined ? { inboxKey } : {}),
});

describe('in-memory event inbox (createInMemoryStores)', () => {
  it('keeps recorded events with a key, earliest first, within since, leaving out what the run took', async () => {
    const stores = createInMemoryStores();
    await stores.events.recordMany('t', [received('e2', '2025-01-01T00:00:02.000Z', 'k'), received('e1', '2025-01-01T00:00:01.000Z', 'k'), received('e0', '2025-01-01T00:00:00.000Z', 'k')]);
    await stores.events.record('t', received('no-key', '2025-01-01T00:00:01.500Z'));
    await stores.events.record('t', received('other', '2025-01-01T00:00:01.500Z', 'other'));
    await stores.events.record('t', received('e1', '2025-01-01T00:00:09.000Z', 'k')); // a duplicate id is not kept again
    await stores.events.record('u', received('tenant-u', '2025-01-01T00:00:01.500Z', 'k'));
    const query = { runId: 'r1', waitId: 'w1', eventName: 'PAID', correlationKey: 'k', since: '2025-01-01T00:00:01.000Z' };
    expect((await stores.inbox.candidates('t', query)).map((e) => e.eventId)).toEqual(['e1', 'e2']);

    await stores.waits.open('t', { runId: 'r1', engine: 'db', waitId: 'w1', type: 'EVENT', stepId: 's', eventName: 'PAID', correlationKey: 'k', createdAt: '2025-01-01T00:00:03.000Z' });
    await stores.waits.close('t', 'r1', 'w1', 'RESOLVED', '2025-01-01T00:00:04.000Z', 'e1');
    // the run's next wait does not take e1 again
    expect((await stores.inbox.candidates('t', { ...query, waitId: 'w2' })).map((e) => e.eventId)).toEqual(['e2']);
    // the wait that took it is offered it again (a retried Temporal workflow task opens the same wait)
    expect((await stores.inbox.candidates('t', query)).map((e) => e.eventId)).toEqual(['e1', 'e2']);
    // another run has not taken e1
    expect((await stores.inbox.candidates('t', { ...query, runId: 'r2' })).map((e) => e.eventId)).toEqual(['e1', 'e2']);
  });

  it('prunes events received before a time, at most limit per call', async () => {
    const stores = createInMemoryStores();
    await stores.events.recordMany('t', [received('a', '2025-01-01T00:00:00.000Z', 'k'), received('b', '2025-01-01T00:00:01.000Z', 'k'), received('c', '2025-01-02T00:00:00.000Z', 'k')]);
    expect(await stores.inbox.prune('2025-01-01T12:00:00.000Z', 1)).toBe(1);
    expect(await stores.inbox.prune('2025-01-01T12:00:00.000Z', 10)).toBe(1);
    const all = await stores.inbox.candidates('t', { runId: 'r', waitId: 'w', eventName: 'PAID', correlationKey: 'k', since: '2000-01-01T00:00:00.000Z' });
    expect(all.map((e) => e.eventId)).toEqual(['c']);
  });
});
