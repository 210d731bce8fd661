import { sql, type Kysely } from 'kysely';
import type { UpgradeAuditRecord } from '@baton/event-schemas';
import type { UpgradeAuditQuery, UpgradeAuditStore } from '@baton/runtime-core';
import type { Database } from '../database/database-types.js';
import type { PgPoolClientLike } from '../database/pg-pool.js';
import { quoteIdent } from '../engine/sql-names.js';

interface UpgradeRow {
  workflow_name: string;
  run_id: string;
  engine: UpgradeAuditRecord['engine'];
  from_version: string;
  to_version: string;
  actor: string;
  at: Date;
  outcome: UpgradeAuditRecord['outcome'];
  reason: string | null;
}

function insertText(schema: string): string {
  return `INSERT INTO ${quoteIdent(schema)}.workflow_run_upgrades
    (tenant_id, workflow_name, run_id, engine, from_version, to_version, actor, at, outcome, reason)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;
}

function insertValues(tenant: string, e: UpgradeAuditRecord): unknown[] {
  return [tenant, e.workflow, e.runId, e.engine, e.from, e.to, e.actor, e.at, e.outcome, e.reason ?? null];
}

/** Writes one audit row on the caller's connection (the Postgres engine: inside the transaction that moves the run). */
export async function insertUpgradeAudit(client: PgPoolClientLike, schema: string, tenant: string, entry: UpgradeAuditRecord): Promise<void> {
  await client.query(insertText(schema), insertValues(tenant, entry));
}

/** `UpgradeAuditStore` over `workflow_run_upgrades` (migration 0016). */
export function createPostgresUpgradeAudit(db: Kysely<Database>, schema: string): UpgradeAuditStore {
  const table = sql.id(schema, 'workflow_run_upgrades');
  return {
    async record(tenant: string, e: UpgradeAuditRecord): Promise<void> {
      await sql`INSERT INTO ${table} (tenant_id, workflow_name, run_id, engine, from_version, to_version, actor, at, outcome, reason)
        VALUES (${tenant}, ${e.workflow}, ${e.runId}, ${e.engine}, ${e.from}, ${e.to}, ${e.actor}, ${e.at}, ${e.outcome}, ${e.reason ?? null})`.execute(db);
    },

    async list(tenant: string, workflow: string, query: UpgradeAuditQuery): Promise<UpgradeAuditRecord[]> {
      const byRun = query.runId === undefined ? sql`` : sql`AND run_id = ${query.runId}`;
      const { rows } = await sql<UpgradeRow>`SELECT workflow_name, run_id, engine, from_version, to_version, actor, at, outcome, reason FROM ${table}
        WHERE tenant_id = ${tenant} AND workflow_name = ${workflow} ${byRun} ORDER BY id DESC LIMIT ${query.limit}`.execute(db);
      return rows.map((r) => ({
        workflow: r.workflow_name,
        runId: r.run_id,
        engine: r.engine,
        from: r.from_version,
        to: r.to_version,
        actor: r.actor,
        at: new Date(r.at).toISOString(),
        outcome: r.outcome,
        ...(r.reason !== null ? { reason: r.reason as NonNullable<UpgradeAuditRecord['reason']> } : {}),
      }));
    },
  };
}
