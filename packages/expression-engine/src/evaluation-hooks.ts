import type jsonata from 'jsonata';
import { type AstNode, NODE_INFO, NodeCharge } from './analyze-ast.js';
import { runClockMillis } from './builtin-overrides.js';
import { type EvaluationMeter, METER_BINDING } from './evaluation-meter.js';
import { meteredRegExpEngine } from './re2-regexp.js';

/** JSONata looks these up in the environment around every node it evaluates. */
const EVALUATE_ENTRY = Symbol.for('jsonata.__evaluate_entry');
const EVALUATE_EXIT = Symbol.for('jsonata.__evaluate_exit');

/** What JSONata keeps on its evaluation frames that the hooks read or set. */
interface Frame extends Omit<jsonata.Environment, 'timestamp'> {
  /** The frame of the whole evaluation; `depth` counts the nested `evaluate` calls in progress. */
  readonly base: Frame & { depth: number };
  /** The "current time" JSONata's `$toMillis` fills missing date parts from; child frames copy it. */
  timestamp: unknown;
  /** The regex engine JSONata constructs for each regex literal it evaluates (read on `base`). */
  RegexEngine?: unknown;
}

/**
 * The run clock as the Date JSONata's `$toMillis` reads; when the evaluation has no run clock, an
 * object whose every use fails with EVALUATION, so the wall clock is never a fallback.
 */
function runClockDate(meter: EvaluationMeter): unknown {
  const now = meter.now;
  if (now !== undefined && !Number.isNaN(now.getTime())) return now;
  return new Proxy(
    {},
    {
      get() {
        return () => runClockMillis(meter, '$toMillis with a picture');
      },
    },
  );
}

/**
 * On the root node (the evaluation's own frame), replaces the wall-clock timestamp JSONata took
 * at the start of `evaluate` with the run clock, before any child frame copies it, and (for an
 * expression with regex literals) gives the evaluation a regex engine that charges its searches
 * to this evaluation's meter.
 */
function startEvaluation(environment: Frame, meter: EvaluationMeter, usesRegex: boolean): void {
  if (environment !== environment.base) return;
  environment.timestamp = runClockDate(meter);
  if (usesRegex) environment.RegexEngine = meteredRegExpEngine(meter);
}

type EntryHook = (node: AstNode, input: unknown, environment: jsonata.Environment) => void;

/**
 * The entry hook: counts the step and, depending on the expression, checks the static depth (no
 * lambdas, some node deeper than the limit) or JSONata's own counter of nested evaluations (with
 * lambdas the expression may recurse, so its depth is only known at run time).
 */
function entryHook(depthCheck: 'none' | 'static' | 'dynamic', usesRegex: boolean): EntryHook {
  return (node, _input, environment) => {
    const meter = environment.lookup(METER_BINDING) as EvaluationMeter;
    if (depthCheck === 'static') meter.enter(node[NODE_INFO], node.position);
    else meter.step(node.position);
    const frame = environment as Frame;
    if (meter.steps === 1) startEvaluation(frame, meter, usesRegex);
    if (depthCheck === 'dynamic') {
      const depth = frame.base.depth;
      if (depth > meter.limits.maxDepth) throw meter.depthExceeded(depth, node.position);
    }
  };
}

function onExit(node: AstNode, input: unknown, environment: jsonata.Environment, result: unknown): void {
  const info = node[NODE_INFO];
  if (info === undefined || (info.charge === NodeCharge.NONE && info.rangeBound === undefined)) return;
  const meter = environment.lookup(METER_BINDING) as EvaluationMeter;
  if (info.charge !== NodeCharge.NONE) meter.account(info.charge, result, node.position);
  if (info.rangeBound !== undefined) meter.rangeBound(info.rangeBound, node, input, result);
}

/** What decides which hooks an expression needs. */
export interface HookOptions {
  /** Some node's result is charged or measured. */
  readonly chargesResults: boolean;
  /** Depth of the deepest node of the expression. */
  readonly deepestNode: number;
  /** The nesting depth limit. */
  readonly maxDepth: number;
  /** The expression defines functions, so it may recurse. */
  readonly definesFunctions: boolean;
  /** The expression has regex literals. */
  readonly usesRegex: boolean;
}

/**
 * Installs the metering hooks on a compiled JSONata expression (the exit hook only when some node's
 * result is charged). The hooks are shared; the meter they charge is looked up per evaluation, so
 * concurrent evaluations stay independent.
 */
export function installEvaluationHooks(expression: jsonata.Expression, options: HookOptions): void {
  const assign = expression.assign as (name: string | symbol, value: unknown) => void;
  // Without lambdas the evaluation depth equals the node's depth in the tree (no recursion): when
  // no node is deeper than the limit, the check cannot fail and is skipped.
  const depthCheck = options.definesFunctions ? 'dynamic' : options.deepestNode > options.maxDepth ? 'static' : 'none';
  assign(EVALUATE_ENTRY, entryHook(depthCheck, options.usesRegex));
  // JSONata awaits each hook, so an unneeded exit hook would still cost a tick per node.
  if (options.chargesResults) assign(EVALUATE_EXIT, onExit);
}
