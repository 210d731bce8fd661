#!/usr/bin/env node
// Process entry of the ingress: configuration from the environment, wiring, graceful shutdown.
import { pino } from 'pino';
import { testActionsEnabledFromEnv } from '@baton/runtime-core';
import { IngressConfigError, loadIngressConfig } from './config/ingress-config.js';
import { createIngressProcess } from './wiring/create-ingress-process.js';

/** How long a graceful stop may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadIngressConfig(process.env);
  } catch (err) {
    if (err instanceof IngressConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'baton-ingress' } });
  const ingress = await createIngressProcess(config, { logger, enableTestActions: testActionsEnabledFromEnv(process.env) });
  const url = await ingress.start();
  logger.info({ url, docs: `${url}/docs`, stream: config.stream?.stream ?? null }, 'ingress listening');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    ingress.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`ingress failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
