import type { Kysely, Selectable } from 'kysely';
import type { WorkflowDefinition, WorkflowPolicy } from '@baton/event-schemas';
import type {
  DefinitionStore,
  DefinitionVersionSummary,
  NewDefinitionVersion,
  PublishOutcome,
  PublishedDefinition,
} from '@baton/runtime-core';
import type { Database, WorkflowDefinitionVersionsTable } from '../database/database-types.js';
import { json, jsonOrNull, toIso } from '../database/timestamps.js';

type VersionRow = Selectable<WorkflowDefinitionVersionsTable>;

function toPublished(row: VersionRow): PublishedDefinition {
  return {
    tenant: row.tenant_id,
    name: row.name,
    version: row.version,
    hash: row.content_hash,
    definition: row.definition as WorkflowDefinition,
    triggerEventName: row.trigger_event_name,
    publishedAt: toIso(row.published_at),
  };
}

function toSummary(row: Omit<VersionRow, 'definition' | 'tenant_id'>): DefinitionVersionSummary {
  return {
    name: row.name,
    version: row.version,
    hash: row.content_hash,
    triggerEventName: row.trigger_event_name,
    publishedAt: toIso(row.published_at),
  };
}

const SUMMARY_COLUMNS = ['name', 'version', 'content_hash', 'trigger_event_name', 'published_at'] as const;

/** `DefinitionStore` over `workflow_definitions`, `workflow_definition_versions` and `workflow_policies`. */
export function createPostgresDefinitionStore(db: Kysely<Database>): DefinitionStore {
  return {
    async publish(tenant: string, v: NewDefinitionVersion): Promise<PublishOutcome> {
      return db.transaction().execute(async (trx) => {
        await trx.insertInto('workflow_definitions').values({ tenant_id: tenant, name: v.name }).onConflict((oc) => oc.doNothing()).execute();
        // ON CONFLICT DO NOTHING waits for a concurrent publisher of the same version, so the
        // read below sees its committed row: exactly one of two racing publishes creates.
        const inserted = await trx
          .insertInto('workflow_definition_versions')
          .values({
            tenant_id: tenant,
            name: v.name,
            version: v.version,
            content_hash: v.hash,
            definition: json(v.definition),
            trigger_event_name: v.triggerEventName,
            published_at: v.publishedAt,
          })
          .onConflict((oc) => oc.doNothing())
          .returningAll()
          .executeTakeFirst();
        if (inserted) return { status: 'created', definition: toPublished(inserted) };
        const existing = await trx
          .selectFrom('workflow_definition_versions')
          .selectAll()
          .where('tenant_id', '=', tenant)
          .where('name', '=', v.name)
          .where('version', '=', v.version)
          .executeTakeFirstOrThrow();
        const published = toPublished(existing);
        return existing.content_hash === v.hash ? { status: 'unchanged', definition: published } : { status: 'conflict', existing: published };
      });
    },

    async get(tenant, name, version) {
      const row = await db
        .selectFrom('workflow_definition_versions')
        .selectAll()
        .where('tenant_id', '=', tenant)
        .where('name', '=', name)
        .where('version', '=', version)
        .executeTakeFirst();
      return row ? toPublished(row) : undefined;
    },

    async listNames(tenant) {
      const rows = await db.selectFrom('workflow_definitions').select('name').where('tenant_id', '=', tenant).orderBy('name').execute();
      return rows.map((r) => r.name);
    },

    async listVersions(tenant, name) {
      const rows = await db
        .selectFrom('workflow_definition_versions')
        .select(SUMMARY_COLUMNS)
        .where('tenant_id', '=', tenant)
        .where('name', '=', name)
        .orderBy('published_at')
        .execute();
      return rows.map(toSummary);
    },

    async getPolicy(tenant, name) {
      const row = await db
        .selectFrom('workflow_policies')
        .select(['version_policy', 'engine_policy'])
        .where('tenant_id', '=', tenant)
        .where('workflow_name', '=', name)
        .executeTakeFirst();
      if (!row) return undefined;
      const policy = { versionPolicy: row.version_policy } as WorkflowPolicy;
      return row.engine_policy ? { ...policy, engine: row.engine_policy as WorkflowPolicy['engine'] } : policy;
    },

    async setPolicy(tenant, name, policy) {
      const values = { version_policy: json(policy.versionPolicy), engine_policy: jsonOrNull(policy.engine), updated_at: new Date() };
      await db
        .insertInto('workflow_policies')
        .values({ tenant_id: tenant, workflow_name: name, ...values })
        .onConflict((oc) => oc.columns(['tenant_id', 'workflow_name']).doUpdateSet(values))
        .execute();
      return policy;
    },

    async listEventTriggeredMany(tenant, eventNames) {
      if (eventNames.length === 0) return [];
      const rows = await db
        .selectFrom('workflow_definition_versions')
        .select(SUMMARY_COLUMNS)
        .where('tenant_id', '=', tenant)
        .where('trigger_event_name', 'in', [...new Set(eventNames)])
        .orderBy('name')
        .orderBy('published_at')
        .execute();
      return rows.map(toSummary);
    },

    async listEventTriggered(tenant, eventName) {
      const rows = await db
        .selectFrom('workflow_definition_versions')
        .select(SUMMARY_COLUMNS)
        .where('tenant_id', '=', tenant)
        .where('trigger_event_name', '=', eventName)
        .orderBy('name')
        .orderBy('published_at')
        .execute();
      return rows.map(toSummary);
    },
  };
}
