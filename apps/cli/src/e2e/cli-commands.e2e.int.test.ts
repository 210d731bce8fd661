// End to end: every `baton` command, run as the executable npm links (`npx baton`), against one
// stack (worker and ingress as separate processes on a fresh database), in text and --json form,
// with the API's error code on stderr and a non-zero exit for every failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunView } from '@baton/event-schemas';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXAMPLES_DIR, startE2eStack, type E2eStack } from './__fixtures__/e2e-stack.js';
import { awaitFinished, awaitWait, loadExample } from './__fixtures__/run-helpers.js';

// Each test starts several `baton` processes; on a loaded machine one can take seconds.
vi.setConfig({ testTimeout: 180_000 });

let stack: E2eStack;
let tmp: string;

const WAIT = {
  name: 'cli.wait',
  version: '1.0.0',
  steps: [
    { id: 'go', type: 'event.wait', eventName: 'GO', correlationKey: { $expr: 'input.key' }, timeoutMs: 600_000, saveAs: 'vars.go' },
    { id: 'done', type: 'control.return', output: { $expr: 'vars.go.payload' } },
  ],
};
const FAILING = {
  name: 'cli.failing',
  version: '1.0.0',
  steps: [{ id: 'boom', type: 'action.call', action: 'test.fail', actionVersion: 1, input: { message: 'card declined', code: 'DECLINED' } }],
};
/** Fails on its first attempt (no retry policy) and succeeds on the next: an operator retry finishes it. */
const FLAKY_ONCE = {
  name: 'cli.flaky-once',
  version: '1.0.0',
  steps: [
    { id: 'flaky', type: 'action.call', action: 'test.flaky', actionVersion: 1, input: { failTimes: 1 }, saveAs: 'vars.flaky' },
    { id: 'done', type: 'control.return', output: { $expr: 'vars.flaky' } },
  ],
};
/** Sleeps on a durable timer: a run that lasts a few seconds without anyone acting on it. */
const NAP = {
  name: 'cli.nap',
  version: '1.0.0',
  steps: [
    { id: 'nap', type: 'time.wait', durationMs: 3000 },
    { id: 'done', type: 'control.return', output: { rested: true } },
  ],
};
const ROLLOUT = { name: 'cli.rollout', version: '1.0.0', steps: [{ id: 'done', type: 'control.return', output: { engine: { $expr: 'run.engine' } } }] };
const versioned = (version: string) => ({ name: 'cli.versioned', version, steps: [{ id: 'done', type: 'control.return', output: { version: { $expr: 'run.version' } } }] });

/** How many `GET <route>` requests the stack's ingress has answered (its /metrics counter). */
async function answeredGets(route: string): Promise<number> {
  const text = await (await fetch(`${stack.apiUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('baton_ingress_http_requests_total{') && line.includes('method="GET"') && line.includes(`route="${route}"`)) total += Number(line.split(' ').at(-1));
  }
  return total;
}

/** Runs `baton`, parsing stdout as JSON. */
async function cliJson<T>(args: readonly string[]): Promise<{ code: number | null; json: T; stderr: string }> {
  const result = await stack.cli([...args, '--json']);
  let json: T;
  try {
    json = JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`baton ${args.join(' ')} --json printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return { code: result.code, json, stderr: result.stderr };
}

/** The one-line JSON error `--json` prints on stderr (the API's error body, and the HTTP status when there was one). */
function jsonError(stderr: string): Record<string, unknown> {
  const { error, httpStatus } = JSON.parse(stderr.trim().split('\n').at(-1)!) as { error: Record<string, unknown>; httpStatus?: number };
  return httpStatus === undefined ? error : { ...error, httpStatus };
}

async function startWaiting(engine: 'db' | 'temporal', key: string): Promise<string> {
  const { body } = await stack.client.startRun({ workflow: WAIT.name, input: { key }, engine });
  await awaitWait(stack.client, body.runId, (run) => run.waits.some((w) => w.type === 'EVENT'));
  return body.runId;
}

async function startFailed(engine: 'db' | 'temporal', workflow = FLAKY_ONCE.name): Promise<string> {
  const { body } = await stack.client.startRun({ workflow, input: {}, engine });
  expect((await awaitFinished(stack.client, body.runId)).status).toBe('FAILED');
  return body.runId;
}

beforeAll(async () => {
  stack = await startE2eStack({ testActions: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-cli-e2e-'));
  for (const definition of [WAIT, FAILING, FLAKY_ONCE, NAP, ROLLOUT, versioned('1.0.0'), versioned('1.1.0'), loadExample('ticket-escalation/ticket-escalation.workflow.json')]) {
    await stack.client.publishWorkflow(definition);
  }
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe('definitions: validate and publish', () => {
  it('validate: ok files and every issue with its step path; --json lists both, with the error code on stderr', async () => {
    const bad = path.join(tmp, 'bad.workflow.json');
    fs.writeFileSync(bad, JSON.stringify({ name: 'bad', version: '1.0.0', steps: [{ id: 's', type: 'control.if', condition: { $expr: '1 +' }, then: [] }] }));
    // order-fulfilment calls the example action module's shop.summarize-order@1: validate loads it.
    const shopActions = path.join(EXAMPLES_DIR, 'actions/shop-actions.mjs');
    const ok = await stack.cli(['validate', '--actions', shopActions, path.join(EXAMPLES_DIR, 'order-fulfilment')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^✓ .*order-fulfilment\.workflow\.json {2}shop\.order-fulfilment@1\.0\.0/m);
    const text = await stack.cli(['validate', bad]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/bad\.workflow\.json: steps\[0\]\.condition\.\$expr: .*\[INVALID_EXPR\]/);

    const json = await cliJson<{ files: { file: string; ok: boolean; issues: { path: string; code: string }[] }[]; valid: number; invalid: number }>([
      'validate',
      '--actions',
      shopActions,
      path.join(EXAMPLES_DIR, 'order-fulfilment'),
      bad,
    ]);
    expect(json.code).toBe(1);
    expect(json.json).toMatchObject({ valid: 1, invalid: 1 });
    expect(json.json.files.find((f) => f.file === bad)).toMatchObject({ ok: false, issues: [expect.objectContaining({ path: 'steps[0].condition.$expr', code: 'INVALID_EXPR' })] });
    expect(jsonError(json.stderr)).toMatchObject({ code: 'INVALID_WORKFLOW_DEFINITION', message: '1 valid, 1 invalid' });
  });

  it('publish: new, then unchanged; the API issues with step paths and the error code on stderr (exit 1)', async () => {
    const ok = await stack.cli(['publish', path.join(EXAMPLES_DIR, 'order-fulfilment')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^published {2}shop\.order-fulfilment@1\.0\.0/m);
    const again = await cliJson<{ results: { ok: boolean; ref: string; created: boolean; hash: string }[] }>(['publish', path.join(EXAMPLES_DIR, 'order-fulfilment')]);
    expect(again.code).toBe(0);
    expect(again.json.results).toEqual([expect.objectContaining({ ok: true, ref: 'shop.order-fulfilment@1.0.0', created: false, hash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);

    const bad = path.join(tmp, 'bad-publish.workflow.json');
    fs.writeFileSync(bad, JSON.stringify({ name: 'bad', version: '1.0.0', steps: [{ id: 's', type: 'control.if', condition: { $expr: '1 +' }, then: [] }] }));
    const refused = await stack.cli(['publish', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/bad-publish\.workflow\.json: INVALID_WORKFLOW_DEFINITION: /);
    expect(refused.stderr).toMatch(/^ {2}steps\[0\]\.condition\.\$expr: .*\[INVALID_EXPR\]$/m);
    const refusedJson = await cliJson<{ results: { ok: boolean; error: { code: string } }[] }>(['publish', bad]);
    expect(refusedJson.code).toBe(1);
    expect(refusedJson.json.results).toEqual([expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'INVALID_WORKFLOW_DEFINITION' }) })]);
    expect(JSON.parse(refusedJson.stderr.trim())).toMatchObject({ file: bad, error: { code: 'INVALID_WORKFLOW_DEFINITION' } });
  });
});

describe('runs: run, runs, show', () => {
  const orderInput = () => JSON.stringify({ orderId: 'cli-1', inventoryUrl: stack.inventory.url, lines: [{ sku: 'MUG-2', quantity: 1 }] });

  it('run: follows a Temporal run, printing its step timeline and output (exit 0)', async () => {
    await stack.client.publishWorkflow(loadExample('order-fulfilment/order-fulfilment.workflow.json'));
    const { code, stdout } = await stack.cli(['run', 'shop.order-fulfilment', '--input', orderInput(), '--engine', 'temporal']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^started run \S+ {2}shop\.order-fulfilment@1\.0\.0 {2}engine=temporal/m);
    expect(stdout).toMatch(/✓ reserve-lines\[0\]\/reserve-line\/reserve +action\.call +SUCCEEDED +attempt 2/);
    expect(stdout).toMatch(/✓ fulfilled +control\.return +SUCCEEDED/);
    expect(stdout).toMatch(/"status": "SHIPPED"/);
  });

  it('run: waits on the ingress (GET ?wait=) instead of polling, still printing the timeline as the run goes', async () => {
    const before = await answeredGets('/v1/runs/:runId');
    const { code, stdout } = await stack.cli(['run', NAP.name, '--input', '{}', '--engine', 'db']);
    const reads = (await answeredGets('/v1/runs/:runId')) - before;
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ nap +time\.wait +SUCCEEDED/);
    expect(stdout).toMatch(/✓ done +control\.return +SUCCEEDED/);
    expect(stdout).toMatch(/"rested": true/);
    const runId = /^started run (\S+)/m.exec(stdout)![1]!;
    const run = await stack.client.getRun(runId);
    const lastedMs = Date.parse(run.completedAt!) - Date.parse(run.createdAt);
    expect(lastedMs).toBeGreaterThanOrEqual(3000);
    // Each read is held by the ingress for up to a second (FOLLOW_SLICE_MS) and answered when the run
    // finishes: one read right after the start, then one per second the run lasted. Polling every
    // 200 ms read it more than twice as often.
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThanOrEqual(2 + Math.ceil(lastedMs / 1000));
  });

  it('run: exits 1 with the error when the run fails; --json prints the finished run and its steps', async () => {
    const text = await stack.cli(['run', FAILING.name, '--input', '{}']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/✗ boom +action\.call +FAILED/);
    expect(text.stdout).toMatch(/ActionError\/DECLINED at boom: card declined/);
    const json = await cliJson<{ run: RunView; steps: { stepId: string; status: string }[] }>(['run', FAILING.name, '--input', '{}', '--engine', 'db']);
    expect(json.code).toBe(1);
    expect(json.json.run).toMatchObject({ workflow: FAILING.name, engine: 'db', status: 'FAILED', error: { code: 'DECLINED' } });
    expect(json.json.steps).toEqual([expect.objectContaining({ stepId: 'boom', status: 'FAILED' })]);
  });

  it('run --no-follow --json: the start answer; runs and show, as text and --json', async () => {
    const started = await cliJson<{ runId: string; status: string; engine: string; created: boolean }>(['run', WAIT.name, '--input', '{"key":"cli-show"}', '--engine', 'db', '--no-follow']);
    expect(started.code).toBe(0);
    expect(started.json).toMatchObject({ workflow: WAIT.name, engine: 'db', created: true });
    const runId = started.json.runId;
    await awaitWait(stack.client, runId, (run) => run.waits.length > 0);

    const listed = await stack.cli(['runs', '--workflow', WAIT.name, '--status', 'WAITING']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${runId} +cli\\.wait@1\\.0\\.0 +db +WAITING`, 'm'));
    const listedJson = await cliJson<{ items: { runId: string }[] }>(['runs', '--workflow', WAIT.name, '--limit', '50']);
    expect(listedJson.json.items.map((r) => r.runId)).toContain(runId);

    const shown = await stack.cli(['show', runId]);
    expect(shown.stdout).toMatch(/^status {4}WAITING$/m);
    expect(shown.stdout).toMatch(/^wait {6}waiting for event GO with correlation key "cli-show" \(baton event GO --correlation-key cli-show --payload/m);
    const shownJson = await cliJson<{ run: RunView; steps: unknown[] }>(['show', runId]);
    expect(shownJson.json.run).toMatchObject({ runId, status: 'WAITING', waits: [expect.objectContaining({ type: 'EVENT', correlationKey: 'cli-show' })] });

    const missing = await stack.cli(['show', '00000000-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^RUN_NOT_FOUND: /m);
  });
});

describe('events and human tasks', () => {
  it('event --correlation-key resumes the waiting run; --json prints the API answer', async () => {
    const runId = await startWaiting('temporal', 'cli-event');
    const sent = await stack.cli(['event', 'GO', '--correlation-key', 'cli-event', '--payload', '{"by":"cli"}']);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/key=cli-event \(explicit\)/);
    expect(sent.stdout).toMatch(new RegExp(`resumed run ${runId} \\(temporal\\)`));
    expect(await awaitFinished(stack.client, runId)).toMatchObject({ status: 'SUCCEEDED', output: { by: 'cli' } });

    const other = await startWaiting('db', 'cli-event-json');
    const json = await cliJson<{ eventId: string; duplicate: boolean; correlationKey: string; routed: { runId: string }[] }>([
      'event',
      'GO',
      '--correlation-key',
      'cli-event-json',
      '--id',
      'cli-event-json-1',
      '--payload',
      '{"n":1}',
    ]);
    expect(json.code).toBe(0);
    expect(json.json).toMatchObject({ eventId: 'cli-event-json-1', duplicate: false, correlationKey: 'cli-event-json', routed: [{ runId: other, engine: 'db' }] });
    const duplicate = await cliJson<{ duplicate: boolean; routed: unknown[] }>(['event', 'GO', '--correlation-key', 'cli-event-json', '--id', 'cli-event-json-1', '--payload', '{"n":1}']);
    expect(duplicate.json).toMatchObject({ duplicate: true, routed: [] });
  });

  it('tasks, then task complete: a response the form refuses is VALIDATION_ERROR (exit 1), a valid one completes the run', async () => {
    const ticket = await stack.client.startRun({ workflow: 'support.ticket-escalation', input: { ticketId: 'T-9', subject: 'Broken invoice', priority: 'urgent' }, engine: 'db' });
    await awaitWait(stack.client, ticket.body.runId, (run) => run.waits.some((w) => w.type === 'HUMAN_TASK'));
    const tasks = await stack.cli(['tasks', '--run', ticket.body.runId]);
    const taskId = new RegExp(`^(\\S+) +${ticket.body.runId} +escalation-approval +OPEN +support-lead`, 'm').exec(tasks.stdout)?.[1];
    expect(taskId, tasks.stdout).toBeDefined();
    const tasksJson = await cliJson<{ items: { taskId: string; status: string }[] }>(['tasks', '--run', ticket.body.runId, '--status', 'OPEN']);
    expect(tasksJson.json.items).toEqual([expect.objectContaining({ taskId, status: 'OPEN' })]);

    const invalid = await stack.cli(['task', 'complete', taskId!, '--response', '{"decision":"maybe"}']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^VALIDATION_ERROR: /m);
    const done = await cliJson<{ taskId: string; status: string }>(['task', 'complete', taskId!, '--response', '{"decision":"approve","team":"tier2"}']);
    expect(done.code).toBe(0);
    expect(done.json).toMatchObject({ taskId, runId: ticket.body.runId, status: 'COMPLETED' });
    expect((await awaitFinished(stack.client, ticket.body.runId)).output).toMatchObject({ decision: 'ESCALATED', team: 'tier2' });
    const other = await stack.cli(['task', 'complete', taskId!, '--response', '{"decision":"reject"}']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^TASK_ALREADY_COMPLETED: /m);
  });
});

describe('run control: cancel, retry, resume', () => {
  it('cancel: a waiting run on each engine (exit 0); again RUN_ALREADY_FINISHED on stderr (exit 1)', async () => {
    const db = await startWaiting('db', 'cli-cancel-db');
    const canceled = await stack.cli(['cancel', db, '--reason', 'customer left']);
    expect(canceled.code).toBe(0);
    expect(canceled.stdout.trim()).toBe(`run ${db} CANCELED`);
    expect((await stack.client.getRun(db)).status).toBe('CANCELED');
    const again = await stack.cli(['cancel', db]);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/^RUN_ALREADY_FINISHED: /);
    const againJson = await stack.cli(['cancel', db, '--json']);
    expect(againJson.code).toBe(1);
    expect(jsonError(againJson.stderr)).toMatchObject({ code: 'RUN_ALREADY_FINISHED', status: 'CANCELED', httpStatus: 409 });

    // Temporal: CANCELED, or CANCEL_REQUESTED while the workflow has not stopped yet; both exit 0.
    const temporal = await startWaiting('temporal', 'cli-cancel-temporal');
    const json = await cliJson<{ runId: string; status: string }>(['cancel', temporal]);
    expect(json.code).toBe(0);
    expect(json.json).toEqual({ runId: temporal, status: expect.stringMatching(/^(CANCELED|CANCEL_REQUESTED)$/) });
    expect((await awaitFinished(stack.client, temporal)).status).toBe('CANCELED');
  });

  it('retry: re-runs a failed Postgres-engine run; RUN_NOT_FAILED and the Temporal refusal with its hint exit 1', async () => {
    const db = await startFailed('db');
    const retried = await stack.cli(['retry', db, '--reason', 'downstream fixed']);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toMatch(new RegExp(`^run ${db} retried: (RUNNING|SUCCEEDED)$`, 'm'));
    expect(await awaitFinished(stack.client, db)).toMatchObject({ status: 'SUCCEEDED', output: { attempts: 2 } });
    const notFailed = await stack.cli(['retry', db]);
    expect(notFailed.code).toBe(1);
    expect(notFailed.stderr).toMatch(/^RUN_NOT_FAILED: /);

    const temporal = await startFailed('temporal');
    const refused = await stack.cli(['retry', temporal]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED: /);
    expect(refused.stderr).toMatch(/^ {2}hint: \S/m);
    const refusedJson = await stack.cli(['retry', temporal, '--json']);
    expect(jsonError(refusedJson.stderr)).toMatchObject({ code: 'WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED', action: 'retry', engine: 'temporal', runId: temporal, httpStatus: 409 });
  });

  it('resume: the operator resolves the wait with --response (--json); a bad --response is a usage error (exit 2)', async () => {
    const db = await startWaiting('db', 'cli-resume');
    const usage = await stack.cli(['resume', db, '--response', '{nope']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--response: not valid JSON/);
    const resumed = await cliJson<{ runId: string; status: string }>(['resume', db, '--reason', 'paid by phone', '--response', '{"amount":12}']);
    expect(resumed.code).toBe(0);
    expect(resumed.json).toEqual({ runId: db, status: expect.stringMatching(/^(RUNNING|SUCCEEDED)$/) });
    expect(await awaitFinished(stack.client, db)).toMatchObject({ status: 'SUCCEEDED', output: { amount: 12 } });
    const finished = await stack.cli(['resume', db]);
    expect(finished.code).toBe(1);
    expect(finished.stderr).toMatch(/^RUN_ALREADY_FINISHED: /);
  });
});

describe('policy', () => {
  it('shows the versions and policy, sets engine and version policy, and new runs follow it', async () => {
    const shown = await stack.cli(['policy', 'cli.versioned']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^versions {8}1\.0\.0, 1\.1\.0$/m);
    expect(shown.stdout).toMatch(/^version policy {2}latest/m);

    const set = await stack.cli(['policy', 'cli.versioned', '--engine', 'percent:40', '--version-policy', 'weighted:{"1.0.0":75,"1.1.0":25}']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^version policy {2}weighted 1\.0\.0=75 1\.1\.0=25$/m);
    expect(set.stdout).toMatch(/^engine policy {3}percent: 40% of new runs to temporal/m);
    const json = await cliJson<{ name: string; policy: unknown }>(['policy', 'cli.versioned']);
    expect(json.json).toMatchObject({
      name: 'cli.versioned',
      policy: { versionPolicy: { type: 'weighted', weights: { '1.0.0': 75, '1.1.0': 25 } }, engine: { type: 'percent', temporalPercent: 40 } },
    });

    // Only the part given changes.
    const exact = await cliJson<{ versionPolicy: unknown; engine: unknown }>(['policy', 'cli.versioned', '--version-policy', 'exact:1.0.0']);
    expect(exact.json).toEqual({ versionPolicy: { type: 'exact', version: '1.0.0' }, engine: { type: 'percent', temporalPercent: 40 } });
    await stack.cli(['policy', 'cli.versioned', '--engine', 'db']);
    const run = await cliJson<{ run: RunView }>(['run', 'cli.versioned', '--input', '{}']);
    expect(run.json.run).toMatchObject({ version: '1.0.0', engine: 'db', status: 'SUCCEEDED', output: { version: '1.0.0' } });

    const unknown = await stack.cli(['policy', 'cli.versioned', '--version-policy', 'exact:9.9.9']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^VALIDATION_ERROR: /);
    expect(unknown.stderr).toMatch(/9\.9\.9/);
    const missing = await stack.cli(['policy', 'cli.no-such-workflow']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^WORKFLOW_NOT_FOUND: /);
  });
});

describe('rollout', () => {
  it('set is refused past an unmet gate with the figures (exit 1), --force overrides; status shows it forced; rollback sets 0 % with the reason', async () => {
    await stack.client.setPolicy(ROLLOUT.name, { rolloutGate: { minCompared: 5, maxDiscrepancyRate: 0.01 } });
    const refused = await stack.cli(['rollout', 'set', ROLLOUT.name, '--temporal-percent', '20']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^ROLLOUT_GATE_NOT_MET: raising the Temporal share of 'cli.rollout' from 0 % to 20 %/);
    expect(refused.stderr).toMatch(/^ {2}gate {6}minCompared 5, maxDiscrepancyRate 1%$/m);
    expect(refused.stderr).toMatch(/^ {2}unmet {5}compared 0 < minCompared 5$/m);
    expect(jsonError((await stack.cli(['rollout', 'set', ROLLOUT.name, '--temporal-percent', '20', '--json'])).stderr)).toMatchObject({ code: 'ROLLOUT_GATE_NOT_MET', httpStatus: 409, toTemporalPercent: 20 });

    const forced = await stack.cli(['rollout', 'set', ROLLOUT.name, '--temporal-percent', '20', '--force', '--reason', 'canary week']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^engine policy of cli.rollout: percent: 20% of new runs to temporal/);
    const status = await stack.cli(['rollout', 'status', ROLLOUT.name]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^rollout gate {4}minCompared 5, maxDiscrepancyRate 1%$/m);
    expect(status.stdout).toMatch(/^shadow report {3}compared 0 \(matched 0, different 0\), pending 0, discrepancy rate 0%$/m);
    expect(status.stdout).toMatch(/^\S+ +key-[0-9a-f]{8} +temporal default -> 20% +yes +canary week$/m);

    const rollback = await stack.cli(['rollout', 'rollback', ROLLOUT.name]);
    expect(rollback.code).toBe(0);
    const shadow = await stack.cli(['shadow', ROLLOUT.name]);
    expect(shadow.code).toBe(0);
    expect(shadow.stdout.trimEnd().split('\n').at(-1)).toBe('nothing compared yet');
    const after = await cliJson<{ policy: { engine: unknown }; history: { reason: string | null; forced: boolean }[] }>(['rollout', 'status', ROLLOUT.name]);
    expect(after.json.policy.engine).toEqual({ type: 'percent', temporalPercent: 0 });
    expect(after.json.history[0]).toMatchObject({ reason: 'manual', forced: false });
  });
});

describe('operations: migrate, replay, bench', () => {
  it('migrate --json: the stack database is up to date', async () => {
    const result = await stack.cli(['migrate', '--json'], { env: { DATABASE_URL: stack.databaseUrl } });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ schema: 'baton', applied: [] });
    const unset = await stack.cli(['migrate']);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/DATABASE_URL is not set/);
  });

  it('replay --json: a recorded history replays', async () => {
    const histories = fileURLToPath(new URL('../../../../packages/temporal-adapter/histories/', import.meta.url));
    const one = path.join(histories, fs.readdirSync(histories).filter((f) => f.endsWith('.json')).sort()[0]!);
    const result = await stack.cli(['replay', one, '--json'], { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 1, passed: 1, nondeterministic: 0, failures: [] });
  }, 120_000);

  it('bench --json: an unknown scenario is a usage error naming the scenarios', async () => {
    const result = await stack.cli(['bench', 'no-such-scenario', '--json']);
    expect(result.code).toBe(2);
    expect(jsonError(result.stderr)).toMatchObject({ code: 'USAGE', message: expect.stringMatching(/scenarios: .*ingress/) });
  });
});
