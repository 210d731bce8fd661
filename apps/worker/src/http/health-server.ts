import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthResponse } from '@baton/event-schemas';
import type { Registry } from 'prom-client';

/** One dependency's answer to a health probe. */
export interface HealthCheckResult {
  readonly ok: boolean;
  readonly message?: string;
}

/** Named probes run on every `GET /healthz`. */
export type HealthChecks = Readonly<Record<string, () => Promise<HealthCheckResult>>>;

/** A running health + metrics endpoint. */
export interface HealthServer {
  /** the bound port (useful when 0 was asked for) */
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 3000;

async function probe(check: () => Promise<HealthCheckResult>): Promise<HealthCheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check(),
      new Promise<HealthCheckResult>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, message: `no answer within ${PROBE_TIMEOUT_MS} ms` }), PROBE_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check; 200 with status `ok` when all pass, else 503 `unavailable`. */
export async function runHealthChecks(checks: HealthChecks): Promise<{ statusCode: number; body: HealthResponse }> {
  const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await probe(check)] as const));
  const ok = entries.every(([, r]) => r.ok);
  return { statusCode: ok ? 200 : 503, body: { status: ok ? 'ok' : 'unavailable', checks: Object.fromEntries(entries) } };
}

function send(res: http.ServerResponse, statusCode: number, contentType: string, body: string): void {
  res.writeHead(statusCode, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

/** Serves `GET /healthz` (JSON, 200/503) and `GET /metrics` (Prometheus text) on `host:port`. */
export async function startHealthServer(options: { host: string; port: number; checks: HealthChecks; registry: Registry }): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'application/json', JSON.stringify({ error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed` } }));
      return;
    }
    if (path === '/healthz') {
      runHealthChecks(options.checks).then(
        ({ statusCode, body }) => send(res, statusCode, 'application/json', JSON.stringify(body)),
        (error: unknown) => send(res, 503, 'application/json', JSON.stringify({ status: 'unavailable', checks: { worker: { ok: false, message: String(error) } } })),
      );
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => send(res, 200, options.registry.contentType, text),
        (error: unknown) => send(res, 500, 'text/plain', `metrics failed: ${String(error)}`),
      );
      return;
    }
    send(res, 404, 'application/json', JSON.stringify({ error: { code: 'NOT_FOUND', message: `no route ${path}` } }));
  });
  // Idle keep-alive sockets of scrapers must not hold the process open at shutdown.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
