// The interpreter runs synchronously as long as it can. Its steps are generators: an expression
// that the expression engine can evaluate synchronously is evaluated in place; one that needs
// JSONata's asynchronous evaluator yields the promise, and the run continues when it settles.
// So a step made of simple expressions creates no promise at all, which matters in the Temporal
// workflow sandbox, where every promise records a stack trace.

/** Interpreter work that may wait for promises: it yields each one and is resumed with its value. */
export type Work<T> = Generator<Promise<unknown>, T, unknown>;

/** A value now, or the work that produces it. */
export type MaybeWork<T> = T | Work<T>;

/** Whether `value` is work (a generator) rather than a ready value. */
export function isWork<T extends object>(value: MaybeWork<T>): value is Work<T> {
  return typeof (value as { next?: unknown }).next === 'function' && typeof (value as { throw?: unknown }).throw === 'function';
}

/**
 * Runs `work` synchronously until it yields a promise, then asynchronously; never throws (a
 * failure rejects the returned promise). Exactly one promise is created when no expression
 * needed waiting.
 */
export function settleWork<T>(work: Work<T>): Promise<T> {
  let next: IteratorResult<Promise<unknown>, T>;
  try {
    next = work.next();
  } catch (error) {
    return Promise.reject(error as Error);
  }
  return next.done ? Promise.resolve(next.value) : continueWork(work, next.value);
}

async function continueWork<T>(work: Work<T>, pending: Promise<unknown>): Promise<T> {
  for (;;) {
    let settled: { ok: true; value: unknown } | { ok: false; error: unknown };
    try {
      settled = { ok: true, value: await pending };
    } catch (error) {
      settled = { ok: false, error };
    }
    // A rejection is thrown into the work where it waited, so its own try/catch sees it.
    const next = settled.ok ? work.next(settled.value) : work.throw(settled.error);
    if (next.done) return next.value;
    pending = next.value;
  }
}
