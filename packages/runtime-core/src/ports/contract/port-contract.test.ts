import { describe, expect, it } from 'vitest';
import { createInMemoryStores } from '../in-memory/create-in-memory-stores.js';
import { InMemoryTaskStore } from '../in-memory/in-memory-task-store.js';
import { PortContractViolation } from './contract-checks.js';
import { PORT_CONTRACT_CASES } from './port-contract.js';

describe('port contract, in-memory implementation', () => {
  const stores = createInMemoryStores();
  PORT_CONTRACT_CASES.forEach((c, i) => {
    it(`${c.port}: ${c.name}`, () => c.run(stores, { tenant: `tenant-${i}`, otherTenant: `other-${i}` }));
  });
});

describe('port contract catches a broken implementation', () => {
  it('fails a task store that lets a task be completed twice', async () => {
    class Lenient extends InMemoryTaskStore {
      override async complete(...args: Parameters<InMemoryTaskStore['complete']>) {
        await this.reopen(args[0], args[1]);
        return super.complete(...args);
      }
    }
    const stores = { ...createInMemoryStores(), tasks: new Lenient() };
    const taskCase = PORT_CONTRACT_CASES.find((c) => c.port === 'tasks')!;
    await expect(taskCase.run(stores, { tenant: 'a', otherTenant: 'b' })).rejects.toBeInstanceOf(PortContractViolation);
  });
});
