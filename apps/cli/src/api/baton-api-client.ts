import type {
  ListActionsResponse,
  ListSecretsResponse,
  PutSecretResponse,
  CompleteTaskResponse,
  EventAcceptedResponse,
  ListRunsQuery,
  ListRunsResponse,
  ListTasksQuery,
  ListTasksResponse,
  DrainBody,
  DrainResult,
  ListDeploymentsResponse,
  PublishWorkflowResponse,
  RetiredVersion,
  RunControlResponse,
  RunStepsResponse,
  RunView,
  ShadowReport,
  UpgradePlan,
  UpgradeApplyBody,
  UpgradeApplyResult,
  ListUpgradesResponse,
  StartRunBody,
  StartRunResponse,
  UpdatePolicyBody,
  WorkflowEvent,
  WorkflowPolicy,
  WorkflowSummary,
} from '@baton/event-schemas';
import { ApiError, apiErrorFromBody } from './api-error.js';

/** Where an API lives and how to authenticate to it. */
export interface ApiTarget {
  /** base URL, e.g. `http://127.0.0.1:7300` */
  readonly url: string;
  /** bearer key of a tenant (`BATON_API_KEYS`) */
  readonly key?: string;
}

/** A response with its status, for calls where 200 and 201 mean different things. */
export interface ApiAnswer<T> {
  readonly status: number;
  readonly body: T;
}

/** Answer of `POST /v1/runs/:runId/cancel` (SPEC-api: 200 CANCELED, or 202 CANCEL_REQUESTED). */
export interface CancelAnswer {
  readonly status: 'CANCELED' | 'CANCEL_REQUESTED';
}

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  /** Per-request timeout. @default 30_000 */
  readonly timeoutMs?: number;
}

/** A typed client of the Baton HTTP API (SPEC-api v1). */
export interface BatonApiClient {
  readonly target: ApiTarget;
  publishWorkflow(definition: unknown): Promise<ApiAnswer<PublishWorkflowResponse>>;
  getWorkflow(name: string): Promise<WorkflowSummary>;
  /** `PUT /v1/workflows/:name/policy`; `force` (`?force=true`) raises the Temporal share past an unmet rollout gate (recorded as forced). */
  setPolicy(name: string, body: UpdatePolicyBody, options?: { readonly force?: boolean }): Promise<WorkflowPolicy>;
  /** `GET /v1/workflows/:name/shadow`: the comparisons of the workflow's shadowed runs and their differences. */
  getShadowReport(name: string): Promise<ShadowReport>;
  /** `GET /v1/workflows/:name/upgrade-plan`: the step-tree diff of two versions and the class of each in-flight run of `from`. */
  getUpgradePlan(name: string, from: string, to: string): Promise<UpgradePlan>;
  /** `POST /v1/workflows/:name/versions/:version/retire`: no new run gets the version (idempotent: the first retirement). */
  retireVersion(name: string, version: string, reason?: string): Promise<RetiredVersion>;
  /** `GET /v1/deployments`: Temporal worker deployment versions, their drainage status and the caller's runs pinned to each. */
  listDeployments(): Promise<ListDeploymentsResponse>;
  /** `POST /v1/deployments/drain`: moves runs off a build (or a definition version) onto the current build, each after its history replays there. */
  drain(body: DrainBody): Promise<DrainResult>;
  /** `POST /v1/workflows/:name/upgrade`: moves the MOVES_NOW runs of `from` to `to` (or reports what would move with `dryRun`). */
  applyUpgrade(name: string, body: UpgradeApplyBody): Promise<UpgradeApplyResult>;
  /** `GET /v1/workflows/:name/upgrades`: the upgrade audit records, newest first. */
  listUpgrades(name: string, options?: { readonly runId?: string; readonly limit?: number }): Promise<ListUpgradesResponse>;
  startRun(body: StartRunBody): Promise<ApiAnswer<StartRunResponse>>;
  /**
   * `POST /v1/runs` with `"wait": waitMs`: `{ finished }` with the finished run when it finished within
   * `waitMs`, else the start answer as {@link startRun} gives it (201 new, 200 existing `executionKey`).
   */
  startRunWaiting(body: Omit<StartRunBody, 'wait'>, waitMs: number): Promise<{ readonly finished: RunView } | ApiAnswer<StartRunResponse>>;
  /**
   * `GET /v1/runs/:runId`; with `waitMs` (at most 60000) the ingress answers as soon as the run has
   * finished, or when the time is up with its state then (`?wait=`). `signal` aborts the request.
   */
  getRun(runId: string, options?: { readonly waitMs?: number; readonly signal?: AbortSignal }): Promise<RunView>;
  listRuns(query?: ListRunsQuery): Promise<ListRunsResponse>;
  listSteps(runId: string): Promise<RunStepsResponse>;
  sendEvent(event: WorkflowEvent): Promise<EventAcceptedResponse>;
  listTasks(query?: ListTasksQuery): Promise<ListTasksResponse>;
  completeTask(taskId: string, response: unknown, completedBy?: string): Promise<CompleteTaskResponse>;
  /** 200 `CANCELED`, or 202 `CANCEL_REQUESTED` when a Temporal run has not settled yet (the projection follows). */
  cancelRun(runId: string, reason: string): Promise<ApiAnswer<CancelAnswer>>;
  /** Postgres engine: re-runs a FAILED run from its failed step. */
  retryRun(runId: string, reason: string): Promise<RunControlResponse>;
  /** Postgres engine: the operator resolves the run's current wait (with `response` as the event payload or task response). */
  resumeRun(runId: string, reason: string, response?: unknown): Promise<RunControlResponse>;
  /** `GET /healthz`: the status and the body, never throwing on 503. */
  health(): Promise<ApiAnswer<unknown>>;
  /** `GET /v1/actions`: the live action catalog. */
  listActions(): Promise<ListActionsResponse>;
  /** `PUT /v1/secrets/:name`: creates or replaces a secret of the key's tenant. */
  putSecret(name: string, value: string): Promise<PutSecretResponse>;
  /** `GET /v1/secrets`: the tenant's secret names (never values). */
  listSecrets(): Promise<ListSecretsResponse>;
  /** `DELETE /v1/secrets/:name`. */
  deleteSecret(name: string): Promise<{ name: string }>;
}

function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Creates a client of the API at `target` (fetch-based; one request per call, no retries). */
export function createApiClient(target: ApiTarget, options: ApiClientOptions = {}): BatonApiClient {
  const base = target.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    accept: (status: number) => boolean = (s) => s >= 200 && s < 300,
    extra: { readonly waitMs?: number; readonly signal?: AbortSignal } = {},
  ): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (target.key) headers.authorization = `Bearer ${target.key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        // a request the ingress holds open (`wait`) may take that long on top of the usual timeout
        signal: extra.signal ? AbortSignal.any([extra.signal, AbortSignal.timeout(timeoutMs + (extra.waitMs ?? 0))]) : AbortSignal.timeout(timeoutMs + (extra.waitMs ?? 0)),
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      if (extra.signal?.aborted) throw extra.signal.reason;
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
      throw new ApiError(0, 'UNREACHABLE', `no answer from ${base} (${cause}); is the ingress running? (baton dev, or --url)`);
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!accept(response.status)) {
      throw apiErrorFromBody(response.status, response.statusText, parsed);
    }
    return { status: response.status, body: parsed as T };
  }

  const body = async <T>(answer: Promise<ApiAnswer<T>>): Promise<T> => (await answer).body;
  const enc = encodeURIComponent;

  return {
    target,
    publishWorkflow: (definition) => request('POST', '/v1/workflows', definition),
    getWorkflow: (name) => body(request('GET', `/v1/workflows/${enc(name)}`)),
    setPolicy: (name, policy, options = {}) => body(request('PUT', `/v1/workflows/${enc(name)}/policy${query({ force: options.force ? 'true' : undefined })}`, policy)),
    getShadowReport: (name) => body(request('GET', `/v1/workflows/${enc(name)}/shadow`)),
    getUpgradePlan: (name, from, to) => body(request('GET', `/v1/workflows/${enc(name)}/upgrade-plan${query({ from, to })}`)),
    retireVersion: (name, version, reason) =>
      body(request('POST', `/v1/workflows/${enc(name)}/versions/${enc(version)}/retire`, reason === undefined ? {} : { reason })),
    listDeployments: () => body(request('GET', '/v1/deployments')),
    drain: (drainBody) => body(request('POST', '/v1/deployments/drain', drainBody, undefined, { waitMs: 120_000 })),
    applyUpgrade: (name, apply) => body(request('POST', `/v1/workflows/${enc(name)}/upgrade`, apply)),
    listUpgrades: (name, options = {}) =>
      body(request('GET', `/v1/workflows/${enc(name)}/upgrades${query({ runId: options.runId, limit: options.limit })}`)),
    startRun: (start) => request('POST', '/v1/runs', start, undefined, { waitMs: start.wait ?? 0 }),
    startRunWaiting: async (start, waitMs) => {
      const answer = await request<StartRunResponse | RunView>('POST', '/v1/runs', { ...start, wait: Math.round(waitMs) }, undefined, { waitMs });
      // 200 with the GET body (it has createdAt) when the run finished in time; else the start answer
      return 'createdAt' in answer.body ? { finished: answer.body } : { status: answer.status, body: answer.body };
    },
    getRun: (runId, options = {}) =>
      body(
        request('GET', `/v1/runs/${enc(runId)}${query({ wait: options.waitMs && options.waitMs > 0 ? Math.round(options.waitMs) : undefined })}`, undefined, undefined, {
          ...(options.waitMs ? { waitMs: options.waitMs } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      ),
    listRuns: (q = {}) =>
      body(request('GET', `/v1/runs${query({ stuck: q.stuck ? 'true' : undefined, workflow: q.workflow, status: q.status, engine: q.engine, limit: q.limit, cursor: q.cursor })}`)),
    listSteps: (runId) => body(request('GET', `/v1/runs/${enc(runId)}/steps`)),
    sendEvent: (event) => body(request('POST', '/v1/events', event)),
    listTasks: (q = {}) => body(request('GET', `/v1/tasks${query({ status: q.status, runId: q.runId })}`)),
    completeTask: (taskId, response, completedBy) =>
      body(request('POST', `/v1/tasks/${enc(taskId)}/complete`, completedBy === undefined ? { response } : { response, completedBy })),
    cancelRun: (runId, reason) => request('POST', `/v1/runs/${enc(runId)}/cancel`, { reason }),
    retryRun: (runId, reason) => body(request('POST', `/v1/runs/${enc(runId)}/retry`, { reason })),
    resumeRun: (runId, reason, response) => body(request('POST', `/v1/runs/${enc(runId)}/resume`, response === undefined ? { reason } : { reason, response })),
    health: () => request('GET', '/healthz', undefined, () => true),
    listActions: () => body(request('GET', '/v1/actions')),
    putSecret: (name, value) => body(request('PUT', `/v1/secrets/${enc(name)}`, { value })),
    listSecrets: () => body(request('GET', '/v1/secrets')),
    deleteSecret: (name) => body(request('DELETE', `/v1/secrets/${enc(name)}`)),
  };
}
