// One HTTP exchange whose connection goes to an address the egress policy checked: the name is
// resolved once, the addresses are checked, and the socket connects to the checked IP itself (the
// name only travels in the Host header and TLS SNI), so a second DNS answer cannot redirect it
// (no DNS rebinding). The response body is read up to a byte limit, never whole.
import { promises as dns } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { deniedAddressReason, deniedHostReason, isHostAllowed, normalizeHost, type EgressAllowList } from './egress-policy.js';

/** A resolved address of a host name. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Resolves a host name to its addresses (the default is the system resolver, `dns.lookup`). */
export type HostResolver = (host: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver, every address in the order it answered. */
export const systemResolver: HostResolver = (host) => dns.lookup(host, { all: true, verbatim: true });

/** The destination is not allowed by the egress policy. */
export class DestinationDeniedError extends Error {
  override readonly name = 'DestinationDeniedError';
}

/** The response is larger than allowed. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the response is larger than ${maxBytes} bytes`);
  }
}

/** One request. */
export interface PinnedRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
  readonly allow: EgressAllowList;
  readonly maxResponseBytes: number;
  readonly resolve: HostResolver;
}

/** What came back. */
export interface PinnedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly contentType: string;
  readonly body: Buffer;
}

/** The address to connect to for `url`, checked against the policy; throws {@link DestinationDeniedError}. */
export async function checkedAddress(url: URL, allow: EgressAllowList, resolve: HostResolver): Promise<ResolvedAddress> {
  const host = normalizeHost(url.hostname);
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const byName = deniedHostReason(allow, host, port);
  if (byName) throw new DestinationDeniedError(`${url.host} is not allowed: ${byName}`);
  const literal = isIP(host);
  const addresses: readonly ResolvedAddress[] = literal !== 0 ? [{ address: host, family: literal }] : await resolve(host);
  if (isHostAllowed(allow, host, port)) {
    const first = addresses[0];
    if (!first) throw new DestinationDeniedError(`${host} resolved to no address`);
    return first;
  }
  const reasons: string[] = [];
  for (const a of addresses) {
    const reason = deniedAddressReason(allow, a.address, port);
    if (reason === undefined) return a;
    reasons.push(reason);
  }
  throw new DestinationDeniedError(`${url.host} is not allowed: ${reasons.join('; ') || 'it resolved to no address'} (BATON_HTTP_ALLOW lists allowed hosts and CIDRs)`);
}

/** Sends the request to the checked address and reads at most `maxResponseBytes` of the answer. */
export async function pinnedRequest(req: PinnedRequest): Promise<PinnedResponse> {
  const target = await checkedAddress(req.url, req.allow, req.resolve);
  const secure = req.url.protocol === 'https:';
  const host = normalizeHost(req.url.hostname);
  const lib = secure ? https : http;
  return new Promise<PinnedResponse>((resolve, reject) => {
    const request = lib.request(
      {
        host: target.address,
        family: target.family,
        port: Number(req.url.port) || (secure ? 443 : 80),
        path: `${req.url.pathname}${req.url.search}`,
        method: req.method,
        headers: { host: req.url.host, ...req.headers },
        signal: req.signal,
        agent: false,
        // certificate checked against the name, not the address it was pinned to
        ...(secure && isIP(host) === 0 ? { servername: host } : {}),
      },
      (response) => {
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > req.maxResponseBytes) {
          request.destroy();
          reject(new ResponseTooLargeError(req.maxResponseBytes));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > req.maxResponseBytes) {
            request.destroy();
            reject(new ResponseTooLargeError(req.maxResponseBytes));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [key, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: response.statusCode ?? 0, headers, contentType: headers['content-type'] ?? '', body: Buffer.concat(chunks) });
        });
      },
    );
    request.on('error', reject);
    if (req.body !== undefined) request.write(req.body);
    request.end();
  });
}
