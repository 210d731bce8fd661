import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { createBearerAuth } from '../auth/bearer-auth.js';
import { registerJsonBodyGuards } from '../body/json-body-parser.js';
import { JSON_SHAPE_DEFAULTS } from '../body/json-shape.js';
import type { ApiKeyTable } from '../auth/api-keys.js';
import { errorResponseOf, ingressClientErrorHandler, ingressErrorHandler, ingressNotFoundHandler, sendError } from '../errors/error-handler.js';
import { zodValidatorCompiler } from '../errors/zod-validator-compiler.js';
import { createEventRouter, type EventRouter } from '../events/event-router.js';
import type { HealthCheck } from '../health/health-check.js';
import type { IngressMetrics } from '../metrics/ingress-metrics.js';
import { registerRequestMetrics } from '../metrics/request-metrics.js';
import { builtinActions } from '@baton/runtime-core';
import { createActionCatalogSource, type ActionCatalogSource } from '../actions/action-catalog-source.js';
import { actionRoutes } from '../routes/actions.js';
import { secretRoutes, type SecretRoutesOptions } from '../routes/secrets.js';
import { entityRoutes } from '../routes/entities.js';
import { eventRoutes } from '../routes/events.js';
import { runRoutes } from '../routes/runs.js';
import { systemRoutes } from '../routes/system.js';
import { taskRoutes } from '../routes/tasks.js';
import { workflowRoutes } from '../routes/workflows.js';
import { deploymentRoutes, type DeploymentRoutesOptions } from '../routes/deployments.js';
import { upgradeRoutes } from '../routes/upgrades.js';
import { INGRESS_DEFAULTS } from '../config/ingress-config.js';
import { isConsoleBuilt, registerConsoleAssets } from '../console/console-assets.js';
import type { IngressRuntime } from './ingress-runtime.js';
import { openApiOptions } from './openapi-document.js';

/** What the HTTP app is built from; every dependency is injected so tests build it with real ones. */
export interface IngressAppDeps {
  readonly runtime: IngressRuntime;
  readonly apiKeys: ApiKeyTable;
  readonly metrics: IngressMetrics;
  /** probes of `/healthz` (database, Temporal) @default [] */
  readonly health?: readonly HealthCheck[];
  /** @default a silent logger */
  readonly logger?: FastifyBaseLogger;
  /** largest accepted request body in bytes @default INGRESS_DEFAULTS.bodyLimitBytes */
  readonly bodyLimit?: number;
  /** the event router shared with the stream consumer @default one built from `runtime`, `metrics` and `logger` */
  readonly eventRouter?: EventRouter;
  /** deepest nesting of objects and arrays in a JSON body (deeper: 400 `JSON_TOO_DEEP`) @default JSON_SHAPE_DEFAULTS.maxDepth */
  readonly maxJsonDepth?: number;
  /** the action catalog of `GET /v1/actions` @default the built-in actions only */
  readonly actions?: ActionCatalogSource;
  /** the secrets table behind `/v1/secrets` (`writer` only with `BATON_SECRETS_KEY`) @default none: nothing listed, writes 409 */
  readonly secrets?: SecretRoutesOptions;
  /** `version` of the OpenAPI document @default '1.0.0' */
  readonly apiVersion?: string;
  /** `GET /v1/deployments` and `POST /v1/deployments/drain` (absent: Temporal is not configured) @default none */
  readonly deployments?: DeploymentRoutesOptions;
  /** the built operator console served at `/ui/` (no `index.html` there: `/ui` answers 404) @default none */
  readonly consoleDir?: string;
}

/** The fastify instance type of the ingress. */
export type IngressApp = FastifyInstance;

/** Builds the ingress HTTP app (SPEC-api): routes, auth, errors, metrics and the OpenAPI document; call `ready()` or `listen()` next. */
export async function buildIngressApp(deps: IngressAppDeps): Promise<IngressApp> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: deps.bodyLimit ?? INGRESS_DEFAULTS.bodyLimitBytes,
    // Malformed URLs must answer in the SPEC-api error form too.
    frameworkErrors: (err, request, reply) => {
      const { status, body } = errorResponseOf(err);
      request.log.debug({ code: body.error.code }, 'request refused by the router');
      sendError(reply, status, body);
    },
    // Requests on open connections are served while closing (fastify's 503 would not be in the error form).
    return503OnClosing: false,
    clientErrorHandler: ingressClientErrorHandler,
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(ingressErrorHandler);
  app.setNotFoundHandler(ingressNotFoundHandler);
  registerJsonBodyGuards(app, { maxDepth: deps.maxJsonDepth ?? JSON_SHAPE_DEFAULTS.maxDepth });
  registerRequestMetrics(app, deps.metrics);

  await app.register(fastifySwagger, openApiOptions(deps.apiVersion ?? '1.0.0'));
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  app.get('/openapi.json', { schema: { summary: 'This OpenAPI document', tags: ['system'], security: [] } }, (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(JSON.stringify(app.swagger())),
  );
  await app.register(systemRoutes, { health: deps.health ?? [], metrics: deps.metrics });
  if (isConsoleBuilt(deps.consoleDir)) await registerConsoleAssets(app, deps.consoleDir);

  const router = deps.eventRouter ?? createEventRouter({ runtime: deps.runtime, metrics: deps.metrics, logger: app.log });
  const bearerAuth = createBearerAuth(deps.apiKeys);
  await app.register(
    async (v1) => {
      v1.decorateRequest('tenant', '');
      v1.addHook('onRequest', bearerAuth);
      await v1.register(workflowRoutes, { runtime: deps.runtime });
      await v1.register(runRoutes, { runtime: deps.runtime });
      await v1.register(eventRoutes, { router, runtime: deps.runtime });
      await v1.register(taskRoutes, { runtime: deps.runtime });
      await v1.register(entityRoutes, { runtime: deps.runtime });
      await v1.register(upgradeRoutes, { runtime: deps.runtime });
      await v1.register(actionRoutes, { catalog: deps.actions ?? createActionCatalogSource({ builtins: builtinActions() }) });
      await v1.register(secretRoutes, deps.secrets ?? {});
      await v1.register(deploymentRoutes, deps.deployments ?? {});
    },
    { prefix: '/v1' },
  );
  return app;
}
