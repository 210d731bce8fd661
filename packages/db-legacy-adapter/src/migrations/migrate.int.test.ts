import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import { createActionRegistry } from '@baton/runtime-core';
import { createPostgresEngine } from '../engine/postgres-engine.js';
import { assertSchemaCurrent, migrateToLatest, readMigrationStatus } from './migrate.js';
import { MIGRATIONS } from './migration-list.js';
import type { Migration } from './migration.js';
import { MigrationErrorCode } from './migration-error.js';

const opened: TestDatabase[] = [];
afterAll(async () => {
  for (const t of opened) await t.drop();
});

async function fresh(awkward = false): Promise<TestDatabase> {
  const t = await createTestDatabase('migrate', { awkward, migrate: false });
  opened.push(t);
  return t;
}

async function tablesOf(t: TestDatabase): Promise<string[]> {
  const r = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = ${t.schema} order by 1`.execute(t.db);
  return r.rows.map((row) => row.table_name);
}

describe('migrateToLatest', () => {
  it('applies every migration once into an awkwardly named schema and reports what it applied', async () => {
    const t = await fresh(true);
    const first = await migrateToLatest(t.db, { schema: t.schema });
    expect(first.error).toBeUndefined();
    expect(first.applied).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await tablesOf(t)).toEqual([
      'action_catalog',
      'baton_migrations',
      'secrets',
      'shadow_comparisons',
      'shadow_invocations',
      'workflow_action_invocations',
      'workflow_definition_versions',
      'workflow_definitions',
      'workflow_entities',
      'workflow_entity_events',
      'workflow_event_inbox',
      'workflow_human_tasks',
      'workflow_policies',
      'workflow_policy_history',
      'workflow_run_steps',
      'workflow_run_upgrades',
      'workflow_run_waits',
      'workflow_runs',
      'workflow_runtime_events',
    ]);
    // nothing leaked into public
    const inPublic = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name like 'workflow_%'`.execute(t.db);
    expect(inPublic.rows[0]!.n).toBe(0);

    const second = await migrateToLatest(t.db, { schema: t.schema });
    expect(second.applied).toEqual([]);
    expect(second.results.every((r) => r.status === 'AlreadyApplied')).toBe(true);
  });

  it('creates the routing index on tenant, event name, key and status', async () => {
    const t = await fresh();
    await migrateToLatest(t.db, { schema: t.schema });
    const r = await sql<{ indexdef: string }>`select indexdef from pg_indexes where schemaname = ${t.schema} and indexname = 'workflow_run_waits_route'`.execute(t.db);
    expect(r.rows[0]?.indexdef).toContain('(tenant_id, event_name, correlation_key, status)');
  });

  it('refuses a database that is ahead of the code and applies nothing', async () => {
    const t = await fresh();
    const future: Migration = { name: '9999-future', up: async (db, schema) => void (await sql`create table ${sql.id(schema, 'future')} (x int)`.execute(db)) };
    const newer = await migrateToLatest(t.db, { schema: t.schema, migrations: [...MIGRATIONS, future] });
    expect(newer.applied).toContain('9999-future');

    const older = await migrateToLatest(t.db, { schema: t.schema });
    expect(older.error?.code).toBe(MigrationErrorCode.DATABASE_AHEAD);
    expect(older.error?.path).toBe(`${t.schema}/9999-future`);
    expect(older.applied).toEqual([]);
    const status = await readMigrationStatus(t.db, { schema: t.schema });
    expect(status.unknown).toEqual(['9999-future']);
    // and a worker of this (older) code refuses to start on it
    const engine = createPostgresEngine({ pool: t.pool, schema: t.schema, actions: createActionRegistry() });
    await expect(engine.startWorker()).rejects.toMatchObject({ code: MigrationErrorCode.DATABASE_AHEAD });
  });

  it('lets a worker start only on a migrated schema', async () => {
    const t = await fresh();
    await expect(assertSchemaCurrent(t.db, { schema: t.schema })).rejects.toMatchObject({ code: MigrationErrorCode.PENDING });
    await migrateToLatest(t.db, { schema: t.schema });
    await expect(assertSchemaCurrent(t.db, { schema: t.schema })).resolves.toBeUndefined();
  });

  it('rolls a failing migration back together with its version row and stops there', async () => {
    const t = await fresh();
    const broken: Migration = {
      name: '9998-broken',
      up: async (db, schema) => {
        await sql`create table ${sql.id(schema, 'half_done')} (x int)`.execute(db);
        await sql`select * from ${sql.id(schema, 'no_such_table')}`.execute(db);
      },
    };
    const never: Migration = { name: '9999-after', up: async () => undefined };
    const result = await migrateToLatest(t.db, { schema: t.schema, migrations: [...MIGRATIONS, broken, never] });
    expect(result.error?.code).toBe(MigrationErrorCode.FAILED);
    expect(result.results.map((r) => r.status)).toEqual([...MIGRATIONS.map(() => 'Applied'), 'Failed', 'NotExecuted']);
    expect(await tablesOf(t)).not.toContain('half_done');
    const status = await readMigrationStatus(t.db, { schema: t.schema, migrations: [...MIGRATIONS, broken, never] });
    expect(status.pending).toEqual(['9998-broken', '9999-after']);
  });

  it('lets two concurrent runners apply each migration exactly once', async () => {
    const t = await fresh();
    const [a, b] = await Promise.all([migrateToLatest(t.db, { schema: t.schema }), migrateToLatest(t.db, { schema: t.schema })]);
    expect(a.error ?? b.error).toBeUndefined();
    expect([...a.applied, ...b.applied].sort()).toEqual(MIGRATIONS.map((m) => m.name));
  });
});
