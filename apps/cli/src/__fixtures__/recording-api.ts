// A stand-in ingress for CLI tests: records every request and answers from a table keyed by
// `METHOD /path` (query string ignored), 404 NOT_FOUND otherwise. The API contract itself is tested
// in the ingress; CLI tests check what a command sends and what it prints.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { ExitCode } from '../commands/cli-io.js';
import { createProgram } from '../program.js';
import { captureIo } from './capture-io.js';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly body: string;
  readonly auth: string | undefined;
}

export interface RecordedAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface RecordingApi {
  readonly url: string;
  /** every request received, in order */
  readonly requests: RecordedRequest[];
  /** the answer per `METHOD /path`; replace it per test */
  answers: Record<string, RecordedAnswer>;
  /** forgets the requests and the answers */
  reset(): void;
  close(): Promise<void>;
}

/** Starts a {@link RecordingApi} on a free loopback port. */
export async function startRecordingApi(): Promise<RecordingApi> {
  const requests: RecordedRequest[] = [];
  const api = {
    url: '',
    requests,
    answers: {} as Record<string, RecordedAnswer>,
    reset() {
      requests.length = 0;
      api.answers = {};
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, body, auth: req.headers.authorization });
      const answer = api.answers[`${req.method} ${req.url!.split('?')[0]}`] ?? { status: 404, body: { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` } } };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}

export interface CliOutcome {
  readonly code: ExitCode | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `baton <args> --url <url> --key k-1` in-process and captures its exit code and output. */
export async function runCli(url: string, ...args: string[]): Promise<CliOutcome> {
  const io = captureIo();
  let code: ExitCode | undefined;
  try {
    await createProgram(io, (c) => (code = c)).parseAsync(['node', 'baton', ...args, '--url', url, '--key', 'k-1']);
  } catch {
    // exitOverride throws after recording the exit code
  }
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

/**
 * A {@link RecordingApi} for the test file that calls it: started before its tests, reset before each
 * one, closed after them. `api` stands for the server (its fields are read when used); `run` runs the
 * CLI against it.
 */
export function useRecordingApi(): { readonly api: RecordingApi; run(...args: string[]): Promise<CliOutcome> } {
  let started: RecordingApi | undefined;
  const current = (): RecordingApi => {
    if (!started) throw new Error('the recording API is started in beforeAll');
    return started;
  };
  beforeAll(async () => {
    started = await startRecordingApi();
  });
  afterAll(() => started?.close());
  beforeEach(() => started?.reset());
  const api: RecordingApi = {
    get url() {
      return current().url;
    },
    get requests() {
      return current().requests;
    },
    get answers() {
      return current().answers;
    },
    set answers(answers) {
      current().answers = answers;
    },
    reset: () => current().reset(),
    close: () => current().close(),
  };
  return { api, run: (...args: string[]) => runCli(current().url, ...args) };
}

