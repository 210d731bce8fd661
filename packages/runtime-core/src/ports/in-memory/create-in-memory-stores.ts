import type { RuntimeStores } from '../runtime-stores.js';
import { InMemoryDefinitionStore } from './in-memory-definition-store.js';
import { InMemoryEventAudit } from './in-memory-event-audit.js';
import { InMemoryEventInbox } from './in-memory-event-inbox.js';
import { InMemoryRunStore } from './in-memory-run-store.js';
import { InMemoryTaskStore } from './in-memory-task-store.js';
import { InMemoryUpgradeAudit } from './in-memory-upgrade-audit.js';
import { InMemoryWaitIndex } from './in-memory-wait-index.js';

/**
 * Every runtime port in process memory (tests, the reference harness, `baton dev` without a
 * database), with the event inbox: the audit keeps each new keyed event in it and the wait index
 * tells which events a run has taken.
 */
export function createInMemoryStores(): RuntimeStores & { readonly inbox: InMemoryEventInbox } {
  const waits = new InMemoryWaitIndex();
  const inbox = new InMemoryEventInbox((tenant, runId, exceptWaitId) => waits.takenBy(tenant, runId, exceptWaitId));
  return {
    definitions: new InMemoryDefinitionStore(),
    runs: new InMemoryRunStore(),
    waits,
    events: new InMemoryEventAudit({ inbox, takenBy: (tenant, runId) => waits.takenBy(tenant, runId) }),
    tasks: new InMemoryTaskStore(),
    inbox,
    upgradeAudits: new InMemoryUpgradeAudit(),
  };
}
