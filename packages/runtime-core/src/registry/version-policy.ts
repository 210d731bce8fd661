import type { VersionPolicy } from '@baton/event-schemas';

/** The version policy of a workflow that has none set: the highest published version. */
export const DEFAULT_VERSION_POLICY: VersionPolicy = Object.freeze({ type: 'latest' });
