import type { TestProject } from 'vitest/node';
import { downServices, upServices } from './services.js';
import type { ServiceName } from './service-types.js';

declare module 'vitest' {
  export interface ProvidedContext {
    batonServices: Record<string, string>;
  }
}

/**
 * Vitest global setup: makes the services a project needs answer before its
 * tests run (reusing any that already run), exports their URLs into the
 * environment of the test workers, and stops at teardown only what it started.
 * A project lists its services in `BATON_TEST_SERVICES` (comma separated) via
 * `test.env` or uses all of them.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const wanted = (project.config.env?.BATON_TEST_SERVICES ?? 'postgres,redis,temporal')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean) as ServiceName[];
  const { services, env } = await upServices({ only: wanted, temporal: { ui: false } });
  Object.assign(process.env, env);
  project.provide('batonServices', { ...env });
  const started = services.filter((s) => s.source === 'started').map((s) => s.name);
  return async () => {
    if (started.length && process.env.BATON_KEEP_SERVICES !== '1') await downServices({ only: started });
  };
}
