/**
 * The benchmarks' `steps`-step `core.echo` workflow: each step's input depends on the previous
 * step's output (not a constant). `nested`: each step nests the whole previous output instead, so
 * the variables (and the stored state) grow with every step. Untyped: each bench validates it with
 * the engine it measures.
 */
export function echoChainDefinition(name: string, steps: number, options: { readonly nested?: boolean } = {}) {
  return {
    name,
    version: '1.0.0',
    steps: Array.from({ length: steps }, (_, i) => ({
      id: `s${i + 1}`,
      type: 'action.call',
      action: 'core.echo',
      actionVersion: 1,
      input: options.nested
        ? { step: i + 1, run: { $expr: 'run.id' }, input: i === 0 ? { $expr: 'input' } : { $expr: `vars.s${i}` } }
        : { step: i + 1, run: { $expr: 'run.id' }, after: i === 0 ? { $expr: 'input.i' } : { $expr: `vars.s${i}.step` } },
      saveAs: `vars.s${i + 1}`,
    })),
  };
}
