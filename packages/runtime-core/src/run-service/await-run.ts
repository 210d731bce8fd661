import type { RunView } from '@baton/event-schemas';
import { isTerminalRunStatus } from '@baton/event-schemas';
import type { RunCompletionFeed } from '../ports/run-completion-feed.js';

/** Options of {@link awaitRunView}. */
export interface AwaitRunViewOptions {
  /** reads the run as the API shows it (throws `RUN_NOT_FOUND`) */
  readonly read: () => Promise<RunView>;
  /** the completion feed; without one the current state is answered at once */
  readonly feed: RunCompletionFeed | undefined;
  readonly tenant: string;
  readonly runId: string;
  /** how long to wait for the run to finish, in ms */
  readonly waitMs: number;
}

/**
 * Answers the run once it has finished (SUCCEEDED, FAILED, CANCELED) or when `waitMs` elapsed, with
 * its state then. The run is read once at the start, once per completion notification of this run,
 * and once when the time is up (or the feed closes): never on a timer tick.
 */
export async function awaitRunView(options: AwaitRunViewOptions): Promise<RunView> {
  const { feed, read } = options;
  if (!feed || options.waitMs <= 0) return read();
  let changed = false;
  let timedOut = false;
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  // Watch before the first read: a completion committed in between is then never missed.
  const stop = feed.watch(options.tenant, options.runId, (closing) => {
    if (closing) timedOut = true;
    else changed = true;
    signal();
  });
  const timer = setTimeout(() => {
    timedOut = true;
    signal();
  }, options.waitMs);
  try {
    for (;;) {
      changed = false;
      const view = await read();
      if (isTerminalRunStatus(view.status) || timedOut) return view;
      if (!changed) await new Promise<void>((resolve) => (wake = resolve));
      if (timedOut && !changed) return read();
    }
  } finally {
    clearTimeout(timer);
    stop();
  }
}
