import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { IngressApp } from '../app/build-app.js';
import { auth } from './ingress-harness.js';

/** A tenant's HTTP client over `app.inject`. */
export interface TenantClient {
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
}

/** Requests signed with `tenant`'s key. */
export function tenantClient(app: IngressApp, tenant: { readonly key: string }): TenantClient {
  const send = (method: InjectOptions['method'], url: string, payload?: unknown) =>
    app.inject({ method, url, headers: auth(tenant), ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }) });
  return {
    get: (url) => send('GET', url),
    post: (url, payload) => send('POST', url, payload ?? {}),
    put: (url, payload) => send('PUT', url, payload ?? {}),
  };
}

/** The `error` object of an error answer. */
export function errorOf(res: LightMyRequestResponse): { code: string; message: string; [key: string]: unknown } {
  return (res.json() as { error: { code: string; message: string } }).error;
}
