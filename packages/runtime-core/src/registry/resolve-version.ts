import type { VersionPolicy } from '@baton/event-schemas';
import semver from 'semver';
import { BatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { STABLE_BUCKETS, stableBucket } from '../hashing/stable-bucket.js';

/** Options of {@link resolveVersion}. */
export interface ResolveVersionOptions {
  /** a semver range the version must satisfy (`control.callWorkflow`'s `version`, or an exact start version) */
  readonly range?: string;
  /** published versions an operator retired: never picked for a new run */
  readonly retired?: readonly string[];
}

/** The string a weighted policy hashes for a run: `version:<name>:<runKey>` (salted apart from engine routing). */
export function versionKeyString(name: string, runKey: string): string {
  return `version:${name}:${runKey}`;
}

/** Sorts versions ascending by semver. */
export function sortVersions(versions: readonly string[]): string[] {
  return [...versions].sort(semver.compare);
}

/** The highest published version: the highest release, or the highest prerelease when there is no release. */
export function latestVersion(published: readonly string[]): string | undefined {
  const sorted = sortVersions(published);
  const releases = sorted.filter((v) => semver.prerelease(v) === null);
  return (releases.length ? releases : sorted).at(-1);
}

function notFound(name: string, message: string, details: Record<string, unknown> = {}): BatonError {
  return new BatonError(ErrorCode.WORKFLOW_NOT_FOUND, message, { details: { workflow: name, ...details } });
}

function retiredError(name: string, message: string, details: Record<string, unknown> = {}): BatonError {
  return new BatonError(ErrorCode.WORKFLOW_VERSION_RETIRED, message, { details: { workflow: name, ...details } });
}

/**
 * Picks a weighted version: versions sorted by semver, each owning a share of the 10,000 buckets
 * proportional to its weight; the run's bucket is `stableBucket(version:<name>:<runKey>)`.
 */
export function pickWeighted(name: string, weights: Readonly<Record<string, number>>, runKey: string): string {
  const entries = sortVersions(Object.keys(weights))
    .map((version) => [version, weights[version] ?? 0] as const)
    .filter(([, weight]) => weight > 0);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (!entries.length || !(total > 0)) throw notFound(name, `the weighted policy of '${name}' has no positive weight`);
  const bucket = stableBucket(versionKeyString(name, runKey));
  let cumulative = 0;
  for (const [version, weight] of entries) {
    cumulative += weight;
    if (bucket * total < cumulative * STABLE_BUCKETS) return version;
  }
  return entries.at(-1)![0];
}

/**
 * Resolves the version a run of `name` starts on, from its policy and the published versions.
 * `latest`: the highest release; `exact`: that version; `weighted`: by a stable hash of the run key
 * (same key, same version, in every process). With `range`, the policy's pick is kept when it
 * satisfies the range, else the highest published version in the range.
 *
 * Retired versions (`options.retired`) are never picked: `latest` takes the highest version in
 * service, `weighted` counts a retired version's weight as 0, a range takes the highest version in
 * service it satisfies. An `exact` policy naming a retired version, or a range (an explicit start
 * version) only retired versions satisfy, throws `WORKFLOW_VERSION_RETIRED`, as do `latest` and
 * `weighted` when nothing they could pick is in service. Otherwise throws `WORKFLOW_NOT_FOUND`.
 */
export function resolveVersion(
  name: string,
  policy: VersionPolicy,
  runKey: string,
  published: readonly string[],
  options: ResolveVersionOptions = {},
): string {
  if (!published.length) throw notFound(name, `workflow '${name}' has no published version`);
  const range = options.range;
  if (range !== undefined && semver.validRange(range) === null) {
    throw new BatonError(ErrorCode.VALIDATION_ERROR, `'${range}' is not a semver version or range`, {
      details: { issues: [{ path: 'version', message: 'not a semver version or range', code: 'invalid_version' }] },
    });
  }
  const retired = new Set(options.retired ?? []);
  const inService = published.filter((v) => !retired.has(v));
  if (range !== undefined) return resolveInRange(name, policy, runKey, published, inService, retired, range);
  switch (policy.type) {
    case 'latest': {
      const picked = latestVersion(inService);
      if (picked === undefined) throw retiredError(name, `every published version of '${name}' is retired`);
      return picked;
    }
    case 'exact': {
      const picked = policy.version;
      if (retired.has(picked)) throw retiredError(name, `version ${picked} of '${name}' (its exact policy) is retired`, { version: picked });
      if (!published.includes(picked)) throw notFound(name, `version ${picked} of '${name}' (from its exact policy) is not published`, { version: picked });
      return picked;
    }
    case 'weighted': {
      const weights = Object.fromEntries(Object.entries(policy.weights).filter(([v]) => !retired.has(v)));
      const positive = Object.values(weights).some((w) => w > 0);
      if (!positive && Object.keys(policy.weights).some((v) => retired.has(v))) {
        throw retiredError(name, `every version the weighted policy of '${name}' weighs is retired`);
      }
      const picked = pickWeighted(name, weights, runKey);
      if (!published.includes(picked)) throw notFound(name, `version ${picked} of '${name}' (from its weighted policy) is not published`, { version: picked });
      return picked;
    }
  }
}

function resolveInRange(
  name: string,
  policy: VersionPolicy,
  runKey: string,
  published: readonly string[],
  inService: readonly string[],
  retired: ReadonlySet<string>,
  range: string,
): string {
  let picked: string | undefined;
  switch (policy.type) {
    case 'latest':
      picked = latestVersion(inService);
      break;
    case 'exact':
      picked = policy.version;
      break;
    case 'weighted': {
      const weights = Object.fromEntries(Object.entries(policy.weights).filter(([v]) => !retired.has(v)));
      picked = Object.values(weights).some((w) => w > 0) ? pickWeighted(name, weights, runKey) : undefined;
      break;
    }
  }
  if (picked !== undefined && inService.includes(picked) && semver.satisfies(picked, range, { includePrerelease: true })) return picked;
  const inRange = semver.maxSatisfying([...inService], range);
  if (inRange !== null) return inRange;
  const retiredInRange = semver.maxSatisfying([...published], range);
  if (retiredInRange !== null) {
    throw retiredError(name, `every published version of '${name}' that satisfies '${range}' is retired`, { version: range, retired: retiredInRange });
  }
  throw notFound(name, `no published version of '${name}' satisfies '${range}'`, { version: range });
}
