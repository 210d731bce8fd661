/** Where a command writes: results to `out`, progress and diagnostics to `err`. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** true when `err` is a terminal (progress bars only then) */
  readonly interactive: boolean;
}

function write(stream: NodeJS.WriteStream, text: string): void {
  // A closed reader (`baton dev | tee log` after Ctrl-C) must not stop a command mid-cleanup.
  if (stream.destroyed || !stream.writable) return;
  stream.write(`${text}\n`);
}

/** The process's stdout/stderr; writes after the reader went away are dropped (see {@link ignoreBrokenPipes}). */
export const processIo: CliIo = {
  out: (text) => write(process.stdout, text),
  err: (text) => write(process.stderr, text),
  interactive: Boolean(process.stderr.isTTY),
};

/** Keeps EPIPE on stdout/stderr (the reader exited) from crashing the process, so shutdown still stops everything. */
export function ignoreBrokenPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}

/** Exit codes of `baton` commands. */
export const EXIT = {
  /** the command did what was asked (a followed run SUCCEEDED) */
  ok: 0,
  /** a check failed: invalid definition, a run FAILED/CANCELED, non-determinism, an API error */
  failed: 1,
  /** the command was used wrongly (bad option value) */
  usage: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
