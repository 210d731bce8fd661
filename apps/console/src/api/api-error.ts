import { apiErrorFromBody, type ApiError } from '@baton/event-schemas/api-error';

export { ApiError } from '@baton/event-schemas/api-error';

/** Reads the error body of a failed response; a body that is not the API's error form still gives a typed error. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: the text is the message
  }
  return apiErrorFromBody(response.status, response.statusText, body);
}
