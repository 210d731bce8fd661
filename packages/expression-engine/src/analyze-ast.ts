import {
  NEVER_ALLOWED_FUNCTIONS,
  isCustomFunction,
  isKnownFunction,
} from './allowed-functions.js';
import { ExpressionError, ExpressionErrorCode } from './expression-error.js';

/** What the evaluation hooks charge for a node's result. */
export const NodeCharge = {
  /** Nothing beyond the step of evaluating the node. */
  NONE: 0,
  /** A path: one step per element of the sequence it yields (it copies them). */
  PATH: 1,
  /** A constructor, function call or `&`: a new value, charged by size and checked against maxOutputBytes. */
  PRODUCED: 2,
} as const;
export type NodeCharge = (typeof NodeCharge)[keyof typeof NodeCharge];

/** Facts the hooks need about one AST node, attached under {@link NODE_INFO}. */
export interface NodeInfo {
  /** Nesting depth of the node's evaluation (the root is 1). */
  readonly depth: number;
  readonly charge: NodeCharge;
  /** Set on the bounds of a range `[lhs..rhs]`: which bound this node is, and the range node. */
  readonly rangeBound?: { readonly side: 'lhs' | 'rhs'; readonly range: AstNode };
}

/** Symbol under which each AST node carries its {@link NodeInfo}; JSONata ignores symbol keys. */
export const NODE_INFO: unique symbol = Symbol('baton.expression.nodeInfo');

/** An AST node as JSONata builds it (its published type lists fewer node types than it uses). */
export interface AstNode {
  [NODE_INFO]?: NodeInfo;
  type: string;
  value?: unknown;
  position?: number;
  procedure?: AstNode;
  arguments?: AstNode[];
  steps?: AstNode[];
  lhs?: unknown;
  rhs?: unknown;
  predicate?: unknown;
  focus?: unknown;
  index?: unknown;
  group?: unknown;
}

/** What analysis learned about the whole expression. */
export interface AstSummary {
  /** The deepest node; no runtime depth check can fail when this is within the limit. */
  readonly maxDepth: number;
  /** Some node's result is charged or measured (or is a range bound), so the exit hook is needed. */
  readonly chargesResults: boolean;
  /** The expression has a construct for which JSONata writes into its input (group-by, `path[]`). */
  readonly writesInput: boolean;
}

interface Violation {
  readonly code: ExpressionErrorCode;
  readonly message: string;
  readonly position?: number | undefined;
  readonly details?: unknown;
}

/** Objects the walk descends into: the parser builds nodes on prototype chains, so any object but a RegExp. */
function isPlainContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null && !(value instanceof RegExp);
}

function isNode(value: unknown): value is AstNode {
  return isPlainContainer(value) && !Array.isArray(value) && typeof value['type'] === 'string';
}

/** Functions whose result is a number, a boolean or a short string: nothing to charge or measure. */
const SCALAR_FUNCTIONS = new Set([
  'sum', 'count', 'max', 'min', 'average', 'number', 'round', 'abs', 'floor', 'ceil', 'sqrt', 'power',
  'boolean', 'not', 'exists', 'length', 'len', 'contains', 'type', 'parseInteger',
]);

function calledName(node: AstNode): string | undefined {
  const procedure = node.procedure;
  if (procedure?.type === 'variable' && typeof procedure.value === 'string') return procedure.value;
  const step = procedure?.type === 'path' && procedure.steps?.length === 1 ? procedure.steps[0] : undefined;
  return step?.type === 'name' && typeof step.value === 'string' ? step.value : undefined;
}

/**
 * Whether a path only navigates data (a name or variable, then names): its result holds each
 * value of the context at most once, so it cannot grow faster than the data it reads.
 */
function isNavigation(node: AstNode): boolean {
  const steps = node.steps ?? [];
  return steps.every((step, i) =>
    (step.type === 'name' || (i === 0 && step.type === 'variable')) && step.focus === undefined && step.index === undefined && step.group === undefined,
  );
}

function chargeOf(node: AstNode, depth: number): NodeCharge {
  // The root's value goes straight to the result check, which enforces the limits itself.
  if (depth === 1) return NodeCharge.NONE;
  if (node.group !== undefined) return NodeCharge.PRODUCED;
  switch (node.type) {
    case 'path':
      return isNavigation(node) ? NodeCharge.NONE : NodeCharge.PATH;
    case 'function': {
      const name = calledName(node);
      return name !== undefined && SCALAR_FUNCTIONS.has(name) ? NodeCharge.NONE : NodeCharge.PRODUCED;
    }
    case 'apply':
    case 'transform':
      return NodeCharge.PRODUCED;
    case 'unary':
      return node.value === '[' || node.value === '{' ? NodeCharge.PRODUCED : NodeCharge.NONE;
    case 'binary':
      return node.value === '&' ? NodeCharge.PRODUCED : NodeCharge.NONE;
    default:
      return NodeCharge.NONE;
  }
}

/** The variable names the expression binds with `:=`, `@$x` or `#$i`. */
function boundNames(root: AstNode): Set<string> {
  const names = new Set<string>();
  forEachNode(root, (node) => {
    if (node.type === 'bind' && isNode(node.lhs) && typeof node.lhs.value === 'string') names.add(node.lhs.value);
    if (typeof node.focus === 'string') names.add(node.focus);
    if (typeof node.index === 'string') names.add(node.index);
  });
  return names;
}

/**
 * Visits every node reachable from `root` once, iteratively (deep expressions must not overflow
 * the stack), with the depth at which JSONata's `evaluate` enters it. That depth follows how the
 * evaluator calls itself, not just the tree: a predicate wrapper (`filter`), a sort step and the
 * function on the right of `~>` are never entered themselves, and the stages of a path step and
 * the parts of a transform run one level up from where they sit in the tree.
 */
function forEachNode(root: AstNode, visit: (node: AstNode, depth: number) => void): void {
  const seen = new Set<object>();
  const notEntered = new Set<object>();
  // `depth`: the depth of the nearest entered ancestor.
  const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (!isPlainContainer(value) || seen.has(value)) continue;
    seen.add(value);
    if (!isNode(value)) {
      const children = Array.isArray(value) ? value : Object.values(value);
      for (let i = children.length - 1; i >= 0; i--) stack.push({ value: children[i], depth });
      continue;
    }
    const entered = value.type !== 'filter' && value.type !== 'sort' && !notEntered.has(value);
    const nodeDepth = entered ? depth + 1 : depth;
    if (value.type === 'apply' && isNode(value.rhs) && value.rhs.type === 'function') notEntered.add(value.rhs);
    visit(value, nodeDepth);
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      const oneUp = key === 'stages' || (value.type === 'transform' && (key === 'pattern' || key === 'update' || key === 'delete'));
      stack.push({ value: child, depth: oneUp ? depth : nodeDepth });
    }
  }
}

/** Options of {@link analyzeAst}. */
export interface AnalyzeOptions {
  /** Allowed function names, without `$`. */
  readonly allowedFunctions: ReadonlySet<string>;
}

/**
 * Checks the AST against the allowlist and the construct rules, rewrites calls of the custom
 * functions written without `$` into variable calls, and attaches {@link NodeInfo} to every node;
 * throws ExpressionError on the first violation (in source order).
 */
export function analyzeAst(root: AstNode, source: string, options: AnalyzeOptions): AstSummary {
  const bound = boundNames(root);
  const violations: Violation[] = [];
  /** Nodes already judged as part of their parent (a callee, the target of `~>`). */
  const judged = new Set<AstNode>();
  let maxDepth = 0;
  let chargesResults = false;
  let writesInput = false;
  const rangeBounds = new Map<AstNode, NonNullable<NodeInfo['rangeBound']>>();

  const functionAllowed = (name: string): boolean =>
    options.allowedFunctions.has(name) && !Object.hasOwn(NEVER_ALLOWED_FUNCTIONS, name);

  const disallowedFunction = (name: string, position: number | undefined, usage: string): Violation => {
    const never = Object.hasOwn(NEVER_ALLOWED_FUNCTIONS, name) ? NEVER_ALLOWED_FUNCTIONS[name] : undefined;
    const message = never
      ? `function $${name} is never allowed: it ${never}`
      : isKnownFunction(name)
        ? `function $${name} is not in the allowed functions`
        : `function $${name} is not a known function`;
    return { code: ExpressionErrorCode.DISALLOWED_FUNCTION, message: `${message} (${usage})`, position, details: { function: `$${name}` } };
  };

  const construct = (message: string, position: number | undefined, construct: string): Violation => ({
    code: ExpressionErrorCode.DISALLOWED_CONSTRUCT,
    message,
    position,
    details: { construct },
  });

  /** The callee name of a call node, after turning a bare custom name (`len(x)`) into `$len`. */
  const calleeName = (node: AstNode): string | undefined => {
    const procedure = node.procedure as AstNode | undefined;
    if (procedure === undefined) return undefined;
    if (procedure.type === 'variable' && typeof procedure.value === 'string') return procedure.value;
    const steps = procedure.steps as AstNode[] | undefined;
    if (procedure.type === 'path' && steps?.length === 1 && steps[0]!.type === 'name') {
      const name = steps[0]!.value;
      if (typeof name === 'string' && isCustomFunction(name) && procedure.predicate === undefined && steps[0]!.predicate === undefined) {
        node.procedure = { type: 'variable', value: name, position: steps[0]!.position } as AstNode;
        return name;
      }
    }
    return undefined;
  };

  /** `implicitArguments`: 1 on the right of `~>`, where the left side becomes the first argument. */
  const checkCall = (node: AstNode, implicitArguments = 0): Violation | undefined => {
    const name = calleeName(node);
    if (isNode(node.procedure)) judged.add(node.procedure);
    const position = (node.procedure as AstNode | undefined)?.position ?? node.position;
    if (name === undefined) return construct('dynamic calls are not allowed: call a function by its name', position, 'dynamic-call');
    if (!isKnownFunction(name)) {
      return bound.has(name)
        ? construct(`dynamic calls are not allowed: $${name} is a variable, not a function`, position, 'dynamic-call')
        : disallowedFunction(name, position, 'called');
    }
    if (!functionAllowed(name)) return disallowedFunction(name, position, 'called');
    if (name === 'sort' && (node.arguments?.length ?? 0) + implicitArguments > 1) {
      return construct('$sort with a comparator function is not allowed', position, 'sort-comparator');
    }
    return undefined;
  };

  const checkApplyTarget = (rhs: AstNode): Violation | undefined => {
    if (rhs.type === 'transform') return undefined;
    judged.add(rhs);
    if (rhs.type === 'function') {
      const name = calleeName(rhs);
      if (name !== undefined && isKnownFunction(name) && functionAllowed(name)) return checkCall(rhs, 1);
      if (isNode(rhs.procedure)) judged.add(rhs.procedure);
      const shown = name === undefined ? 'an expression' : `$${name}`;
      return construct(`the right side of ~> must call an allowed function, not ${shown}`, rhs.position, 'apply-target');
    }
    if (rhs.type === 'variable' && typeof rhs.value === 'string' && isKnownFunction(rhs.value) && functionAllowed(rhs.value)) {
      return undefined;
    }
    const shown = rhs.type === 'variable' ? `$${String(rhs.value)}` : 'an expression';
    return construct(`the right side of ~> must be an allowed function, not ${shown}`, rhs.position, 'apply-target');
  };

  const checkBindingName = (name: unknown, position: number | undefined): Violation | undefined =>
    typeof name === 'string' && isKnownFunction(name)
      ? construct(`$${name} is a function and cannot be rebound`, position, 'rebind-function')
      : undefined;

  forEachNode(root, (node, depth) => {
    const charge = chargeOf(node, depth);
    const rangeBound = rangeBounds.get(node);
    node[NODE_INFO] = rangeBound ? { depth, charge, rangeBound } : { depth, charge };
    if (charge !== NodeCharge.NONE || rangeBound) chargesResults = true;
    if (node.type === 'binary' && node.value === '..' && isNode(node.lhs) && isNode(node.rhs)) {
      // The size of a range is charged once both bounds are known, before JSONata allocates it.
      rangeBounds.set(node.lhs, { side: 'lhs', range: node });
      rangeBounds.set(node.rhs, { side: 'rhs', range: node });
    }
    if (depth > maxDepth) maxDepth = depth;
    if (node.group !== undefined || (node as { keepSingletonArray?: unknown }).keepSingletonArray === true) writesInput = true;
    if (judged.has(node)) return;
    let violation: Violation | undefined;
    switch (node.type) {
      case 'lambda':
        violation = construct('function definitions (lambdas) are not allowed', node.position, 'lambda');
        break;
      case 'partial':
        violation = construct('partial application is not allowed', node.position, 'partial-application');
        break;
      case 'regex':
        violation = construct('regular expressions are not allowed: their backtracking cannot be bounded', node.position, 'regex');
        break;
      case 'function':
        violation = checkCall(node);
        break;
      case 'apply':
        violation = isNode(node.rhs) ? checkApplyTarget(node.rhs) : undefined;
        break;
      case 'bind':
        violation = isNode(node.lhs) ? checkBindingName(node.lhs.value, node.lhs.position) : undefined;
        break;
      case 'variable':
        if (typeof node.value === 'string' && isKnownFunction(node.value) && !functionAllowed(node.value)) {
          violation = disallowedFunction(node.value, node.position, 'referenced');
        }
        break;
    }
    violation ??= checkBindingName(node.focus, node.position) ?? checkBindingName(node.index, node.position);
    if (violation) violations.push(violation);
  });

  if (violations.length > 0) {
    const first = violations.reduce((a, b) => ((b.position ?? Infinity) < (a.position ?? Infinity) ? b : a));
    throw new ExpressionError({ ...first, source });
  }
  return { maxDepth, chargesResults, writesInput };
}
