// The live action catalog: each worker registers the actions it provides (per engine) with an
// expiry it keeps pushing forward by heartbeat; a worker that stops drops out when it expires.
import type { EngineKind, JsonValue } from '@baton/event-schemas';
import type { ActionDescriptor } from '@baton/runtime-core';
import type { PgPoolLike } from '../database/pg-pool.js';
import { withClient } from '../engine/pooled-client.js';
import { quoteIdent } from '../engine/sql-names.js';
import { DEFAULT_SCHEMA } from '../migrations/migrate.js';

/** One action@version of the live catalog, with how many live workers of each engine provide it. */
export interface LiveAction extends ActionDescriptor {
  readonly providers: readonly { readonly engine: EngineKind; readonly workers: number }[];
}

/** What a worker registers. */
export interface WorkerActionRegistration {
  readonly workerId: string;
  readonly engines: readonly EngineKind[];
  readonly actions: readonly ActionDescriptor[];
  /** how long the registration lives without a heartbeat */
  readonly ttlMs: number;
}

/** The catalog table's operations. */
export interface PostgresActionCatalog {
  /** Registers (or replaces) what `workerId` provides, alive for `ttlMs`. */
  register(registration: WorkerActionRegistration): Promise<void>;
  /** Pushes the expiry of `workerId`'s rows `ttlMs` ahead; returns how many rows it kept alive. */
  heartbeat(workerId: string, ttlMs: number): Promise<number>;
  /** Removes `workerId`'s rows at once (graceful shutdown). */
  unregister(workerId: string): Promise<void>;
  /** Every action some live worker provides, sorted by action then version. */
  listLive(): Promise<LiveAction[]>;
}

/** Options of {@link createPostgresActionCatalog}. */
export interface PostgresActionCatalogOptions {
  readonly pool: PgPoolLike;
  /** @default 'baton' */
  readonly schema?: string;
}

/** Rows expired longer than this are deleted when a worker registers. */
const PURGE_AFTER_MS = 24 * 60 * 60 * 1000;

interface LiveRow {
  action: string;
  action_version: number;
  engine: EngineKind;
  workers: number;
  description: string | null;
  input_schema: JsonValue;
  output_schema: JsonValue;
}

/** The live action catalog in `action_catalog` (migration 0004). */
export function createPostgresActionCatalog(options: PostgresActionCatalogOptions): PostgresActionCatalog {
  const table = `${quoteIdent(options.schema ?? DEFAULT_SCHEMA)}.${quoteIdent('action_catalog')}`;
  const query = <R>(text: string, params: unknown[]) => withClient(options.pool, async (client) => client.query<R>(text, params));
  return {
    async register({ workerId, engines, actions, ttlMs }) {
      const rows = engines.flatMap((engine) => actions.map((a) => [engine, a.action, a.version, a.description ?? null, JSON.stringify(a.inputSchema), JSON.stringify(a.outputSchema)]));
      await withClient(options.pool, async (client) => {
        await client.query('begin', []);
        try {
          await client.query(`delete from ${table} where worker_id = $1 or expires_at < now() - $2::int * interval '1 millisecond'`, [workerId, PURGE_AFTER_MS]);
          if (rows.length > 0) {
            await client.query(
              `insert into ${table} (worker_id, engine, action, action_version, description, input_schema, output_schema, expires_at)
               select $1, e, a, v, d, i::jsonb, o::jsonb, now() + $2::int * interval '1 millisecond'
               from unnest($3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[]) as t(e, a, v, d, i, o)`,
              [workerId, Math.round(ttlMs), ...[0, 1, 2, 3, 4, 5].map((col) => rows.map((r) => r[col]))],
            );
          }
          await client.query('commit', []);
        } catch (error) {
          await client.query('rollback', []).catch(() => undefined);
          throw error;
        }
      });
    },
    async heartbeat(workerId, ttlMs) {
      const result = await query(`update ${table} set expires_at = now() + $2::int * interval '1 millisecond' where worker_id = $1`, [workerId, Math.round(ttlMs)]);
      return Number(result.rowCount ?? 0);
    },
    async unregister(workerId) {
      await query(`delete from ${table} where worker_id = $1`, [workerId]);
    },
    async listLive() {
      const { rows } = await query<LiveRow>(
        `select action, action_version, engine, count(distinct worker_id)::int as workers,
           (array_agg(description order by registered_at desc))[1] as description,
           (array_agg(input_schema order by registered_at desc))[1] as input_schema,
           (array_agg(output_schema order by registered_at desc))[1] as output_schema
         from ${table} where expires_at > now()
         group by action, action_version, engine
         order by action, action_version, engine`,
        [],
      );
      const byKey = new Map<string, { descriptor: ActionDescriptor; providers: { engine: EngineKind; workers: number }[] }>();
      for (const r of rows) {
        const key = `${r.action}@${r.action_version}`;
        let entry = byKey.get(key);
        if (!entry) {
          entry = {
            descriptor: { action: r.action, version: r.action_version, ...(r.description ? { description: r.description } : {}), inputSchema: r.input_schema, outputSchema: r.output_schema },
            providers: [],
          };
          byKey.set(key, entry);
        }
        entry.providers.push({ engine: r.engine, workers: r.workers });
      }
      return [...byKey.values()].map((e) => ({ ...e.descriptor, providers: e.providers }));
    },
  };
}
