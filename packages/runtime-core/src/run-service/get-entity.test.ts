import { describe, expect, it } from 'vitest';
import type { JsonValue } from '@baton/event-schemas';
import { isBatonError } from '../errors/baton-error.js';
import type { EntityRecord } from '../ports/entity-store.js';
import { getEntity } from './get-entity.js';
import type { RuntimeContext } from './runtime-context.js';

const record = (sequence: number, pending: number): EntityRecord => ({
  tenant: 't',
  workflow: 'w',
  entityKey: 'k',
  runId: 'run-1',
  engine: 'db',
  status: 'WAITING',
  sequence,
  pending,
});

/** A context whose entity store and engine answer from `world`, which the engine may move on as it answers (an event taken meanwhile). */
function contextOver(world: { record: EntityRecord | undefined; taken: number }, onStateRead: () => void = () => {}) {
  let recordReads = 0;
  const ctx = {
    entities: {
      get: async () => {
        recordReads++;
        return world.record;
      },
    },
    engines: {
      db: {
        readVariables: async (): Promise<JsonValue> => {
          onStateRead();
          return { taken: world.taken };
        },
      },
    },
  } as unknown as RuntimeContext;
  return { ctx, recordReads: () => recordReads };
}

describe('getEntity', () => {
  it('answers the state with the record it belongs to when an event is taken between the two reads', async () => {
    const world = { record: record(30, 1), taken: 30 };
    // The 31st event is taken just before the engine answers the state.
    const { ctx } = contextOver(world, () => {
      world.record = record(31, 0);
      world.taken = 31;
    });
    expect(await getEntity(ctx, 't', 'w', 'k')).toEqual({ runId: 'run-1', engine: 'db', status: 'WAITING', sequence: 31, pending: 0, state: { taken: 31 } });
  });

  it('reads the record once more only: a quiet entity costs two record reads and one state read', async () => {
    const { ctx, recordReads } = contextOver({ record: record(3, 0), taken: 3 });
    expect(await getEntity(ctx, 't', 'w', 'k')).toMatchObject({ sequence: 3, pending: 0, state: { taken: 3 } });
    expect(recordReads()).toBe(2);
  });

  it('answers after a bounded number of reads while events keep being taken', async () => {
    const world = { record: record(1, 0), taken: 1 };
    const { ctx, recordReads } = contextOver(world, () => {
      world.taken += 1;
      world.record = record(world.taken, 0);
    });
    const view = await getEntity(ctx, 't', 'w', 'k');
    expect(recordReads()).toBe(6);
    expect(view).toMatchObject({ sequence: 6, state: { taken: 6 } });
  });

  it('answers ENTITY_NOT_FOUND for an entity no event was admitted to', async () => {
    const { ctx } = contextOver({ record: undefined, taken: 0 });
    await expect(getEntity(ctx, 't', 'w', 'k')).rejects.toSatisfy((err: unknown) => isBatonError(err, 'ENTITY_NOT_FOUND'));
  });
});
