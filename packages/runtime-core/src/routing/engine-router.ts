import type { EngineKind, EnginePolicy } from '@baton/event-schemas';
import { BatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { enginesReachable, routeEngine, type RouteKey } from './route-engine.js';

/** What the router decides from. */
export interface EngineRouteRequest extends RouteKey {
  /** the workflow's stored engine policy (per tenant and name), if any */
  readonly policy?: EnginePolicy;
  /** an explicit `engine` on the start request */
  readonly requested?: EngineKind;
}

/** The router's decision and why. */
export interface EngineRoute {
  readonly engine: EngineKind;
  readonly reason: 'policy' | 'default' | 'override';
}

/** Chooses the engine of each new run; a run never changes engine afterwards. */
export interface EngineRouter {
  /** Decides the engine; throws `ENGINE_OVERRIDE_NOT_ALLOWED` for a requested engine the policy forbids. */
  route(request: EngineRouteRequest): EngineRoute;
}

/** Options of {@link createEngineRouter}. */
export interface EngineRouterOptions {
  /** the policy of workflows that have none stored (`BATON_DEFAULT_ENGINE`) @default { type: 'db' } */
  readonly defaultPolicy?: EnginePolicy;
}

/**
 * The standard router. An explicit engine is allowed when the workflow has no stored engine policy
 * (the default is only a default), or when its stored policy can route some run to that engine:
 * `db` allows only db, `temporal` only temporal, `percent` strictly between 0 and 100 allows both.
 */
export function createEngineRouter(options: EngineRouterOptions = {}): EngineRouter {
  const defaultPolicy: EnginePolicy = options.defaultPolicy ?? { type: 'db' };
  return {
    route(request) {
      const { policy, requested } = request;
      if (requested !== undefined) {
        if (policy !== undefined && !enginesReachable(policy).includes(requested)) {
          throw new BatonError(
            ErrorCode.ENGINE_OVERRIDE_NOT_ALLOWED,
            `workflow '${request.workflow}' has engine policy '${policy.type}', which does not allow engine '${requested}'`,
            { details: { workflow: request.workflow, engine: requested, policy } },
          );
        }
        return { engine: requested, reason: 'override' };
      }
      if (policy !== undefined) return { engine: routeEngine(policy, request), reason: 'policy' };
      return { engine: routeEngine(defaultPolicy, request), reason: 'default' };
    },
  };
}
