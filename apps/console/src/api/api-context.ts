import { createContext, useContext } from 'react';
import type { ApiClient } from './api-client.js';

/** The signed-in API client of the console. */
export const ApiContext = createContext<ApiClient | undefined>(undefined);

/** The API client; only pages rendered after sign-in call this. */
export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside the signed-in console');
  return api;
}
