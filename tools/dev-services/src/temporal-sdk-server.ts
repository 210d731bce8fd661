// Last-resort Temporal dev server: the SDK downloads its own CLI (needs internet) and
// this process keeps it alive until it gets SIGTERM.
import { TestWorkflowEnvironment } from '@temporalio/testing';

const port = Number(process.argv[2]);
const env = await TestWorkflowEnvironment.createLocal({ server: { ip: '127.0.0.1', port } });
const stop = () => {
  void env.teardown().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setInterval(() => undefined, 1 << 30);
