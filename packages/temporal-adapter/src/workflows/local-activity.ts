// The workflow module a `localActivity` worker bundles: the same `batonRun` workflow type as
// `index.ts` (runs started by any client land on either), with the interpreter in a local activity.
import { createBatonRun } from './baton-run.js';
import { localActivityAdvancer } from './local-activity-advancer.js';

export const batonRun = createBatonRun(localActivityAdvancer);
