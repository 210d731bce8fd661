// Each command's module is imported when that command runs, so `baton runs` does not load
// Temporal's worker (replay), the service harness (dev) or the definition validator.
type Module<T> = () => Promise<T>;

function lazy<M, K extends keyof M>(load: Module<M>, name: K): M[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never {
  return (async (...args: unknown[]) => ((await load())[name] as (...a: unknown[]) => unknown)(...args)) as never;
}

export const devCommand = lazy(() => import('./dev-command.js'), 'devCommand');
export const validateCommand = lazy(() => import('./validate-command.js'), 'validateCommand');
export const publishCommand = lazy(() => import('./publish-command.js'), 'publishCommand');
export const runCommand = lazy(() => import('./run-command.js'), 'runCommand');
export const runsCommand = lazy(() => import('./runs-command.js'), 'runsCommand');
export const showCommand = lazy(() => import('./runs-command.js'), 'showCommand');
export const cancelCommand = lazy(() => import('./run-control-commands.js'), 'cancelCommand');
export const retryCommand = lazy(() => import('./run-control-commands.js'), 'retryCommand');
export const resumeCommand = lazy(() => import('./run-control-commands.js'), 'resumeCommand');
export const eventCommand = lazy(() => import('./event-command.js'), 'eventCommand');
export const tasksCommand = lazy(() => import('./task-commands.js'), 'tasksCommand');
export const completeTaskCommand = lazy(() => import('./task-commands.js'), 'completeTaskCommand');
export const policyCommand = lazy(() => import('./policy-command.js'), 'policyCommand');
export const replayCommand = lazy(() => import('./replay-command.js'), 'replayCommand');
export const benchCommand = lazy(() => import('./bench-command.js'), 'benchCommand');
export const migrateCommand = lazy(() => import('./migrate-command.js'), 'migrateCommand');
export const validateAgainstCatalogCommand = lazy(() => import('./validate-url-command.js'), 'validateAgainstCatalogCommand');
export const validateWithModulesCommand = lazy(() => import('./validate-modules.js'), 'validateWithModulesCommand');
export const actionsCommand = lazy(() => import('./actions-command.js'), 'actionsCommand');
export const secretsSetCommand = lazy(() => import('./secret-commands.js'), 'secretsSetCommand');
export const secretsListCommand = lazy(() => import('./secret-commands.js'), 'secretsListCommand');
export const secretsDeleteCommand = lazy(() => import('./secret-commands.js'), 'secretsDeleteCommand');
export const rolloutStatusCommand = lazy(() => import('./rollout-commands.js'), 'rolloutStatusCommand');
export const rolloutSetCommand = lazy(() => import('./rollout-commands.js'), 'rolloutSetCommand');
export const rolloutRollbackCommand = lazy(() => import('./rollout-commands.js'), 'rolloutRollbackCommand');
export const shadowCommand = lazy(() => import('./rollout-commands.js'), 'shadowCommand');
export const upgradePlanCommand = lazy(() => import('./upgrade-command.js'), 'upgradePlanCommand');
export const retireCommand = lazy(() => import('./retire-command.js'), 'retireCommand');
export const deploymentsCommand = lazy(() => import('./deployment-commands.js'), 'deploymentsCommand');
export const drainCommand = lazy(() => import('./deployment-commands.js'), 'drainCommand');
export const upgradeApplyCommand = lazy(() => import('./upgrade-command.js'), 'upgradeApplyCommand');
export const upgradeAuditCommand = lazy(() => import('./upgrade-command.js'), 'upgradeAuditCommand');
