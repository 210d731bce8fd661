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
 * at the start of `evaluate` with the run clock, before any child frame copies it, and gives the
 * evaluation a regex engine that charges its searches to this evaluation's meter.
 */
function setRunClock(environment: Frame, meter: EvaluationMeter): void {
  if (environment !== environment.base) return;
  environment.timestamp = runClockDate(meter);
  environment.RegexEngine = meteredRegExpEngine(meter);
}

function onEntry(node: AstNode, _input: unknown, environment: jsonata.Environment): void {
  const meter = environment.lookup(METER_BINDING) as EvaluationMeter;
  meter.step(node.position);
  if (meter.steps === 1) setRunClock(environment as Frame, meter);
}

function onEntryCheckingDepth(node: AstNode, _input: unknown, environment: jsonata.Environment): void {
  const meter = environment.lookup(METER_BINDING) as EvaluationMeter;
  meter.enter(node[NODE_INFO], node.position);
  if (meter.steps === 1) setRunClock(environment as Frame, meter);
}

/**
 * With functions defined in the expression, evaluation may recurse, so its depth is only known at
 * run time: JSONata's own counter of nested evaluations is checked instead of the static depth.
 */
function onEntryCheckingDynamicDepth(node: AstNode, _input: unknown, environment: jsonata.Environment): void {
  const meter = environment.lookup(METER_BINDING) as EvaluationMeter;
  meter.step(node.position);
  const frame = environment as Frame;
  if (meter.steps === 1) setRunClock(frame, meter);
  const depth = frame.base.depth;
  if (depth > meter.limits.maxDepth) throw meter.depthExceeded(depth, node.position);
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
  const entry = options.definesFunctions
    ? onEntryCheckingDynamicDepth
    : options.deepestNode > options.maxDepth
      ? onEntryCheckingDepth
      : onEntry;
  assign(EVALUATE_ENTRY, entry);
  // JSONata awaits each hook, so an unneeded exit hook would still cost a tick per node.
  if (options.chargesResults) assign(EVALUATE_EXIT, onExit);
}
