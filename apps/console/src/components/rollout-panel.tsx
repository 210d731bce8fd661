import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import type { ShadowReport, WorkflowSummary } from '../api/api-types.js';
import { ErrorNotice } from './error-notice.js';
import { formatTime } from './format-time.js';
import { href } from '../hash-route.js';

type Policy = WorkflowSummary['policy'];
type PolicyChange = WorkflowSummary['history'][number];

/** The engine policy in words. */
export function describeEngine(engine: Policy['engine']): string {
  if (!engine) return 'the default engine (BATON_DEFAULT_ENGINE)';
  return engine.type === 'percent' ? `${engine.temporalPercent} % of new runs on Temporal` : `always ${engine.type}`;
}

function describeShadow(shadow: Policy['shadow']): string {
  if (!shadow) return 'off';
  return `${shadow.percent} % of new runs shadowed on ${shadow.engine ?? 'the other engine'}`;
}

function describeGate(gate: Policy['rolloutGate']): string {
  if (!gate) return 'none: raising the Temporal share is not gated';
  const latency = gate.maxLatencyRatio === undefined ? '' : `, shadow p50 at most ${gate.maxLatencyRatio}× the primary's`;
  return `at least ${gate.minCompared} comparisons, at most ${(gate.maxDiscrepancyRate * 100).toFixed(2)} % different${latency}`;
}

function describeRollback(rollback: Policy['rollback']): string {
  if (!rollback) return 'off';
  return `after ${rollback.minRuns} finished runs per engine: Temporal error rate over ${rollback.maxErrorRateRatio}× or p99 over ${rollback.maxP99LatencyRatio}× the Postgres engine's`;
}

function percentOf(policy: Policy | null): string {
  if (!policy) return '–';
  return policy.engine?.type === 'percent' ? `${policy.engine.temporalPercent} %` : policy.engine ? policy.engine.type : 'default';
}

function formatRatio(ratio: number | null): string {
  return ratio === null ? '–' : `${ratio.toFixed(2)}×`;
}

/** The shadow report of `GET /v1/workflows/:name/shadow`; a 404 means none is kept. */
function ShadowReportView({ name }: { name: string }) {
  const api = useApi();
  const report = useQuery({
    queryKey: ['workflow', name, 'shadow'],
    queryFn: () => api.get<ShadowReport>(`/v1/workflows/${encodeURIComponent(name)}/shadow`),
    retry: false,
  });
  if (report.error instanceof ApiError && report.error.status === 404) return <p className="muted">No shadow report.</p>;
  if (!report.data) return <ErrorNotice error={report.error} />;
  const r = report.data;
  return (
    <>
      <dl className="facts" aria-label="Shadow comparison figures">
        <dt>Compared</dt>
        <dd>
          {r.compared} ({r.matched} matched, {r.different} different, {r.pending} pending)
        </dd>
        <dt>Discrepancy rate</dt>
        <dd>{(r.discrepancyRate * 100).toFixed(2)} %</dd>
        <dt>Latency p50</dt>
        <dd>
          primary {r.latency.primaryP50Ms ?? '–'} ms, shadow {r.latency.shadowP50Ms ?? '–'} ms, ratio {formatRatio(r.latency.ratio)}
        </dd>
      </dl>
      {r.differences.length > 0 ? (
        <table className="list">
          <caption>First differences</caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Path</th>
              <th scope="col">Field</th>
              <th scope="col">Primary</th>
              <th scope="col">Shadow</th>
            </tr>
          </thead>
          <tbody>
            {r.differences.map((d) => (
              <tr key={d.runId}>
                <td>
                  <a href={href.run(d.runId)}>{d.runId}</a>
                </td>
                <td>
                  <code>{d.path}</code>
                </td>
                <td>{d.field}</td>
                <td>
                  <code>{JSON.stringify(d.primary)}</code>
                </td>
                <td>
                  <code>{JSON.stringify(d.shadow)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

function HistoryTable({ history }: { history: readonly PolicyChange[] }) {
  if (history.length === 0) return <p className="muted">The policy was never changed.</p>;
  return (
    <table className="list">
      <caption className="visually-hidden">Policy changes, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">Temporal share</th>
          <th scope="col">Forced</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {history.map((change, i) => (
          <tr key={`${change.at}-${i}`}>
            <td>{formatTime(change.at)}</td>
            <td>
              <code>{change.actor}</code>
            </td>
            <td>
              {percentOf(change.from)} → {percentOf(change.to)}
            </td>
            <td>{change.forced ? 'forced past the gate' : 'no'}</td>
            <td>{change.reason ?? '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A workflow's engine rollout: shadow, gate, rollback, the shadow report and the policy history. */
export function RolloutPanel({ name, summary }: { name: string; summary: WorkflowSummary }) {
  const { policy } = summary;
  return (
    <section aria-labelledby="rollout-heading">
      <h2 id="rollout-heading">Engine rollout</h2>
      <dl className="facts">
        <dt>Shadow runs</dt>
        <dd>{describeShadow(policy.shadow)}</dd>
        <dt>Rollout gate</dt>
        <dd>{describeGate(policy.rolloutGate)}</dd>
        <dt>Automatic rollback</dt>
        <dd>{describeRollback(policy.rollback)}</dd>
      </dl>
      <h3>Shadow report</h3>
      <ShadowReportView name={name} />
      <h3>Policy history</h3>
      <HistoryTable history={summary.history} />
    </section>
  );
}
