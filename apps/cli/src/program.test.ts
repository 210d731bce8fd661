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
  const COMMANDS = ['dev', 'validate', 'publish', 'run', 'runs', 'show', 'cancel', 'retry', 'resume', 'event', 'tasks', 'task', 'secrets', 'policy', 'rollout', 'shadow', 'replay', 'bench', 'migrate'];

  it('lists every SPEC-api command in its help', async () => {
    const { stdout } = await run('--help');
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(stdout).not.toMatch(/complete-task/);
  });

  it('takes --json on every command, and --url/--key on every API command', async () => {
    for (const command of [...COMMANDS.filter((c) => c !== 'task' && c !== 'secrets' && c !== 'rollout'), 'task complete', 'secrets set', 'secrets list', 'secrets delete', 'rollout status', 'rollout set', 'rollout rollback']) {
      const { code, stdout } = await run(...command.split(' '), '--help');
      expect(code, command).toBe(0);
      expect(stdout, command).toMatch(/^ {2}--json +machine output/m);
      if (!['dev', 'validate', 'replay', 'bench', 'migrate'].includes(command)) {
        expect(stdout, command).toMatch(/^ {2}--url <url> +ingress URL/m);
        expect(stdout, command).toMatch(/^ {2}--key <key> +API key/m);
      }
    }
  });

  it('sets the correlation key of an event with --correlation-key; --key is the API key there too', async () => {
    const { stdout } = await run('event', '--help');
    expect(stdout).toMatch(/^ {2}--correlation-key <key> +explicit correlation key/m);
    expect(stdout).toMatch(/^ {2}--key <key> +API key/m);
    expect(stdout).not.toMatch(/--api-key/);
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
    expect(status.stderr).toMatch(/--status.*not one of RUNNING, WAITING, SUCCEEDED, FAILED, CANCELED/);
    const engine = await run('policy', 'w', '--engine', 'percent:150');
    expect(engine.code).toBe(2);
    expect(engine.stderr).toMatch(/--engine: "percent:150": temporalPercent/);
    const versions = await run('policy', 'w', '--version-policy', 'weighted:{nope');
    expect(versions.code).toBe(2);
    expect(versions.stderr).toMatch(/--version-policy weighted: not valid JSON/);
    const response = await run('task', 'complete', 't1');
    expect(response.code).toBe(2);
    expect(response.stderr).toMatch(/required option '--response <json>'/);
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
    const json = await run('cancel', 'r1', '--url', 'http://127.0.0.1:9', '--key', 'k', '--json');
    expect(json.code).toBe(1);
    expect(json.stdout).toBe('');
    expect(JSON.parse(json.stderr)).toEqual({ error: { code: 'UNREACHABLE', message: expect.stringMatching(/no answer from/) }, httpStatus: 0 });
  });
});
