import { formatPath, type ValidationIssue } from '@baton/event-schemas';
import type { z } from 'zod';

/** Converts zod issues into SPEC-api issues (`{path, message, code}`), paths like `steps[2].then[0]`. */
export function zodIssuesToValidationIssues(error: Pick<z.ZodError, 'issues'>, prefix: readonly PropertyKey[] = []): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    message: issue.message,
    code: issue.code,
  }));
}
