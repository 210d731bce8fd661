import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

/** Number of buckets routing and weighted versions divide keys into (0.01 % each). */
export const STABLE_BUCKETS = 10_000;

/**
 * Maps a key to a bucket in `[0, buckets)`: the first 8 bytes of SHA-256 of the key's UTF-8
 * bytes, read as an unsigned big-endian 64-bit integer, modulo `buckets`. It depends on nothing
 * but the key (no per-process seed), so every process and machine agrees.
 */
export function stableBucket(key: string, buckets: number = STABLE_BUCKETS): number {
  if (!Number.isSafeInteger(buckets) || buckets < 1) throw new RangeError(`buckets must be a positive integer, got ${buckets}`);
  const digest = sha256(utf8ToBytes(key));
  const view = new DataView(digest.buffer, digest.byteOffset, 8);
  return Number(view.getBigUint64(0, false) % BigInt(buckets));
}
