import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// `@baton/runtime-core/pure` is bundled into Temporal workflow code: walk its import graph and
// check it reaches no Node API, no I/O and no clock or randomness.
// re2js: a pure-JavaScript regular expression engine (no I/O, no clock), for JSON Schema patterns.
const ALLOWED_PACKAGES = [/^@baton\/event-schemas$/, /^@baton\/expression-engine$/, /^@noble\/hashes\//, /^@cfworker\/json-schema$/, /^re2js$/];
const FORBIDDEN_CODE = [/\bfetch\(/, /\bprocess\./, /\bsetTimeout\(/, /\bsetInterval\(/, /Date\.now\(/, /Math\.random\(/, /\bBuffer\./, /structuredClone\(/];

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  // Only value imports matter for a bundle; `import type` / `export type` vanish at compile time.
  const pattern = /^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms;
  return [...source.matchAll(pattern)].map((m) => m[1]!);
}

function reachable(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return { files: [...files], packages: [...packages] };
}

describe('@baton/runtime-core/pure', () => {
  const { files, packages } = reachable(path.join(import.meta.dirname, 'pure.ts'));

  it('imports only sandbox-safe packages', () => {
    expect(files.length).toBeGreaterThan(20);
    for (const name of packages) expect(ALLOWED_PACKAGES.some((allowed) => allowed.test(name)), name).toBe(true);
  });

  it('reaches no actions, conformance kit or runtime services', () => {
    for (const file of files) expect(file, file).not.toMatch(/\/src\/(actions|conformance|engine|ports|registry|routing|run-service)\//);
  });

  it('uses no fetch, process, timers, wall clock or randomness', () => {
    for (const file of files) {
      const code = readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      for (const pattern of FORBIDDEN_CODE) expect(pattern.test(code), `${path.basename(file)} matches ${pattern}`).toBe(false);
    }
  });
});
