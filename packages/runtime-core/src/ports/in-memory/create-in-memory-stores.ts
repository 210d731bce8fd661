import type { RuntimeStores } from '../runtime-stores.js';
import { InMemoryDefinitionStore } from './in-memory-definition-store.js';
import { InMemoryEventAudit } from './in-memory-event-audit.js';
import { InMemoryRunStore } from './in-memory-run-store.js';
import { InMemoryTaskStore } from './in-memory-task-store.js';
import { InMemoryWaitIndex } from './in-memory-wait-index.js';

/** Every runtime port in process memory (tests, the reference harness, `baton dev` without a database). */
export function createInMemoryStores(): RuntimeStores {
  const waits = new InMemoryWaitIndex();
  return {
    definitions: new InMemoryDefinitionStore(),
    runs: new InMemoryRunStore(),
    waits,
    events: new InMemoryEventAudit((tenant, runId) => waits.resolvedEventIds(tenant, runId)),
    tasks: new InMemoryTaskStore(),
  };
}
