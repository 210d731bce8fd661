import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { Worker, NativeConnection } from '@temporalio/worker';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it, inject } from 'vitest';
import * as activities from './__fixtures__/smoke-activities.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = inject('batonServices');

describe('real services started by the harness', () => {
  it('Postgres answers a query round trip on loopback', async () => {
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.+@(127\.0\.0\.1|localhost)/);
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      await client.query('create temp table smoke (id int primary key, note text)');
      await client.query('insert into smoke values ($1, $2)', [1, 'baton']);
      const { rows } = await client.query<{ note: string; v: string }>('select note, current_setting($1) as v from smoke', ['server_version_num']);
      expect(rows[0]?.note).toBe('baton');
      expect(Number(rows[0]?.v)).toBeGreaterThanOrEqual(120000);
    } finally {
      await client.end();
    }
  });

  it('Redis streams: XADD then XREADGROUP delivers the entry to a consumer group', async () => {
    const redis = new Redis(env.REDIS_URL!);
    const stream = `smoke:${process.pid}:${Date.now()}`;
    try {
      await redis.xgroup('CREATE', stream, 'g', '$', 'MKSTREAM');
      const id = await redis.xadd(stream, '*', 'event', JSON.stringify({ hello: 'world' }));
      const read = (await redis.xreadgroup('GROUP', 'g', 'c1', 'COUNT', 10, 'STREAMS', stream, '>')) as [string, [string, string[]][]][];
      expect(read[0]?.[1][0]?.[0]).toBe(id);
      expect(JSON.parse(read[0]![1][0]![1][1]!)).toEqual({ hello: 'world' });
      expect(await redis.xack(stream, 'g', id!)).toBe(1);
    } finally {
      await redis.del(stream);
      redis.disconnect();
    }
  });

  it('Temporal dev server runs a workflow and an activity on a real worker', async () => {
    const taskQueue = `smoke-${process.pid}-${Date.now()}`;
    const nativeConnection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS! });
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowsPath: path.join(here, '__fixtures__/smoke-workflow.ts'),
      activities,
      bundlerOptions: { webpackConfigHook: (config) => ({ ...config, resolve: { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } } }) },
    });
    const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS! });
    try {
      const client = new Client({ connection });
      const result = await worker.runUntil(
        client.workflow.execute('smokeWorkflow', { taskQueue, workflowId: taskQueue, args: ['baton'] }),
      );
      expect(result).toBe(`hello baton from pid ${process.pid}!`);
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });
});
