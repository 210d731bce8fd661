import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STABLE_BUCKETS, stableBucket } from './stable-bucket.js';

const keys = Array.from({ length: 10_000 }, (_, i) => `tenant-${i % 7}:billing.invoice:order-${i}`);

describe('stableBucket', () => {
  it('is sha-256 of the UTF-8 key, first 8 bytes big-endian, modulo 10,000 (checked against node:crypto)', () => {
    for (const key of ['tenant-a:billing.invoice:order-1', '', 'ünïcødé:🚀', ...keys.slice(0, 200)]) {
      const reference = createHash('sha256').update(key, 'utf8').digest().readBigUInt64BE(0) % 10_000n;
      expect(stableBucket(key)).toBe(Number(reference));
    }
  });

  it('keeps known values (a change of the function would move live runs)', () => {
    expect(stableBucket('tenant-a:billing.invoice:order-1')).toBe(5925);
    expect(stableBucket('')).toBe(1652);
    expect(stableBucket('ünïcødé:🚀')).toBe(7846);
  });

  it('spreads keys evenly over the buckets', () => {
    const tenths = new Array<number>(10).fill(0);
    for (const key of keys) tenths[Math.floor(stableBucket(key) / 1000)]! += 1;
    for (const count of tenths) expect(count).toBeGreaterThan(900);
    for (const count of tenths) expect(count).toBeLessThan(1100);
  });

  it('accepts another bucket count and rejects a bad one', () => {
    expect(stableBucket('x', 1)).toBe(0);
    expect(stableBucket('tenant-a:billing.invoice:order-1', 100)).toBe(25);
    expect(() => stableBucket('x', 0)).toThrow(RangeError);
    expect(STABLE_BUCKETS).toBe(10_000);
  });

  it('gives the same buckets in two separate Node processes with different hash seeds', () => {
    const source = fileURLToPath(new URL('./stable-bucket.ts', import.meta.url));
    const built = fileURLToPath(new URL('../../dist/hashing/stable-bucket.js', import.meta.url));
    // Prefer the built dist (what users run); fall back to the source through tsx when dist is stale.
    const useDist = existsSync(built) && statSync(built).mtimeMs >= statSync(source).mtimeMs;
    const sample = keys.slice(0, 2_000);
    const script = `
      const { stableBucket } = await import(${JSON.stringify(useDist ? built : source)});
      const keys = JSON.parse(process.argv[1]);
      process.stdout.write(JSON.stringify(keys.map((k) => stableBucket(k))));`;
    const inProcess = JSON.stringify(sample.map((k) => stableBucket(k)));
    const runs = ['1', '987654321'].map((seed) =>
      execFileSync(
        process.execPath,
        [`--hash-seed=${seed}`, ...(useDist ? [] : ['--import', 'tsx']), '--input-type=module', '-e', script, JSON.stringify(sample)],
        { encoding: 'utf8', env: { ...process.env, TZ: seed === '1' ? 'UTC' : 'Asia/Kolkata' } },
      ),
    );
    expect(runs[0]).toBe(inProcess);
    expect(runs[1]).toBe(inProcess);
  });
});
