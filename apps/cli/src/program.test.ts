import { describe, expect, it } from 'vitest';
import { captureIo } from './__fixtures__/capture-io.js';
import type { ExitCode } from './commands/cli-io.js';
import { createProgram } from './program.js';

async function run(...args: string[]): Promise<{ code: ExitCode | undefined; stdout: string; stderr: string }> {
  const io = captureIo();
  let code: ExitCode | undefined;
  const program = createProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(['node', 'baton', ...args]);
  } catch {
    // exitOverride throws after recording the exit code
  }
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

describe('baton command line', () => {
  it('lists every SPEC-api command in its help', async () => {
    const { stdout } = await run('--help');
    for (const command of ['dev', 'validate', 'publish', 'run', 'event', 'runs', 'show', 'replay', 'bench']) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('answers usage errors with exit code 2 and a message', async () => {
    const badEngine = await run('run', 'w', '--input', '{}', '--engine', 'mongo');
    expect(badEngine.code).toBe(2);
    expect(badEngine.stderr).toMatch(/--engine.*Allowed choices are db, temporal/);
    const badJson = await run('run', 'w', '--input', '{nope');
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/--input: not valid JSON/);
    const missing = await run('event', 'PAID');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--payload <json>'/);
    const status = await run('runs', '--status', 'DONE');
    expect(status.code).toBe(2);
  });

  it('names the benchmark scenarios when the one asked for does not exist', async () => {
    const { code, stderr } = await run('bench', 'no-such-scenario');
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown scenario "no-such-scenario"\. scenarios: .*expression-engine/);
  });

  it('reports an unreachable ingress as an API error (exit 1)', async () => {
    const { code, stderr } = await run('runs', '--url', 'http://127.0.0.1:9', '--key', 'k');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^UNREACHABLE: no answer from http:\/\/127\.0\.0\.1:9/);
  });
});
