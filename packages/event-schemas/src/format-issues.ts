import type { z } from 'zod';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Formats an issue path as `steps[2].then[0].condition` (bracketed quotes for odd keys). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      out += IDENTIFIER.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** Anything with zod-style issues: a `ZodError` or a bare issue list. */
export type IssueSource = Pick<z.ZodError, 'issues'> | readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];

/** Prints one line per issue with its path, e.g. `steps[2].then[0].condition: Invalid input`. */
export function formatIssues(error: IssueSource): string {
  const issues = 'issues' in error ? error.issues : error;
  return issues.map((issue) => `${formatPath(issue.path) || '(root)'}: ${issue.message}`).join('\n');
}
