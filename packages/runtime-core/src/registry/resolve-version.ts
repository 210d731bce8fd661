import type { VersionPolicy } from '@baton/event-schemas';
import semver from 'semver';
import { BatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { STABLE_BUCKETS, stableBucket } from '../hashing/stable-bucket.js';

/** Options of {@link resolveVersion}. */
export interface ResolveVersionOptions {
  /** a semver range the version must satisfy (`control.callWorkflow`'s `version`, or an exact start version) */
  readonly range?: string;
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
 * satisfies the range, else the highest published version in the range. Throws `WORKFLOW_NOT_FOUND`.
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
  let picked: string | undefined;
  switch (policy.type) {
    case 'latest':
      picked = latestVersion(published);
      break;
    case 'exact':
      picked = policy.version;
      break;
    case 'weighted':
      picked = pickWeighted(name, policy.weights, runKey);
      break;
  }
  const pickedIsPublished = picked !== undefined && published.includes(picked);
  if (range === undefined) {
    if (!pickedIsPublished) throw notFound(name, `version ${picked} of '${name}' (from its ${policy.type} policy) is not published`, { version: picked });
    return picked!;
  }
  if (pickedIsPublished && semver.satisfies(picked!, range, { includePrerelease: true })) return picked!;
  const inRange = semver.maxSatisfying([...published], range);
  if (inRange === null) throw notFound(name, `no published version of '${name}' satisfies '${range}'`, { version: range });
  return inRange;
}
