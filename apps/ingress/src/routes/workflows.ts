import {
  ListWorkflowsResponse,
  PublishWorkflowResponse,
  RetiredVersion,
  RetireVersionBody,
  ShadowReport,
  UpdatePolicyBody,
  UpdatePolicyQuery,
  UpgradePlan,
  UpgradePlanQuery,
  WorkflowDefinition,
  WorkflowNameParams,
  WorkflowPolicy,
  WorkflowSummary,
  WorkflowVersionParams,
  WorkflowVersionView,
} from '@baton/event-schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IngressRuntime } from '../app/ingress-runtime.js';
import { errorResponses } from './error-responses.js';

/** Options of {@link workflowRoutes}. */
export interface WorkflowRoutesOptions {
  readonly runtime: Pick<
    IngressRuntime,
    'publishDefinition' | 'listWorkflows' | 'getWorkflow' | 'getWorkflowVersion' | 'retireVersion' | 'setPolicy' | 'getShadowReport' | 'planUpgrade'
  >;
}

/** `POST /v1/workflows`, `GET /v1/workflows`, `GET /v1/workflows/:name`, `GET /v1/workflows/:name/versions/:version`, `GET /v1/workflows/:name/shadow`, `GET /v1/workflows/:name/upgrade-plan`, `PUT /v1/workflows/:name/policy`. */
export const workflowRoutes: FastifyPluginAsyncZod<WorkflowRoutesOptions> = async (app, { runtime }) => {
  app.post('/workflows', {
    schema: {
      summary: 'Publish a workflow definition version',
      description:
        '201 for a new version, 200 when the same content was already published; other content under a published version answers 409 WORKFLOW_VERSION_EXISTS; an invalid definition 400 INVALID_WORKFLOW_DEFINITION with issues located by step path.',
      tags: ['workflows'],
      body: WorkflowDefinition,
      response: { 201: PublishWorkflowResponse, 200: PublishWorkflowResponse, ...errorResponses(409, 413) },
    },
    // The registry validates the whole definition (schema and semantics) and answers
    // INVALID_WORKFLOW_DEFINITION with step paths; the schema above documents the body.
    validatorCompiler: () => (data) => ({ value: data }),
    handler: async (request, reply) => {
      const result = await runtime.publishDefinition(request.tenant, request.body);
      return reply.code(result.created ? 201 : 200).send({ name: result.name, version: result.version, hash: result.hash });
    },
  });

  app.get('/workflows', {
    schema: {
      summary: "The tenant's workflow names, ascending",
      tags: ['workflows'],
      response: { 200: ListWorkflowsResponse, ...errorResponses() },
    },
    handler: (request) => runtime.listWorkflows(request.tenant),
  });

  app.get('/workflows/:name/versions/:version', {
    schema: {
      summary: 'A published version of a workflow with its definition',
      tags: ['workflows'],
      params: WorkflowVersionParams,
      response: { 200: WorkflowVersionView, ...errorResponses(404) },
    },
    handler: (request) => runtime.getWorkflowVersion(request.tenant, request.params.name, request.params.version),
  });

  app.post('/workflows/:name/versions/:version/retire', {
    schema: {
      summary: 'Retire a published version: no new run gets it',
      description:
        'latest and weighted policies skip a retired version (a weighted policy counts its weight as 0); an exact policy naming it, an explicit start of it (POST /v1/runs with that version, or a range only retired versions satisfy) and a control.callWorkflow range only it satisfies answer 409 WORKFLOW_VERSION_RETIRED. Runs already on it keep running and are listed by GET /v1/runs?stuck=true with stuckReason DEFINITION_VERSION_RETIRED. Idempotent: retiring again answers the first retirement (its time and reason). 404 WORKFLOW_NOT_FOUND when the version is not published for the tenant.',
      tags: ['workflows'],
      params: WorkflowVersionParams,
      body: RetireVersionBody.optional(),
      response: { 200: RetiredVersion, ...errorResponses(404) },
    },
    handler: (request) => runtime.retireVersion(request.tenant, request.params.name, request.params.version, request.body ?? {}),
  });

  app.get('/workflows/:name/shadow', {
    schema: {
      summary: "The shadow report of a workflow: its shadowed runs' comparisons and latest differences",
      description:
        'Counts the comparisons filed for the tenant\'s runs of this workflow (a pair is compared once both the primary and its shadow finished; PENDING until then), whichever engine the shadows ran on; discrepancyRate = different / compared (0 when nothing was compared); latency: the median created-to-finished time of the compared primaries and of their shadows, ratio = shadow / primary (null while missing). differences: the first difference of each of the 50 newest DIFFERENT pairs, newest first.',
      tags: ['workflows'],
      params: WorkflowNameParams,
      response: { 200: ShadowReport, ...errorResponses(404) },
    },
    handler: (request) => runtime.getShadowReport(request.tenant, request.params.name),
  });

  app.get('/workflows/:name/upgrade-plan', {
    schema: {
      summary: 'The upgrade plan of a workflow: the step-tree diff of two versions and the class of every in-flight run of the older',
      description:
        'diff: steps added, removed and changed (own definition or path differs) by step id. runs: every unfinished run of `from` (both engines) classed MOVES_NOW (waiting only at steps unchanged in `to`, its input satisfying `to`\'s inputSchema when that changed), MOVES_AT_CONTINUE_AS_NEW (not movable now, but `from` has an unpinned control.continueAsNew step) or CANNOT_MOVE, with the reason (NOT_AT_A_WAIT, STEP_REMOVED, STEP_CHANGED, INPUT_INCOMPATIBLE) and the step path. Read-only: nothing is moved. 404 WORKFLOW_NOT_FOUND when either version is not published.',
      tags: ['workflows'],
      params: WorkflowNameParams,
      querystring: UpgradePlanQuery,
      response: { 200: UpgradePlan, ...errorResponses(404) },
    },
    handler: (request) => runtime.planUpgrade(request.tenant, request.params.name, request.query.from, request.query.to),
  });

  app.get('/workflows/:name', {
    schema: {
      summary: 'A workflow: its published versions, policy and policy history',
      tags: ['workflows'],
      params: WorkflowNameParams,
      response: { 200: WorkflowSummary, ...errorResponses(404) },
    },
    handler: (request) => runtime.getWorkflow(request.tenant, request.params.name),
  });

  app.put('/workflows/:name/policy', {
    schema: {
      summary: 'Update the policy of a workflow (versions, engine, shadow, rollout gate, rollback)',
      description:
        'Omitted fields keep their value; null removes shadow, rolloutGate or rollback. Versions named by the policy must be published. Raising the Temporal share while the rollout gate (the stored one, else the one in the body) is not met by the shadow comparisons with Temporal as the shadow answers 409 ROLLOUT_GATE_NOT_MET with {gate, measured, failures, fromTemporalPercent, toTemporalPercent}; ?force=true overrides and is recorded as forced. Every accepted change is recorded in the policy history with the API key name.',
      tags: ['workflows'],
      params: WorkflowNameParams,
      querystring: z.object(UpdatePolicyQuery.shape),
      body: UpdatePolicyBody,
      response: { 200: WorkflowPolicy, ...errorResponses(404, 409) },
    },
    handler: (request) =>
      runtime.setPolicy(request.tenant, request.params.name, request.body, { actor: request.apiKeyName, force: request.query.force === 'true' }),
  });
};
