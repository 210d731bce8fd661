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

/** Path of the Baton workflow module: the compiled `dist/workflows/index.js`, or its `.ts` source when run from `src/`. */
export function batonWorkflowsPath(): string {
  const compiled = fileURLToPath(new URL('../workflows/index.js', import.meta.url));
  if (fs.existsSync(compiled)) return compiled;
  return fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
}

/** Options of {@link bundleBatonWorkflows}. */
export interface BundleBatonWorkflowsOptions {
  /** Workflow module to bundle instead of Baton's own (tests use it to build a deliberately changed bundle). @default batonWorkflowsPath() */
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
    workflowsPath: options.workflowsPath ?? batonWorkflowsPath(),
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
