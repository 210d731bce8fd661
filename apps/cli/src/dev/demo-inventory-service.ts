import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One stock-keeping unit of the demo catalog. */
export interface DemoSku {
  readonly available: number;
  /** answers 503 to the first request of each idempotency key (to show retries with backoff) */
  readonly flaky?: boolean;
}

/** The catalog `baton dev` serves: one ordinary item, one flaky, one out of stock. */
export const DEMO_CATALOG: Readonly<Record<string, DemoSku>> = {
  'BOOK-1': { available: 100 },
  'MUG-2': { available: 50, flaky: true },
  'LAMP-3': { available: 0 },
};

/** Port of the demo inventory service when `BATON_DEMO_INVENTORY_PORT` does not say. */
export const DEFAULT_DEMO_INVENTORY_PORT = 7310;

/** A running demo inventory service. */
export interface DemoInventoryService {
  readonly url: string;
  /** requests received, by path, for tests and the dev banner */
  readonly requests: { readonly path: string; readonly status: number }[];
  close(): Promise<void>;
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 64 * 1024) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    req.on('error', reject);
  });
}

/**
 * Starts the inventory service the order-fulfilment example calls with `http.request`, on
 * loopback: `POST /reservations {orderId, sku, quantity}` answers 201 with a reservation, 409
 * when out of stock, 404 for an unknown SKU and, for a flaky SKU, 503 to the first attempt of
 * each idempotency key; `POST /shipments {orderId, lines}` books a shipment. Answers are derived
 * from the request only (stock is never decremented), so the same order gives the same output on
 * every engine and every run.
 */
export async function startDemoInventoryService(options: { host?: string; port?: number; catalog?: Readonly<Record<string, DemoSku>> } = {}): Promise<DemoInventoryService> {
  const catalog = options.catalog ?? DEMO_CATALOG;
  const failedOnce = new Set<string>();
  const requests: { path: string; status: number }[] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const answer = (status: number, body: unknown): void => {
      requests.push({ path, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && path === '/stock') return answer(200, catalog);
    if (req.method !== 'POST' || (path !== '/reservations' && path !== '/shipments')) return answer(404, { error: 'NOT_FOUND' });
    readJson(req).then(
      (body) => {
        const b = (body ?? {}) as { orderId?: unknown; sku?: unknown; quantity?: unknown; lines?: unknown };
        if (typeof b.orderId !== 'string') return answer(400, { error: 'BAD_REQUEST', message: 'orderId is required' });
        if (path === '/shipments') {
          const lines = Array.isArray(b.lines) ? b.lines.length : 0;
          if (lines === 0) return answer(400, { error: 'BAD_REQUEST', message: 'lines must not be empty' });
          return answer(201, { trackingNumber: `TRK-${b.orderId}`, lines });
        }
        const sku = typeof b.sku === 'string' ? b.sku : '';
        const quantity = typeof b.quantity === 'number' ? b.quantity : 0;
        const item = Object.hasOwn(catalog, sku) ? catalog[sku] : undefined;
        if (!item) return answer(404, { error: 'UNKNOWN_SKU', sku });
        const key = String(req.headers['idempotency-key'] ?? `${b.orderId}:${sku}`);
        if (item.flaky && !failedOnce.has(key)) {
          failedOnce.add(key);
          return answer(503, { error: 'TEMPORARILY_UNAVAILABLE', retryAfterMs: 100 });
        }
        if (quantity > item.available) return answer(409, { error: 'OUT_OF_STOCK', sku, available: item.available });
        return answer(201, { reservationId: `R-${b.orderId}-${sku}`, sku, quantity });
      },
      () => answer(400, { error: 'BAD_REQUEST', message: 'body must be JSON' }),
    );
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_DEMO_INVENTORY_PORT, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
