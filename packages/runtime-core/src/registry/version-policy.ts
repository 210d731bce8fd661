import { z } from 'zod';
import semver from 'semver';

const SemverString = z.string().refine((v) => semver.valid(v) === v, { message: 'must be a semver version such as 1.2.0' });

/**
 * Which version of a workflow new runs start on: the highest published (`latest`), one
 * version (`exact`), or a canary split by weight decided by a stable hash of the run key (`weighted`).
 */
export const VersionPolicy = z.discriminatedUnion('type', [
  z.object({ type: z.literal('latest') }).strict(),
  z.object({ type: z.literal('exact'), version: SemverString }).strict(),
  z
    .object({
      type: z.literal('weighted'),
      weights: z
        .record(SemverString, z.number().finite().nonnegative())
        .refine((w) => Object.values(w).some((n) => n > 0), { message: 'at least one weight must be positive' }),
    })
    .strict(),
]);
export type VersionPolicy = z.infer<typeof VersionPolicy>;

/** The version policy of a workflow that has none set. */
export const DEFAULT_VERSION_POLICY: VersionPolicy = Object.freeze({ type: 'latest' });
