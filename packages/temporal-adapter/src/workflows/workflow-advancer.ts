// `workflow` mode: runtime-core's pure `advance` runs inside the workflow code (fastest; every
// interpreter change is workflow code, so builds are PINNED and histories replayed in CI).
import { advance } from '@baton/runtime-core/pure';
import type { AdvancerFactory } from './advancer.js';

export const workflowAdvancer: AdvancerFactory = (args, options) => ({
  advance: (state, input) => advance(args().definition, state, input, options),
  sequence: undefined,
});
