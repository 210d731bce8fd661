import type { TableNames } from './sql-names.js';

/** What the start statement returns: the run (new or existing), its engine, and whether this worker took it. */
export interface StartedRow {
  readonly run_id: string;
  readonly engine: string;
  readonly fencing_token: string;
  readonly adopted: boolean;
  /** this statement inserted the run (else it found it by id or execution key) */
  readonly inserted: boolean;
}

/**
 * Starts a run in one statement: inserts it runnable (or already leased to this worker when `$12`
 * is its id), or marks an existing not-yet-started row (created through the run store) runnable
 * (or leased the same way); an existing run with the same id or execution key that already started
 * is returned as it is. Notifies workers unless this worker took the run.
 */
export function startRunStatement(n: TableNames): string {
  return `
WITH ins AS (
  INSERT INTO ${n.runs} AS r (run_id, tenant_id, workflow_name, workflow_version, definition_hash, engine, status, execution_key,
    run_key, input, parent_run_id, trigger_event_id, created_at, updated_at, wake_at, lease_owner, lease_expires_at, fencing_token, entity_key)
  VALUES ($1, $2, $3, $4, $5, 'db', 'RUNNING', $6, $7, $8::jsonb, $9, $10, $11, $11, now(), $12,
    CASE WHEN $12::text IS NULL THEN NULL ELSE now() + $13::int * interval '1 millisecond' END,
    CASE WHEN $12::text IS NULL THEN 0 ELSE 1 END, $15)
  ON CONFLICT DO NOTHING
  RETURNING run_id, engine, fencing_token, lease_owner IS NOT NULL AS adopted
),
existing AS (
  SELECT run_id, engine, fencing_token, state, wake_at FROM ${n.runs}
  WHERE NOT EXISTS (SELECT 1 FROM ins) AND tenant_id = $2
    AND (run_id = $1 OR ($6::text IS NOT NULL AND workflow_name = $3 AND execution_key = $6))
  ORDER BY run_id = $1 DESC LIMIT 1
),
woken AS (
  UPDATE ${n.runs} AS r SET wake_at = now(), updated_at = now(), lease_owner = $12,
    lease_expires_at = CASE WHEN $12::text IS NULL THEN NULL ELSE now() + $13::int * interval '1 millisecond' END,
    fencing_token = CASE WHEN $12::text IS NULL THEN r.fencing_token ELSE r.fencing_token + 1 END
  FROM existing e WHERE r.run_id = e.run_id AND e.engine = 'db' AND e.state IS NULL AND e.wake_at IS NULL AND r.lease_owner IS NULL
  RETURNING r.run_id, r.fencing_token, r.lease_owner IS NOT NULL AS adopted
),
notified AS (
  SELECT pg_notify($14, '') FROM (SELECT 1 FROM ins WHERE NOT adopted UNION ALL SELECT 1 FROM woken WHERE NOT adopted) AS x LIMIT 1
)
SELECT run_id, engine, fencing_token::text AS fencing_token, adopted, true AS inserted, (SELECT count(*) FROM notified) AS notified FROM ins
UNION ALL
SELECT e.run_id, e.engine, coalesce(w.fencing_token, e.fencing_token)::text, coalesce(w.adopted, false), false, (SELECT count(*) FROM notified)
FROM existing e LEFT JOIN woken w ON w.run_id = e.run_id`;
}
