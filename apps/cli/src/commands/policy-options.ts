import { EnginePolicy, VersionPolicy } from '@baton/event-schemas';
import { parseJsonOption, UsageError } from './parse-json-option.js';

function issuesOf(result: { error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } }): string {
  return (result.error?.issues ?? []).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** `--engine db|temporal|percent:<n>` as an engine policy (`percent:<n>`: n % of new runs go to Temporal). */
export function parseEnginePolicy(value: string): EnginePolicy {
  const [kind, arg, ...rest] = value.split(':');
  let candidate: unknown;
  if ((kind === 'db' || kind === 'temporal') && arg === undefined) candidate = { type: kind };
  else if (kind === 'percent' && arg !== undefined && arg.trim() !== '' && rest.length === 0) candidate = { type: 'percent', temporalPercent: Number(arg) };
  else throw new UsageError(`--engine: "${value}" is not db, temporal or percent:<0-100>`);
  const parsed = EnginePolicy.safeParse(candidate);
  if (!parsed.success) throw new UsageError(`--engine: "${value}": ${issuesOf(parsed)}`);
  return parsed.data;
}

/**
 * `--version-policy latest|exact:<version>|weighted:<json>` as a version policy; the weights are
 * `{"<version>": <weight>, ...}`, inline or `@file`.
 */
export function parseVersionPolicy(value: string): VersionPolicy {
  const colon = value.indexOf(':');
  const kind = colon < 0 ? value : value.slice(0, colon);
  const arg = colon < 0 ? undefined : value.slice(colon + 1);
  let candidate: unknown;
  if (kind === 'latest' && arg === undefined) candidate = { type: 'latest' };
  else if (kind === 'exact' && arg) candidate = { type: 'exact', version: arg };
  else if (kind === 'weighted' && arg) candidate = { type: 'weighted', weights: parseJsonOption('--version-policy weighted', arg) };
  else throw new UsageError(`--version-policy: "${value}" is not latest, exact:<version> or weighted:<json>`);
  const parsed = VersionPolicy.safeParse(candidate);
  if (!parsed.success) throw new UsageError(`--version-policy: "${value}": ${issuesOf(parsed)}`);
  return parsed.data;
}

/** A version policy as one line, e.g. `weighted 1.0.0=75 1.1.0=25`. */
export function describeVersionPolicy(policy: VersionPolicy): string {
  switch (policy.type) {
    case 'latest':
      return 'latest (the highest published version)';
    case 'exact':
      return `exact ${policy.version}`;
    case 'weighted':
      return `weighted ${Object.entries(policy.weights)
        .map(([v, w]) => `${v}=${w}`)
        .join(' ')}`;
  }
}

/** An engine policy as one line; absent: the ingress default applies. */
export function describeEnginePolicy(policy: EnginePolicy | undefined): string {
  if (!policy) return 'default (BATON_DEFAULT_ENGINE of the ingress)';
  return policy.type === 'percent' ? `percent: ${policy.temporalPercent}% of new runs to temporal, the rest to db` : policy.type;
}
