import { describe, expect, it } from 'vitest';
import { cachedBatonBundle } from '../__fixtures__/cached-bundle.js';
import { batonWorkflowsPath, type InterpreterMode } from './workflow-bundle.js';

/** Module ids webpack put into the bundle (`/***\/ "<id>"` headers of the development build). */
function bundledModules(code: string): string[] {
  return [...code.matchAll(/^\/\*\*\*\/ "(.+)"$/gm)].map((m) => m[1]!);
}

const bundleOf = (interpreter: InterpreterMode) => cachedBatonBundle(interpreter === 'workflow' ? undefined : batonWorkflowsPath(interpreter));

describe.each<InterpreterMode>(['workflow', 'localActivity'])('the workflow bundle of the %s interpreter', (interpreter) => {
  it('holds only sandbox-safe code: no activities, client, worker, database driver or Node built-in', async () => {
    // The SDK bundler itself refuses Node built-ins; building at all is half of the check.
    const modules = bundledModules((await bundleOf(interpreter)).code);
    expect(modules.length).toBeGreaterThan(50);
    expect(modules.some((m) => m.includes('src/workflows/run-driver'))).toBe(true);
    expect(modules.some((m) => m.includes(interpreter === 'workflow' ? 'src/workflows/workflow-advancer' : 'src/workflows/local-activity-advancer'))).toBe(true);
    if (interpreter === 'workflow') expect(modules.some((m) => m.includes('runtime-core/dist/interpreter/advance'))).toBe(true);
    const forbidden = modules.filter((m) =>
      /@temporalio\/(activity|client|worker|testing)\/|node_modules\/(pg|pg-[a-z]+|kysely|ioredis|fastify)\/|db-legacy-adapter|src\/(activities|client|worker|replay)\/|^node:/.test(m),
    );
    expect(forbidden).toEqual([]);
  });

  it('leaves zod out: each workflow run initialises every bundled module, and schemas are not needed there', async () => {
    const modules = bundledModules((await bundleOf(interpreter)).code);
    expect(modules.filter((m) => m.includes('node_modules/zod/'))).toEqual([]);
  });
});
