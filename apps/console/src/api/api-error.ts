/** A non-2xx answer of the Baton API: its typed error (`{error: {code, message, hint?, ...}}`). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  /** The API's hint for the operator (e.g. on `WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED`). */
  get hint(): string | undefined {
    const hint = this.details['hint'];
    return typeof hint === 'string' ? hint : undefined;
  }

  /** Validation issues (`VALIDATION_ERROR`), each `{path, message}`. */
  get issues(): ReadonlyArray<{ path: string; message: string }> {
    const issues = this.details['issues'];
    return Array.isArray(issues) ? (issues as Array<{ path: string; message: string }>) : [];
  }
}

/** Reads the error body of a failed response; a body that is not the API's error form still gives a typed error. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } & Record<string, unknown> };
    const error = body.error;
    if (error && typeof error.code === 'string') {
      const { code, message, ...details } = error;
      return new ApiError(response.status, code, typeof message === 'string' ? message : code, details);
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(response.status, `HTTP_${response.status}`, response.statusText || `HTTP ${response.status}`);
}
