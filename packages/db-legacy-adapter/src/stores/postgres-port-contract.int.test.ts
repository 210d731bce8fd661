import { afterAll, beforeAll, describe, it } from 'vitest';
import { PORT_CONTRACT_CASES, type RuntimeStores } from '@baton/runtime-core';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import { createPostgresStores } from './create-postgres-stores.js';

// The behaviour every implementation of runtime-core's ports must have, on the Postgres stores.
let t: TestDatabase;
let stores: RuntimeStores;
beforeAll(async () => {
  t = await createTestDatabase('port_contract');
  stores = createPostgresStores({ pool: t.pool, schema: t.schema });
});
afterAll(async () => t?.drop());

describe('port contract, Postgres implementation', () => {
  PORT_CONTRACT_CASES.forEach((c, i) => {
    it(`${c.port}: ${c.name}`, () => c.run(stores, { tenant: `tenant-${i}`, otherTenant: `other-${i}` }));
  });
});
