import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import { spyOnStatements } from '../__fixtures__/statement-spy.js';
import { createPostgresStores } from './create-postgres-stores.js';

/** A node of `EXPLAIN (ANALYZE, FORMAT JSON)`. */
interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Actual Rows': number;
  readonly 'Actual Loops': number;
  readonly 'Rows Removed by Filter'?: number;
  readonly 'Rows Removed by Join Filter'?: number;
  readonly Plans?: readonly PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

const WAITING_RUNS = 3_000;

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('wait_lookup');
  const table = (name: string) => sql.id(t.schema, name);
  // A new install: thousands of waiting runs and no statistics yet (autovacuum kept off so that
  // none appear during the test).
  await sql`alter table ${table('workflow_run_waits')} set (autovacuum_enabled = false)`.execute(t.db);
  await sql`alter table ${table('workflow_runs')} set (autovacuum_enabled = false)`.execute(t.db);
  await sql`insert into ${table('workflow_runs')} (run_id, tenant_id, workflow_name, workflow_version, engine, status, definition_hash, run_key, input)
    select 'run-' || g, 'acme', 'billing.wait', '1.0.0', 'db', 'WAITING', 'h', 'run-' || g, '{}'::jsonb from generate_series(1, ${WAITING_RUNS}) g`.execute(t.db);
  // run-i waits for PAID with key-i; the first ten runs also wait for SHIPPED with the same key.
  await sql`insert into ${table('workflow_run_waits')} (tenant_id, run_id, wait_id, engine, wait_type, step_id, event_name, correlation_key, status, created_at)
    select 'acme', 'run-' || g, 'paid', 'db', 'EVENT', 'wait', 'PAID', 'key-' || g, 'WAITING', timestamptz '2030-01-01' + g * interval '1 second'
    from generate_series(1, ${WAITING_RUNS}) g`.execute(t.db);
  await sql`insert into ${table('workflow_run_waits')} (tenant_id, run_id, wait_id, engine, wait_type, step_id, event_name, correlation_key, status, created_at)
    select 'acme', 'run-' || g, 'shipped', 'db', 'EVENT', 'wait', 'SHIPPED', 'key-' || g, 'WAITING', timestamptz '2031-01-01' + g * interval '1 second'
    from generate_series(1, 10) g`.execute(t.db);
});
afterAll(async () => t?.drop());

describe('the event lookup of a batch (findWaitingMany)', () => {
  it('reads only the waits of its keys, however many runs wait and whether or not the table has statistics', async () => {
    const capture = spyOnStatements(t.pool, 'find_waiting_many');
    const waits = createPostgresStores({ pool: capture.pool, schema: t.schema }).waits;
    // Eight keys of two event names: (PAID, key-1) and (SHIPPED, key-2) exist, and so do the crossed
    // pairs (PAID, key-2) and (SHIPPED, key-1), which must not be answered.
    const keys = [
      { eventName: 'PAID', correlationKey: 'key-1' },
      { eventName: 'SHIPPED', correlationKey: 'key-2' },
      ...[100, 200, 300, 400, 500].map((i) => ({ eventName: 'PAID', correlationKey: `key-${i}` })),
      { eventName: 'PAID', correlationKey: 'key-none' },
    ];
    const found = await waits.findWaitingMany('acme', keys);
    const statement = capture.last()!;
    expect(found.map((w) => [w.eventName, w.correlationKey, w.runId])).toEqual([
      ['PAID', 'key-1', 'run-1'],
      ['PAID', 'key-100', 'run-100'],
      ['PAID', 'key-200', 'run-200'],
      ['PAID', 'key-300', 'run-300'],
      ['PAID', 'key-400', 'run-400'],
      ['PAID', 'key-500', 'run-500'],
      ['SHIPPED', 'key-2', 'run-2'],
    ]);
    expect(await waits.findWaitingMany('other-tenant', keys)).toEqual([]);

    // The plan of the very statement the store sent for 'acme', run on the same table: the waits it
    // reads are the ones it answers, not every WAITING wait of the tenant.
    const explained = await t.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`, [...statement.values]);
    const nodes = nodesOf(explained.rows[0]!['QUERY PLAN'][0].Plan);
    const waitScans = nodes.filter((n) => n['Relation Name'] === 'workflow_run_waits');
    expect(waitScans.length).toBeGreaterThan(0);
    const read = waitScans.reduce((sum, n) => sum + n['Actual Rows'] * n['Actual Loops'] + (n['Rows Removed by Filter'] ?? 0) * n['Actual Loops'], 0);
    expect(read).toBeLessThanOrEqual(keys.length * 2);
    for (const node of nodes) expect(node['Rows Removed by Join Filter'] ?? 0, node['Node Type']).toBeLessThanOrEqual(keys.length * 2);
  });
});
