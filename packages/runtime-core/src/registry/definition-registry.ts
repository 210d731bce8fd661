import {
  RetireVersionBody,
  UpdatePolicyBody,
  type EngineKind,
  type RetiredVersion,
  type VersionPolicy,
  type WorkflowPolicy,
  type WorkflowSummary,
} from '@baton/event-schemas';
import { BatonError, validationError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { zodIssuesToValidationIssues } from '../errors/zod-issues.js';
import { validateDefinition } from '../definition-validation/validate-definition.js';
import type { DefinitionStore, DefinitionVersionSummary, PublishedDefinition } from '../ports/definition-store.js';
import { NO_SHADOW_FIGURES, type ShadowFiguresSource } from '../ports/shadow-figures-source.js';
import { evaluateRolloutGate } from '../rollout/rollout-gate.js';
import { temporalPercentOf } from '../routing/route-engine.js';
import type { DefinitionValidator } from './definition-validator.js';
import { resolveVersion, sortVersions } from './resolve-version.js';
import { DEFAULT_VERSION_POLICY } from './version-policy.js';

/** What a publish answers: 201 when `created`, 200 when the same content was already published. */
export interface PublishResult {
  readonly name: string;
  readonly version: string;
  readonly hash: string;
  readonly created: boolean;
}

/** How to pick the definition of a run. */
export interface ResolveDefinitionRequest {
  /** the run's key for weighted policies (its execution key, else its run id) */
  readonly runKey: string;
  /** a semver range (or exact version) the version must satisfy */
  readonly range?: string;
  /** use exactly this version, ignoring the policy (a pinned continue-as-new) */
  readonly pinVersion?: string;
  /** the name's policy when the caller already read it (saves a read) @default read from the store */
  readonly policy?: WorkflowPolicy;
  /** the name's versions when the caller already read them ({@link DefinitionRegistry.readForStart}) @default read from the store */
  readonly versions?: readonly DefinitionVersionSummary[];
}

/** The policy and versions of a name, read together for a start. */
export interface StartReads {
  readonly policy: WorkflowPolicy;
  readonly versions: readonly DefinitionVersionSummary[];
}

/** Who asks for a policy change, and whether an unmet rollout gate is overridden. */
export interface PolicyChangeOptions {
  /** recorded in the history @default 'system' */
  readonly actor?: string;
  /** `?force=true`: raise the Temporal share even though the rollout gate is not met @default false */
  readonly force?: boolean;
}

/** Policy changes `describe` shows, newest first. */
export const POLICY_HISTORY_LIMIT = 50;

/** Versioned definitions with per-name policies, over a {@link DefinitionStore}. */
export interface DefinitionRegistry {
  /** Validates and publishes; throws `INVALID_WORKFLOW_DEFINITION` or `WORKFLOW_VERSION_EXISTS`. */
  publish(tenant: string, json: unknown): Promise<PublishResult>;
  /** The name's versions (ascending by semver), policy and policy history; throws `WORKFLOW_NOT_FOUND`. */
  describe(tenant: string, name: string): Promise<WorkflowSummary>;
  /** The stored policy, or the default (`latest`, engine by the runtime default). */
  getPolicy(tenant: string, name: string): Promise<WorkflowPolicy>;
  /** `getPolicy` and the published versions, in one store read when the store offers it; pass both on to `resolve`. */
  readForStart(tenant: string, name: string): Promise<StartReads>;
  /**
   * Validates an `UpdatePolicyBody` and merges it into the stored policy (omitted fields keep their
   * value, `null` removes shadow, gate or rollback); versions named must be published. The change is
   * recorded in the policy history.
   */
  setPolicy(tenant: string, name: string, update: unknown, options?: PolicyChangeOptions): Promise<WorkflowPolicy>;
  /**
   * Retires a published version (`RetireVersionBody`): no new run gets it by policy, and an exact
   * request for it answers `WORKFLOW_VERSION_RETIRED`; runs already on it keep running. Retiring a
   * retired version again changes nothing and answers the first retirement. `WORKFLOW_NOT_FOUND`
   * when the version is not published, `VALIDATION_ERROR` for a bad body.
   */
  retire(tenant: string, name: string, version: string, body: unknown): Promise<RetiredVersion>;
  /**
   * The definition a (new or continued) run of `name` runs; throws `WORKFLOW_NOT_FOUND`, or
   * `WORKFLOW_VERSION_RETIRED` when the policy or range can only pick retired versions (a
   * `pinVersion` is taken even when retired: the run is already on it).
   */
  resolve(tenant: string, name: string, request: ResolveDefinitionRequest): Promise<PublishedDefinition>;
}

/** Options of {@link createDefinitionRegistry}. */
export interface DefinitionRegistryOptions {
  readonly store: DefinitionStore;
  /** validates and hashes on publish @default validateDefinition without an action check */
  readonly validate?: DefinitionValidator;
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /** published versions kept in memory (a published version never changes) @default 1000 */
  readonly cachedVersions?: number;
  /** the rollout gate's evidence @default nothing compared */
  readonly shadowFigures?: ShadowFiguresSource;
  /** the engine of workflows without an engine policy (their Temporal share is 0 or 100) @default 'db' */
  readonly defaultEngine?: EngineKind;
}

function policyVersions(policy: VersionPolicy): string[] {
  if (policy.type === 'exact') return [policy.version];
  if (policy.type === 'weighted') return Object.keys(policy.weights);
  return [];
}

/** Creates the definition registry: publish immutable versions, resolve versions by policy. */
export function createDefinitionRegistry(options: DefinitionRegistryOptions): DefinitionRegistry {
  const { store } = options;
  const validate: DefinitionValidator = options.validate ?? ((json) => validateDefinition(json));
  const clock = options.clock ?? (() => new Date());

  async function publishedVersions(tenant: string, name: string, known?: readonly DefinitionVersionSummary[]): Promise<string[]> {
    return (known ?? (await store.listVersions(tenant, name))).map((v) => v.version);
  }

  /** The published versions of `name` and those of them retired. */
  async function versionsInService(tenant: string, name: string, known?: readonly DefinitionVersionSummary[]): Promise<{ published: string[]; retired: string[] }> {
    const versions = known ?? (await store.listVersions(tenant, name));
    return { published: versions.map((v) => v.version), retired: versions.filter((v) => v.retiredAt != null).map((v) => v.version) };
  }

  // A published (tenant, name, version) is immutable (other content is refused), so its document is
  // read from the store once, not on every start.
  const cacheLimit = options.cachedVersions ?? 1000;
  const versionCache = new Map<string, PublishedDefinition>();
  async function publishedVersion(tenant: string, name: string, version: string): Promise<PublishedDefinition | undefined> {
    const key = `${tenant}\u0000${name}\u0000${version}`;
    const cached = versionCache.get(key);
    if (cached) return cached;
    const definition = await store.get(tenant, name, version);
    if (definition && cacheLimit > 0) {
      if (versionCache.size >= cacheLimit) versionCache.delete(versionCache.keys().next().value!);
      versionCache.set(key, definition);
    }
    return definition;
  }

  const defaultEngine = options.defaultEngine ?? 'db';

  // Raising Temporal's share of new runs must meet the gate in force: the stored one, else the one the
  // change sets (a change cannot drop or loosen the gate it raises past). Answers whether an unmet gate was forced.
  async function checkRolloutGate(tenant: string, name: string, current: WorkflowPolicy, next: WorkflowPolicy, force: boolean): Promise<boolean> {
    const fromPercent = temporalPercentOf(current.engine, defaultEngine);
    const toPercent = temporalPercentOf(next.engine, defaultEngine);
    const gate = current.rolloutGate ?? next.rolloutGate;
    if (toPercent <= fromPercent || gate === undefined) return false;
    const measured = options.shadowFigures ? await options.shadowFigures.figures(tenant, name, { shadowEngine: 'temporal' }) : NO_SHADOW_FIGURES;
    const verdict = evaluateRolloutGate(gate, measured);
    if (verdict.met) return false;
    if (force) return true;
    throw new BatonError(
      ErrorCode.ROLLOUT_GATE_NOT_MET,
      `raising the Temporal share of '${name}' from ${fromPercent} % to ${toPercent} % needs its rollout gate: ${verdict.failures.join('; ')} (?force=true overrides)`,
      { details: { workflow: name, gate, measured, failures: verdict.failures, fromTemporalPercent: fromPercent, toTemporalPercent: toPercent } },
    );
  }

  return {
    async publish(tenant, json) {
      const result = await validate(json, { tenant });
      if (!result.ok) throw validationError('the workflow definition is invalid', result.issues, ErrorCode.INVALID_WORKFLOW_DEFINITION);
      const { definition, hash } = result;
      const outcome = await store.publish(tenant, {
        name: definition.name,
        version: definition.version,
        hash,
        definition,
        triggerEventName: definition.trigger?.type === 'event' ? definition.trigger.eventName : null,
        publishedAt: clock().toISOString(),
      });
      if (outcome.status === 'conflict') {
        throw new BatonError(
          ErrorCode.WORKFLOW_VERSION_EXISTS,
          `${definition.name}@${definition.version} is already published with other content; publish a new version`,
          { details: { name: definition.name, version: definition.version, hash: outcome.existing.hash } },
        );
      }
      return { name: definition.name, version: definition.version, hash, created: outcome.status === 'created' };
    },

    async describe(tenant, name) {
      const versions = await store.listVersions(tenant, name);
      if (!versions.length) throw new BatonError(ErrorCode.WORKFLOW_NOT_FOUND, `workflow '${name}' not found`, { details: { workflow: name } });
      const byVersion = new Map(versions.map((v) => [v.version, v]));
      return {
        name,
        versions: sortVersions([...byVersion.keys()]).map((version) => {
          const v = byVersion.get(version)!;
          return { version, hash: v.hash, publishedAt: v.publishedAt, ...(v.retiredAt != null ? { retiredAt: v.retiredAt, retiredReason: v.retiredReason ?? null } : {}) };
        }),
        policy: await this.getPolicy(tenant, name),
        history: [...(await store.listPolicyHistory(tenant, name, POLICY_HISTORY_LIMIT))],
      };
    },

    async getPolicy(tenant, name) {
      return (await store.getPolicy(tenant, name)) ?? { versionPolicy: DEFAULT_VERSION_POLICY };
    },

    async readForStart(tenant, name) {
      if (store.getPolicyAndVersions) {
        const read = await store.getPolicyAndVersions(tenant, name);
        return { policy: read.policy ?? { versionPolicy: DEFAULT_VERSION_POLICY }, versions: read.versions };
      }
      const policy = await this.getPolicy(tenant, name);
      return { policy, versions: await store.listVersions(tenant, name) };
    },

    async setPolicy(tenant, name, update, changeOptions = {}) {
      const parsed = UpdatePolicyBody.safeParse(update);
      if (!parsed.success) throw validationError('the policy is invalid', zodIssuesToValidationIssues(parsed.error));
      const published = await publishedVersions(tenant, name);
      if (!published.length) throw new BatonError(ErrorCode.WORKFLOW_NOT_FOUND, `workflow '${name}' not found`, { details: { workflow: name } });
      const { versionPolicy, engine, shadow, rolloutGate, rollback, reason } = parsed.data;
      if (versionPolicy) {
        const issues = policyVersions(versionPolicy)
          .filter((v) => !published.includes(v))
          .map((v) => ({
            path: versionPolicy.type === 'exact' ? 'versionPolicy.version' : `versionPolicy.weights["${v}"]`,
            message: `version ${v} of '${name}' is not published`,
            code: 'unknown_version',
          }));
        if (versionPolicy.type === 'weighted' && !Object.values(versionPolicy.weights).some((w) => w > 0)) {
          issues.push({ path: 'versionPolicy.weights', message: 'at least one weight must be positive', code: 'no_positive_weight' });
        }
        if (issues.length) throw validationError('the policy is invalid', issues);
      }
      const current = await this.getPolicy(tenant, name);
      const next: WorkflowPolicy = { versionPolicy: versionPolicy ?? current.versionPolicy };
      const nextEngine = engine ?? current.engine;
      if (nextEngine) next.engine = nextEngine;
      const nextShadow = shadow === undefined ? current.shadow : (shadow ?? undefined);
      if (nextShadow) next.shadow = nextShadow;
      const nextGate = rolloutGate === undefined ? current.rolloutGate : (rolloutGate ?? undefined);
      if (nextGate) next.rolloutGate = nextGate;
      const nextRollback = rollback === undefined ? current.rollback : (rollback ?? undefined);
      if (nextRollback) next.rollback = nextRollback;
      const forced = await checkRolloutGate(tenant, name, current, next, changeOptions.force ?? false);
      return store.setPolicy(tenant, name, next, {
        at: clock().toISOString(),
        actor: changeOptions.actor ?? 'system',
        forced,
        reason: reason ?? null,
      });
    },

    async retire(tenant, name, version, body) {
      const parsed = RetireVersionBody.safeParse(body ?? {});
      if (!parsed.success) throw validationError('the retirement is invalid', zodIssuesToValidationIssues(parsed.error));
      const retired = await store.retireVersion(tenant, name, version, { at: clock().toISOString(), reason: parsed.data.reason ?? null });
      if (!retired || retired.retiredAt == null) {
        throw new BatonError(ErrorCode.WORKFLOW_NOT_FOUND, `version ${version} of '${name}' is not published`, { details: { workflow: name, version } });
      }
      return { name, version, retiredAt: retired.retiredAt, reason: retired.retiredReason ?? null };
    },

    async resolve(tenant, name, request) {
      let version: string;
      if (request.pinVersion !== undefined) {
        version = request.pinVersion;
      } else {
        const { published, retired } = await versionsInService(tenant, name, request.versions);
        const policy = request.policy ?? (await this.getPolicy(tenant, name));
        version = resolveVersion(name, policy.versionPolicy, request.runKey, published, {
          retired,
          ...(request.range === undefined ? {} : { range: request.range }),
        });
      }
      const definition = await publishedVersion(tenant, name, version);
      if (!definition) {
        throw new BatonError(ErrorCode.WORKFLOW_NOT_FOUND, `version ${version} of '${name}' is not published`, {
          details: { workflow: name, version },
        });
      }
      return definition;
    },
  };
}
