// `baton retire` and `baton policy` (retired versions) against a recording HTTP server (the API
// contract is tested in the ingress): the requests they send and what they print.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { captureIo } from '../__fixtures__/capture-io.js';
import { createProgram } from '../program.js';
import type { ExitCode } from './cli-io.js';

type Answer = { status: number; body: unknown };
const requests: { method: string; url: string; body: string }[] = [];
let answers: Record<string, Answer> = {};
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, body });
      const answer = answers[`${req.method} ${req.url!.split('?')[0]}`] ?? { status: 404, body: { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` } } };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise((r) => server.close(r)));
beforeEach(() => {
  requests.length = 0;
  answers = {};
});

async function run(...args: string[]): Promise<{ code: ExitCode | undefined; stdout: string; stderr: string }> {
  const io = captureIo();
  let code: ExitCode | undefined;
  try {
    await createProgram(io, (c) => (code = c)).parseAsync(['node', 'baton', ...args, '--url', url, '--key', 'k-1']);
  } catch {
    // exitOverride throws after recording the exit code
  }
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

describe('baton retire', () => {
  const retired = { name: 'orders', version: '1.1.0', retiredAt: '2026-12-03T10:00:00.000Z', reason: 'bad step' };

  it('posts the reason and prints the retirement and where its runs show', async () => {
    answers = { 'POST /v1/workflows/orders/versions/1.1.0/retire': { status: 200, body: retired } };
    const out = await run('retire', 'orders', '1.1.0', '--reason', 'bad step');
    expect(out.code).toBe(0);
    expect(requests).toEqual([{ method: 'POST', url: '/v1/workflows/orders/versions/1.1.0/retire', body: JSON.stringify({ reason: 'bad step' }) }]);
    expect(out.stdout).toBe('orders@1.1.0 retired at 2026-12-03T10:00:00.000Z (bad step); its running runs: baton runs --stuck --workflow orders');
  });

  it('--json prints the answer; without --reason the body is empty', async () => {
    answers = { 'POST /v1/workflows/orders/versions/1.1.0/retire': { status: 200, body: { ...retired, reason: null } } };
    const out = await run('retire', 'orders', '1.1.0', '--json');
    expect(out.code).toBe(0);
    expect(requests[0]!.body).toBe('{}');
    expect(JSON.parse(out.stdout)).toEqual({ ...retired, reason: null });
  });

  it('an unknown version exits 1 with the API error', async () => {
    answers = { 'POST /v1/workflows/orders/versions/9.9.9/retire': { status: 404, body: { error: { code: 'WORKFLOW_NOT_FOUND', message: "version 9.9.9 of 'orders' is not published" } } } };
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
    answers = { 'GET /v1/workflows/orders': { status: 200, body: summary } };
    const out = await run('policy', 'orders');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('versions        1.0.0, 1.1.0 (retired)');
  });
});
