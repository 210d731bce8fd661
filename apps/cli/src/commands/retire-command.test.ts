// `baton retire` and `baton policy` (retired versions) against a recording HTTP server (the API
// contract is tested in the ingress): the requests they send and what they print.
import { describe, expect, it } from 'vitest';
import { useRecordingApi } from '../__fixtures__/recording-api.js';

const { api, run } = useRecordingApi();


describe('baton retire', () => {
  const retired = { name: 'orders', version: '1.1.0', retiredAt: '2026-12-03T10:00:00.000Z', reason: 'bad step' };

  it('posts the reason and prints the retirement and where its runs show', async () => {
    api.answers = { 'POST /v1/workflows/orders/versions/1.1.0/retire': { status: 200, body: retired } };
    const out = await run('retire', 'orders', '1.1.0', '--reason', 'bad step');
    expect(out.code).toBe(0);
    expect(api.requests).toEqual([{ method: 'POST', url: '/v1/workflows/orders/versions/1.1.0/retire', body: JSON.stringify({ reason: 'bad step' }), auth: 'Bearer k-1' }]);
    expect(out.stdout).toBe('orders@1.1.0 retired at 2026-12-03T10:00:00.000Z (bad step); its running runs: baton runs --stuck --workflow orders');
  });

  it('--json prints the answer; without --reason the body is empty', async () => {
    api.answers = { 'POST /v1/workflows/orders/versions/1.1.0/retire': { status: 200, body: { ...retired, reason: null } } };
    const out = await run('retire', 'orders', '1.1.0', '--json');
    expect(out.code).toBe(0);
    expect(api.requests[0]!.body).toBe('{}');
    expect(JSON.parse(out.stdout)).toEqual({ ...retired, reason: null });
  });

  it('an unknown version exits 1 with the API error', async () => {
    api.answers = { 'POST /v1/workflows/orders/versions/9.9.9/retire': { status: 404, body: { error: { code: 'WORKFLOW_NOT_FOUND', message: "version 9.9.9 of 'orders' is not published" } } } };
    const out = await run('retire', 'orders', '9.9.9');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('WORKFLOW_NOT_FOUND');
  });

  it('baton policy marks retired versions', async () => {
    const summary = {
      name: 'orders',
      versions: [
        { version: '1.0.0', hash: 'h', publishedAt: '2026-12-03T09:00:00.000Z' },
        { version: '1.1.0', hash: 'h', publishedAt: '2026-12-03T09:00:00.000Z', retiredAt: retired.retiredAt, retiredReason: 'bad step' },
      ],
      policy: { versionPolicy: { type: 'latest' } },
      history: [],
    };
    api.answers = { 'GET /v1/workflows/orders': { status: 200, body: summary } };
    const out = await run('policy', 'orders');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('versions        1.0.0, 1.1.0 (retired)');
  });
});
