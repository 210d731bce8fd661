import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';

/** The script of a scenario: `bench/<scenario>/run.ts`. */
export const BENCH_SCRIPT = 'run.ts';

/** The repository's `bench/` folder: above this package (`apps/cli/dist/commands` -> repo root). */
export function findBenchDir(from: string = path.dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, 'bench');
    if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Scenario names: the folders of `bench/` that hold a `run.ts`. */
export function listBenchScenarios(benchDir: string): string[] {
  return fs
    .readdirSync(benchDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(benchDir, e.name, BENCH_SCRIPT)))
    .map((e) => e.name)
    .sort();
}

/**
 * `baton bench <scenario> [args...]`: runs `bench/<scenario>/run.ts` (with tsx, from the
 * repository root) which prints its table and writes its JSON under `bench/results/`.
 */
export async function benchCommand(scenario: string | undefined, args: readonly string[], io: CliIo): Promise<ExitCode> {
  const benchDir = findBenchDir();
  if (!benchDir) {
    io.err('no bench/ folder: baton bench runs from a checkout of the Baton repository');
    return EXIT.failed;
  }
  const scenarios = listBenchScenarios(benchDir);
  if (!scenario || !scenarios.includes(scenario)) {
    io.err(`${scenario ? `unknown scenario "${scenario}". ` : ''}scenarios: ${scenarios.join(', ') || '(none)'}`);
    return EXIT.usage;
  }
  const root = path.dirname(benchDir);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', scenario, BENCH_SCRIPT), ...args], { cwd: root, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 128 + 2 : 1))));
    return code === 0 ? EXIT.ok : EXIT.failed;
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}
