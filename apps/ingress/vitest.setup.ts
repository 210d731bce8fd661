// The Temporal SDK's native runtime logs every worker start at INFO; the tests only want warnings.
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process (an earlier test file in the same worker).
}
