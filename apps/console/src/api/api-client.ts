import { apiErrorOf } from './api-error.js';

/** Calls the Baton HTTP API of the origin the console was served from, signed with the session's key. */
export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

/** A client for `key`; `onUnauthorized` runs when the API refuses the key (401). */
export function createApiClient(key: string, onUnauthorized: () => void): ApiClient {
  async function send<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      const error = await apiErrorOf(response);
      if (response.status === 401) onUnauthorized();
      throw error;
    }
    return (await response.json()) as T;
  }
  return {
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body),
  };
}

/** A query string of the defined values. */
export function queryString(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
