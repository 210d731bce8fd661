/**
 * An error answer of the Baton HTTP API (`{error: {code, message, ...details}}`, SPEC-api "Errors"),
 * as clients read it (the CLI, the console). It imports nothing, so a browser bundle takes it alone
 * through the `@baton/event-schemas/api-error` entry point.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the server could not be reached */
    readonly status: number,
    /** the API error code, e.g. `RUN_NOT_FOUND`; `HTTP_<status>` for a body not in the error form */
    readonly code: string,
    message: string,
    /** every other field of the error body (e.g. `issues`, `hint`) */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  /** The API's hint for the operator (e.g. on `WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED`). */
  get hint(): string | undefined {
    const hint = this.details['hint'];
    return typeof hint === 'string' ? hint : undefined;
  }

  /** Validation issues the API attached (`[{path, message, code}]`), if any. */
  get issues(): ReadonlyArray<{ path: string; message: string; code?: string }> {
    const issues = this.details['issues'];
    return Array.isArray(issues) ? (issues as Array<{ path: string; message: string; code?: string }>) : [];
  }
}

/**
 * The typed error of a failed answer from its status and parsed body. A body that is not the API's
 * error form (a proxy's HTML page, plain text) still gives a typed error, `HTTP_<status>`.
 */
export function apiErrorFromBody(status: number, statusText: string, body: unknown): ApiError {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const { code, message, ...details } = error as Record<string, unknown>;
    if (typeof code === 'string') return new ApiError(status, code, typeof message === 'string' ? message : code, details);
  }
  const text = typeof body === 'string' && body ? body : statusText;
  return new ApiError(status, `HTTP_${status}`, text || `HTTP ${status}`);
}
