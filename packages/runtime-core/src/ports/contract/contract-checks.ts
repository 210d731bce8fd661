import { isBatonError } from '../../errors/baton-error.js';
import type { ErrorCode } from '../../errors/error-code.js';

/** A port implementation broke a rule of its port's contract. */
export class PortContractViolation extends Error {
  override readonly name = 'PortContractViolation';
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** Throws unless `actual` and `expected` are equal as JSON (key order and undefined fields ignored). */
export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(canonical(actual));
  const e = JSON.stringify(canonical(expected));
  if (a !== e) throw new PortContractViolation(`${what}: expected ${e}, got ${a}`);
}

/** Throws unless `condition` holds. */
export function expectTrue(condition: boolean, what: string): void {
  if (!condition) throw new PortContractViolation(what);
}

/** Throws unless `promise` rejects with a `BatonError` of `code`. */
export async function expectRejects(promise: Promise<unknown>, code: ErrorCode, what: string): Promise<void> {
  try {
    await promise;
  } catch (err) {
    if (isBatonError(err, code)) return;
    throw new PortContractViolation(`${what}: expected BatonError ${code}, got ${String((err as Error)?.message ?? err)}`);
  }
  throw new PortContractViolation(`${what}: expected BatonError ${code}, but it resolved`);
}
