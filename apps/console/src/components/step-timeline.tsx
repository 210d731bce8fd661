import type { StepRecord } from '../api/api-types.js';
import { formatDuration } from './format-time.js';
import { StatusBadge } from './status-badge.js';

interface Span {
  readonly start: number;
  readonly end: number;
}

function spanOf(step: StepRecord, now: number): Span {
  const start = Date.parse(step.startedAt);
  return { start, end: step.completedAt ? Date.parse(step.completedAt) : Math.max(start, now) };
}

/**
 * The run's step records in the definition's terms: one row per step execution, indented by its
 * execution path (`loop[2]/charge`), with status, attempt, error and duration, and a Gantt bar
 * placed on the run's time axis. `now` ends the bars of steps still running.
 */
export function StepTimeline({ steps, now }: { steps: readonly StepRecord[]; now: number }) {
  if (steps.length === 0) return <p className="muted">No step has run yet.</p>;
  const ordered = [...steps].sort((a, b) => a.generation - b.generation || a.seq - b.seq);
  const spans = ordered.map((s) => spanOf(s, now));
  const t0 = Math.min(...spans.map((s) => s.start));
  const t1 = Math.max(...spans.map((s) => s.end), t0 + 1);
  return (
    <table className="timeline">
      <caption className="visually-hidden">Step timeline</caption>
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">Type</th>
          <th scope="col">Status</th>
          <th scope="col">Attempt</th>
          <th scope="col">Duration</th>
          <th scope="col" className="gantt-col">
            Timeline
          </th>
        </tr>
      </thead>
      <tbody>
        {ordered.map((step, i) => {
          const span = spans[i]!;
          const depth = step.path.split('/').length - 1;
          const left = ((span.start - t0) / (t1 - t0)) * 100;
          const width = Math.max(0.5, ((span.end - span.start) / (t1 - t0)) * 100);
          return (
            <tr key={step.key} data-step={step.stepId}>
              <th scope="row" style={{ paddingLeft: `${0.5 + depth * 1.25}rem` }}>
                <code>{step.path}</code>
                {step.generation > 0 ? <span className="muted"> (generation {step.generation})</span> : null}
                {step.error ? (
                  <div className="step-error">
                    <code>{step.error.code}</code> {step.error.message}
                  </div>
                ) : null}
              </th>
              <td>{step.stepType}</td>
              <td>
                <StatusBadge status={step.status} />
              </td>
              <td>{step.attempt}</td>
              <td>{step.completedAt ? formatDuration(span.end - span.start) : `${formatDuration(span.end - span.start)}…`}</td>
              <td className="gantt-col">
                <div className="gantt-track" aria-hidden="true">
                  <div className={`gantt-bar bar-${step.status.toLowerCase()}`} style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }} />
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
