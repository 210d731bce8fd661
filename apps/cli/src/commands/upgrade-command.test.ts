// `baton upgrade plan|apply|audit` against a recording HTTP server (the API
// contract is tested in the ingress): the requests they send and what they print.
import { describe, expect, it } from 'vitest';
import { useRecordingApi } from '../__fixtures__/recording-api.js';

const { api, run } = useRecordingApi();

const summary = {
  name: 'orders',
  versions: ['1.0.0', '1.1.0', '2.0.0'].map((version) => ({ version, hash: 'h', publishedAt: '2026-12-03T09:00:00.000Z' })),
  policy: { versionPolicy: { type: 'latest' }, engine: { type: 'db' } },
  history: [],
};
const plan = {
  from: '1.1.0',
  to: '2.0.0',
  diff: { added: [{ stepId: 'audit', path: 'steps[3]' }], removed: [], changed: [{ stepId: 'ship', path: 'steps[1]' }] },
  runs: [
    { runId: 'r-1', engine: 'db', status: 'WAITING', class: 'MOVES_NOW', stepPath: 'steps[0]' },
    { runId: 'r-2', engine: 'temporal', status: 'WAITING', class: 'CANNOT_MOVE', reason: 'STEP_CHANGED', stepPath: 'steps[1]' },
    { runId: 'r-3', engine: 'db', status: 'RUNNING', class: 'MOVES_AT_CONTINUE_AS_NEW', reason: 'NOT_AT_A_WAIT' },
  ],
};


describe('baton upgrade plan', () => {
  it('asks the plan from the version before --to and prints the diff, each run and the count per class', async () => {
    api.answers = { 'GET /v1/workflows/orders': { status: 200, body: summary }, 'GET /v1/workflows/orders/upgrade-plan': { status: 200, body: plan } };
    const out = await run('upgrade', 'plan', 'orders', '--to', '2.0.0');
    expect(out.code).toBe(0);
    expect(api.requests.map((r) => r.url)).toEqual(['/v1/workflows/orders', '/v1/workflows/orders/upgrade-plan?from=1.1.0&to=2.0.0']);
    expect(out.stdout.split('\n')).toEqual([
      'orders 1.1.0 -> 2.0.0',
      '  added: audit (steps[3])',
      '  removed: -',
      '  changed: ship (steps[1])',
      'RUN  ENGINE  STATUS  CLASS  REASON  STEP',
      'r-1  db  WAITING  MOVES_NOW  -  steps[0]',
      'r-2  temporal  WAITING  CANNOT_MOVE  STEP_CHANGED  steps[1]',
      'r-3  db  RUNNING  MOVES_AT_CONTINUE_AS_NEW  NOT_AT_A_WAIT  -',
      'moves now: 1, moves at continue-as-new: 1, cannot move: 1',
    ]);
  });

  it('--from skips the lookup; --json prints the plan; the first version without --from is a usage error; API errors exit 1', async () => {
    api.answers = { 'GET /v1/workflows/orders': { status: 200, body: summary }, 'GET /v1/workflows/orders/upgrade-plan': { status: 200, body: plan } };
    const json = await run('upgrade', 'plan', 'orders', '--from', '1.0.0', '--to', '2.0.0', '--json');
    expect(api.requests.map((r) => r.url)).toEqual(['/v1/workflows/orders/upgrade-plan?from=1.0.0&to=2.0.0']);
    expect(JSON.parse(json.stdout)).toEqual(plan);
    const first = await run('upgrade', 'plan', 'orders', '--to', '1.0.0');
    expect([first.code, first.stderr]).toEqual([2, '--to: 1.0.0 is the first version of orders; give --from']);
    api.answers = { 'GET /v1/workflows/orders/upgrade-plan': { status: 404, body: { error: { code: 'WORKFLOW_NOT_FOUND', message: "version 9.0.0 of 'orders' is not published" } } } };
    const missing = await run('upgrade', 'plan', 'orders', '--from', '1.0.0', '--to', '9.0.0');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('WORKFLOW_NOT_FOUND');
  });
});

describe('baton upgrade apply', () => {
  const applied = {
    from: '1.0.0',
    to: '2.0.0',
    dryRun: false,
    moved: [{ runId: 'r-1', engine: 'db' }],
    skipped: [{ runId: 'r-2', engine: 'temporal', class: 'CANNOT_MOVE', reason: 'STEP_CHANGED', stepPath: 'steps[1]' }],
  };

  it('posts from, to and the named runs, and prints each run moved or skipped with its class and reason', async () => {
    api.answers = { 'POST /v1/workflows/orders/upgrade': { status: 200, body: applied } };
    const out = await run('upgrade', 'apply', 'orders', '--from', '1.0.0', '--to', '2.0.0', '--run', 'r-1', '--run', 'r-2');
    expect(out.code).toBe(0);
    expect(api.requests.map((r) => [r.method, r.url, JSON.parse(r.body)])).toEqual([['POST', '/v1/workflows/orders/upgrade', { from: '1.0.0', to: '2.0.0', runIds: ['r-1', 'r-2'] }]]);
    expect(out.stdout.split('\n')).toEqual([
      'orders 1.0.0 -> 2.0.0',
      'RUN  ENGINE  OUTCOME  CLASS  REASON  STEP',
      'r-1  db  MOVED  MOVES_NOW  -  -',
      'r-2  temporal  SKIPPED  CANNOT_MOVE  STEP_CHANGED  steps[1]',
      'moved: 1, skipped: 1',
    ]);
  });

  it('--dry-run asks for a dry run and says nothing moved; --json prints the answer; a missing --from is a usage error; API errors exit 1', async () => {
    api.answers = { 'POST /v1/workflows/orders/upgrade': { status: 200, body: { ...applied, dryRun: true, skipped: [] } } };
    const dry = await run('upgrade', 'apply', 'orders', '--from', '1.0.0', '--to', '2.0.0', '--dry-run');
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ from: '1.0.0', to: '2.0.0', dryRun: true });
    expect(dry.stdout.split('\n')).toEqual(['orders 1.0.0 -> 2.0.0 (dry run: nothing moved)', 'RUN  ENGINE  OUTCOME  CLASS  REASON  STEP', 'r-1  db  WOULD_MOVE  MOVES_NOW  -  -', 'would move: 1, skipped: 0']);
    api.answers = { 'POST /v1/workflows/orders/upgrade': { status: 200, body: applied } };
    expect(JSON.parse((await run('upgrade', 'apply', 'orders', '--from', '1.0.0', '--to', '2.0.0', '--json')).stdout)).toEqual(applied);
    api.requests.length = 0;
    const usage = await run('upgrade', 'apply', 'orders', '--to', '2.0.0');
    expect(usage.code).not.toBe(0);
    expect(api.requests).toEqual([]);
    api.answers = { 'POST /v1/workflows/orders/upgrade': { status: 404, body: { error: { code: 'WORKFLOW_NOT_FOUND', message: "version 9.0.0 of 'orders' is not published" } } } };
    const missing = await run('upgrade', 'apply', 'orders', '--from', '1.0.0', '--to', '9.0.0');
    expect([missing.code, missing.stderr.includes('WORKFLOW_NOT_FOUND')]).toEqual([1, true]);
  });
});

describe('baton upgrade audit', () => {
  it('lists the audit records of a workflow (one run with --run), newest first', async () => {
    const record = { workflow: 'orders', runId: 'r-1', engine: 'db', from: '1.0.0', to: '2.0.0', actor: 'key-0a1b2c3d', at: '2026-12-03T10:00:00.000Z', outcome: 'MOVED' };
    api.answers = { 'GET /v1/workflows/orders/upgrades': { status: 200, body: { items: [record] } } };
    const out = await run('upgrade', 'audit', 'orders', '--run', 'r-1');
    expect(out.code).toBe(0);
    expect(api.requests.map((r) => r.url)).toEqual(['/v1/workflows/orders/upgrades?runId=r-1']);
    expect(out.stdout.split('\n')).toEqual(['AT  RUN  ENGINE  FROM  TO  OUTCOME  REASON  BY', '2026-12-03T10:00:00.000Z  r-1  db  1.0.0  2.0.0  MOVED  -  key-0a1b2c3d']);
  });
});
