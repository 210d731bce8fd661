/** An error answer of the Baton HTTP API (`{error: {code, message, ...details}}`), or a transport failure. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the server could not be reached */
    readonly status: number,
    /** the API error code, e.g. `RUN_NOT_FOUND`; `UNREACHABLE` when nothing answered */
    readonly code: string,
    message: string,
    /** every other field of the error body (e.g. `issues`) */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  /** Validation issues the API attached (`[{path, message, code}]`), if any. */
  get issues(): readonly { path: string; message: string; code?: string }[] {
    const issues = this.details.issues;
    return Array.isArray(issues) ? (issues as { path: string; message: string; code?: string }[]) : [];
  }
}
