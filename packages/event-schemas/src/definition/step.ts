import { z } from 'zod';
import { JsonValue } from '../json-value.js';
import { Expr } from './expr.js';
import {
  ActionCallStep,
  CallWorkflowStep,
  ContinueAsNewStep,
  EventWaitStep,
  FailStep,
  HumanTaskStep,
  ReturnStep,
  TimeWaitStep,
  TransformAssignStep,
  stepBase,
} from './leaf-steps.js';
import { VarPath } from './names.js';

// Container steps hold step lists, so their types are recursive: the non-recursive fields
// come from a schema, the nested lists are declared by an interface (TypeScript cannot infer
// a recursive type through zod getters on its own).

/** Names an expression context may not use for the item variable. */
export const RESERVED_CONTEXT_NAMES = ['input', 'vars', 'run', 'event', 'error', 'index'] as const;

const IfStepFields = z.strictObject({
  ...stepBase,
  type: z.literal('control.if'),
  condition: z.union([z.boolean(), Expr]).describe('Must evaluate to a boolean (else ExpressionError)'),
});
/** `control.if`: run `then` when the condition is true, else `else`. */
export interface IfStep extends z.infer<typeof IfStepFields> {
  then: Step[];
  else?: Step[] | undefined;
}

const ForEachStepFields = z.strictObject({
  ...stepBase,
  type: z.literal('control.forEach'),
  items: z.union([z.array(JsonValue), Expr]).describe('Array to iterate (literal or expression); at most 10,000 items'),
  itemVar: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier')
    .refine((name) => !(RESERVED_CONTEXT_NAMES as readonly string[]).includes(name), 'is a reserved context name')
    .optional()
    .describe('Name of the item variable in the body. Default "item"'),
  onItemError: z
    .enum(['fail', 'continue'])
    .optional()
    .describe('"continue": an uncaught error in one item\'s body skips to the next item. Default "fail"'),
});
/** `control.forEach`: run `body` once per item, sequentially. */
export interface ForEachStep extends z.infer<typeof ForEachStepFields> {
  body: Step[];
}

const TryCatchStepFields = z.strictObject({
  ...stepBase,
  type: z.literal('control.tryCatch'),
  captureErrorAs: VarPath.optional().describe('Where the caught error {category, code, message, stepId} is stored'),
});
/** `control.tryCatch`: run `catch` when a catchable error escapes `try`. */
export interface TryCatchStep extends z.infer<typeof TryCatchStepFields> {
  try: Step[];
  catch: Step[];
}

/** Any step of definition format v1. */
export type Step =
  | ActionCallStep
  | TransformAssignStep
  | IfStep
  | ForEachStep
  | TryCatchStep
  | CallWorkflowStep
  | ReturnStep
  | FailStep
  | ContinueAsNewStep
  | EventWaitStep
  | TimeWaitStep
  | HumanTaskStep;

const stepList = (what: string): z.ZodArray<z.ZodType<Step>> => z.array(Step).describe(what);

/** `control.if` schema. */
export const IfStep = IfStepFields.extend({
  get then(): z.ZodArray<z.ZodType<Step>> {
    return stepList('Steps run when the condition is true');
  },
  get else(): z.ZodOptional<z.ZodArray<z.ZodType<Step>>> {
    return stepList('Steps run when the condition is false').optional();
  },
})
  .describe('Branch on a boolean condition')
  .meta({ id: 'IfStep' });

/** `control.forEach` schema. */
export const ForEachStep = ForEachStepFields.extend({
  get body(): z.ZodArray<z.ZodType<Step>> {
    return stepList('Steps run for each item; `item` (or itemVar) and `index` are in scope');
  },
})
  .describe('Sequential loop over an array')
  .meta({ id: 'ForEachStep' });

/** `control.tryCatch` schema. */
export const TryCatchStep = TryCatchStepFields.extend({
  get try(): z.ZodArray<z.ZodType<Step>> {
    return stepList('Steps whose catchable errors are caught');
  },
  get catch(): z.ZodArray<z.ZodType<Step>> {
    return stepList('Steps run after a caught error; `error` is in scope');
  },
})
  .describe('Catch any catchable error raised in try')
  .meta({ id: 'TryCatchStep' });

/** Any step, discriminated on `type`. */
export const Step: z.ZodType<Step> = z
  .discriminatedUnion('type', [
    ActionCallStep,
    TransformAssignStep,
    IfStep,
    ForEachStep,
    TryCatchStep,
    CallWorkflowStep,
    ReturnStep,
    FailStep,
    ContinueAsNewStep,
    EventWaitStep,
    TimeWaitStep,
    HumanTaskStep,
  ])
  .meta({ id: 'Step' });
