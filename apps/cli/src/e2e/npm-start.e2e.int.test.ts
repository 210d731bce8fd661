// The new-user path: `npm start` brings Baton up on its own embedded services, answers /healthz,
// runs the demo to success, and Ctrl-C (SIGINT to its process group, as a terminal sends it)
// leaves no process behind.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTemporalCli, resolveStateDir } from '@baton/dev-services';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error.js';
import { createApiClient } from '../api/baton-api-client.js';
import { eventually, freePort, MAIN } from './__fixtures__/e2e-stack.js';
import { createFreshDatabase } from '@baton/dev-services';
import { commandOf, isAlive, processTree } from './__fixtures__/process-tree.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-npm-start-'));
// Postgres runs as its own OS user when the tests run as root; it must be able to reach its data folder.
fs.chmodSync(home, 0o755);
let leftovers: number[] = [];
let group: { pid: number; exited: Promise<unknown> } | undefined;

afterAll(async () => {
  // Only when the test failed half-way: stop what this test started (its process group, then the
  // pids it recorded), before its state folder goes away.
  if (group && isAlive(group.pid)) {
    process.kill(-group.pid, 'SIGINT');
    await Promise.race([group.exited, new Promise((r) => setTimeout(r, 60_000))]);
  }
  for (const pid of leftovers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(home, { recursive: true, force: true });
}, 90_000);

function servicePids(): number[] {
  const dir = path.join(home, 'services');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => (JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { pid?: number }).pid)
    .filter((pid): pid is number => typeof pid === 'number');
}

describe('npm start', () => {
  it('comes up on embedded services, answers /healthz, runs the demo, and Ctrl-C leaves no process behind', async () => {
    const [ingressPort, workerPort, inventoryPort] = [await freePort(), await freePort(), await freePort()];
    const temporalCli = process.env.TEMPORAL_CLI_PATH ?? findTemporalCli(resolveStateDir(repo), false);
    expect(temporalCli, 'the Temporal CLI the harness uses').toBeDefined();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      BATON_HOME: home,
      TEMPORAL_CLI_PATH: temporalCli,
      BATON_INGRESS_PORT: String(ingressPort),
      BATON_WORKER_PORT: String(workerPort),
      BATON_DEMO_INVENTORY_PORT: String(inventoryPort),
      // A team's own actions: loaded beside the example actions the demo calls, never instead of them.
      BATON_ACTIONS: fileURLToPath(new URL('./__fixtures__/user-actions.mjs', import.meta.url)),
    };
    const started = performance.now();
    // detached: its own process group, like a foreground job in a terminal.
    const child = spawn('npm', ['start'], { cwd: repo, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    group = { pid: child.pid!, exited };

    await eventually('the demo run to succeed', async () => {
      if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output}`);
      return /demo run succeeded/.test(output) ? true : undefined;
    }, 240_000, 250);
    const secondsToDemo = (performance.now() - started) / 1000;
    console.info(`npm start: demo run succeeded after ${secondsToDemo.toFixed(1)} s (build + services + worker + ingress + demo)`);

    leftovers = [...processTree(child.pid!), ...servicePids()];

    expect(output).toMatch(/Baton is running — Postgres engine \+ Temporal engine/);
    expect(output).toMatch(new RegExp(`API +http://127\\.0\\.0\\.1:${ingressPort}`));
    expect(output).toMatch(/OpenAPI docs +http:\/\/127\.0\.0\.1:\d+\/docs/);
    expect(output).toMatch(/Temporal UI +http:\/\/127\.0\.0\.1:\d+/);
    const key = /Dev API key +(\S+)/.exec(output)?.[1];
    expect(key).toBeDefined();
    const apiUrl = `http://127.0.0.1:${ingressPort}`;
    expect((await fetch(`${apiUrl}/healthz`)).status).toBe(200);
    // The demo ran on the Postgres engine; the worker's Temporal engine may still be bundling.
    await eventually('the worker (both engines) to be healthy', async () => ((await fetch(`http://127.0.0.1:${workerPort}/healthz`)).status === 200 ? true : undefined), 120_000, 250);
    expect((await fetch(`${apiUrl}/docs`)).status).toBe(200);
    // The console: built by npm start, served at /ui, its sign-in link carries the dev key in the fragment.
    expect(output).toContain(`Console        ${apiUrl}/ui/#key=${encodeURIComponent(key!)}`);
    const consolePage = await fetch(`${apiUrl}/ui/`);
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toContain('<title>Baton console</title>');
    const client = createApiClient({ url: apiUrl, key: key! });
    const runs = await client.listRuns({ workflow: 'shop.order-fulfilment' });
    expect(runs.items.map((r) => r.status)).toEqual(['SUCCEEDED']);
    // The user's action is in the catalog, and a definition calling it runs on the Postgres engine.
    const invoice = {
      name: 'billing.invoice',
      version: '1.0.0',
      steps: [
        { id: 'create', type: 'action.call', action: 'billing.create-invoice', actionVersion: 1, input: { customerId: { $expr: 'input.customerId' }, amountCents: { $expr: 'input.amountCents' } }, saveAs: 'vars.invoice' },
        { id: 'done', type: 'control.return', output: { $expr: 'vars.invoice' } },
      ],
    };
    expect((await client.publishWorkflow(invoice)).status).toBe(201);
    const { body: invoiceRun } = await client.startRun({ workflow: 'billing.invoice', engine: 'db', input: { customerId: 'c-1', amountCents: 1250 } });
    const invoiced = await eventually('the invoice run to finish', async () => {
      const run = await client.getRun(invoiceRun.runId);
      return run.status === 'RUNNING' || run.status === 'WAITING' ? undefined : run;
    }, 60_000, 250);
    expect(invoiced).toMatchObject({ status: 'SUCCEEDED', output: { invoiceId: 'INV-c-1-1250' } });
    // The Temporal engine of the dev stack runs the same example.
    const inventoryUrl = `http://127.0.0.1:${inventoryPort}`;
    const { body } = await client.startRun({ workflow: 'shop.order-fulfilment', engine: 'temporal', input: { orderId: 'smoke-1', inventoryUrl, lines: [{ sku: 'MUG-2', quantity: 1 }] } });
    const onTemporal = await eventually('the Temporal run to finish', async () => {
      const run = await client.getRun(body.runId);
      return run.status === 'RUNNING' || run.status === 'WAITING' ? undefined : run;
    }, 120_000, 250);
    expect(onTemporal).toMatchObject({ engine: 'temporal', status: 'SUCCEEDED', output: { status: 'SHIPPED', trackingNumber: 'TRK-smoke-1' } });

    const tree = processTree(child.pid!);
    const services = servicePids();
    expect(services).toHaveLength(3);
    leftovers = [...tree, ...services];
    const described = leftovers.map((pid) => `${pid} ${commandOf(pid) ?? '(gone)'}`).join('\n');
    expect(tree.some((pid) => /apps\/worker\/dist\/main\.js/.test(commandOf(pid) ?? ''))).toBe(true);
    expect(tree.some((pid) => /apps\/ingress\/dist\/main\.js/.test(commandOf(pid) ?? ''))).toBe(true);

    process.kill(-child.pid!, 'SIGINT');
    expect(await exited, output.slice(-3000)).toBe(0);
    await eventually(
      'every process npm start started to be gone',
      async () => (leftovers.every((pid) => !isAlive(pid)) ? true : undefined),
      30_000,
      200,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nstill alive:\n${leftovers.filter(isAlive).map((pid) => `${pid} ${commandOf(pid)}`).join('\n')}\nall:\n${described}`);
    });
    expect(output).toMatch(/SIGINT: stopping\.\.\.\s+stopped/);
    expect(fs.existsSync(path.join(home, 'dev.json'))).toBe(false);
    expect(servicePids()).toEqual([]);
  }, 300_000);
});

describe('baton dev on services it is given', () => {
  it('uses DATABASE_URL and REDIS_URL, says clearly that it runs the Postgres engine only, and leaves those services running on Ctrl-C (--json: stdout is the ready line)', async () => {
    const database = await createFreshDatabase('baton_dev');
    const devHome = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-dev-ext-'));
    const [ingressPort, workerPort, inventoryPort] = [await freePort(), await freePort(), await freePort()];
    const child = spawn(process.execPath, [MAIN.cli, 'dev', '--no-temporal', '--no-demo', '--json'], {
      cwd: repo,
      env: {
        PATH: process.env.PATH,
        BATON_HOME: devHome,
        DATABASE_URL: database.url,
        REDIS_URL: process.env.REDIS_URL,
        BATON_API_KEYS: 'ops:ops-key-123456',
        BATON_INGRESS_PORT: String(ingressPort),
        BATON_WORKER_PORT: String(workerPort),
        BATON_DEMO_INVENTORY_PORT: String(inventoryPort),
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await eventually('baton dev to be up', async () => {
        if (child.exitCode !== null) throw new Error(`baton dev exited ${child.exitCode}:\n${output}`);
        return /Press Ctrl-C/.test(output) ? true : undefined;
      }, 120_000, 200);
      expect(output).toMatch(/postgres +external +DATABASE_URL/);
      expect(output).toMatch(/redis +external +REDIS_URL/);
      expect(output).not.toMatch(/temporal +(started|reused)/);
      expect(output).toMatch(/Baton is running — Postgres engine only: disabled with --no-temporal\. Runs routed to Temporal answer ENGINE_UNAVAILABLE\./);
      expect(output).toMatch(/published {2}shop\.order-fulfilment@1\.0\.0/);
      const key = /Dev API key +(\S+)/.exec(output)![1]!;
      const apiUrl = `http://127.0.0.1:${ingressPort}`;
      // --json: the banner went to stderr; stdout holds one JSON line saying where the stack is.
      expect(stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([
        expect.objectContaining({ event: 'ready', apiUrl, apiKey: key, engines: ['db'], temporalUnavailable: expect.stringMatching(/--no-temporal/) }),
      ]);
      // The keys it was given still work, next to the dev key it added.
      for (const k of [key, 'ops-key-123456']) expect((await fetch(`${apiUrl}/v1/runs`, { headers: { authorization: `Bearer ${k}` } })).status).toBe(200);
      const client = createApiClient({ url: apiUrl, key });
      const refused = await client.startRun({ workflow: 'shop.order-fulfilment', input: { orderId: 'x', inventoryUrl: 'http://127.0.0.1:1', lines: [{ sku: 'BOOK-1', quantity: 1 }] }, engine: 'temporal' }).then(() => undefined, (e: unknown) => e);
      expect(refused).toBeInstanceOf(ApiError);
      expect(refused).toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
      expect((await fetch(`http://127.0.0.1:${workerPort}/healthz`).then((r) => r.json())) as unknown).toEqual({ status: 'ok', checks: { database: { ok: true }, postgresEngine: { ok: true } } });
      const tree = processTree(child.pid!);
      process.kill(-child.pid!, 'SIGINT');
      expect(await exited).toBe(0);
      await eventually('the worker and the ingress to be gone', async () => (tree.every((pid) => !isAlive(pid)) ? true : undefined), 30_000, 200);
      // The services it was given keep answering.
      const probe = new pg.Client({ connectionString: database.url });
      await probe.connect();
      expect((await probe.query('select count(*)::int as n from baton.workflow_runs')).rows[0]).toEqual({ n: 0 });
      await probe.end();
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(-child.pid!, 'SIGINT');
        await exited;
      }
      await database.drop();
      fs.rmSync(devHome, { recursive: true, force: true });
    }
  }, 180_000);
});
