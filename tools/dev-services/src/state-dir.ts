import fs from 'node:fs';
import path from 'node:path';

/**
 * The folder where services keep their data, logs and state files.
 * `BATON_HOME` wins; otherwise `.baton/` at the nearest npm workspace root above
 * `cwd` (so every test process of this repo shares one set of services), else `cwd/.baton`.
 */
export function resolveStateDir(cwd: string = process.cwd()): string {
  if (process.env.BATON_HOME) return path.resolve(process.env.BATON_HOME);
  let dir = path.resolve(cwd);
  for (;;) {
    const pkgFile = path.join(dir, 'package.json');
    if (fs.existsSync(pkgFile)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { workspaces?: unknown };
        if (pkg.workspaces) return path.join(dir, '.baton');
      } catch {
        // an unreadable package.json is not a workspace root; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(path.resolve(cwd), '.baton');
    dir = parent;
  }
}

/** Reads a JSON state file, or undefined when it is missing or unreadable. */
export function readState<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Writes a JSON state file atomically (write + rename). */
export function writeState(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2));
  fs.renameSync(tmp, file);
}
