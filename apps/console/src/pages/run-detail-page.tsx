import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import type { ListEventsResponse, ListTasksResponse, RunStepsResponse, RunView } from '../api/api-types.js';
import { ErrorNotice } from '../components/error-notice.js';
import { formatTime } from '../components/format-time.js';
import { JsonViewer } from '../components/json-viewer.js';
import { StatusBadge } from '../components/status-badge.js';
import { StepTimeline } from '../components/step-timeline.js';
import { href } from '../hash-route.js';

const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);
/** How often an unfinished run refreshes while shown. */
const RUN_REFRESH_MS = 1_000;

type ControlAction = 'cancel' | 'retry' | 'resume';

/** One run: status, engine and version, the step timeline, data, waits, tasks, events, and run control. */
export function RunDetailPage({ runId }: { runId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const path = `/v1/runs/${encodeURIComponent(runId)}`;
  const run = useQuery({
    queryKey: ['run', runId],
    queryFn: () => api.get<RunView>(path),
    refetchInterval: (q) => (q.state.data && FINISHED.has(q.state.data.status) ? false : RUN_REFRESH_MS),
  });
  const live = !run.data || !FINISHED.has(run.data.status);
  const steps = useQuery({
    queryKey: ['run', runId, 'steps'],
    queryFn: () => api.get<RunStepsResponse>(`${path}/steps`),
    enabled: run.isSuccess,
    refetchInterval: live ? RUN_REFRESH_MS : false,
  });
  const tasks = useQuery({
    queryKey: ['run', runId, 'tasks'],
    queryFn: () => api.get<ListTasksResponse>(`/v1/tasks?runId=${encodeURIComponent(runId)}`),
    enabled: run.isSuccess,
    refetchInterval: live ? RUN_REFRESH_MS * 2 : false,
  });
  const events = useQuery({
    queryKey: ['events', 'run', runId],
    queryFn: () => api.get<ListEventsResponse>(`/v1/events?runId=${encodeURIComponent(runId)}&limit=200`),
    enabled: run.isSuccess,
    refetchInterval: live ? RUN_REFRESH_MS * 2 : false,
  });
  const [reason, setReason] = useState('operator action from the console');
  const control = useMutation({
    mutationFn: (action: ControlAction) => api.post<unknown>(`${path}/${action}`, { reason }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['run', runId] }),
  });

  if (run.error instanceof ApiError && run.error.status === 404) {
    return (
      <>
        <h1>Run not found</h1>
        <p>
          No run <code>{runId}</code> exists for your tenant. <a href={href.runs()}>Back to runs</a>
        </p>
      </>
    );
  }
  if (!run.data) return run.error ? <ErrorNotice error={run.error} /> : <p>Loading…</p>;

  const r = run.data;
  const generations = [...new Set((steps.data?.items ?? []).map((s) => s.generation))].sort((a, b) => a - b);
  const resumedBy = events.data?.items ?? [];
  return (
    <>
      <h1>
        Run <code>{r.runId}</code>
      </h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="run-status">
          <StatusBadge status={r.status} />
        </dd>
        <dt>Workflow</dt>
        <dd>
          <a href={href.workflow(r.workflow)}>{r.workflow}</a> version {r.version}
        </dd>
        <dt>Engine</dt>
        <dd>{r.engine === 'db' ? 'db (Postgres)' : 'temporal'}</dd>
        <dt>Generations</dt>
        <dd>{generations.length ? `${generations.length} (continue-as-new ${generations.length - 1}×)` : '–'}</dd>
        <dt>Created</dt>
        <dd>{formatTime(r.createdAt)}</dd>
        <dt>Completed</dt>
        <dd>{formatTime(r.completedAt)}</dd>
      </dl>
      {r.error ? (
        <div className="notice notice-error" role="status">
          <code className="error-code">{r.error.code}</code> {r.error.category}: {r.error.message}
        </div>
      ) : null}

      <section aria-labelledby="control-heading">
        <h2 id="control-heading">Run control</h2>
        <div className="controls">
          <label>
            Reason
            <input value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          {(['cancel', 'retry', 'resume'] as const).map((action) => (
            <button key={action} type="button" className={action === 'cancel' ? 'danger' : ''} disabled={control.isPending || reason.trim() === ''} onClick={() => control.mutate(action)}>
              {action[0]!.toUpperCase() + action.slice(1)}
            </button>
          ))}
        </div>
        {control.isSuccess ? (
          <p role="status" className="notice notice-ok">
            {control.variables} accepted.
          </p>
        ) : null}
        <ErrorNotice error={control.error} />
      </section>

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Step timeline</h2>
        <ErrorNotice error={steps.error} />
        {steps.data ? <StepTimeline steps={steps.data.items} now={steps.dataUpdatedAt} /> : <p>Loading…</p>}
      </section>

      <section aria-labelledby="waits-heading">
        <h2 id="waits-heading">Open waits and tasks</h2>
        {r.waits.length === 0 && !tasks.data?.items.length ? <p className="muted">None.</p> : null}
        <ul>
          {r.waits.map((w) => (
            <li key={w.waitId}>
              <strong>{w.type}</strong> at step <code>{w.stepId}</code>
              {w.eventName ? ` — event ${w.eventName} with key ${w.correlationKey ?? '(none)'}` : ''}
              {w.title ? ` — "${w.title}"` : ''}
              {w.timeoutAt ? ` — times out ${formatTime(w.timeoutAt)}` : ''}
            </li>
          ))}
          {tasks.data?.items.map((t) => (
            <li key={t.taskId}>
              Task "{t.title}" <StatusBadge status={t.status} /> {t.status === 'OPEN' ? <a href={href.tasks()}>open in the tasks inbox</a> : null}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="events-heading">
        <h2 id="events-heading">Events that resumed this run</h2>
        {resumedBy.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul>
            {resumedBy.map((e) => (
              <li key={e.eventId}>
                <code>{e.eventName}</code> {e.eventId} (key {e.correlationKey ?? 'missing'}) at {formatTime(e.receivedAt)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="data-heading">
        <h2 id="data-heading">Data</h2>
        <JsonViewer label="input" value={r.input} />
        <JsonViewer label="output" value={r.output} />
        <details>
          <summary>Step outputs (what the variables are written from)</summary>
          {(steps.data?.items ?? [])
            .filter((s) => s.output !== undefined)
            .map((s) => (
              <JsonViewer key={s.key} label={s.path} value={s.output} />
            ))}
        </details>
      </section>
    </>
  );
}
