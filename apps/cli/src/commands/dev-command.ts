import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveStateDir } from '@baton/dev-services';
import type { RunView } from '@baton/event-schemas';
import { DEMO_WORKFLOW, demoOrderInput } from '../dev/demo-run.js';
import { readDevState } from '../dev/dev-state.js';
import { startDevStack, type DevStack } from '../dev/dev-stack.js';
import { formatRunHeadline } from '../output/step-timeline.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { publishFiles } from './publish-command.js';
import { printRunTimeline } from './run-command.js';

/** A second signal within this long is the same Ctrl-C (npm forwards the one the terminal sent); later, it forces an exit. */
const REPEATED_SIGNAL_WINDOW_MS = 3000;

/** Options of `baton dev`. */
export interface DevOptions {
  /** definitions to publish @default the repository's `examples/` */
  readonly examples?: string;
  /** start the demo run @default true */
  readonly demo?: boolean;
  /** try the Temporal engine @default true */
  readonly temporal?: boolean;
  /** show worker and ingress logs in the terminal instead of `.baton/logs/` @default false */
  readonly logs?: boolean;
  /** stdout gets JSON lines only (`{"event":"ready",…}`, `{"event":"demo",…}`); everything else goes to stderr */
  readonly json?: boolean;
}

/** The `ready` line of `baton dev --json`: where the stack is and how to call it. */
function readyLine(stack: DevStack): string {
  return JSON.stringify({
    event: 'ready',
    apiUrl: stack.apiUrl,
    docsUrl: `${stack.apiUrl}/docs`,
    apiKey: stack.apiKey,
    tenant: stack.tenant,
    engines: stack.engines,
    workerUrl: stack.workerUrl,
    inventoryUrl: stack.inventory.url,
    ...(stack.temporalUiUrl ? { temporalUiUrl: stack.temporalUiUrl } : {}),
    ...(stack.temporalUnavailable ? { temporalUnavailable: stack.temporalUnavailable } : {}),
    ...(stack.redisUnavailable ? { redisUnavailable: stack.redisUnavailable } : {}),
    ...(stack.logDir ? { logDir: stack.logDir } : {}),
  });
}

/** The repository's `examples/` folder, found above this package. */
export function findExamplesDir(from: string = path.dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'examples');
    if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function banner(stack: DevStack, io: CliIo): void {
  const engineLine = stack.temporalUnavailable
    ? `Postgres engine only: ${stack.temporalUnavailable}. Runs routed to Temporal answer ENGINE_UNAVAILABLE.`
    : 'Postgres engine + Temporal engine';
  const lines = [
    '',
    `Baton is running — ${engineLine}`,
    `  API            ${stack.apiUrl}`,
    `  OpenAPI docs   ${stack.apiUrl}/docs   (document: ${stack.apiUrl}/openapi.json)`,
    `  Console        ${stack.apiUrl}/ui/#key=${encodeURIComponent(stack.apiKey)}   (signs in with the dev key; the key leaves the address bar)`,
    `  Temporal UI    ${stack.temporalUiUrl ?? (stack.temporalUnavailable ? '- (no Temporal)' : '- (the reused dev server runs headless)')}`,
    `  Worker         ${stack.workerUrl}/healthz  ${stack.workerUrl}/metrics`,
    `  Demo inventory ${stack.inventory.url}   (the order-fulfilment example calls it)`,
    `  Dev API key    ${stack.apiKey}   (tenant "${stack.tenant}")`,
    `                 curl -H "Authorization: Bearer ${stack.apiKey}" ${stack.apiUrl}/v1/runs`,
    ...(stack.redisUnavailable ? [`  Event stream   off: ${stack.redisUnavailable}; POST /v1/events still works`] : []),
    ...(stack.logDir ? [`  Logs           ${stack.logDir}/worker.log, ${stack.logDir}/ingress.log`] : []),
    '',
    'Other terminals in this checkout find this stack on their own: npx baton runs | npx baton show <runId> | npx baton run <workflow> --input <json>',
    'Press Ctrl-C to stop everything baton dev started.',
    '',
  ];
  for (const line of lines) io.out(line);
}

/** Starts one demo run and prints its timeline as it progresses; resolves with the finished view. */
async function demo(stack: DevStack, io: CliIo, startedAt: number): Promise<RunView> {
  const orderId = `demo-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}`;
  const { body } = await stack.client.startRun({ workflow: DEMO_WORKFLOW, input: demoOrderInput(stack.inventory.url, orderId) });
  io.out(`demo: ${formatRunHeadline(body)}`);
  const run = await printRunTimeline(stack.client, body.runId, io, { timeoutMs: 60_000 });
  io.out(`demo: ${formatRunHeadline(run)}`);
  if (run.status === 'SUCCEEDED') {
    io.out(`demo output: ${JSON.stringify(run.output)}`);
    io.out(`demo run succeeded ${((performance.now() - startedAt) / 1000).toFixed(1)} s after baton dev started`);
    return run;
  }
  if (run.error) io.out(`demo error: ${run.error.category}/${run.error.code}: ${run.error.message}`);
  return run;
}

/**
 * `baton dev`: the whole stack on embedded defaults (what `npm start` runs). Publishes the
 * examples, prints the URLs and a dev API key, runs one demo, then serves until Ctrl-C, when it
 * stops everything it started and nothing else.
 */
export async function devCommand(options: DevOptions, machineIo: CliIo): Promise<ExitCode> {
  const startedAt = performance.now();
  // With --json, what people read goes to stderr and stdout keeps the JSON lines.
  const io: CliIo = options.json ? { out: (t) => machineIo.err(t), err: (t) => machineIo.err(t), interactive: machineIo.interactive } : machineIo;
  const fail = (code: string, message: string): ExitCode => {
    machineIo.err(options.json ? JSON.stringify({ error: { code, message } }) : `${code}: ${message}`);
    return EXIT.failed;
  };
  const stateDir = resolveStateDir();
  const running = readDevState(stateDir);
  if (running && running.pid !== process.pid) {
    return fail('DEV_ALREADY_RUNNING', `baton dev already runs in this checkout (pid ${running.pid}, ${running.apiUrl}); stop it first`);
  }

  let signalled: NodeJS.Signals | undefined;
  let signalledAt = 0;
  let wake: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      // One Ctrl-C under `npm start` arrives twice: from the terminal and forwarded by npm.
      if (performance.now() - signalledAt < REPEATED_SIGNAL_WINDOW_MS) return;
      io.err(`${signal} again: exiting now (services keep running; stop them with npm run services -- down)`);
      process.exit(EXIT.failed);
    }
    signalled = signal;
    signalledAt = performance.now();
    io.err(`\n${signal}: stopping...`);
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let stack: DevStack | undefined;
  try {
    // The demo calls user code: the worker loads the example action module, besides the user's BATON_ACTIONS.
    const exampleActions = path.join(options.examples ?? findExamplesDir() ?? '', 'actions', 'shop-actions.mjs');
    const starting = startDevStack({
      stateDir,
      env: process.env,
      io,
      ...(options.temporal === false ? { temporal: false } : {}),
      logToFiles: !options.logs,
      ...(fs.existsSync(exampleActions) ? { actionModules: [exampleActions] } : {}),
    });
    stack = await Promise.race([starting, stopRequested.then(() => undefined)]);
    if (!stack) {
      // A signal during startup: let the start finish or fail (a failed start cleans up after
      // itself), then stop what it started.
      stack = await starting.catch(() => undefined);
      return EXIT.ok;
    }
    const examples = options.examples ?? findExamplesDir();
    let demoPublished = false;
    if (examples) {
      io.err(`publishing ${examples}`);
      const published = await publishFiles(stack.client, [examples], io);
      if (published.some((p) => !p.ok)) io.err('some examples were not published (see above)');
      demoPublished = published.some((p) => p.ok && p.ref?.startsWith(`${DEMO_WORKFLOW}@`));
    } else {
      io.err('no examples/ folder found: nothing published');
    }
    banner(stack, io);
    if (options.json) machineIo.out(readyLine(stack));
    if (options.demo !== false && examples && !demoPublished) {
      io.err(`demo skipped: ${DEMO_WORKFLOW} was not published (see above); the stack keeps running`);
    } else if (options.demo !== false && examples) {
      // The demo is a courtesy: whatever happens to it, the stack keeps serving.
      const run = await Promise.race([demo(stack, io, startedAt), stopRequested.then(() => undefined)]).catch((error: unknown) => {
        io.err(`the demo run could not start: ${error instanceof Error ? error.message : String(error)}; the stack keeps running`);
        return undefined;
      });
      if (run && options.json) machineIo.out(JSON.stringify({ event: 'demo', runId: run.runId, status: run.status, ...(run.output === undefined ? {} : { output: run.output }), ...(run.error ? { error: run.error } : {}) }));
      if (run && run.status !== 'SUCCEEDED') io.err('the demo run did not succeed; the stack keeps running (see the logs)');
    }
    const failure = await Promise.race([stack.childFailure, stopRequested.then(() => undefined)]);
    if (failure) {
      // A terminal's Ctrl-C reaches the worker and the ingress too; one of them may exit before
      // this process has handled its own SIGINT. Give that signal a moment before calling it a crash.
      await Promise.race([stopRequested, new Promise((resolve) => setTimeout(resolve, 1000))]);
      if (signalled) return EXIT.ok;
      return fail('DEV_CHILD_EXITED', failure);
    }
    return EXIT.ok;
  } catch (error) {
    return fail('DEV_FAILED', `baton dev failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (stack) {
      await stack.stop();
      io.err('stopped');
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
