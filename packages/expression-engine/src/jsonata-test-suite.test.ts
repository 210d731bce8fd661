import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Outcome, type SuiteCase, loadSuite, runCase } from './__fixtures__/jsonata-test-suite.js';

const README = readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');

describe("JSONata's published test suite (vendored in test-suite/jsonata)", () => {
  it('accepts at least 97% of the result-bearing cases with JSONata\'s result, lists every other one, and fails every error case with an ExpressionError', async () => {
    const outcomes: Array<{ testCase: SuiteCase; outcome: Outcome }> = [];
    for (const testCase of loadSuite()) outcomes.push({ testCase, outcome: await runCase(testCase) });

    const resultBearing = outcomes.filter(({ testCase }) => testCase.expects.kind !== 'error');
    const count = (kind: Outcome['kind'], within = resultBearing) => within.filter(({ outcome }) => outcome.kind === kind).length;
    const accepted = resultBearing.length - count('refused');
    const equal = count('equal');
    const errorCases = outcomes.filter(({ testCase }) => testCase.expects.kind === 'error');
    console.log(
      `JSONata test suite: ${outcomes.length} cases; ${resultBearing.length} result-bearing: accepted ${accepted}, equal ${equal} ` +
        `(${((100 * equal) / resultBearing.length).toFixed(1)}%), refused ${count('refused')}, different ${count('different')}; ` +
        `${errorCases.length} error cases: typed ExpressionError ${count('typed-error', errorCases)}, different ${count('different', errorCases)}`,
    );

    expect(equal / resultBearing.length).toBeGreaterThanOrEqual(0.97);
    // Never anything but an ExpressionError.
    expect(outcomes.filter(({ outcome }) => outcome.kind === 'untyped-error').map(({ testCase }) => testCase.id)).toEqual([]);
    // Every refused or different case is listed, with its reason, in the README.
    const unlisted = outcomes
      .filter(({ outcome }) => outcome.kind === 'refused' || outcome.kind === 'different')
      .map(({ testCase }) => testCase.id)
      .filter((id) => !README.includes(`\`${id}\``));
    expect(unlisted).toEqual([]);
  }, 120_000);
});
