import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { printJson } from './report-api-error.js';

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

/** The result files of `bench/results/` written at or after `since` (ms since the epoch), newest first. */
export function resultFilesSince(benchDir: string, since: number): string[] {
  const dir = path.join(benchDir, 'results');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: path.join(dir, f), mtime: fs.statSync(path.join(dir, f)).mtimeMs }))
    .filter((f) => f.mtime >= since)
    .sort((a, b) => b.mtime - a.mtime)
    .map((f) => f.file);
}

/**
 * `baton bench <scenario> [args...]`: runs `bench/<scenario>/run.ts` (with tsx, from the
 * repository root) which prints its table and writes its JSON under `bench/results/`. `--json`:
 * the table goes to stderr and stdout gets `{scenario, resultFile, result}` (the JSON it wrote).
 */
export async function benchCommand(scenario: string | undefined, args: readonly string[], options: { json?: boolean }, io: CliIo): Promise<ExitCode> {
  const fail = (code: string, message: string): void => io.err(options.json ? JSON.stringify({ error: { code, message } }) : message);
  const benchDir = findBenchDir();
  if (!benchDir) {
    fail('NO_BENCH_DIR', 'no bench/ folder: baton bench runs from a checkout of the Baton repository');
    return EXIT.failed;
  }
  const scenarios = listBenchScenarios(benchDir);
  if (!scenario || !scenarios.includes(scenario)) {
    fail('USAGE', `${scenario ? `unknown scenario "${scenario}". ` : ''}scenarios: ${scenarios.join(', ') || '(none)'}`);
    return EXIT.usage;
  }
  const root = path.dirname(benchDir);
  // Result files keep whole-millisecond (or coarser) times: start a little earlier than now.
  const startedAt = Date.now() - 1000;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', scenario, BENCH_SCRIPT), ...args], {
    cwd: root,
    stdio: options.json ? ['inherit', process.stderr, 'inherit'] : 'inherit',
  });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 128 + 2 : 1))));
    if (code !== 0) {
      fail('BENCH_FAILED', `bench ${scenario} exited ${code}`);
      return EXIT.failed;
    }
    if (options.json) {
      const [resultFile] = resultFilesSince(benchDir, startedAt);
      if (!resultFile) {
        fail('NO_BENCH_RESULT', `bench ${scenario} wrote no bench/results/*.json`);
        return EXIT.failed;
      }
      printJson(io, { scenario, resultFile: path.relative(root, resultFile), result: JSON.parse(fs.readFileSync(resultFile, 'utf8')) as unknown });
    }
    return EXIT.ok;
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}
