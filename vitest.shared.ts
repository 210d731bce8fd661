import path from 'node:path';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

const root = import.meta.dirname;

/** Options for one project's test config. */
export interface BatonProjectOptions {
  /** Real services the project's integration tests need; the global setup starts (or reuses) them. */
  readonly services?: ReadonlyArray<'postgres' | 'redis' | 'temporal'>;
  /** Per-test timeout. @default 30_000 */
  readonly testTimeout?: number;
  readonly test?: UserWorkspaceConfig['test'];
}

/** The vitest config every project uses: tests beside the code, real services via the shared harness. */
export function batonProject(projectDir: string, options: BatonProjectOptions = {}): UserWorkspaceConfig {
  const name = path.relative(root, projectDir).replaceAll(path.sep, '/');
  const services = options.services ?? [];
  return defineProject({
    test: {
      name,
      root: projectDir,
      include: ['src/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 30_000,
      hookTimeout: 240_000,
      ...(services.length
        ? {
            globalSetup: [path.join(root, 'tools/dev-services/src/vitest-global-setup.ts')],
            env: { BATON_TEST_SERVICES: services.join(',') },
          }
        : {}),
      ...options.test,
    },
  });
}
