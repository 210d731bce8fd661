// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * Dependency direction of ARCHITECTURE.md, as lint rules. Each entry is a
 * `no-restricted-imports` pattern group scoped to the files it governs.
 */
const NODE_BUILTINS = [
  'node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process',
  'worker_threads', 'stream', 'util', 'url', 'events', 'dns', 'tls', 'zlib', 'process',
];

const runtimeCoreBans = {
  patterns: [
    { group: ['pg', 'pg-*', 'kysely', 'kysely/*'], message: 'runtime-core is engine-neutral: storage is a port, implemented by db-legacy-adapter.' },
    { group: ['@temporalio/*'], message: 'runtime-core is engine-neutral: Temporal belongs in temporal-adapter.' },
    { group: ['fastify', 'fastify/*', '@fastify/*', 'ioredis'], message: 'runtime-core has no HTTP or stream I/O: apps wire those.' },
    { group: ['@baton/temporal-adapter', '@baton/db-legacy-adapter', '@baton/worker', '@baton/ingress', '@baton/cli'], message: 'runtime-core may import only event-schemas and expression-engine.' },
  ],
};

const lowerPackageBans = (allowed) => ({
  patterns: [
    {
      group: ['@baton/*', ...allowed.map((a) => `!@baton/${a}`), ...allowed.map((a) => `!@baton/${a}/*`)],
      message: `this package may import only ${allowed.length ? allowed.map((a) => '@baton/' + a).join(', ') : 'no other Baton package'} (ARCHITECTURE.md dependency direction).`,
    },
  ],
});

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/.baton/**', '**/.nx/**', '**/coverage/**', '**/histories/**', 'tools/lint-rules/fixtures/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
    },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: true, noWarnOnMultipleProjects: true })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.js'],
    },
  },
  { files: ['**/packages/event-schemas/src/**/*.ts'], rules: { 'no-restricted-imports': ['error', lowerPackageBans([])] } },
  { files: ['**/packages/expression-engine/src/**/*.ts'], rules: { 'no-restricted-imports': ['error', lowerPackageBans(['event-schemas'])] } },
  { files: ['**/packages/runtime-core/src/**/*.ts'], rules: { 'no-restricted-imports': ['error', runtimeCoreBans] } },
  {
    files: ['**/packages/temporal-adapter/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@baton/db-legacy-adapter', '@baton/db-legacy-adapter/*', 'pg', 'kysely'], message: 'temporal-adapter never imports db-legacy-adapter (or its driver); projections go through the runtime-core store port.' },
          { group: ['@baton/worker', '@baton/ingress', '@baton/cli'], message: 'packages never import apps.' },
        ],
      }],
    },
  },
  {
    // The workflow sandbox: deterministic code only. Activities are imported as types.
    files: ['**/packages/temporal-adapter/src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          {
            // fflate/browser: pure-JS inflate (packed localActivity answers), no Node API.
            regex: '^(?!(@temporalio/(workflow|common)|@baton/(runtime-core|expression-engine|event-schemas)|fflate/browser)(/|$)|\\.{1,2}/)',
            message: 'workflow code is sandbox-safe: only @temporalio/workflow, @temporalio/common, @baton/{runtime-core,expression-engine,event-schemas}, fflate/browser and relative modules.',
            allowTypeImports: true,
          },
          { group: NODE_BUILTINS, message: 'workflow code may not use Node APIs (non-deterministic or unavailable in the sandbox).' },
        ],
      }],
    },
  },
  {
    files: ['**/packages/db-legacy-adapter/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@baton/temporal-adapter', '@baton/temporal-adapter/*', '@temporalio/*'], message: 'db-legacy-adapter never imports temporal-adapter or Temporal.' },
          { group: ['@baton/worker', '@baton/ingress', '@baton/cli'], message: 'packages never import apps.' },
        ],
      }],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.int.test.ts', '**/vitest.config.ts', 'bench/**/*.ts', 'tools/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
