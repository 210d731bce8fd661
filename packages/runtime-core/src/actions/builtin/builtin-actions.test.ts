import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunActionCommand } from '../../interpreter/protocol.js';
import { executeAction } from '../execute-action.js';
import { testActionsEnabledFromEnv } from '../test-actions-env.js';
import { sha256Hex } from '../../hashing/content-hash.js';
import { builtinActions, createActionRegistry } from './builtin-actions.js';
import { parseEgressAllowList } from './egress-policy.js';

const run = (action: string, input: unknown, attempt = 1): RunActionCommand => ({
  type: 'RunAction',
  commandId: `r:s:0:${attempt}`,
  stepId: 's',
  path: 's',
  action,
  actionVersion: 1,
  input: input as null,
  attempt,
  idempotencyKey: 'acme:r:s:0',
});
const ctx = { runId: 'r', tenant: 'acme' };

describe('built-in actions', () => {
  const registry = createActionRegistry({ enableTestActions: true });

  it('registers the test actions only when enabled', () => {
    expect(builtinActions().map((a) => `${a.id}@${a.version}`)).toEqual(['core.echo@1', 'core.log@1', 'http.request@1']);
    expect(createActionRegistry().has('test.flaky', 1)).toBe(false);
    expect(registry.has('test.flaky', 1)).toBe(true);
    expect(testActionsEnabledFromEnv({ BATON_ENABLE_TEST_ACTIONS: '1' })).toBe(true);
    expect(testActionsEnabledFromEnv({ BATON_ENABLE_TEST_ACTIONS: 'true' })).toBe(false);
    expect(testActionsEnabledFromEnv({})).toBe(false);
  });

  it('core.echo returns its input; core.log writes through the logger', async () => {
    expect(await executeAction(registry, run('core.echo', { a: [1] }), ctx)).toEqual({ ok: true, output: { a: [1] } });
    const lines: unknown[] = [];
    const logger = { log: (...args: unknown[]) => void lines.push(args) };
    expect(await executeAction(registry, run('core.log', { message: 'hi', level: 'warn', fields: { k: 1 } }), { ...ctx, logger })).toEqual({ ok: true, output: { logged: true } });
    expect(lines).toEqual([['warn', 'hi', { k: 1, runId: 'r', stepId: 's', tenant: 'acme' }]]);
  });

  it('test.fail fails as asked; test.flaky fails while attempt <= failTimes, then returns the attempt', async () => {
    expect(await executeAction(registry, run('test.fail', { message: 'no', retryable: true }), ctx)).toMatchObject({ ok: false, error: { category: 'TransientError', message: 'no' } });
    expect(await executeAction(registry, run('test.fail', { message: 'no' }), ctx)).toMatchObject({ ok: false, error: { category: 'ActionError' } });
    expect(await executeAction(registry, run('test.flaky', { failTimes: 2 }, 2), ctx)).toMatchObject({ ok: false, error: { category: 'TransientError' } });
    expect(await executeAction(registry, run('test.flaky', { failTimes: 2 }, 3), ctx)).toEqual({ ok: true, output: { attempts: 3 } });
  });
});

describe('http.request@1 (real HTTP on loopback)', () => {
  let server: Server;
  let base: string;
  let seen: { method?: string; headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body });
        if (req.url === '/json') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ echo: body ? JSON.parse(body) : null }));
        } else if (req.url === '/text') res.writeHead(201, { 'content-type': 'text/plain' }).end('made');
        else if (req.url === '/missing') res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"nope"}');
        else if (req.url === '/down') res.writeHead(503).end('busy');
        else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end('late'), 500);
        else if (req.url === '/big') res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(4096));
        else if (req.url === '/big-chunked') {
          // no content-length: the limit must hold while streaming, and the rest is never sent
          res.writeHead(200, { 'content-type': 'text/plain' });
          const timer = setInterval(() => res.write('y'.repeat(1024)), 1);
          res.on('close', () => clearInterval(timer));
        } else if (req.url === '/redirect') res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        else res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  // The test server is on loopback, which the default policy denies: these tests allow it.
  const registry = createActionRegistry({ http: { allow: parseEgressAllowList('127.0.0.1/32'), maxResponseBytes: 2048 } });

  it('sends JSON with a digest of the idempotency key and parses a JSON answer', async () => {
    seen = [];
    const result = await executeAction(registry, run('http.request', { url: `${base}/json`, method: 'POST', body: { a: 1 }, headers: { 'x-trace': 't1' } }), ctx);
    expect(result).toMatchObject({ ok: true, output: { status: 200, body: { echo: { a: 1 } }, headers: { 'content-type': 'application/json' } } });
    // the tenant-prefixed key stays inside Baton: third parties see its sha-256
    expect(seen[0]).toMatchObject({ method: 'POST', headers: { 'idempotency-key': sha256Hex('acme:r:s:0'), 'x-trace': 't1', 'content-type': 'application/json' } });
    expect(JSON.stringify(seen[0]!.headers)).not.toContain('acme');
  });

  it('returns text bodies as strings', async () => {
    expect(await executeAction(registry, run('http.request', { url: `${base}/text` }), ctx)).toMatchObject({ ok: true, output: { status: 201, body: 'made' } });
  });

  it('non-2xx is an ActionError; 5xx is a TransientError', async () => {
    expect(await executeAction(registry, run('http.request', { url: `${base}/missing` }), ctx)).toMatchObject({
      ok: false,
      error: { category: 'ActionError', code: 'HTTP_ERROR', details: { status: 404, body: { error: 'nope' } } },
    });
    expect(await executeAction(registry, run('http.request', { url: `${base}/down` }), ctx)).toMatchObject({ ok: false, error: { category: 'TransientError', code: 'HTTP_ERROR', details: { status: 503 } } });
  });

  it('network errors and its own timeout are TransientErrors', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await executeAction(registry, run('http.request', { url: `http://127.0.0.1:${port}/` }), ctx)).toMatchObject({ ok: false, error: { category: 'TransientError', code: 'HTTP_NETWORK_ERROR' } });
    expect(await executeAction(registry, run('http.request', { url: `${base}/slow`, timeoutMs: 50 }), ctx)).toMatchObject({ ok: false, error: { category: 'TransientError', code: 'HTTP_TIMEOUT' } });
  });

  it('refuses non-http URLs as invalid input', async () => {
    expect(await executeAction(registry, run('http.request', { url: 'file:///etc/passwd' }), ctx)).toMatchObject({ ok: false, error: { category: 'ValidationError', code: 'ACTION_INPUT_INVALID' } });
  });

  it('a response over maxResponseBytes fails with HTTP_RESPONSE_TOO_LARGE, declared or streamed', async () => {
    expect(await executeAction(registry, run('http.request', { url: `${base}/big` }), ctx)).toMatchObject({
      ok: false,
      error: { category: 'ActionError', code: 'HTTP_RESPONSE_TOO_LARGE', details: { maxBytes: 2048 } },
    });
    expect(await executeAction(registry, run('http.request', { url: `${base}/big-chunked` }), ctx)).toMatchObject({ ok: false, error: { code: 'HTTP_RESPONSE_TOO_LARGE' } });
  });

  it('does not follow a redirect (to the metadata address here): a 3xx is an HTTP_ERROR with its location', async () => {
    expect(await executeAction(registry, run('http.request', { url: `${base}/redirect` }), ctx)).toMatchObject({
      ok: false,
      error: { category: 'ActionError', code: 'HTTP_ERROR', details: { status: 302, location: 'http://169.254.169.254/latest/meta-data/' } },
    });
  });
});

describe('http.request@1 egress policy', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"secret":"inside"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const denied = (url: string, registry = createActionRegistry()) =>
    expect(executeAction(registry, run('http.request', { url }), ctx)).resolves.toMatchObject({ ok: false, error: { category: 'ActionError', code: 'HTTP_DESTINATION_DENIED' } });

  it('denies loopback, link-local, private, unique-local addresses and localhost by default, without connecting', async () => {
    hits = 0;
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://api.localhost:${port}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      `http://[::1]:${port}/`,
      'http://[fe80::1]/',
      'http://[fd00::1]/',
      `http://[::ffff:127.0.0.1]:${port}/`,
      'http://[::ffff:a9fe:a9fe]/',
      'http://2130706433/',
    ]) {
      await denied(url);
    }
    expect(hits).toBe(0);
  });

  it('checks the resolved address: a public-looking name that resolves to loopback is denied', async () => {
    const registry = createActionRegistry({ http: { resolve: async () => [{ address: '127.0.0.1', family: 4 }] } });
    await denied(`http://innocent.example:${port}/`, registry);
    // one public and one private answer: only the checked public address may be used, never the private one
    const mixed = createActionRegistry({ http: { resolve: async () => [{ address: '10.0.0.5', family: 4 }] } });
    await denied('http://mixed.example/', mixed);
  });

  it('connects to the address it checked (pinned): the name is resolved once, by the policy, not again by the socket', async () => {
    hits = 0;
    let lookups = 0;
    const registry = createActionRegistry({
      http: {
        allow: parseEgressAllowList(`127.0.0.1:${port}`),
        // a rebinding resolver: the first answer is the allowed address, any later one would be the metadata service
        resolve: async () => (lookups++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '169.254.169.254', family: 4 }]),
      },
    });
    // the name does not exist in any DNS: only a connection to the checked address can succeed
    const result = await executeAction(registry, run('http.request', { url: `http://inventory.invalid:${port}/x` }), ctx);
    expect(result).toMatchObject({ ok: true, output: { status: 200, body: { secret: 'inside' } } });
    expect(lookups).toBe(1);
    expect(hits).toBe(1);
  });

  it('BATON_HTTP_ALLOW allows hosts, addresses with a port, and CIDRs', async () => {
    const ok = { ok: true, output: { status: 200 } };
    for (const allow of [`127.0.0.1:${port}`, '127.0.0.0/8', 'localhost']) {
      const registry = createActionRegistry({ http: { allow: parseEgressAllowList(allow) } });
      const host = allow === 'localhost' ? 'localhost' : '127.0.0.1';
      await expect(executeAction(registry, run('http.request', { url: `http://${host}:${port}/` }), ctx)).resolves.toMatchObject(ok);
    }
    // an address allowed on another port is still denied
    await denied(`http://127.0.0.1:${port}/`, createActionRegistry({ http: { allow: parseEgressAllowList(`127.0.0.1:${port === 1 ? 2 : 1}`) } }));
  });

  it('parses the allow list and names a bad entry', () => {
    expect(parseEgressAllowList(' inventory.internal, 10.0.0.0/8 [::1]:8080 ').entries).toHaveLength(3);
    expect(() => parseEgressAllowList('10.0.0.0/40')).toThrow(/10\.0\.0\.0\/40/);
    expect(() => parseEgressAllowList('not a host!')).toThrow(/INVALID|not a host/);
  });
});
