import type jsonata from 'jsonata';
import { type AstNode, NODE_INFO, NodeCharge } from './analyze-ast.js';
import { type EvaluationMeter, METER_BINDING } from './evaluation-meter.js';

/** JSONata looks these up in the environment around every node it evaluates. */
const EVALUATE_ENTRY = Symbol.for('jsonata.__evaluate_entry');
const EVALUATE_EXIT = Symbol.for('jsonata.__evaluate_exit');

function onEntry(node: AstNode, _input: unknown, environment: jsonata.Environment): void {
  (environment.lookup(METER_BINDING) as EvaluationMeter).step(node.position);
}

function onEntryCheckingDepth(node: AstNode, _input: unknown, environment: jsonata.Environment): void {
  (environment.lookup(METER_BINDING) as EvaluationMeter).enter(node[NODE_INFO], node.position);
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
}

/**
 * Installs the metering hooks on a compiled JSONata expression (the exit hook only when some node's
 * result is charged). The hooks are shared; the meter they charge is looked up per evaluation, so
 * concurrent evaluations stay independent.
 */
export function installEvaluationHooks(expression: jsonata.Expression, options: HookOptions): void {
  const assign = expression.assign as (name: string | symbol, value: unknown) => void;
  // Evaluation depth equals the node's depth in the tree (no lambdas, so no recursion): when no
  // node is deeper than the limit, the check cannot fail and is skipped.
  assign(EVALUATE_ENTRY, options.deepestNode > options.maxDepth ? onEntryCheckingDepth : onEntry);
  // JSONata awaits each hook, so an unneeded exit hook would still cost a tick per node.
  if (options.chargesResults) assign(EVALUATE_EXIT, onExit);
}
