import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const fixtures = path.resolve(import.meta.dirname, '../fixtures');

type Findings = Map<string, string[]>;

/** Lints every fixture with the workspace's real eslint.config.js and returns rule ids by fixture path. */
async function lintFixtures(): Promise<Findings> {
  const eslint = new ESLint({ cwd: root, ignore: false });
  const results = await eslint.lintFiles([`${fixtures}/**/*.ts`]);
  const findings: Findings = new Map();
  for (const r of results) {
    const fatal = r.messages.filter((m) => m.fatal);
    if (fatal.length) throw new Error(`${r.filePath}: ${fatal.map((m) => m.message).join('; ')}`);
    findings.set(path.relative(fixtures, r.filePath), r.messages.map((m) => m.ruleId ?? 'parse'));
  }
  return findings;
}

describe('workspace lint rules fire on fixtures', () => {
  let findings: Findings;
  beforeAll(async () => {
    findings = await lintFixtures();
  });
  const rulesOf = (file: string) => {
    const rules = findings.get(file);
    if (!rules) throw new Error(`fixture ${file} was not linted`);
    return rules;
  };

  it.each([
    'packages/runtime-core/src/imports-pg.ts',
    'packages/runtime-core/src/imports-kysely.ts',
    'packages/runtime-core/src/imports-temporal.ts',
    'packages/runtime-core/src/imports-fastify.ts',
  ])('runtime-core may not import drivers or HTTP: %s', (file) => {
    expect(rulesOf(file)).toContain('no-restricted-imports');
  });

  it('runtime-core may import zod and event-schemas', () => {
    expect(rulesOf('packages/runtime-core/src/imports-allowed.ts')).toEqual([]);
  });

  it.each(['packages/temporal-adapter/src/workflows/imports-node.ts', 'packages/temporal-adapter/src/workflows/imports-pg.ts'])(
    'workflow code imports only sandbox-safe modules: %s',
    (file) => {
      expect(rulesOf(file)).toContain('no-restricted-imports');
    },
  );

  it('workflow code may import @temporalio/workflow and activity types', () => {
    expect(rulesOf('packages/temporal-adapter/src/workflows/imports-allowed.ts')).toEqual([]);
  });

  it('the two adapters never import each other', () => {
    expect(rulesOf('packages/temporal-adapter/src/imports-db-adapter.ts')).toContain('no-restricted-imports');
    expect(rulesOf('packages/db-legacy-adapter/src/imports-temporal-adapter.ts')).toContain('no-restricted-imports');
  });

  it('lower packages may not import higher ones', () => {
    expect(rulesOf('packages/event-schemas/src/imports-runtime-core.ts')).toContain('no-restricted-imports');
    expect(rulesOf('packages/expression-engine/src/imports-runtime-core.ts')).toContain('no-restricted-imports');
  });

  it('type-only imports must say so (consistent-type-imports)', () => {
    expect(rulesOf('packages/expression-engine/src/type-import.ts')).toContain('@typescript-eslint/consistent-type-imports');
  });

  it('a promise may not be dropped (no-floating-promises, type-aware)', () => {
    expect(rulesOf('packages/expression-engine/src/floating-promise.ts')).toContain('@typescript-eslint/no-floating-promises');
  });

  it('import cycles are reported (import-x/no-cycle)', () => {
    expect(rulesOf('packages/expression-engine/src/cycle-a.ts')).toContain('import-x/no-cycle');
  });
});
