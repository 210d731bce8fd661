// fast-check generators of well-formed definitions (schema-valid, unique ids) and of the
// inputs a driver could feed, for the property tests of the interpreter.
import type { JsonValue, Step, WorkflowDefinition } from '@baton/event-schemas';
import fc from 'fast-check';

const valueExprs = ['input.n', 'vars.a', 'vars.a + 1', '$string(vars.b)', "'a' + 1", 'item', 'index', '[1, 2]', 'error.code', 'nowIso()', 'coalesce(vars.a, 0) + 1'];
const boolExprs = ['vars.a > 1', 'input.flag', 'true', "'x'", 'event.payload.ok = true', '$exists(vars.a)'];

const value: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constantFrom<JsonValue>(1, 'text', null, true, [1, 2]),
  fc.constantFrom(...valueExprs).map((source) => ({ $expr: source })),
  fc.record({ k: fc.constantFrom(...valueExprs).map((source) => ({ $expr: source })) }),
);
const condition = fc.oneof(fc.boolean(), fc.constantFrom(...boolExprs).map((source) => ({ $expr: source })));
const target = fc.constantFrom('vars.a', 'vars.b', 'vars.c.d', 'vars.out');
const retry = fc.record(
  {
    maxAttempts: fc.integer({ min: 1, max: 3 }),
    backoffMs: fc.integer({ min: 0, max: 500 }),
    backoffMultiplier: fc.constantFrom(1, 2),
    jitter: fc.boolean(),
    retryOn: fc.constantFrom(['TransientError'], ['ActionError', 'TimeoutError']) as fc.Arbitrary<('TransientError' | 'ActionError' | 'TimeoutError')[]>,
  },
  { requiredKeys: ['maxAttempts', 'backoffMs'] },
);

const leaf: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ id: fc.constant('x'), type: fc.constant('transform.assign' as const), assign: fc.dictionary(target, value, { minKeys: 1, maxKeys: 2 }) }),
  fc.record(
    {
      id: fc.constant('x'),
      type: fc.constant('action.call' as const),
      action: fc.constant('core.echo'),
      actionVersion: fc.constant(1),
      input: value,
      saveAs: target,
      retry,
      onError: fc.constantFrom('fail' as const, 'continue' as const),
      timeoutMs: fc.integer({ min: 1, max: 1000 }),
      idempotencyKey: fc.constantFrom('fixed', { $expr: "'k' & $string(index)" }),
    },
    { requiredKeys: ['id', 'type', 'action', 'actionVersion'] },
  ),
  fc.record({ id: fc.constant('x'), type: fc.constant('control.fail' as const), code: fc.constant('E'), message: fc.constantFrom('m', { $expr: "'m' & $string(vars.a)" }) }),
  fc.record({ id: fc.constant('x'), type: fc.constant('control.return' as const), output: value }, { requiredKeys: ['id', 'type'] }),
  fc.record(
    {
      id: fc.constant('x'),
      type: fc.constant('event.wait' as const),
      eventName: fc.constantFrom('A', 'B'),
      correlationKey: fc.constantFrom('k', { $expr: "'k'" }),
      filter: fc.constantFrom(...boolExprs).map((source) => ({ $expr: source })),
      timeoutMs: fc.integer({ min: 1, max: 1000 }),
      saveAs: target,
    },
    { requiredKeys: ['id', 'type', 'eventName', 'correlationKey'] },
  ),
  fc.oneof(
    fc.record({ id: fc.constant('x'), type: fc.constant('time.wait' as const), durationMs: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant({ $expr: 'input.n' })) }),
    fc.record({ id: fc.constant('x'), type: fc.constant('time.wait' as const), until: fc.constantFrom('2024-01-01T00:00:00Z', '2025-01-01T00:00:01Z') }),
  ),
  fc.record(
    {
      id: fc.constant('x'),
      type: fc.constant('human.task' as const),
      taskType: fc.constant('review'),
      title: fc.constantFrom('t', { $expr: "'t' & $string(input.n)" }),
      formSchema: fc.constant<Record<string, JsonValue>>({ type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } }),
      timeoutMs: fc.integer({ min: 1, max: 1000 }),
      saveAs: target,
    },
    { requiredKeys: ['id', 'type', 'taskType', 'title'] },
  ),
  fc.record({ id: fc.constant('x'), type: fc.constant('control.callWorkflow' as const), workflow: fc.constant('child.flow'), input: value, saveAs: target }, { requiredKeys: ['id', 'type', 'workflow'] }),
  fc.record({ id: fc.constant('x'), type: fc.constant('control.continueAsNew' as const), input: value, pinVersion: fc.boolean() }, { requiredKeys: ['id', 'type'] }),
);

const { steps: stepList } = fc.letrec<{ step: Step; steps: Step[] }>((tie) => ({
  step: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record(
      { id: fc.constant('x'), type: fc.constant('control.if' as const), condition, then: tie('steps') as fc.Arbitrary<Step[]>, else: tie('steps') as fc.Arbitrary<Step[]> },
      { requiredKeys: ['id', 'type', 'condition', 'then'] },
    ),
    fc.record(
      {
        id: fc.constant('x'),
        type: fc.constant('control.forEach' as const),
        items: fc.oneof(fc.constantFrom<JsonValue[]>([], [1], [1, 2, 3]), fc.constantFrom({ $expr: 'input.list' }, { $expr: 'vars.a' })),
        itemVar: fc.constantFrom('item', 'row'),
        onItemError: fc.constantFrom('fail' as const, 'continue' as const),
        body: tie('steps') as fc.Arbitrary<Step[]>,
      },
      { requiredKeys: ['id', 'type', 'items', 'body'] },
    ),
    fc.record(
      { id: fc.constant('x'), type: fc.constant('control.tryCatch' as const), captureErrorAs: target, try: tie('steps') as fc.Arbitrary<Step[]>, catch: tie('steps') as fc.Arbitrary<Step[]> },
      { requiredKeys: ['id', 'type', 'try', 'catch'] },
    ),
  ),
  steps: fc.array(tie('step') as fc.Arbitrary<Step>, { minLength: 0, maxLength: 3 }),
}));

function renumber(steps: Step[], next: { n: number }): Step[] {
  return steps.map((step) => {
    const copy = { ...step, id: `s${next.n++}` } as Step;
    if (copy.type === 'control.if') {
      copy.then = renumber(copy.then, next);
      if (copy.else) copy.else = renumber(copy.else, next);
    } else if (copy.type === 'control.forEach') copy.body = renumber(copy.body, next);
    else if (copy.type === 'control.tryCatch') {
      copy.try = renumber(copy.try, next);
      copy.catch = renumber(copy.catch, next);
    }
    return copy;
  });
}

/** A well-formed definition `test.flow@1.0.0` (unique step ids s0, s1, ...). */
export const arbitraryDefinition: fc.Arbitrary<WorkflowDefinition> = stepList
  .filter((steps) => steps.length > 0)
  .map((steps) => ({ name: 'test.flow', version: '1.0.0', steps: renumber(steps, { n: 0 }) }));

/** A run input. */
export const arbitraryRunInput: fc.Arbitrary<JsonValue> = fc.record({ n: fc.integer({ min: -5, max: 500 }), flag: fc.oneof(fc.boolean(), fc.constant('yes')), list: fc.constantFrom<JsonValue>([1, 2], 'no') });
