import { workflowInfo } from '@temporalio/workflow';
import { compileExpression, isExpressionError } from '../index.js';

/** One expression to evaluate inside the workflow, with the clock it reads. */
export interface ExpressionCase {
  readonly source: string;
  readonly context: object;
  /** ISO time for env.now; without it the workflow's run start time is used. */
  readonly now?: string;
  /** limits.maxSteps, when not the default. */
  readonly maxSteps?: number;
}

export type ExpressionCaseResult = { ok: true; value: unknown } | { ok: false; code: string; message: string };

/** Evaluates each case with the canonical engine inside the Temporal workflow sandbox. */
export async function evaluateExpressionsWorkflow(cases: ExpressionCase[]): Promise<ExpressionCaseResult[]> {
  const results: ExpressionCaseResult[] = [];
  for (const item of cases) {
    const now = item.now === undefined ? workflowInfo().runStartTime : new Date(item.now);
    try {
      const options = item.maxSteps === undefined ? undefined : { limits: { maxSteps: item.maxSteps } };
      results.push({ ok: true, value: await compileExpression(item.source, options).evaluate(item.context, { now }) });
    } catch (error) {
      if (!isExpressionError(error)) throw error;
      results.push({ ok: false, code: error.code, message: error.message });
    }
  }
  return results;
}
