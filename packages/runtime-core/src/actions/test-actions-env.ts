// Kept out of the sandbox-safe `pure` barrel: it reads the process environment.

/** Environment variable that enables `test.fail@1` and `test.flaky@1`. */
export const TEST_ACTIONS_ENV = 'BATON_ENABLE_TEST_ACTIONS';

/** True when `BATON_ENABLE_TEST_ACTIONS=1` (pass the result as `enableTestActions`). */
export function testActionsEnabledFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env[TEST_ACTIONS_ENV] === '1';
}
