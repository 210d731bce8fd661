import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStores } from '@baton/db-legacy-adapter';
import { createRuntime } from '@baton/runtime-core';
import { buildIngressApp, type IngressApp } from '../app/build-app.js';
import { createApiKeyTable } from '../auth/api-keys.js';
import { createIngressMetrics } from '../metrics/ingress-metrics.js';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import { defaultConsoleDir } from './console-assets.js';

let db: TestDatabase;
let dir: string;

async function appWith(consoleDir: string | undefined): Promise<IngressApp> {
  const stores = createPostgresStores({ pool: db.pool, schema: db.schema });
  const app = await buildIngressApp({
    runtime: createRuntime({ ...stores, engines: {} }),
    metrics: createIngressMetrics({ processMetrics: false }),
    apiKeys: createApiKeyTable([{ tenant: 'tenant-a', key: 'key-a' }]),
    ...(consoleDir === undefined ? {} : { consoleDir }),
  });
  await app.ready();
  return app;
}

beforeAll(async () => {
  db = await createTestDatabase('console-assets');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-console-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Baton console</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await db?.drop();
});

describe('the console at /ui', () => {
  it('serves index.html and hashed assets without a key; /ui redirects to /ui/', async () => {
    const app = await appWith(dir);
    try {
      const redirect = await app.inject({ method: 'GET', url: '/ui' });
      expect(redirect.statusCode).toBe(302);
      expect(redirect.headers.location).toBe('/ui/');
      const index = await app.inject({ method: 'GET', url: '/ui/' });
      expect(index.statusCode).toBe(200);
      expect(index.headers['content-type']).toMatch(/text\/html/);
      expect(index.headers['cache-control']).toBe('no-cache');
      expect(index.body).toContain('Baton console');
      const asset = await app.inject({ method: 'GET', url: '/ui/assets/index-abc123.js' });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      // The API behind it still needs the key.
      expect((await app.inject({ method: 'GET', url: '/v1/runs' })).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('answers a missing file and a path outside the folder 404 in the API error form', async () => {
    const app = await appWith(dir);
    try {
      for (const url of ['/ui/assets/nothing.js', '/ui/../package.json', '/ui/%2e%2e/%2e%2e/etc/passwd']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(404);
        expect((res.json() as { error: { code: string } }).error.code, url).toBe('NOT_FOUND');
      }
    } finally {
      await app.close();
    }
  });

  it('answers /ui 404 when no console is built', async () => {
    const app = await appWith(path.join(dir, 'not-built'));
    try {
      expect((await app.inject({ method: 'GET', url: '/ui/' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it("finds the workspace console's dist folder", () => {
    expect(defaultConsoleDir()).toBe(path.resolve(import.meta.dirname, '../../../console/dist'));
  });
});
