export { createProgram } from './program.js';
export { createApiClient, type BatonApiClient, type ApiTarget, type ApiAnswer } from './api/baton-api-client.js';
export { ApiError } from './api/api-error.js';
export { EXIT, type CliIo, type ExitCode } from './commands/cli-io.js';
export { startDemoInventoryService, DEMO_CATALOG, type DemoInventoryService } from './dev/demo-inventory-service.js';
export { demoOrderInput, DEMO_WORKFLOW } from './dev/demo-run.js';
