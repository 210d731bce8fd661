import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import { buildCommitStatements, needsTransaction, writeCommits, type CommitWriterContext, type QueryClient } from './commit-writer.js';
import type { RunCommit, WaitToClose, WaitToOpen } from './run-commit.js';
import { tableNames, wakeChannel } from './sql-names.js';

// The commit writer folds the waits a commit opens into its one fenced statement: a run reaching its
// next wait (the commonest commit) costs one statement and no transaction; the waits of a commit whose
// fenced update did not apply are not opened.
let t: TestDatabase;
let ctx: CommitWriterContext;
beforeAll(async () => {
  t = await createTestDatabase('commit_writer');
  const names = tableNames(t.schema);
  ctx = { names, channel: wakeChannel(t.schema), owner: 'worker-1', leaseMs: 30_000 };
});
afterAll(async () => t?.drop());

const TENANT = 'acme';
const at = new Date().toISOString();

async function leasedRun(runId: string): Promise<void> {
  await t.db
    .insertInto('workflow_runs')
    .values({
      run_id: runId,
      tenant_id: TENANT,
      workflow_name: 'w',
      workflow_version: '1.0.0',
      definition_hash: 'h',
      engine: 'db',
      status: 'RUNNING',
      run_key: runId,
      input: JSON.stringify(null),
      lease_owner: 'worker-1',
      lease_expires_at: new Date(Date.now() + 60_000),
    })
    .execute();
}

function commit(runId: string, token: string, openWaits: WaitToOpen[], closeWaits: WaitToClose[] = []): RunCommit {
  return {
    tenant: TENANT,
    runId,
    fencingToken: token,
    mode: 'lease',
    state: { status: 'running' } as unknown as RunCommit['state'],
    status: 'WAITING',
    workflowVersion: '1.0.0',
    definitionHash: 'h',
    generation: 0,
    currentStepId: 'pay',
    terminal: false,
    steps: [],
    openWaits,
    closeWaits,
    openTasks: [],
    closeTasks: [],
    invocations: [],
    startChildren: [],
    wakeParent: null,
  };
}

const eventWait = (waitId: string): WaitToOpen => ({ waitId, type: 'EVENT', stepId: 'pay', eventName: 'PAID', correlationKey: waitId, createdAt: at });

/** A client that counts its statements. */
async function counting<T>(fn: (client: QueryClient) => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const client = await t.pool.connect();
  const statements: string[] = [];
  try {
    const query = ((...args: unknown[]) => {
      const first = args[0] as { name?: string } | string;
      statements.push(typeof first === 'string' ? first : (first.name ?? 'unnamed'));
      return (client.query as (...a: unknown[]) => unknown)(...args);
    }) as QueryClient['query'];
    return { result: await fn({ query }), statements };
  } finally {
    client.release();
  }
}

const waitsOf = (runId: string) => t.db.selectFrom('workflow_run_waits').select(['wait_id', 'status']).where('run_id', '=', runId).orderBy('wait_id').execute();

describe('commit writer', () => {
  it('writes commits that open waits in one statement, without a transaction, and opens the waits of fenced-out runs not at all', async () => {
    await leasedRun('r-1');
    await leasedRun('r-2');
    await leasedRun('r-stale');
    const commits = [commit('r-1', '0', [eventWait('r-1:pay')]), commit('r-2', '0', [eventWait('r-2:pay'), eventWait('r-2:other')]), commit('r-stale', '7', [eventWait('r-stale:pay')])];
    expect(needsTransaction(commits)).toBe(false);
    const { result, statements } = await counting((client) => writeCommits(client, ctx, buildCommitStatements(ctx.names), commits));
    expect([...result].sort()).toEqual(['r-1', 'r-2']);
    expect(statements).toHaveLength(1);
    expect(await waitsOf('r-1')).toEqual([{ wait_id: 'r-1:pay', status: 'WAITING' }]);
    expect(await waitsOf('r-2')).toEqual([
      { wait_id: 'r-2:other', status: 'WAITING' },
      { wait_id: 'r-2:pay', status: 'WAITING' },
    ]);
    expect(await waitsOf('r-stale')).toEqual([]);
  });
});
