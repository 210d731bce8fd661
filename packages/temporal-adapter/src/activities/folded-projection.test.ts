import { describe, expect, it } from 'vitest';
import type { ProjectionBatch } from '../workflows/activity-contracts.js';
import { foldProjection, unfoldProjection } from '../workflows/folded-projection.js';

const T0 = '2030-01-01T00:00:00.000Z';
const empty: ProjectionBatch = { tenant: 'acme', runId: 'r1', steps: [], openedWaits: [], openedTasks: [], closedWaits: [], resolvedTasks: [], closedTasks: [] };

describe('folded projection batches', () => {
  it('carry only the run patch and the lists with items, and unfold to the same batch', () => {
    const batch: ProjectionBatch = { ...empty, closedWaits: [{ waitId: 'w1', outcome: 'RESOLVED', at: T0 }], run: { status: 'RUNNING', currentStepId: 's2', updatedAt: T0 } };
    const folded = foldProjection(batch);
    expect(folded).toEqual({ closedWaits: batch.closedWaits, run: batch.run });
    expect(unfoldProjection('acme', 'r1', folded)).toEqual(batch);
  });

  it('unfold a full batch, as older workers folded it into action calls', () => {
    const batch: ProjectionBatch = { ...empty, run: { currentStepId: 's1', updatedAt: T0 } };
    expect(unfoldProjection('acme', 'r1', batch)).toEqual(batch);
  });
});
