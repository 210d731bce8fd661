import { sql, type Kysely } from 'kysely';
import type { Migration } from './migration.js';

/** An index for listing a tenant's events newest first (`GET /v1/events`, the console's event page). */
export const eventListIndex: Migration = {
  name: '0007-event-list-index',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Migration.up
  async up(db: Kysely<any>, schema: string): Promise<void> {
    await sql`create index ${sql.id('workflow_runtime_events_list')} on ${sql.id(schema, 'workflow_runtime_events')}
      (tenant_id, received_at desc, event_id desc)`.execute(db);
  },
};
