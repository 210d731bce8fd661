// The workflow module the worker bundles: every exported function is a workflow type.
export { batonRun } from './baton-run.js';
