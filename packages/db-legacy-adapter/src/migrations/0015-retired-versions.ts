import { sql, type Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Retired definition versions: an operator takes a published version out of service
 * (`POST /v1/workflows/:name/versions/:version/retire`). The version stays published and its runs
 * keep running; no new run gets it. The partial index serves the per-name version listing's filter
 * and the stuck listing's join (only retired versions are indexed: few rows).
 */
export const retiredVersions: Migration = {
  name: '0015-retired-versions',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Migration.up
  async up(db: Kysely<any>, schema: string): Promise<void> {
    const id = (name: string) => sql.id(schema, name);
    await sql`alter table ${id('workflow_definition_versions')}
      add column retired_at timestamptz,
      add column retired_reason text`.execute(db);
    await sql`create index ${sql.id('workflow_definition_versions_retired')} on ${id('workflow_definition_versions')}
      (tenant_id, name, version) where retired_at is not null`.execute(db);
  },
};
