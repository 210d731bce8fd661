#!/usr/bin/env node
// The deployable worker process: `node dist/main.js` (or `baton-worker`), configured by environment.
import { pino } from 'pino';
import { loadWorkerConfig, WorkerConfigError, type WorkerConfig } from './config/worker-config.js';
import { startWorker, type BatonWorker } from './worker-process.js';

let config: WorkerConfig;
try {
  config = loadWorkerConfig(process.env);
} catch (error) {
  if (!(error instanceof WorkerConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}

const logger = pino({ level: config.logLevel, base: { service: 'baton-worker', pid: process.pid } });
let worker: BatonWorker | undefined;
let exitCode = 0;
let shuttingDown = false;

async function shutdown(reason: string, code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  exitCode = code;
  logger.info({ reason, graceMs: config.shutdownTimeoutMs }, 'shutting down: no new work is claimed; in-flight steps may finish');
  // A hard stop if graceful shutdown hangs (a handler ignoring its abort signal).
  setTimeout(() => {
    logger.error('shutdown deadline passed: exiting');
    process.exit(code || 1);
  }, config.shutdownTimeoutMs + 15_000).unref();
  try {
    await worker?.shutdown();
    logger.info('stopped');
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed');
    exitCode = 1;
  }
  logger.flush();
  process.exit(exitCode);
}

process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
process.on('SIGINT', () => void shutdown('SIGINT', 0));

try {
  worker = await startWorker(config, { logger, onFatal: (error) => void shutdown(`engine failed: ${error.message}`, 1) });
  if (shuttingDown) await worker.shutdown();
} catch (error) {
  logger.fatal({ err: error }, 'worker failed to start');
  logger.flush();
  process.exit(1);
}
