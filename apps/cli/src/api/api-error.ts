/** The API's typed error, shared with the console (`@baton/event-schemas/api-error`). */
export { ApiError, apiErrorFromBody } from '@baton/event-schemas/api-error';
