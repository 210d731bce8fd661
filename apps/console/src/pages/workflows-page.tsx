import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { ListWorkflowsResponse, WorkflowSummary, WorkflowVersionView } from '../api/api-types.js';
import { ErrorNotice } from '../components/error-notice.js';
import { formatTime } from '../components/format-time.js';
import { JsonViewer } from '../components/json-viewer.js';
import { StepTreeDiagram } from '../components/step-tree-diagram.js';
import { ApiError } from '../api/api-error.js';
import { href } from '../hash-route.js';
import { describeEngine, RolloutPanel } from '../components/rollout-panel.js';

/** The tenant's workflows. */
export function WorkflowsPage() {
  const api = useApi();
  const workflows = useQuery({ queryKey: ['workflows'], queryFn: () => api.get<ListWorkflowsResponse>('/v1/workflows') });
  return (
    <>
      <h1>Workflows</h1>
      <ErrorNotice error={workflows.error} />
      {workflows.data && workflows.data.items.length === 0 ? <p>No workflow is published.</p> : null}
      <ul className="link-list">
        {workflows.data?.items.map((w) => (
          <li key={w.name}>
            <a href={href.workflow(w.name)}>{w.name}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

function describeVersionPolicy(vp: WorkflowSummary['policy']['versionPolicy']): string {
  if (vp.type === 'latest') return 'latest published version';
  if (vp.type === 'exact') return `exactly ${vp.version}`;
  return `weighted: ${Object.entries(vp.weights)
    .map(([v, w]) => `${v} × ${w}`)
    .join(', ')}`;
}

/** One workflow: versions, policy, and a version's definition drawn as a step tree. */
export function WorkflowPage({ name }: { name: string }) {
  const api = useApi();
  const summary = useQuery({ queryKey: ['workflow', name], queryFn: () => api.get<WorkflowSummary>(`/v1/workflows/${encodeURIComponent(name)}`) });
  const [chosen, setChosen] = useState<string>();
  const version = chosen ?? summary.data?.versions.at(-1)?.version;
  const definition = useQuery({
    queryKey: ['workflow', name, version],
    queryFn: () => api.get<WorkflowVersionView>(`/v1/workflows/${encodeURIComponent(name)}/versions/${encodeURIComponent(version!)}`),
    enabled: version !== undefined,
  });
  if (summary.error instanceof ApiError && summary.error.status === 404) {
    return (
      <>
        <h1>Workflow not found</h1>
        <p>
          No workflow <code>{name}</code> exists for your tenant. <a href={href.workflows()}>Back to workflows</a>
        </p>
      </>
    );
  }
  if (!summary.data) return summary.error ? <ErrorNotice error={summary.error} /> : <p>Loading…</p>;
  return (
    <>
      <h1>Workflow {name}</h1>
      <section aria-labelledby="policy-heading">
        <h2 id="policy-heading">Policy</h2>
        <dl className="facts">
          <dt>Version policy</dt>
          <dd>{describeVersionPolicy(summary.data.policy.versionPolicy)}</dd>
          <dt>Engine policy</dt>
          <dd>{describeEngine(summary.data.policy.engine)}</dd>
        </dl>
      </section>
      <RolloutPanel name={name} summary={summary.data} />
      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        <table className="list">
          <caption className="visually-hidden">Published versions</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Published</th>
              <th scope="col">Content hash</th>
              <th scope="col">Definition</th>
            </tr>
          </thead>
          <tbody>
            {summary.data.versions.map((v) => (
              <tr key={v.version}>
                <td>{v.version}</td>
                <td>{formatTime(v.publishedAt)}</td>
                <td>
                  <code>{v.hash.slice(0, 12)}</code>
                </td>
                <td>
                  <button type="button" className="secondary" aria-pressed={v.version === version} onClick={() => setChosen(v.version)}>
                    Show {v.version}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="definition-heading">
        <h2 id="definition-heading">Definition {version}</h2>
        <ErrorNotice error={definition.error} />
        {definition.data ? (
          <>
            <StepTreeDiagram definition={definition.data.definition} />
            <details>
              <summary>Definition JSON</summary>
              <JsonViewer label="definition" value={definition.data.definition} />
            </details>
          </>
        ) : null}
      </section>
      <p>
        <a href={href.runs()}>Runs</a> of this workflow: filter the runs list by <code>{name}</code>.
      </p>
    </>
  );
}
