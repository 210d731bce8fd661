import type { Kysely } from 'kysely';
import type { ShadowDifference, ShadowReportDifference } from '@baton/event-schemas';
import type { ShadowComparisonStore, ShadowPair, ShadowVerdict, StoredShadowComparison } from '@baton/runtime-core';
import type { Database } from '../database/database-types.js';
import { json } from '../database/timestamps.js';

/**
 * `ShadowComparisonStore` over `shadow_comparisons`, the rows `readShadowFigures` (the shadow report
 * and the rollout gate) counts: a verdict replaces only a PENDING row, so the first filed one stands.
 */
export function createPostgresShadowComparisons(db: Kysely<Database>): ShadowComparisonStore {
  const pairRow = (tenant: string, pair: ShadowPair) => ({
    tenant_id: tenant,
    workflow_name: pair.workflow,
    primary_run_id: pair.primaryRunId,
    shadow_run_id: pair.shadowRunId,
    primary_engine: pair.primaryEngine,
    shadow_engine: pair.shadowEngine,
  });
  return {
    async open(tenant: string, pair: ShadowPair): Promise<void> {
      await db.insertInto('shadow_comparisons').values(pairRow(tenant, pair)).onConflict((oc) => oc.column('primary_run_id').doNothing()).execute();
    },

    async record(tenant: string, verdict: ShadowVerdict): Promise<boolean> {
      const filed = {
        comparison: verdict.comparison,
        first_difference: verdict.firstDifference ? json(verdict.firstDifference) : null,
        primary_latency_ms: verdict.primaryLatencyMs,
        shadow_latency_ms: verdict.shadowLatencyMs,
        compared_at: verdict.comparedAt,
      };
      const written = await db
        .insertInto('shadow_comparisons')
        .values({ ...pairRow(tenant, verdict), ...filed })
        .onConflict((oc) =>
          oc
            .column('primary_run_id')
            .doUpdateSet(filed)
            .where('shadow_comparisons.comparison', '=', 'PENDING')
            .where('shadow_comparisons.tenant_id', '=', tenant),
        )
        .returning('primary_run_id')
        .executeTakeFirst();
      return written !== undefined;
    },

    async get(tenant: string, primaryRunId: string): Promise<StoredShadowComparison | undefined> {
      const row = await db
        .selectFrom('shadow_comparisons')
        .select(['comparison', 'first_difference'])
        .where('tenant_id', '=', tenant)
        .where('primary_run_id', '=', primaryRunId)
        .executeTakeFirst();
      if (!row) return undefined;
      return { comparison: row.comparison, ...(row.first_difference ? { firstDifference: row.first_difference as unknown as ShadowDifference } : {}) };
    },

    async differences(tenant: string, workflow: string, limit: number): Promise<ShadowReportDifference[]> {
      const rows = await db
        .selectFrom('shadow_comparisons')
        .select(['primary_run_id', 'shadow_run_id', 'first_difference'])
        .where('tenant_id', '=', tenant)
        .where('workflow_name', '=', workflow)
        .where('comparison', '=', 'DIFFERENT')
        .orderBy('compared_at', 'desc')
        .orderBy('primary_run_id')
        .limit(limit)
        .execute();
      return rows.map((row) => {
        const d = (row.first_difference ?? {}) as unknown as Partial<ShadowDifference>;
        return { runId: row.primary_run_id, shadowRunId: row.shadow_run_id ?? '', path: d.path ?? '$', field: d.field ?? 'unknown', primary: d.primary ?? null, shadow: d.shadow ?? null };
      });
    },
  };
}
