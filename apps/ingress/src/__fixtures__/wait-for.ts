/** Polls `read` until `done` holds (or throws after `timeoutMs`), answering the last value read. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = performance.now() + (options.timeoutMs ?? 5_000);
  let value = await read();
  while (!done(value)) {
    if (performance.now() > deadline) throw new Error(`condition not reached in ${options.timeoutMs ?? 5_000} ms; last value: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 25));
    value = await read();
  }
  return value;
}
