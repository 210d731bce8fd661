import { describe, expect, it } from 'vitest';
import { createRunRef } from '@baton/runtime-core';
import type { EventBatchResult, EventDelivery } from './event-delivery-batch.js';
import { EventDeliveryQueue } from './event-delivery-queue.js';

const delivery = (runId: string, eventId: string): EventDelivery => ({
  run: createRunRef('db', 'acme', runId),
  event: { eventId, eventName: 'PAID', correlationKey: runId, payload: null },
});

/** A queue over a batch function whose transactions finish only when the test says so. */
function gatedQueue() {
  const started: string[][] = [];
  const finish: Array<() => void> = [];
  const queue = new EventDeliveryQueue(
    async (deliveries) => {
      started.push(deliveries.map((d) => `${d.run.runId}:${d.event.eventId}`));
      await new Promise<void>((resolve) => finish.push(resolve));
      return { outcomes: deliveries.map(() => undefined), commits: [] } satisfies EventBatchResult;
    },
    async () => {},
    64,
  );
  return { queue, started, finish };
}

/** Lets the queue's scheduled flushes run (each waits for a turn of the event loop). */
const turns = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('EventDeliveryQueue', () => {
  it('applies deliveries to one run in arrival order: a later one waits until the batch holding the earlier one finished', async () => {
    const { queue, started, finish } = gatedQueue();
    const done = [queue.deliver(delivery('r1', 'e1')), queue.deliver(delivery('r1', 'e2')), queue.deliver(delivery('r2', 'e3')), queue.deliver(delivery('r1', 'e4'))];
    await turns();
    // other runs go together; r1's second and third deliveries are held back
    expect(started).toEqual([['r1:e1', 'r2:e3']]);
    finish[0]!();
    await done[0];
    await turns();
    expect(started).toEqual([['r1:e1', 'r2:e3'], ['r1:e2']]);
    finish[1]!();
    await done[1];
    await turns();
    expect(started[2]).toEqual(['r1:e4']);
    finish[2]!();
    await Promise.all(done);
  });

  it('lets deliveries to other runs start while a run is busy', async () => {
    const { queue, started, finish } = gatedQueue();
    const first = queue.deliver(delivery('r1', 'e1'));
    await turns();
    const second = queue.deliver(delivery('r2', 'e2'));
    await turns();
    expect(started).toEqual([['r1:e1'], ['r2:e2']]);
    finish.forEach((f) => f());
    await Promise.all([first, second]);
  });
});
