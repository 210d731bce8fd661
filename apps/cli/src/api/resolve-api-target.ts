import { resolveStateDir } from '@baton/dev-services';
import { readDevState } from '../dev/dev-state.js';
import type { ApiTarget } from './baton-api-client.js';

/** Port of the ingress when nothing else says (SPEC-api configuration). */
export const DEFAULT_INGRESS_PORT = 7300;

/** The command-line options every API command takes. */
export interface ApiTargetOptions {
  readonly url?: string;
  readonly key?: string;
}

/**
 * Where API commands send requests: `--url`/`--key`, else `BATON_URL`/`BATON_API_KEY`, else the
 * running `baton dev` of this checkout (its `.baton/dev.json`), else `http://127.0.0.1:7300`.
 */
export function resolveApiTarget(options: ApiTargetOptions, env: Readonly<Record<string, string | undefined>> = process.env): ApiTarget {
  const dev = readDevState(resolveStateDir());
  const url = options.url ?? env.BATON_URL ?? dev?.apiUrl ?? `http://127.0.0.1:${env.BATON_INGRESS_PORT ?? DEFAULT_INGRESS_PORT}`;
  const key = options.key ?? env.BATON_API_KEY ?? dev?.apiKey;
  return key === undefined ? { url } : { url, key };
}
