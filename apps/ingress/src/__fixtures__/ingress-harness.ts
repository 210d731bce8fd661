import { createPostgresStores } from '@baton/db-legacy-adapter';
import { createRuntime, type EngineSet, type Runtime, type RuntimeStores } from '@baton/runtime-core';
import { buildIngressApp, type IngressApp } from '../app/build-app.js';
import { createApiKeyTable } from '../auth/api-keys.js';
import { createIngressMetrics, type IngressMetrics } from '../metrics/ingress-metrics.js';
import { createDefinitionValidator } from '../wiring/definition-validator.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TENANT_A = { tenant: 'tenant-a', key: 'key-a-0123456789' } as const;
export const TENANT_B = { tenant: 'tenant-b', key: 'key-b-0123456789' } as const;
export const auth = (t: { readonly key: string }) => ({ authorization: `Bearer ${t.key}` });

export interface IngressHarness {
  readonly app: IngressApp;
  readonly runtime: Runtime;
  readonly stores: RuntimeStores;
  readonly metrics: IngressMetrics;
  readonly db: TestDatabase;
  close(): Promise<void>;
}

export interface IngressHarnessOptions {
  readonly engines?: EngineSet;
  readonly correlation?: string;
  readonly bodyLimit?: number;
}

/** An ingress app over a fresh Postgres schema with the given engines (none by default). */
export async function createIngressHarness(suite: string, options: IngressHarnessOptions = {}): Promise<IngressHarness> {
  const db = await createTestDatabase(suite);
  const stores = createPostgresStores({ pool: db.pool, schema: db.schema });
  const runtime = createRuntime({
    ...stores,
    engines: options.engines ?? {},
    validateDefinition: createDefinitionValidator({ enableTestActions: true }),
    ...(options.correlation ? { correlation: options.correlation } : {}),
  });
  const metrics = createIngressMetrics({ processMetrics: false });
  const app = await buildIngressApp({
    runtime,
    metrics,
    apiKeys: createApiKeyTable([TENANT_A, TENANT_B]),
    health: [{ name: 'database', check: async () => void (await db.pool.query('select 1')) }],
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
  });
  await app.ready();
  return {
    app,
    runtime,
    stores,
    metrics,
    db,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
