import { ErrorResponse } from '@baton/event-schemas';

/** What each error status means on the API, for the OpenAPI document. */
const ERROR_STATUS_MEANING: Readonly<Record<number, string>> = {
  400: 'Invalid request (VALIDATION_ERROR with issues, or a more specific code)',
  401: 'Missing or unknown API key (UNAUTHORIZED)',
  404: "Not found; another tenant's objects answer the same",
  409: 'Conflict with the current state (see the code)',
  413: 'Body larger than the limit (PAYLOAD_TOO_LARGE, with the limit as limitBytes)',
  422: 'Valid request that cannot be processed',
  502: 'An engine failed the operation (ENGINE_DELIVERY_FAILED); safe to retry',
  503: 'The engine of the run is not available in this process (ENGINE_UNAVAILABLE)',
};

/** Response schemas of the given error statuses (all `ErrorResponse`), for the route's OpenAPI entry. */
export function errorResponses(...statuses: readonly number[]): Record<number, typeof ErrorResponse> {
  const out: Record<number, typeof ErrorResponse> = {};
  for (const status of [400, 401, ...statuses]) out[status] = ErrorResponse.describe(ERROR_STATUS_MEANING[status] ?? 'Error');
  return out;
}
