// Where `http.request` may connect: public addresses only, unless an operator allows more
// (`BATON_HTTP_ALLOW`). A tenant's workflow must not reach the worker's own network (cloud
// metadata at 169.254.169.254, loopback services, private ranges).
import { BlockList, isIP } from 'node:net';

/** Ranges denied by default: loopback, link-local, private, unique-local, and other non-public ones. */
const DENIED_V4 = [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const;
const DENIED_V6 = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64: reaches IPv4 addresses through a translator
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const;

const denied = new BlockList();
for (const [net, prefix] of DENIED_V4) denied.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of DENIED_V6) denied.addSubnet(net, prefix, 'ipv6');

/** One `BATON_HTTP_ALLOW` entry: a host name, an address or a CIDR, optionally with a port. */
interface AllowEntry {
  readonly host?: string;
  readonly net?: { readonly address: string; readonly prefix: number; readonly family: 'ipv4' | 'ipv6' };
  readonly port?: number;
}

/** What the operator allows beyond public addresses. */
export interface EgressAllowList {
  readonly entries: readonly AllowEntry[];
}

/** A `BATON_HTTP_ALLOW` entry that is not a host, an address or a CIDR. */
export class EgressAllowListError extends Error {
  override readonly name = 'EgressAllowListError';
  readonly code = 'INVALID_HTTP_ALLOW';
  constructor(
    readonly entry: string,
    reason: string,
  ) {
    super(`BATON_HTTP_ALLOW entry "${entry}": ${reason}`);
  }
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/;

/** Strips the brackets of an IPv6 literal and lower-cases a host. */
export function normalizeHost(host: string): string {
  const lower = host.toLowerCase();
  return lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower.replace(/\.$/, '');
}

function splitPort(entry: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, ...(bracketed[2] !== undefined ? { port: Number(bracketed[2]) } : {}) };
  const withPort = /^([^:/]+):(\d+)$/.exec(entry);
  if (withPort) return { host: withPort[1]!, port: Number(withPort[2]) };
  return { host: entry };
}

function parseEntry(raw: string): AllowEntry {
  const { host, port } = splitPort(raw);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65_535)) throw new EgressAllowListError(raw, 'the port must be 1 to 65535');
  const cidr = /^([^/]+)\/(\d{1,3})$/.exec(host);
  const address = cidr ? cidr[1]! : host;
  const version = isIP(address);
  if (version !== 0) {
    const family = version === 4 ? 'ipv4' : 'ipv6';
    const prefix = cidr ? Number(cidr[2]) : version === 4 ? 32 : 128;
    if (prefix > (version === 4 ? 32 : 128)) throw new EgressAllowListError(raw, `the prefix length must be at most ${version === 4 ? 32 : 128}`);
    return { net: { address, prefix, family }, ...(port !== undefined ? { port } : {}) };
  }
  if (cidr) throw new EgressAllowListError(raw, 'a CIDR needs an IP address before the slash');
  const name = normalizeHost(host);
  if (!HOST_NAME.test(name)) throw new EgressAllowListError(raw, 'not a host name, an IP address or a CIDR');
  return { host: name, ...(port !== undefined ? { port } : {}) };
}

/** Parses `BATON_HTTP_ALLOW`: hosts, addresses and CIDRs, each optionally `:port`, separated by commas or spaces. */
export function parseEgressAllowList(text: string | undefined): EgressAllowList {
  const entries = (text ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(parseEntry);
  return { entries };
}

/** `::ffff:a.b.c.d` (or its hex form) as the IPv4 address it maps, else the address itself. */
export function unmapIpv4(address: string): string {
  const lower = address.toLowerCase();
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return address;
}

function inNet(address: string, net: NonNullable<AllowEntry['net']>): boolean {
  const list = new BlockList();
  list.addSubnet(net.address, net.prefix, net.family);
  const version = isIP(address);
  return version !== 0 && list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

/** True when the host name itself is allowed (then whatever it resolves to is). */
export function isHostAllowed(allow: EgressAllowList, host: string, port: number): boolean {
  const name = normalizeHost(host);
  return allow.entries.some((e) => e.host === name && (e.port === undefined || e.port === port));
}

/** Why connecting to `address` (a resolved IP) is refused, or undefined when it is allowed. */
export function deniedAddressReason(allow: EgressAllowList, address: string, port: number): string | undefined {
  const ip = unmapIpv4(normalizeHost(address));
  const version = isIP(ip);
  if (version === 0) return `${address} is not an IP address`;
  if (allow.entries.some((e) => e.net !== undefined && (e.port === undefined || e.port === port) && inNet(ip, e.net))) return undefined;
  if (denied.check(ip, version === 4 ? 'ipv4' : 'ipv6')) return `${ip} is a loopback, link-local, private or otherwise non-public address`;
  return undefined;
}

/** Why the host name is refused before any lookup (`localhost` and `*.localhost`), or undefined. */
export function deniedHostReason(allow: EgressAllowList, host: string, port: number): string | undefined {
  const name = normalizeHost(host);
  if (isHostAllowed(allow, name, port)) return undefined;
  if (name === 'localhost' || name.endsWith('.localhost')) return `${name} is a loopback name`;
  return undefined;
}
