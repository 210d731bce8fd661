import type { RuntimeStores } from '../runtime-stores.js';
import { InMemoryDefinitionStore } from './in-memory-definition-store.js';
import { InMemoryEventAudit } from './in-memory-event-audit.js';
import { InMemoryRunStore } from './in-memory-run-store.js';
import { InMemoryTaskStore } from './in-memory-task-store.js';
import { InMemoryWaitIndex } from './in-memory-wait-index.js';

/** Every runtime port in process memory (tests, the reference harness, `baton dev` without a database). */
export function createInMemoryStores(): RuntimeStores {
  return {
    definitions: new InMemoryDefinitionStore(),
    runs: new InMemoryRunStore(),
    waits: new InMemoryWaitIndex(),
    events: new InMemoryEventAudit(),
    tasks: new InMemoryTaskStore(),
  };
}
