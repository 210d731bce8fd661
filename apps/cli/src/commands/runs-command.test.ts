import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { captureIo } from '../__fixtures__/capture-io.js';
import { createApiClient } from '../api/baton-api-client.js';
import { runsCommand } from './runs-command.js';

// A stand-in ingress answering GET /v1/runs?stuck=true (the ingress int test stuck-runs.int.test.ts
// checks the real answer); this checks what `baton runs --stuck` asks and prints.
let server: http.Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function ingress(status: number, body: unknown): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, paths };
}

const STUCK = {
  runId: 'run-1',
  workflow: 'shop.order',
  version: '1.0.0',
  engine: 'db',
  status: 'RUNNING',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:01.000Z',
  stuckReason: {
    code: 'ACTION_NOT_PROVIDED',
    message: 'waits for action ops.vanished@1, which no live worker of the Postgres engine provides',
    action: 'ops.vanished@1',
    since: '2026-01-01T00:00:01.000Z',
    deadline: '2026-01-02T00:00:01.000Z',
  },
};

describe('baton runs --stuck', () => {
  it('asks for stuck runs and prints each with its reason code and detail', async () => {
    const api = await ingress(200, { items: [STUCK], nextCursor: null });
    const io = captureIo();
    expect(await runsCommand(createApiClient({ url: api.url, key: 'k' }), { stuck: true, workflow: 'shop.order' }, io)).toBe(0);
    expect(api.paths).toEqual(['/v1/runs?stuck=true&workflow=shop.order&limit=20']);
    expect(io.stdout.join('\n').split('\n')).toEqual([
      expect.stringMatching(/^RUN\s+WORKFLOW\s+ENGINE\s+STATUS\s+REASON\s+DETAIL$/),
      expect.stringMatching(/^run-1\s+shop\.order@1\.0\.0\s+db\s+RUNNING\s+ACTION_NOT_PROVIDED\s+waits for action ops\.vanished@1, which no live worker/),
    ]);

    const json = captureIo();
    expect(await runsCommand(createApiClient({ url: api.url, key: 'k' }), { stuck: true, json: true }, json)).toBe(0);
    expect(JSON.parse(json.stdout.join('\n'))).toEqual({ items: [STUCK], nextCursor: null });
  });

  it('says so when nothing is stuck; without --stuck asks for the plain list', async () => {
    const api = await ingress(200, { items: [], nextCursor: null });
    const io = captureIo();
    expect(await runsCommand(createApiClient({ url: api.url, key: 'k' }), { stuck: true }, io)).toBe(0);
    expect(io.stdout).toEqual(['no stuck runs']);
    const plain = captureIo();
    expect(await runsCommand(createApiClient({ url: api.url, key: 'k' }), {}, plain)).toBe(0);
    expect(plain.stdout).toEqual(['no runs']);
    expect(api.paths).toEqual(['/v1/runs?stuck=true&limit=20', '/v1/runs?limit=20']);
  });

  it('prints the API refusal with its code and exits 1', async () => {
    const api = await ingress(400, { error: { code: 'VALIDATION_ERROR', message: 'stuck=true cannot be combined with status', issues: [] } });
    const io = captureIo();
    expect(await runsCommand(createApiClient({ url: api.url, key: 'k' }), { stuck: true, status: 'FAILED' }, io)).toBe(1);
    expect(io.stderr[0]).toMatch(/^VALIDATION_ERROR: stuck=true cannot be combined with status/);
  });
});
