import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type BundleOptions, type WorkflowBundle } from '@temporalio/worker';

type WebpackConfigHook = NonNullable<BundleOptions['webpackConfigHook']>;

/**
 * Lets webpack follow NodeNext `./x.js` specifiers to `./x.ts` sources, so the workflow
 * bundle can be built from `src/` (tests) as well as from the compiled `dist/`.
 */
export const resolveTsSources: WebpackConfigHook = (config) => ({
  ...config,
  resolve: { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } },
});

/**
 * Where a worker runs the interpreter: `workflow` (in the workflow code: fastest, PINNED builds,
 * replay check in CI) or `localActivity` (each advance in a local activity: runs outlive builds).
 */
export const INTERPRETER_MODES = ['workflow', 'localActivity'] as const;
export type InterpreterMode = (typeof INTERPRETER_MODES)[number];

/** The workflow module of each mode; both export the same `batonRun` workflow type. */
const MODULE_OF: Readonly<Record<InterpreterMode, string>> = { workflow: 'index', localActivity: 'local-activity' };

/**
 * Path of the Baton workflow module of an interpreter mode: the compiled `dist/workflows/<module>.js`,
 * or its `.ts` source when run from `src/`.
 */
export function batonWorkflowsPath(interpreter: InterpreterMode = 'workflow'): string {
  const module = MODULE_OF[interpreter];
  const compiled = fileURLToPath(new URL(`../workflows/${module}.js`, import.meta.url));
  if (fs.existsSync(compiled)) return compiled;
  return fileURLToPath(new URL(`../workflows/${module}.ts`, import.meta.url));
}

/** Options of {@link bundleBatonWorkflows}. */
export interface BundleBatonWorkflowsOptions {
  /** Which interpreter placement the bundle runs. @default 'workflow' */
  readonly interpreter?: InterpreterMode;
  /** Workflow module to bundle instead of Baton's own (tests use it to build a deliberately changed bundle). @default batonWorkflowsPath(interpreter) */
  readonly workflowsPath?: string;
  /** Module names webpack must leave out of the bundle. @default [] */
  readonly ignoreModules?: string[];
}

/**
 * Bundles the Baton workflow code once, so several workers (or replays) can share the bundle
 * instead of each running webpack.
 */
export async function bundleBatonWorkflows(options: BundleBatonWorkflowsOptions = {}): Promise<WorkflowBundle> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: options.workflowsPath ?? batonWorkflowsPath(options.interpreter),
    webpackConfigHook: resolveTsSources,
    ...(options.ignoreModules ? { ignoreModules: options.ignoreModules } : {}),
    logger: quietBundlerLogger,
  });
  return { code };
}

const noop = (): void => {};
/** The bundler logs every build at INFO; keep warnings and errors only. */
const quietBundlerLogger = {
  log: noop,
  trace: noop,
  debug: noop,
  info: noop,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};
