import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunActionCommand } from '../../interpreter/protocol.js';
import { executeAction } from '../execute-action.js';
import { testActionsEnabledFromEnv } from '../test-actions-env.js';
import { builtinActions, createActionRegistry } from './builtin-actions.js';

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

  const registry = createActionRegistry();

  it('sends JSON with the idempotency key and parses a JSON answer', async () => {
    seen = [];
    const result = await executeAction(registry, run('http.request', { url: `${base}/json`, method: 'POST', body: { a: 1 }, headers: { 'x-trace': 't1' } }), ctx);
    expect(result).toMatchObject({ ok: true, output: { status: 200, body: { echo: { a: 1 } }, headers: { 'content-type': 'application/json' } } });
    expect(seen[0]).toMatchObject({ method: 'POST', headers: { 'idempotency-key': 'acme:r:s:0', 'x-trace': 't1', 'content-type': 'application/json' } });
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
});
