import { ApiError } from '../api/api-error.js';
import { UsageError } from './parse-json-option.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';

/** Prints an API or usage error (with any validation issues, one per line) and returns the exit code. */
export function reportError(error: unknown, io: CliIo, prefix = ''): ExitCode {
  if (error instanceof UsageError) {
    io.err(`${prefix}${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof ApiError) {
    io.err(`${prefix}${error.code}${error.status ? ` (HTTP ${error.status})` : ''}: ${error.message}`);
    for (const issue of error.issues) io.err(`  ${issue.path || '(root)'}: ${issue.message}${issue.code ? ` [${issue.code}]` : ''}`);
    return EXIT.failed;
  }
  throw error;
}
