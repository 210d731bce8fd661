import type { WorkflowDefinition } from '../api/api-types.js';

type StepLike = { readonly id: string; readonly type: string; readonly [field: string]: unknown };

function isStep(value: unknown): value is StepLike {
  return typeof value === 'object' && value !== null && typeof (value as StepLike).id === 'string' && typeof (value as StepLike).type === 'string';
}

/** The nested step lists of a step (`then`, `else`, `body`, `try`, `catch`, ...), by field name. */
function branchesOf(step: StepLike): Array<[string, StepLike[]]> {
  return Object.entries(step)
    .filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]) && entry[1].length > 0 && entry[1].every(isStep))
    .map(([field, steps]) => [field, steps as StepLike[]]);
}

/** A definition value as text: a literal as is, an expression as `= <JSONata>`. */
function textOf(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null && typeof (value as { $expr?: unknown }).$expr === 'string') return `= ${(value as { $expr: string }).$expr}`;
  return JSON.stringify(value);
}

/** What a step does, in a few words. */
function detailOf(step: StepLike): string | undefined {
  const f = step as Record<string, unknown>;
  switch (step.type) {
    case 'action.call':
      return `${textOf(f['action'])}@${textOf(f['actionVersion'])}`;
    case 'event.wait':
      return `event ${textOf(f['eventName'])}`;
    case 'human.task':
      return `task ${textOf(f['title'])}`;
    case 'control.callWorkflow':
      return `workflow ${textOf(f['workflow'])}`;
    case 'time.wait':
      return f['durationMs'] !== undefined ? `${textOf(f['durationMs'])} ms` : `until ${textOf(f['until'])}`;
    default:
      return undefined;
  }
}

function StepList({ steps }: { steps: readonly StepLike[] }) {
  return (
    <ol className="step-tree">
      {steps.map((step) => {
        const detail = detailOf(step);
        return (
          <li key={step.id}>
            <div className={`step-node node-${step.type.split('.')[0]}`}>
              <strong>{step.id}</strong> <span className="step-type">{step.type}</span>
              {detail ? <div className="muted">{detail}</div> : null}
            </div>
            {branchesOf(step).map(([field, children]) => (
              <div key={field} className="branch">
                <span className="branch-label">{field}</span>
                <StepList steps={children} />
              </div>
            ))}
          </li>
        );
      })}
    </ol>
  );
}

/** A definition's steps drawn as a tree: sequence top to bottom, nested branches indented under their step. */
export function StepTreeDiagram({ definition }: { definition: WorkflowDefinition }) {
  const steps = (definition.steps as unknown[]).filter(isStep);
  return (
    <figure className="diagram" aria-label={`Step tree of ${definition.name} ${definition.version}`}>
      <StepList steps={steps} />
    </figure>
  );
}
