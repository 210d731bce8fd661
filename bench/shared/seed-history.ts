// A history for a benchmark schema, so that it is measured as a deployment that has been running,
// not as the first minute after an install.
import type pg from 'pg';

/**
 * Adds `runs` finished runs of `tenant` to Baton's tables in `schema` (each with two finished steps,
 * one resolved event wait, and the processed event that resolved it, in the audit and the inbox),
 * then runs ANALYZE on them.
 *
 * Why: a schema created by the benchmark starts empty and without statistics, and grows by thousands
 * of rows within seconds, well inside autovacuum's first round (`autovacuum_naptime`, 1 min). Its
 * prepared statements are then planned for empty tables: generic plans made on a few pages scan
 * whole tables once they hold thousands of rows, and join orders are picked from default
 * selectivities. A deployment that has been running has statistics and tables of realistic size,
 * and its plans are made for those (ANALYZE invalidates the cached plans of every connection).
 */
export async function seedHistory(pool: pg.Pool, schema: string, tenant: string, runs: number): Promise<void> {
  if (runs <= 0) return;
  const t = (name: string) => `"${schema}".${name}`;
  const at = `now() - interval '1 day' + g * interval '1 second'`;
  await pool.query(
    `insert into ${t('workflow_runs')} (run_id, tenant_id, workflow_name, workflow_version, engine, status, definition_hash, run_key, input, output,
       created_at, updated_at, completed_at)
     select 'history-' || g, $1, 'history.workflow', '1.0.0', 'db', 'SUCCEEDED', 'history', 'history-' || g, jsonb_build_object('i', g), '{"ok": true}'::jsonb,
       ${at}, ${at}, ${at}
     from generate_series(1, $2::int) g`,
    [tenant, runs],
  );
  await pool.query(
    `insert into ${t('workflow_run_steps')} (tenant_id, run_id, step_id, iteration, generation, seq, path, step_type, status, attempt, started_at, completed_at, output)
     select $1, 'history-' || g, s.step_id, '', 0, s.seq, s.step_id, s.step_type, 'SUCCEEDED', 1, ${at}, ${at}, '{}'::jsonb
     from generate_series(1, $2::int) g, (values ('wait', 1, 'event.wait'), ('done', 2, 'control.return')) as s(step_id, seq, step_type)`,
    [tenant, runs],
  );
  await pool.query(
    `insert into ${t('workflow_run_waits')} (tenant_id, run_id, wait_id, engine, wait_type, step_id, event_name, correlation_key, status, resolved_by, created_at, resolved_at)
     select $1, 'history-' || g, 'wait', 'db', 'EVENT', 'wait', 'HISTORY', 'history-' || g, 'RESOLVED', 'history-event-' || g, ${at}, ${at}
     from generate_series(1, $2::int) g`,
    [tenant, runs],
  );
  await pool.query(
    `insert into ${t('workflow_runtime_events')} (tenant_id, event_id, event_name, payload, received_at, status, correlation_key, correlation_source,
       routed_runs, started_runs, errors, processed_at)
     select $1, 'history-event-' || g, 'HISTORY', jsonb_build_object('i', g), ${at}, 'PROCESSED', 'history-' || g, 'envelope',
       jsonb_build_array(jsonb_build_object('runId', 'history-' || g, 'engine', 'db')), '[]'::jsonb, '[]'::jsonb, ${at}
     from generate_series(1, $2::int) g`,
    [tenant, runs],
  );
  await pool.query(
    `insert into ${t('workflow_event_inbox')} (tenant_id, event_id, event_name, correlation_key, received_at)
     select $1, 'history-event-' || g, 'HISTORY', 'history-' || g, ${at} from generate_series(1, $2::int) g`,
    [tenant, runs],
  );
  for (const table of ['workflow_runs', 'workflow_run_steps', 'workflow_run_waits', 'workflow_runtime_events', 'workflow_event_inbox', 'workflow_action_invocations']) {
    await pool.query(`analyze ${t(table)}`);
  }
}
