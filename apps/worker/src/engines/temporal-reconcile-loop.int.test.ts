// The reconcile loop holds a pooled connection (its advisory lock) for a whole pass, which calls
// Temporal meanwhile. A Postgres server that goes away during a pass must fail that pass, not raise an
// uncaught exception that ends the worker (vitest fails the run on one), and the next pass must work.
// A private Postgres server (own data directory and port), never the shared one; the reconciler is a
// scripted one that holds the pass open until the server was restarted.
import { findPostgresBinaries, startPrivatePostgres } from '@baton/dev-services';
import type { ReconcilePassReport, TemporalReconciler } from '@baton/temporal-adapter';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerMetrics } from '../metrics/worker-metrics.js';
import { startTemporalReconcileLoop } from './temporal-reconcile-loop.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const EMPTY: ReconcilePassReport = { checked: [], finished: [], restarted: [], errors: [] };

describe('the Temporal reconcile loop when Postgres restarts during a pass', () => {
  const binaries = findPostgresBinaries();
  it.skipIf(!binaries)('fails that pass without crashing the worker, and the next pass runs', { timeout: 90_000 }, async () => {
    const server = await startPrivatePostgres('reconcile-loop-restart');
    cleanups.push(() => server.remove());
    const url = server.url;
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => undefined);
    cleanups.push(() => pool.end().catch(() => undefined));

    let passes = 0;
    let release: (() => void) | undefined;
    let entered: (() => void) | undefined;
    const inPass = new Promise<void>((resolve) => (entered = resolve));
    const reconciler: TemporalReconciler = {
      async reconcileOnce() {
        passes += 1;
        if (passes === 1) {
          entered!();
          await new Promise<void>((resolve) => (release = resolve));
        }
        return EMPTY;
      },
    };
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) });
    const loop = startTemporalReconcileLoop({ reconciler, pool, schema: 'baton', intervalMs: 3_600_000, metrics: createWorkerMetrics(), logger });
    cleanups.push(() => loop.stop());

    const first = loop.pass();
    await inPass;
    // The pass holds its connection (and the advisory lock) while the server crashes and comes back.
    await server.restart({ mode: 'immediate' });
    release!();
    await first;
    expect(passes).toBe(1);

    // The broken connection was not put back: the next pass takes the lock on a fresh one and runs.
    await loop.pass();
    expect(passes).toBe(2);
    expect(warnings.filter((msg) => msg !== 'temporal reconciler: pass failed')).toEqual([]);
  });
});
