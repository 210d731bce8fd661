import type { RuntimeStores } from '../../ports/runtime-stores.js';

/** One call a port received. */
export interface PortCall {
  readonly port: keyof RuntimeStores;
  readonly method: string;
}

/** Methods that only read. */
export const READ_METHODS: ReadonlySet<string> = new Set([
  'get',
  'list',
  'listVersions',
  'getPolicy',
  'listPolicyHistory',
  'listEventTriggered',
  'listSteps',
  'findWaiting',
  'findWaitingMany',
  'listEventTriggeredMany',
  'listForRun',
]);

/** Wraps every port so each method call is recorded (in order) before it runs. */
export function recordCalls(stores: RuntimeStores): { stores: RuntimeStores; calls: PortCall[] } {
  const calls: PortCall[] = [];
  const wrap = <T extends object>(port: keyof RuntimeStores, target: T): T =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        const value: unknown = Reflect.get(obj, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push({ port, method: String(prop) });
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      },
    });
  return {
    calls,
    stores: {
      definitions: wrap('definitions', stores.definitions),
      runs: wrap('runs', stores.runs),
      waits: wrap('waits', stores.waits),
      events: wrap('events', stores.events),
      tasks: wrap('tasks', stores.tasks),
      ...(stores.upgradeAudits ? { upgradeAudits: stores.upgradeAudits } : {}),
    },
  };
}
