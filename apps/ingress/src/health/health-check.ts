import type { HealthResponse } from '@baton/event-schemas';

/** One dependency `/healthz` probes. */
export interface HealthCheck {
  /** the key in the answer, e.g. `database`, `temporal` */
  readonly name: string;
  /** resolves when the dependency answers; rejects (or times out) otherwise */
  readonly check: () => Promise<void>;
}

/** How long one probe may take before it counts as failed. */
export const HEALTH_CHECK_TIMEOUT_MS = 2_000;

function withTimeout(promise: Promise<void>, ms: number, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every probe concurrently: `ok` when all answer, else `unavailable` with each failure's message. */
export async function runHealthChecks(checks: readonly HealthCheck[], timeoutMs: number = HEALTH_CHECK_TIMEOUT_MS): Promise<HealthResponse> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        await withTimeout(Promise.resolve().then(check), timeoutMs, name);
        return [name, { ok: true }] as const;
      } catch (err) {
        return [name, { ok: false, message: err instanceof Error ? err.message : String(err) }] as const;
      }
    }),
  );
  return { status: results.every(([, r]) => r.ok) ? 'ok' : 'unavailable', checks: Object.fromEntries(results) };
}
