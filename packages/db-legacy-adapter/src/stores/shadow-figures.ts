import { sql, type Kysely } from 'kysely';
import type { EngineKind, ShadowFigures } from '@baton/event-schemas';
import type { Database } from '../database/database-types.js';

/** Options of {@link readShadowFigures}. */
export interface ShadowFiguresOptions {
  /** count only comparisons whose shadow ran on this engine (the rollout gate reads `temporal`) @default every comparison */
  readonly shadowEngine?: EngineKind;
}

function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * The shadow report figures of a tenant's workflow from `shadow_comparisons`: counts by comparison
 * (`compared` = MATCH + DIFFERENT), `discrepancyRate` = different / compared (0 when nothing was
 * compared), and the median latencies of the compared primaries and shadows with their ratio
 * (shadow over primary; `null` when either median is missing or the primary's is 0).
 */
export async function readShadowFigures(db: Kysely<Database>, tenant: string, workflow: string, options: ShadowFiguresOptions = {}): Promise<ShadowFigures> {
  let query = db
    .selectFrom('shadow_comparisons')
    .select([
      sql<string>`count(*) filter (where comparison <> 'PENDING')`.as('compared'),
      sql<string>`count(*) filter (where comparison = 'MATCH')`.as('matched'),
      sql<string>`count(*) filter (where comparison = 'DIFFERENT')`.as('different'),
      sql<string>`count(*) filter (where comparison = 'PENDING')`.as('pending'),
      sql<number | null>`percentile_cont(0.5) within group (order by primary_latency_ms) filter (where comparison <> 'PENDING')`.as('primary_p50'),
      sql<number | null>`percentile_cont(0.5) within group (order by shadow_latency_ms) filter (where comparison <> 'PENDING')`.as('shadow_p50'),
    ])
    .where('tenant_id', '=', tenant)
    .where('workflow_name', '=', workflow);
  if (options.shadowEngine !== undefined) query = query.where('shadow_engine', '=', options.shadowEngine);
  const row = await query.executeTakeFirstOrThrow();
  const compared = Number(row.compared);
  const different = Number(row.different);
  const primaryP50Ms = toNumber(row.primary_p50);
  const shadowP50Ms = toNumber(row.shadow_p50);
  return {
    compared,
    matched: Number(row.matched),
    different,
    pending: Number(row.pending),
    discrepancyRate: compared === 0 ? 0 : different / compared,
    latency: {
      primaryP50Ms,
      shadowP50Ms,
      ratio: primaryP50Ms === null || shadowP50Ms === null || primaryP50Ms === 0 ? null : shadowP50Ms / primaryP50Ms,
    },
  };
}
