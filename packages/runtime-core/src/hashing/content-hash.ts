// Canonical JSON and sha-256 without Node APIs (sandbox-safe: @noble/hashes is pure JS).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** Thrown by {@link canonicalJson} for a value that is not JSON (undefined, function, NaN, cycle...). */
export class NotJsonError extends Error {
  override readonly name = 'NotJsonError';
  readonly code = 'NOT_JSON';
  constructor(
    message: string,
    /** where in the value, e.g. `steps[1].input` */
    readonly path: string,
  ) {
    super(`${message} at ${path || '(root)'}`);
  }
}

function write(value: unknown, path: string, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new NotJsonError(`non-finite number ${value}`, path);
      return JSON.stringify(value);
    case 'object': {
      if (seen.has(value)) throw new NotJsonError('cyclic value', path);
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = `[${value.map((v, i) => write(v, `${path}[${i}]`, seen)).join(',')}]`;
      } else {
        const proto = Object.getPrototypeOf(value) as unknown;
        if (proto !== Object.prototype && proto !== null) throw new NotJsonError('not a plain object', path);
        const record = value as Record<string, unknown>;
        const keys = Object.keys(record)
          .filter((k) => record[k] !== undefined)
          .sort();
        out = `{${keys.map((k) => `${JSON.stringify(k)}:${write(record[k], path ? `${path}.${k}` : k, seen)}`).join(',')}}`;
      }
      seen.delete(value);
      return out;
    }
    default:
      throw new NotJsonError(`${typeof value} is not JSON`, path);
  }
}

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, `undefined`
 * properties omitted; the same value always gives the same string.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '', new Set());
}

/** sha-256 of a UTF-8 string, as lower-case hex. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** Stable content hash of a JSON value: sha-256 (hex) of its canonical JSON. */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** A number in [0, 1) derived from a string by sha-256 (deterministic "randomness", e.g. jitter). */
export function unitIntervalOf(text: string): number {
  const digest = sha256(utf8ToBytes(text));
  // 48 bits keep the value exactly representable as a double.
  let n = 0;
  for (let i = 0; i < 6; i++) n = n * 256 + (digest[i] ?? 0);
  return n / 2 ** 48;
}

/** A UUID (version 8, RFC 9562 layout) derived from a string by sha-256: the same name always gives the same id. */
export function uuidFromName(name: string): string {
  const bytes = sha256(utf8ToBytes(name)).slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytesToHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
