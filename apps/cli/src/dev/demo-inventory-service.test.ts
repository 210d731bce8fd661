import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoInventoryService, type DemoInventoryService } from './demo-inventory-service.js';

let service: DemoInventoryService;
beforeAll(async () => {
  service = await startDemoInventoryService({ port: 0 });
});
afterAll(() => service.close());

async function post(path: string, body: unknown, key?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${service.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('demo inventory service', () => {
  it('reserves an item in stock with an id derived from the order and SKU', async () => {
    expect(await post('/reservations', { orderId: 'o1', sku: 'BOOK-1', quantity: 2 }, 'k1')).toEqual({ status: 201, body: { reservationId: 'R-o1-BOOK-1', sku: 'BOOK-1', quantity: 2 } });
  });

  it('answers 503 to the first attempt of each idempotency key of a flaky SKU, then reserves', async () => {
    expect((await post('/reservations', { orderId: 'o2', sku: 'MUG-2', quantity: 1 }, 'run-a:reserve:0.1')).status).toBe(503);
    expect((await post('/reservations', { orderId: 'o2', sku: 'MUG-2', quantity: 1 }, 'run-a:reserve:0.1')).status).toBe(201);
    expect((await post('/reservations', { orderId: 'o2', sku: 'MUG-2', quantity: 1 }, 'run-b:reserve:0.1')).status).toBe(503);
  });

  it('refuses out-of-stock (409) and unknown SKUs (404), and books shipments', async () => {
    expect(await post('/reservations', { orderId: 'o3', sku: 'LAMP-3', quantity: 1 })).toEqual({ status: 409, body: { error: 'OUT_OF_STOCK', sku: 'LAMP-3', available: 0 } });
    expect((await post('/reservations', { orderId: 'o3', sku: 'NOPE', quantity: 1 })).status).toBe(404);
    expect(await post('/shipments', { orderId: 'o3', lines: [{ sku: 'BOOK-1' }] })).toEqual({ status: 201, body: { trackingNumber: 'TRK-o3', lines: 1 } });
    expect((await post('/shipments', { orderId: 'o3', lines: [] })).status).toBe(400);
    expect(service.requests.at(-1)).toEqual({ path: '/shipments', status: 400 });
  });
});
