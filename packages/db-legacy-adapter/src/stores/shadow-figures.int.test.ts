import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insertable } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import type { ShadowComparisonsTable } from '../database/database-types.js';
import { readShadowFigures } from './shadow-figures.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('shadow_figures', { awkward: true });
});
afterAll(async () => t?.drop());

function row(runId: string, extra: Partial<Insertable<ShadowComparisonsTable>> = {}): Insertable<ShadowComparisonsTable> {
  return {
    tenant_id: 'acme',
    workflow_name: 'billing.remind',
    primary_run_id: runId,
    shadow_run_id: `${runId}-shadow`,
    primary_engine: 'db',
    shadow_engine: 'temporal',
    comparison: 'MATCH',
    primary_latency_ms: 100,
    shadow_latency_ms: 150,
    compared_at: new Date(),
    ...extra,
  };
}

describe('readShadowFigures', () => {
  it('answers zeros and null latencies when nothing was shadowed', async () => {
    expect(await readShadowFigures(t.db, 'acme', 'nothing')).toEqual({
      compared: 0,
      matched: 0,
      different: 0,
      pending: 0,
      discrepancyRate: 0,
      latency: { primaryP50Ms: null, shadowP50Ms: null, ratio: null },
    });
  });

  it('counts comparisons, the discrepancy rate and the median latencies of compared pairs, per tenant and workflow', async () => {
    await t.db
      .insertInto('shadow_comparisons')
      .values([
        row('r1', { primary_latency_ms: 100, shadow_latency_ms: 150 }),
        row('r2', { primary_latency_ms: 200, shadow_latency_ms: 300 }),
        row('r3', { primary_latency_ms: 300, shadow_latency_ms: 900, comparison: 'DIFFERENT', first_difference: JSON.stringify({ path: 'output', field: 'output' }) }),
        row('r4', { comparison: 'PENDING', compared_at: null, primary_latency_ms: 1, shadow_latency_ms: null }),
        row('r5', { primary_engine: 'temporal', shadow_engine: 'db', primary_latency_ms: 1000, shadow_latency_ms: 1000, comparison: 'DIFFERENT' }),
        row('other-tenant', { tenant_id: 'globex', comparison: 'DIFFERENT' }),
        row('other-workflow', { workflow_name: 'billing.other', comparison: 'DIFFERENT' }),
      ])
      .execute();
    expect(await readShadowFigures(t.db, 'acme', 'billing.remind')).toEqual({
      compared: 4,
      matched: 2,
      different: 2,
      pending: 1,
      discrepancyRate: 0.5,
      latency: { primaryP50Ms: 250, shadowP50Ms: 600, ratio: 2.4 },
    });
    expect(await readShadowFigures(t.db, 'acme', 'billing.remind', { shadowEngine: 'temporal' })).toEqual({
      compared: 3,
      matched: 2,
      different: 1,
      pending: 1,
      discrepancyRate: 1 / 3,
      latency: { primaryP50Ms: 200, shadowP50Ms: 300, ratio: 1.5 },
    });
  });
});
