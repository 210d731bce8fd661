export {
  compileExpression,
  validateExpression,
  type CompiledExpression,
  type EvaluationEnv,
} from './compile-expression.js';
export { ExpressionError, ExpressionErrorCode, isExpressionError, type ExpressionErrorInit } from './expression-error.js';
export { DEFAULT_LIMITS, type ExpressionLimits, type ExpressionOptions } from './expression-options.js';
export { DEFAULT_ALLOWED_FUNCTIONS } from './allowed-functions.js';
export type { BudgetDetails } from './evaluation-meter.js';
