import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import type { ExpressionCase, ExpressionCaseResult } from './__fixtures__/expression-workflow.js';

declare module 'vitest' {
  export interface ProvidedContext {
    batonServices: Record<string, string>;
  }
}

// Bundler and worker chatter would bury the test output; warnings still show.
const logger = new DefaultLogger('WARN');
Runtime.install({ logger });

const workflowsPath = path.join(import.meta.dirname, '__fixtures__/expression-workflow.ts');
// Sources import each other as `./x.js`; let webpack find the `.ts` files.
const bundlerOptions = {
  webpackConfigHook: (config: Parameters<NonNullable<Parameters<typeof bundleWorkflowCode>[0]['webpackConfigHook']>>[0]) => ({
    ...config,
    resolve: { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } },
  }),
};

const order = { input: { tier: 'gold', items: [{ sku: 'a', qty: 2, price: 1.5 }, { sku: 'b', qty: 1, price: 10 }] } };

describe('the engine inside the Temporal workflow sandbox', () => {
  it('bundles with bundleWorkflowCode, evaluates on the dev server (nowIso from the run clock) and replays deterministically', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath, logger, ...bundlerOptions });
    const address = inject('batonServices').TEMPORAL_ADDRESS!;
    const taskQueue = `expression-engine-${process.pid}-${Date.now()}`;
    const nativeConnection = await NativeConnection.connect({ address });
    const connection = await Connection.connect({ address });
    try {
      const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: { code } });
      const client = new Client({ connection });
      const cases: ExpressionCase[] = [
        {
          source: '{"total": $sum(input.items.(qty * price)), "skus": $join(input.items.sku, ","), "vip": input.tier == "gold", "at": nowIso()}',
          context: order,
          now: '2031-07-08T09:10:11.012Z',
        },
        { source: 'nowIso()', context: {} },
        { source: 'coalesce(input.missing, len(input.items), 0)', context: order },
        { source: '$count([1..100000000])', context: {} },
        { source: '[$now(), $millis(), $toMillis("10:30", "[H]:[m]")]', context: {}, now: '2031-07-08T09:10:11.012Z' },
        { source: 'input.missing', context: order },
        { source: '$map(input.items, function($i){ $replace($i.sku, /[a-z]/, "X") & $string($i.qty) })', context: order },
        // Evaluation outside the synchronous subset costs about 1 ms per step in the sandbox (measured:
        // ~6,000 steps of a plain path map already pass the 5 s workflow task timeout; see README, Cost),
        // so the runaway recursion runs on a small budget here.
        { source: '($f := function($n){ $f($n + 1) }; $f(0))', context: {}, maxSteps: 500 },
        { source: '{"b": $base64encode("héllo"), "s": $sort([3, 1, 2], function($a, $b){ $a < $b })}', context: {} },
        { source: '$random()', context: {} },
      ];
      const handle = await client.workflow.start('evaluateExpressionsWorkflow', { taskQueue, workflowId: taskQueue, args: [cases] });
      const results = await worker.runUntil(handle.result() as Promise<ExpressionCaseResult[]>);
      const started = (await handle.describe()).startTime;

      expect(results[0]).toEqual({ ok: true, value: { total: 13, skus: 'a,b', vip: true, at: '2031-07-08T09:10:11.012Z' } });
      expect(results[1]).toMatchObject({ ok: true });
      const runClock = Date.parse((results[1] as { value: string }).value);
      expect(Math.abs(runClock - started.getTime())).toBeLessThan(1_000);
      expect(results[2]).toEqual({ ok: true, value: 2 });
      expect(results[3]).toMatchObject({ ok: false, code: 'BUDGET_EXCEEDED' });
      expect(results[4]).toEqual({ ok: true, value: ['2031-07-08T09:10:11.012Z', Date.parse('2031-07-08T09:10:11.012Z'), Date.parse('2031-07-08T10:30:00.000Z')] });
      expect(results[5]).toMatchObject({ ok: false, code: 'NOT_SERIALIZABLE' });
      expect(results[6]).toEqual({ ok: true, value: ['X2', 'X1'] });
      expect(results[7]).toMatchObject({ ok: false, code: 'BUDGET_EXCEEDED', message: expect.stringContaining('500') });
      expect(results[8]).toEqual({ ok: true, value: { b: 'aOlsbG8=', s: [3, 2, 1] } });
      expect(results[9]).toMatchObject({ ok: false, code: 'DISALLOWED_FUNCTION' });

      // Replaying the recorded history runs every evaluation again and must reach the same commands.
      await Worker.runReplayHistory({ workflowBundle: { code } }, await handle.fetchHistory(), taskQueue);
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  }, 120_000);
});
