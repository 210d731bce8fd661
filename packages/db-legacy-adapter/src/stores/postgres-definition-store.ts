import { sql, type Kysely, type Selectable } from 'kysely';
import type { PolicyChange, WorkflowDefinition, WorkflowPolicy } from '@baton/event-schemas';
import type {
  DefinitionStore,
  DefinitionVersionSummary,
  NewDefinitionVersion,
  PublishOutcome,
  PublishedDefinition,
} from '@baton/runtime-core';
import type { Database, WorkflowDefinitionVersionsTable, WorkflowPoliciesTable, WorkflowPolicyHistoryTable } from '../database/database-types.js';
import { json, jsonOrNull, toIso } from '../database/timestamps.js';
import { groupedHotRead, hotRead, type HotReadOptions } from './hot-reads.js';

type VersionRow = Selectable<WorkflowDefinitionVersionsTable>;

function toPublished(row: Omit<VersionRow, 'retired_at' | 'retired_reason'>): PublishedDefinition {
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
    retiredAt: row.retired_at === null ? null : toIso(row.retired_at),
    retiredReason: row.retired_reason,
  };
}

type PolicyRow = Pick<Selectable<WorkflowPoliciesTable>, (typeof POLICY_COLUMNS)[number]>;

const POLICY_COLUMNS = ['version_policy', 'engine_policy', 'shadow_policy', 'rollout_gate', 'rollback_policy'] as const;

function toPolicy(row: PolicyRow): WorkflowPolicy {
  const policy = { versionPolicy: row.version_policy } as WorkflowPolicy;
  if (row.engine_policy) policy.engine = row.engine_policy as WorkflowPolicy['engine'];
  if (row.shadow_policy) policy.shadow = row.shadow_policy as WorkflowPolicy['shadow'];
  if (row.rollout_gate) policy.rolloutGate = row.rollout_gate as WorkflowPolicy['rolloutGate'];
  if (row.rollback_policy) policy.rollback = row.rollback_policy as WorkflowPolicy['rollback'];
  return policy;
}

function toPolicyChange(row: Selectable<WorkflowPolicyHistoryTable>): PolicyChange {
  return {
    at: toIso(row.at),
    actor: row.actor,
    from: (row.from_policy as WorkflowPolicy | null) ?? null,
    to: row.to_policy as WorkflowPolicy,
    forced: row.forced,
    reason: row.reason,
  };
}

const SUMMARY_COLUMNS = ['name', 'version', 'content_hash', 'trigger_event_name', 'published_at', 'retired_at', 'retired_reason'] as const;

/** The versions of a name, oldest first (`$1` tenant, `$2` name): read on every start. */
const listVersionsText = (table: (name: string) => string) =>
  `SELECT ${SUMMARY_COLUMNS.join(', ')} FROM ${table('workflow_definition_versions')} WHERE tenant_id = $1 AND name = $2 ORDER BY published_at`;

/** The policy of a name (`$1` tenant, `$2` name): read on every start. */
const getPolicyText = (table: (name: string) => string) =>
  `SELECT ${POLICY_COLUMNS.join(', ')} FROM ${table('workflow_policies')} WHERE tenant_id = $1 AND workflow_name = $2`;

/**
 * The policy and the versions of a name in one statement (`$1` tenant, `$2` name): one row per
 * version, oldest first, each carrying the policy; one row with no version when none is published.
 */
/** The policy and versions of several workflows (`$1` tenants, `$2` names; one request per element), grouped (hot-reads.ts). */
const policyAndVersionsText = (table: (name: string) => string) => `
SELECT k.req, ${SUMMARY_COLUMNS.map((c) => `v.${c}`).join(', ')}, ${POLICY_COLUMNS.map((c) => `p.${c}`).join(', ')}
FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(tenant_id, name, req)
LEFT JOIN ${table('workflow_policies')} AS p ON p.tenant_id = k.tenant_id AND p.workflow_name = k.name
LEFT JOIN ${table('workflow_definition_versions')} AS v ON v.tenant_id = k.tenant_id AND v.name = k.name
ORDER BY k.req, v.published_at`;

/** The versions triggered by any of the event names `$2` of tenant `$1`, by name then publish time. */
const eventTriggeredManyText = (table: (name: string) => string) => `
SELECT ${SUMMARY_COLUMNS.join(', ')} FROM ${table('workflow_definition_versions')}
WHERE tenant_id = $1 AND trigger_event_name = ANY($2::text[])
ORDER BY name, published_at`;

type VersionSummaryRow = Omit<VersionRow, 'definition' | 'tenant_id'>;

type PolicyAndVersionRow = { [K in (typeof SUMMARY_COLUMNS)[number]]: VersionRow[K] | null } & { [K in keyof PolicyRow]: PolicyRow[K] | null };

/**
 * `DefinitionStore` over `workflow_definitions`, `workflow_definition_versions`, `workflow_policies`
 * and `workflow_policy_history`. With `hot`, the reads of every start (versions and policy, also in
 * one statement: `getPolicyAndVersions`) are named statements (hot-reads.ts); they are read from
 * Postgres on every call either way, never cached.
 */
export function createPostgresDefinitionStore(db: Kysely<Database>, hot?: HotReadOptions): DefinitionStore {
  const readVersions = hot ? hotRead(hot, 'list_versions', listVersionsText) : undefined;
  const readPolicy = hot ? hotRead(hot, 'get_policy', getPolicyText) : undefined;
  // Every start reads these: the starts made meanwhile are read together in one statement.
  const readPolicyAndVersions = hot ? groupedHotRead(hot, 'policy_and_versions', policyAndVersionsText) : undefined;
  // Every event batch reads the workflows its event names trigger.
  const readEventTriggered = hot ? hotRead(hot, 'event_triggered_many', eventTriggeredManyText) : undefined;
  return {
    ...(readPolicyAndVersions
      ? {
          async getPolicyAndVersions(tenant: string, name: string) {
            const rows = await readPolicyAndVersions<PolicyAndVersionRow>([tenant, name]);
            const first = rows[0];
            const policy = first && first.version_policy !== null ? toPolicy(first as PolicyRow) : undefined;
            const versions = rows.filter((r) => r.version !== null).map((r) => toSummary(r as Omit<VersionRow, 'definition' | 'tenant_id'>));
            return { policy, versions };
          },
        }
      : {}),
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

    async retireVersion(tenant, name, version, retirement) {
      // coalesce keeps the first retirement: retiring again changes nothing
      const row = await db
        .updateTable('workflow_definition_versions')
        .set({
          retired_at: sql<Date>`coalesce(retired_at, ${new Date(retirement.at)}::timestamptz)`,
          retired_reason: sql<string | null>`case when retired_at is null then ${retirement.reason}::text else retired_reason end`,
        })
        .where('tenant_id', '=', tenant)
        .where('name', '=', name)
        .where('version', '=', version)
        .returning(SUMMARY_COLUMNS)
        .executeTakeFirst();
      return row ? toSummary(row) : undefined;
    },

    async listNames(tenant) {
      const rows = await db.selectFrom('workflow_definitions').select('name').where('tenant_id', '=', tenant).orderBy('name').execute();
      return rows.map((r) => r.name);
    },

    async listVersions(tenant, name) {
      if (readVersions) return (await readVersions<Omit<VersionRow, 'definition' | 'tenant_id'>>([tenant, name])).map(toSummary);
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
      if (readPolicy) {
        const [found] = await readPolicy<PolicyRow>([tenant, name]);
        return found ? toPolicy(found) : undefined;
      }
      const row = await db
        .selectFrom('workflow_policies')
        .select(POLICY_COLUMNS)
        .where('tenant_id', '=', tenant)
        .where('workflow_name', '=', name)
        .executeTakeFirst();
      return row ? toPolicy(row) : undefined;
    },

    async setPolicy(tenant, name, policy, change) {
      const values = {
        version_policy: json(policy.versionPolicy),
        engine_policy: jsonOrNull(policy.engine),
        shadow_policy: jsonOrNull(policy.shadow),
        rollout_gate: jsonOrNull(policy.rolloutGate),
        rollback_policy: jsonOrNull(policy.rollback),
        updated_at: new Date(),
      };
      const upsert = (executor: Kysely<Database>) =>
        executor
          .insertInto('workflow_policies')
          .values({ tenant_id: tenant, workflow_name: name, ...values })
          .onConflict((oc) => oc.columns(['tenant_id', 'workflow_name']).doUpdateSet(values))
          .execute();
      if (!change) {
        await upsert(db);
        return policy;
      }
      await db.transaction().execute(async (trx) => {
        // The row lock makes `from` the policy this write replaces, also under concurrent changes.
        const current = await trx
          .selectFrom('workflow_policies')
          .select(POLICY_COLUMNS)
          .where('tenant_id', '=', tenant)
          .where('workflow_name', '=', name)
          .forUpdate()
          .executeTakeFirst();
        await upsert(trx);
        await trx
          .insertInto('workflow_policy_history')
          .values({
            tenant_id: tenant,
            workflow_name: name,
            at: change.at,
            actor: change.actor,
            from_policy: jsonOrNull(current ? toPolicy(current) : null),
            to_policy: json(policy),
            forced: change.forced,
            reason: change.reason,
          })
          .execute();
      });
      return policy;
    },

    async listPolicyHistory(tenant, name, limit) {
      const rows = await db
        .selectFrom('workflow_policy_history')
        .selectAll()
        .where('tenant_id', '=', tenant)
        .where('workflow_name', '=', name)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toPolicyChange);
    },

    async listEventTriggeredMany(tenant, eventNames) {
      if (eventNames.length === 0) return [];
      if (readEventTriggered) return (await readEventTriggered<VersionSummaryRow>([tenant, [...new Set(eventNames)]])).map(toSummary);
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
