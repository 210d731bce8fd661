// A synchronous evaluator for expressions made only of simple constructs: field paths, literals,
// arithmetic, comparisons, `and`/`or`, `&`, `in`, conditions, blocks without variables, array and
// object constructors, and a few built-in functions. JSONata's own evaluator awaits every node
// (and every hook), which costs a promise per node; inside the Temporal workflow sandbox each
// promise also records a stack trace. This evaluator gives the same result with none.
//
// It charges the meter exactly what the evaluation hooks would (one step per node JSONata
// evaluates, the same result charges), so budgets and output limits hold identically. Where
// JSONata would raise an error, or anything unusual appears, it throws DECLINED and the caller
// evaluates the expression with JSONata instead: error results always come from JSONata itself.
import { type AstNode, NODE_INFO, NodeCharge } from './analyze-ast.js';
import type { EvaluationMeter } from './evaluation-meter.js';
import {
  DECLINED,
  type Sequence,
  arithmeticOperand,
  collapse,
  deepEqual,
  effectiveBoolean,
  isFunctionLike,
  isSequence,
  jsonataString,
  lookupField,
  newSequence,
  pushItems,
} from './jsonata-values.js';

/** Evaluates one node against the evaluation's context. */
type NodeEvaluator = (context: unknown, meter: EvaluationMeter) => unknown;

/** The synchronous evaluation of a whole expression: its result before the JSON check, or DECLINED thrown. */
export type SynchronousEvaluator = NodeEvaluator;

/** Thrown while compiling when a node is outside the supported subset. */
const UNSUPPORTED: unique symbol = Symbol('baton.expression.unsupported');

/** Properties the parser leaves on nodes through their prototype (its symbol table). */
const PARSER_KEYS = ['id', 'lbp', 'nud', 'led'];

/** The properties a supported node of each type may have; any other property means a construct we do not handle. */
const NODE_KEYS: Readonly<Record<string, ReadonlySet<string>>> = Object.fromEntries(
  Object.entries({
    string: ['value'],
    number: ['value'],
    value: ['value'],
    name: ['value'],
    variable: ['value'],
    path: ['steps'],
    binary: ['value', 'lhs', 'rhs'],
    unary: ['value', 'expression', 'expressions', 'lhs'],
    condition: ['condition', 'then', 'else'],
    block: ['expressions'],
    function: ['value', 'name', 'procedure', 'arguments'],
  }).map(([type, keys]) => [type, new Set(['type', 'position', ...PARSER_KEYS, ...keys])]),
);

function checkShape(node: AstNode): void {
  const allowed = NODE_KEYS[node.type];
  if (allowed === undefined) throw UNSUPPORTED;
  // `for...in` also sees inherited properties, which JSONata's evaluator reads too.
  for (const key in node) if (!allowed.has(key)) throw UNSUPPORTED;
}

function isNodeObject(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string';
}

function asNode(value: unknown): AstNode {
  if (!isNodeObject(value)) throw UNSUPPORTED;
  return value;
}

/** Wraps a node's own work with what JSONata does around every node: the entry step, the result charge, the collapse. */
function metered(node: AstNode, evaluate: NodeEvaluator): NodeEvaluator {
  const position = node.position;
  const charge = node[NODE_INFO]?.charge ?? NodeCharge.NONE;
  if (charge === NodeCharge.NONE) {
    return (context, meter) => {
      meter.step(position);
      return collapse(evaluate(context, meter));
    };
  }
  return (context, meter) => {
    meter.step(position);
    const result = evaluate(context, meter);
    meter.account(charge, result, position);
    return collapse(result);
  };
}

function compileLiteral(node: AstNode): NodeEvaluator {
  const value = node.value;
  if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw UNSUPPORTED;
  const position = node.position;
  return (_context, meter) => {
    meter.step(position);
    return value;
  };
}

/** A path of field names (`input.order.id`), evaluated as JSONata evaluates path steps. */
function compilePath(node: AstNode): NodeEvaluator {
  const steps = node.steps;
  if (!Array.isArray(steps) || steps.length === 0) throw UNSUPPORTED;
  const names = steps.map((step) => {
    const name = asNode(step);
    checkShape(name);
    if (name.type !== 'name' || typeof name.value !== 'string') throw UNSUPPORTED;
    return { key: name.value, position: name.position };
  });
  return metered(node, (context, meter) => {
    let items: readonly unknown[] = [context];
    let result: unknown[] = [];
    for (let s = 0; s < names.length; s++) {
      const { key, position } = names[s]!;
      const found: unknown[] = [];
      for (const item of items) {
        meter.step(position);
        const value = collapse(lookupField(item, key));
        if (value !== undefined) found.push(value);
      }
      // The last step's single array value is the result as it is; otherwise values are flattened one level.
      if (s === names.length - 1 && found.length === 1 && Array.isArray(found[0]) && !isSequence(found[0])) {
        result = found[0];
      } else {
        const flat = newSequence();
        for (const value of found) {
          if (!Array.isArray(value) || (value as Sequence).cons) flat.push(value);
          else pushItems(flat, value);
        }
        result = flat;
      }
      if (result.length === 0) break;
      items = result;
    }
    return result;
  });
}

function numeric(op: string, left: number, right: number): number {
  switch (op) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return left / right;
    default:
      return left % right;
  }
}

function compare(op: string, left: unknown, right: unknown): boolean | undefined {
  const leftType = typeof left;
  const rightType = typeof right;
  const comparable = (type: string) => type === 'undefined' || type === 'string' || type === 'number';
  if (!comparable(leftType) || !comparable(rightType)) throw DECLINED;
  if (left === undefined || right === undefined) return undefined;
  if (leftType !== rightType) throw DECLINED;
  const l = left as string | number;
  const r = right as string | number;
  switch (op) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    default:
      return l >= r;
  }
}

function includes(left: unknown, right: unknown): boolean {
  if (left === undefined || right === undefined) return false;
  const list = Array.isArray(right) ? right : [right];
  for (let i = 0; i < list.length; i++) if (list[i] === left) return true;
  return false;
}

function compileBinary(node: AstNode): NodeEvaluator {
  const op = node.value;
  const lhs = compileNode(asNode(node.lhs));
  const rhs = compileNode(asNode(node.rhs));
  switch (op) {
    case 'and':
      return metered(node, (context, meter) => effectiveBoolean(lhs(context, meter)) === true && effectiveBoolean(rhs(context, meter)) === true);
    case 'or':
      return metered(node, (context, meter) => effectiveBoolean(lhs(context, meter)) === true || effectiveBoolean(rhs(context, meter)) === true);
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return metered(node, (context, meter) => {
        const left = arithmeticOperand(lhs(context, meter));
        const right = arithmeticOperand(rhs(context, meter));
        return left === undefined || right === undefined ? undefined : numeric(op, left, right);
      });
    case '=':
    case '!=':
      return metered(node, (context, meter) => {
        const left = lhs(context, meter);
        const right = rhs(context, meter);
        if (left === undefined || right === undefined) return false;
        return deepEqual(left, right) === (op === '=');
      });
    case '<':
    case '<=':
    case '>':
    case '>=':
      return metered(node, (context, meter) => {
        const left = lhs(context, meter);
        return compare(op, left, rhs(context, meter));
      });
    case '&':
      return metered(node, (context, meter) => {
        const left = lhs(context, meter);
        const right = rhs(context, meter);
        return (jsonataString(left) ?? '') + (jsonataString(right) ?? '');
      });
    case 'in':
      return metered(node, (context, meter) => {
        const left = lhs(context, meter);
        return includes(left, rhs(context, meter));
      });
    default:
      throw UNSUPPORTED;
  }
}

function compileArray(node: AstNode): NodeEvaluator {
  const items = (node as { expressions?: unknown }).expressions;
  if (!Array.isArray(items)) throw UNSUPPORTED;
  const parts = items.map((item) => {
    const itemNode = asNode(item);
    // JSONata keeps a nested array constructor as one item and flattens any other array value.
    return { evaluate: compileNode(itemNode), nested: itemNode.value === '[' };
  });
  return metered(node, (context, meter) => {
    const values = parts.map((part) => part.evaluate(context, meter));
    let result: unknown[] = [];
    for (let i = 0; i < parts.length; i++) {
      const value = values[i];
      if (value === undefined) continue;
      if (parts[i]!.nested || !Array.isArray(value)) result.push(value);
      else result = result.concat(value);
    }
    return result;
  });
}

function compileObject(node: AstNode): NodeEvaluator {
  const pairs = node.lhs;
  if (!Array.isArray(pairs)) throw UNSUPPORTED;
  const compiled = pairs.map((pair) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw UNSUPPORTED;
    return { key: compileNode(asNode(pair[0])), value: compileNode(asNode(pair[1])) };
  });
  return metered(node, (context, meter) => {
    // The object constructor groups its (one) input by each key, then evaluates the values.
    const groups: Record<string, number> = Object.create(null) as Record<string, number>;
    for (let i = 0; i < compiled.length; i++) {
      const key = compiled[i]!.key(context, meter);
      if (key === undefined) continue;
      if (typeof key !== 'string' || key === '_jsonata_lambda' || key === '_jsonata_function') throw DECLINED;
      if (Object.prototype.hasOwnProperty.call(groups, key)) throw DECLINED;
      groups[key] = i;
    }
    const result: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(groups)) {
      const value = compiled[groups[key]!]!.value(context, meter);
      if (value !== undefined) result[key] = value;
    }
    return result;
  });
}

function compileUnary(node: AstNode): NodeEvaluator {
  switch (node.value) {
    case '-': {
      const operand = compileNode(asNode((node as { expression?: unknown }).expression));
      return metered(node, (context, meter) => {
        const value = arithmeticOperand(operand(context, meter));
        return value === undefined ? undefined : -value;
      });
    }
    case '[':
      return compileArray(node);
    case '{':
      return compileObject(node);
    default:
      throw UNSUPPORTED;
  }
}

function compileCondition(node: AstNode): NodeEvaluator {
  const raw = node as { condition?: unknown; then?: unknown; else?: unknown };
  const condition = compileNode(asNode(raw.condition));
  const then = compileNode(asNode(raw.then));
  const otherwise = raw.else === undefined ? undefined : compileNode(asNode(raw.else));
  return metered(node, (context, meter) => {
    if (effectiveBoolean(condition(context, meter)) === true) return then(context, meter);
    return otherwise?.(context, meter);
  });
}

function compileBlock(node: AstNode): NodeEvaluator {
  const expressions = (node as { expressions?: unknown }).expressions;
  if (!Array.isArray(expressions)) throw UNSUPPORTED;
  const compiled = expressions.map((expression) => compileNode(asNode(expression)));
  return metered(node, (context, meter) => {
    let result: unknown;
    for (const expression of compiled) result = expression(context, meter);
    return result;
  });
}

/** Functions with one argument whose JSONata signature the implementation below reproduces. */
const SINGLE_ARGUMENT_FUNCTIONS: Readonly<Record<string, (value: unknown) => unknown>> = {
  // <a<n>:n>: missing -> undefined, a number or an array of numbers -> their sum.
  sum(value) {
    if (value === undefined) return undefined;
    if (typeof value === 'number') return 0 + value;
    if (!Array.isArray(value)) throw DECLINED;
    let total = 0;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || typeof value[i] !== 'number') throw DECLINED;
      total += value[i] as number;
    }
    return total;
  },
  // <a:n>: missing -> 0, an array -> its length, any other value -> 1.
  count(value) {
    if (value === undefined) return 0;
    return Array.isArray(value) ? value.length : 1;
  },
  // <x:b>
  exists(value) {
    return value !== undefined;
  },
  // <x-:b>
  boolean(value) {
    return effectiveBoolean(value);
  },
  // <x-:b>
  not(value) {
    const truth = effectiveBoolean(value);
    return truth === undefined ? undefined : !truth;
  },
  // <x-b?:s> with one argument.
  string(value) {
    return jsonataString(value);
  },
};

/** Custom functions (bound by this package without a signature) whose implementations are reproduced here. */
const CUSTOM_FUNCTIONS: Readonly<Record<string, (values: readonly unknown[]) => unknown>> = {
  coalesce(values) {
    for (const value of values) if (value !== null && value !== undefined) return value;
    return null;
  },
  len(values) {
    const value = values[0];
    if (typeof value === 'string') {
      let count = 0;
      for (const _ of value) count++;
      return count;
    }
    return Array.isArray(value) ? value.length : 0;
  },
};

function compileFunction(node: AstNode): NodeEvaluator {
  const procedure = asNode(node.procedure);
  checkShape(procedure);
  if (procedure.type !== 'variable' || typeof procedure.value !== 'string') throw UNSUPPORTED;
  const name = procedure.value;
  const args = node.arguments;
  if (!Array.isArray(args)) throw UNSUPPORTED;
  const compiledArgs = args.map((arg) => compileNode(asNode(arg)));
  const procedurePosition = procedure.position;
  const evaluateArgs = (context: unknown, meter: EvaluationMeter): unknown[] => {
    // JSONata evaluates the callee (one step) before the arguments.
    meter.step(procedurePosition);
    const values = compiledArgs.map((arg) => arg(context, meter));
    // A function passed as an argument is wrapped by JSONata; not a case for this evaluator.
    for (const value of values) if (isFunctionLike(value)) throw DECLINED;
    return values;
  };
  const single = Object.hasOwn(SINGLE_ARGUMENT_FUNCTIONS, name) ? SINGLE_ARGUMENT_FUNCTIONS[name] : undefined;
  if (single !== undefined) {
    if (compiledArgs.length !== 1) throw UNSUPPORTED;
    return metered(node, (context, meter) => single(evaluateArgs(context, meter)[0]));
  }
  const custom = Object.hasOwn(CUSTOM_FUNCTIONS, name) ? CUSTOM_FUNCTIONS[name] : undefined;
  if (custom !== undefined) return metered(node, (context, meter) => custom(evaluateArgs(context, meter)));
  throw UNSUPPORTED;
}

function compileNode(node: AstNode): NodeEvaluator {
  checkShape(node);
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value':
      return compileLiteral(node);
    case 'path':
      return compilePath(node);
    case 'binary':
      return compileBinary(node);
    case 'unary':
      return compileUnary(node);
    case 'condition':
      return compileCondition(node);
    case 'block':
      return compileBlock(node);
    case 'function':
      return compileFunction(node);
    default:
      throw UNSUPPORTED;
  }
}

/**
 * Compiles `root` (already analysed, so its nodes carry {@link NODE_INFO}) into a synchronous
 * evaluator, or returns undefined when some node is outside the supported subset.
 */
export function compileSynchronousEvaluator(root: AstNode): SynchronousEvaluator | undefined {
  try {
    return compileNode(root);
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}
