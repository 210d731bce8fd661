/** Where a command writes: results to `out`, progress and diagnostics to `err`. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** true when `err` is a terminal (progress bars only then) */
  readonly interactive: boolean;
}

/** The process's stdout/stderr. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  interactive: Boolean(process.stderr.isTTY),
};

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
