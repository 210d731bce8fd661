import { z } from 'zod';
import { EnginePolicy } from '../routing/engine-policy.js';
import { VersionPolicy } from './version-policy.js';

/** The stored policy of one workflow name in one tenant. */
export const WorkflowPolicy = z
  .object({
    versionPolicy: VersionPolicy,
    /** absent: the runtime's default engine applies */
    engine: EnginePolicy.optional(),
  })
  .strict();
export type WorkflowPolicy = z.infer<typeof WorkflowPolicy>;

/** The body of `PUT /v1/workflows/:name/policy`: each part given replaces the stored one. */
export const WorkflowPolicyUpdate = z
  .object({ versionPolicy: VersionPolicy.optional(), engine: EnginePolicy.optional() })
  .strict();
export type WorkflowPolicyUpdate = z.infer<typeof WorkflowPolicyUpdate>;
