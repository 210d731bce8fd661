/**
 * Tells waiters that a run may have finished, without a query per waiter per tick (the Postgres
 * adapter: one LISTEN connection on the notification the run table sends when a run's status
 * becomes SUCCEEDED, FAILED or CANCELED, whichever engine wrote it).
 */
export interface RunCompletionFeed {
  /**
   * Calls `onChange(false)` when the run reaches SUCCEEDED, FAILED or CANCELED, and whenever
   * notifications may have been missed (e.g. after a reconnect), and `onChange(true)` when the feed
   * closes (the process stops: answer now); answers the function that stops watching. The caller
   * reads the run again on each call, scoped to its tenant.
   */
  watch(tenant: string, runId: string, onChange: (closing: boolean) => void): () => void;
}
