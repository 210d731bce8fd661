import type jsonata from 'jsonata';
import { type AstNode, NODE_INFO, NodeCharge } from './analyze-ast.js';
import { type EvaluationMeter, METER_BINDING } from './evaluation-meter.js';

/** JSONata looks these up in the environment around every node it evaluates. */
const EVALUATE_ENTRY = Symbol.for('jsonata.__evaluate_entry');
const EVALUATE_EXIT = Symbol.for('jsonata.__evaluate_exit');

function onEntry(node: AstNode, _input: unknown, environment: jsonata.Environment): void {
  (environment.lookup(METER_BINDING) as EvaluationMeter).enter(node[NODE_INFO], node.position);
}

function onExit(node: AstNode, _input: unknown, environment: jsonata.Environment, result: unknown): void {
  const charge = node[NODE_INFO]?.charge ?? NodeCharge.NONE;
  if (charge === NodeCharge.NONE) return;
  (environment.lookup(METER_BINDING) as EvaluationMeter).account(charge, result, node.position);
}

/**
 * Installs the metering hooks on a compiled JSONata expression. The hooks are shared; the
 * meter they charge is looked up per evaluation, so concurrent evaluations stay independent.
 */
export function installEvaluationHooks(expression: jsonata.Expression): void {
  const assign = expression.assign as (name: string | symbol, value: unknown) => void;
  assign(EVALUATE_ENTRY, onEntry);
  assign(EVALUATE_EXIT, onExit);
}
