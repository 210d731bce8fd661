// The `workflow`-mode bundle of the changed interpreter (changed-advance.ts): the same workflow
// type with the changed advance inside the workflow code, for the replay check of the upgrade test.
import { createBatonRun } from '../../workflows/baton-run.js';
import { changedAdvance } from './changed-advance.js';

export const batonRun = createBatonRun((args, options) => ({
  advance: (state, input) => changedAdvance(args().definition, state, input, options),
  sequence: undefined,
}));
