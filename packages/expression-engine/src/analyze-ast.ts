import {
  CUSTOM_APPEND_BINDING,
  NEVER_ALLOWED_FUNCTIONS,
  isCustomFunction,
  isKnownFunction,
} from './allowed-functions.js';
import { ExpressionError, ExpressionErrorCode } from './expression-error.js';
import { compileRe2 } from './re2-regexp.js';

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
  /**
   * The expression defines a function (lambda), so it may recurse: its evaluation depth is only
   * known at run time.
   */
  readonly definesFunctions: boolean;
  /** The expression has a regular-expression literal. */
  readonly usesRegex: boolean;
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
    if (node.type === 'lambda' && Array.isArray(node.arguments)) {
      for (const argument of node.arguments) if (isNode(argument) && typeof argument.value === 'string') names.add(argument.value);
    }
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
  /** Nodes already judged as part of their parent (a callee). */
  const judged = new Set<AstNode>();
  let maxDepth = 0;
  let chargesResults = false;
  let writesInput = false;
  let definesFunctions = false;
  let usesRegex = false;
  const rangeBounds = new Map<AstNode, NonNullable<NodeInfo['rangeBound']>>();

  const functionAllowed = (name: string): boolean =>
    options.allowedFunctions.has(name) && !Object.hasOwn(NEVER_ALLOWED_FUNCTIONS, name);

  const disallowedFunction = (name: string, position: number | undefined, usage: string, shown = `$${name}`): Violation => {
    const never = Object.hasOwn(NEVER_ALLOWED_FUNCTIONS, name) ? NEVER_ALLOWED_FUNCTIONS[name] : undefined;
    const message = never
      ? `function ${shown} is never allowed: it ${never}`
      : isKnownFunction(name)
        ? `function ${shown} is not in the allowed functions`
        : `${shown} is not a known function`;
    return { code: ExpressionErrorCode.DISALLOWED_FUNCTION, message: `${message} (${usage})`, position, details: { function: shown } };
  };

  const construct = (message: string, position: number | undefined, construct: string): Violation => ({
    code: ExpressionErrorCode.DISALLOWED_CONSTRUCT,
    message,
    position,
    details: { construct },
  });

  /**
   * The callee of a call node: `{ name }` for `$name(...)`, after turning a bare custom name
   * (`len(x)`) into a variable call; `{ bareName }` for any other bare name (`foo(1)`, never a
   * function: JSON data holds none); undefined for a computed callee.
   */
  const callee = (node: AstNode): { name?: string; bareName?: string; position?: number | undefined } | undefined => {
    const procedure = node.procedure as AstNode | undefined;
    if (procedure === undefined) return undefined;
    if (procedure.type === 'variable' && typeof procedure.value === 'string') return { name: procedure.value };
    const steps = procedure.steps as AstNode[] | undefined;
    if (procedure.type === 'path' && steps?.length === 1 && steps[0]!.type === 'name' && procedure.predicate === undefined && steps[0]!.predicate === undefined) {
      const name = steps[0]!.value;
      if (typeof name !== 'string') return undefined;
      if (isCustomFunction(name)) {
        const binding = name === 'append' ? CUSTOM_APPEND_BINDING : name;
        node.procedure = { type: 'variable', value: binding, position: steps[0]!.position } as AstNode;
        return { name };
      }
      return { bareName: name, position: steps[0]!.position };
    }
    return undefined;
  };

  const checkCall = (node: AstNode): Violation | undefined => {
    const target = callee(node);
    if (isNode(node.procedure)) judged.add(node.procedure);
    const position = (node.procedure as AstNode | undefined)?.position ?? node.position;
    if (target === undefined) return undefined;
    if (target.bareName !== undefined) {
      const name = target.bareName;
      const hint = isKnownFunction(name) || bound.has(name) ? `; write $${name}` : '';
      return disallowedFunction(name, target.position ?? position, `called${hint}`, name);
    }
    const name = target.name!;
    if (bound.has(name) && !Object.hasOwn(NEVER_ALLOWED_FUNCTIONS, name)) return undefined;
    if (!isKnownFunction(name) || !functionAllowed(name)) return disallowedFunction(name, position, 'called');
    return undefined;
  };

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
    if (node.type === 'lambda') definesFunctions = true;
    if (node.type === 'regex') usesRegex = true;
    if (judged.has(node)) return;
    let violation: Violation | undefined;
    switch (node.type) {
      case 'regex': {
        const regex = node.value;
        if (regex instanceof RegExp) {
          try {
            compileRe2(regex.source, regex.flags);
          } catch (error) {
            violation = construct(
              `regular expression /${regex.source}/ cannot run on the linear-time engine: ${(error as Error).message}`,
              node.position,
              'regex',
            );
          }
        }
        break;
      }
      case 'function':
      case 'partial':
        violation = checkCall(node);
        break;
      case 'variable':
        if (typeof node.value === 'string' && isKnownFunction(node.value) && !functionAllowed(node.value) && !(bound.has(node.value) && !Object.hasOwn(NEVER_ALLOWED_FUNCTIONS, node.value))) {
          violation = disallowedFunction(node.value, node.position, 'referenced');
        }
        break;
    }
    if (violation) violations.push(violation);
  });

  if (violations.length > 0) {
    const first = violations.reduce((a, b) => ((b.position ?? Infinity) < (a.position ?? Infinity) ? b : a));
    throw new ExpressionError({ ...first, source });
  }
  return { maxDepth, chargesResults, writesInput, definesFunctions, usesRegex };
}
