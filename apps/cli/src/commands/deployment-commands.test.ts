// `baton deployments` and `baton drain` against a recording HTTP server (the API contract is tested
// in the ingress): the requests they send and what they print.
import { describe, expect, it } from 'vitest';
import { useRecordingApi } from '../__fixtures__/recording-api.js';

const { api, run } = useRecordingApi();


const deployments = {
  items: [
    { deploymentName: 'baton-worker', buildId: 'b-2', current: true, ramping: false, rampingPercent: null, status: 'CURRENT', drainage: null, createdAt: null, pollers: 2, runs: 0 },
    { deploymentName: 'baton-worker', buildId: 'b-1', current: false, ramping: false, rampingPercent: null, status: 'DRAINING', drainage: 'DRAINING', createdAt: null, pollers: 0, runs: 3 },
  ],
  runsJudged: 7,
};
const from = { deploymentName: 'baton-worker', buildId: 'b-1' };
const to = { deploymentName: 'baton-worker', buildId: 'b-2' };
const drained = {
  dryRun: false,
  moved: [{ runId: 'r-1', workflow: 'orders', version: '1.0.0', from, to }],
  refused: [{ runId: 'r-2', reason: 'REPLAY_FAILED', message: 'non-determinism: timer 1 not in the history' }],
  runsJudged: 2,
};

describe('baton deployments', () => {
  it('prints one line per version with routing, status, drainage, pollers and runs', async () => {
    api.answers = { 'GET /v1/deployments': { status: 200, body: deployments } };
    const out = await run('deployments');
    expect(out.code).toBe(0);
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /v1/deployments']);
    expect(out.stdout.split('\n')).toEqual([
      'DEPLOYMENT  BUILD  ROUTING  STATUS  DRAINAGE  POLLERS  RUNS',
      'baton-worker  b-2  current  CURRENT  -  2  0',
      'baton-worker  b-1  -  DRAINING  DRAINING  0  3',
      'runs counted among your 7 newest unfinished Temporal runs',
    ]);
  });

  it('prints the note when there is nothing (Temporal not configured); --json prints the answer', async () => {
    api.answers = { 'GET /v1/deployments': { status: 200, body: { items: [], runsJudged: 0, note: 'Temporal is not configured' } } };
    expect((await run('deployments')).stdout).toBe('Temporal is not configured');
    api.answers = { 'GET /v1/deployments': { status: 200, body: deployments } };
    expect(JSON.parse((await run('deployments', '--json')).stdout)).toEqual(deployments);
  });
});

describe('baton drain', () => {
  it('drains a build: prints each run moved and refused, exit 1 when one was refused', async () => {
    api.answers = { 'POST /v1/deployments/drain': { status: 200, body: drained } };
    const out = await run('drain', 'b-1');
    expect(out.code).toBe(1);
    expect(api.requests).toEqual([{ method: 'POST', url: '/v1/deployments/drain', body: JSON.stringify({ buildId: 'b-1' }), auth: 'Bearer k-1' }]);
    expect(out.stdout.split('\n')).toEqual([
      'moved  r-1  orders@1.0.0  b-1 -> b-2',
      'refused  r-2  REPLAY_FAILED  non-determinism: timer 1 not in the history',
      'moved: 1, refused: 1 (of 2 unfinished Temporal runs considered)',
    ]);
  });

  it('drains workflow@version with --dry-run; nothing refused exits 0', async () => {
    api.answers = { 'POST /v1/deployments/drain': { status: 200, body: { ...drained, dryRun: true, refused: [] } } };
    const out = await run('drain', 'billing.invoice@1.2.0', '--dry-run');
    expect(out.code).toBe(0);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ workflow: 'billing.invoice', version: '1.2.0', dryRun: true });
    expect(out.stdout.split('\n').at(-1)).toBe('would move: 1, refused: 0 (of 2 unfinished Temporal runs considered); dry run, nothing changed');
  });

  it('a malformed target is a usage error (exit 2) and sends nothing; an API error exits 1', async () => {
    expect((await run('drain', 'orders@')).code).toBe(2);
    expect(api.requests).toEqual([]);
    api.answers = { 'POST /v1/deployments/drain': { status: 503, body: { error: { code: 'ENGINE_UNAVAILABLE', message: 'Temporal is not configured' } } } };
    const out = await run('drain', 'b-1');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('ENGINE_UNAVAILABLE');
  });
});
