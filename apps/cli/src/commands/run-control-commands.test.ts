import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { captureIo } from '../__fixtures__/capture-io.js';
import { createApiClient } from '../api/baton-api-client.js';
import { cancelCommand, DEFAULT_REASON } from './run-control-commands.js';

// The Temporal cancel answer 202 CANCEL_REQUESTED cannot be produced on demand by a real stack (it
// needs a workflow that takes more than 10 s to settle); this stands in for the ingress.
let server: http.Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function ingress(status: number, body: unknown): Promise<{ url: string; requests: { path: string; body: unknown }[] }> {
  const requests: { path: string; body: unknown }[] = [];
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', body: JSON.parse(text) as unknown });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, requests };
}

describe('baton cancel', () => {
  it('prints 202 CANCEL_REQUESTED and exits 0', async () => {
    const api = await ingress(202, { status: 'CANCEL_REQUESTED' });
    const io = captureIo();
    expect(await cancelCommand(createApiClient({ url: api.url, key: 'k' }), 'run-1', {}, io)).toBe(0);
    expect(io.stdout).toEqual(['run run-1 CANCEL_REQUESTED (Temporal has not stopped it yet; baton show run-1 follows it)']);
    expect(api.requests).toEqual([{ path: '/v1/runs/run-1/cancel', body: { reason: DEFAULT_REASON } }]);

    const json = captureIo();
    expect(await cancelCommand(createApiClient({ url: api.url, key: 'k' }), 'run-1', { json: true, reason: 'customer left' }, json)).toBe(0);
    expect(JSON.parse(json.stdout.join('\n'))).toEqual({ runId: 'run-1', status: 'CANCEL_REQUESTED' });
    expect(api.requests[1]!.body).toEqual({ reason: 'customer left' });
  });

  it('prints the refusal of Temporal with its code on stderr and exits 1', async () => {
    const api = await ingress(409, { error: { code: 'WORKFLOW_TEMPORAL_CANCEL_FAILED', message: 'Temporal refused the cancel: not found', runId: 'run-2' } });
    const io = captureIo();
    expect(await cancelCommand(createApiClient({ url: api.url, key: 'k' }), 'run-2', {}, io)).toBe(1);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toEqual(['WORKFLOW_TEMPORAL_CANCEL_FAILED: Temporal refused the cancel: not found']);
  });
});
