import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** How a child process ended. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A Node child process `baton dev` started and is responsible for stopping. */
export interface ManagedChild {
  readonly name: string;
  readonly pid: number;
  readonly logFile?: string;
  /** settles when the process has exited */
  readonly exited: Promise<ChildExit>;
  /** true once the process has exited */
  readonly hasExited: () => boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs: number): Promise<ChildExit>;
}

/** Options of {@link startNodeChild}. */
export interface StartNodeChildOptions {
  readonly name: string;
  /** the module to run with this Node binary */
  readonly script: string;
  readonly args?: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** append stdout and stderr here; when absent they are inherited (shown in the terminal) */
  readonly logFile?: string;
}

/**
 * Starts a Node script as a child in this process's group (so a terminal Ctrl-C reaches it too)
 * with its output appended to a log file or inherited.
 */
export function startNodeChild(options: StartNodeChildOptions): ManagedChild {
  let stdio: ('ignore' | 'inherit' | number)[] = ['ignore', 'inherit', 'inherit'];
  let fd: number | undefined;
  if (options.logFile) {
    fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
    fd = fs.openSync(options.logFile, 'a');
    stdio = ['ignore', fd, fd];
  }
  const child = spawn(process.execPath, [options.script, ...(options.args ?? [])], { env: options.env, stdio });
  if (fd !== undefined) fs.closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${options.name} (${options.script})`);
  let exit: ChildExit | undefined;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
    child.once('error', () => {
      exit ??= { code: null, signal: null };
      resolve(exit);
    });
  });
  return {
    name: options.name,
    pid: child.pid,
    ...(options.logFile ? { logFile: options.logFile } : {}),
    exited,
    hasExited: () => exit !== undefined,
    async stop(graceMs) {
      if (exit) return exit;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!exit) child.kill('SIGKILL');
      }, graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The last `lines` lines of a log file (for reporting why a child died). */
export function tailFile(file: string, lines = 20): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
