import { ApiError } from '../api/api-error.js';
import { UsageError } from './parse-json-option.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';

/** How {@link reportError} prints. */
export interface ReportErrorOptions {
  /** print the API's error body `{"error": {code, message, ...details}, "httpStatus": n}` (one line) instead of text */
  readonly json?: boolean;
  /** put before the text line, e.g. the file a publish failed for */
  readonly prefix?: string;
}

/**
 * Prints an API or usage error on stderr and returns the exit code (1 for an API error, 2 for a
 * usage error). Text: `CODE: message`, then any validation issues and the hint, one per line.
 * Other errors are thrown on (the executable prints them and exits 1).
 */
export function reportError(error: unknown, io: CliIo, options: ReportErrorOptions = {}): ExitCode {
  const prefix = options.prefix ?? '';
  if (error instanceof UsageError) {
    io.err(options.json ? JSON.stringify({ error: { code: error.code, message: error.message } }) : `${prefix}${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof ApiError) {
    if (options.json) {
      io.err(JSON.stringify({ error: { code: error.code, message: error.message, ...error.details }, httpStatus: error.status }));
      return EXIT.failed;
    }
    io.err(`${prefix}${error.code}: ${error.message}`);
    for (const issue of error.issues) io.err(`  ${issue.path || '(root)'}: ${issue.message}${issue.code ? ` [${issue.code}]` : ''}`);
    if (typeof error.details.hint === 'string') io.err(`  hint: ${error.details.hint}`);
    return EXIT.failed;
  }
  throw error;
}

/** Prints a command's machine-readable result on stdout (`--json`). */
export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
