import Form from '@rjsf/core';
import type { RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { HumanTaskView, ListTasksResponse, RunView } from '../api/api-types.js';
import { ErrorNotice } from '../components/error-notice.js';
import { formatTime } from '../components/format-time.js';
import { StatusBadge } from '../components/status-badge.js';
import { href } from '../hash-route.js';

const TASKS_REFRESH_MS = 2_000;
const ANY_RESPONSE: RJSFSchema = { type: 'object', title: 'Response' };

/** The run a completed task belongs to, followed until it moved on. */
function RunAfterCompletion({ runId }: { runId: string }) {
  const api = useApi();
  const run = useQuery({
    queryKey: ['run', runId],
    queryFn: () => api.get<RunView>(`/v1/runs/${encodeURIComponent(runId)}`),
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'WAITING' && q.state.data.status !== 'RUNNING' ? false : 500),
  });
  return (
    <p role="status" className="notice notice-ok">
      Task completed. Run <a href={href.run(runId)}>{runId}</a> is now {run.data ? <StatusBadge status={run.data.status} /> : '…'}
    </p>
  );
}

function TaskCard({ task, onSubmitting }: { task: HumanTaskView; onSubmitting: (task: HumanTaskView) => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const complete = useMutation({
    mutationFn: (response: unknown) => api.post<unknown>(`/v1/tasks/${encodeURIComponent(task.taskId)}/complete`, { response }),
    // Pinned before the request: the inbox's next refresh may no longer list the task as open.
    onMutate: () => onSubmitting(task),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['run', task.runId] }),
  });
  const schema = (task.formSchema as RJSFSchema | undefined) ?? ANY_RESPONSE;
  const headingId = `task-${task.taskId}`;
  return (
    <article className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{task.title}</h2>
      <p className="muted">
        {task.taskType} · run <a href={href.run(task.runId)}>{task.runId}</a> · step <code>{task.stepId}</code>
        {task.assignee ? ` · for ${task.assignee}` : ''} · opened {formatTime(task.createdAt)}
        {task.timeoutAt ? ` · times out ${formatTime(task.timeoutAt)}` : ''}
      </p>
      {complete.isSuccess ? (
        <RunAfterCompletion runId={task.runId} />
      ) : (
        <Form
          schema={schema}
          validator={validator}
          idPrefix={`task-${task.taskId}`}
          showErrorList={false}
          noHtml5Validate
          disabled={complete.isPending}
          onSubmit={({ formData }) => complete.mutate(formData ?? {})}
        >
          <button type="submit">Complete task</button>
        </Form>
      )}
      <ErrorNotice error={complete.error} />
    </article>
  );
}

/** The tasks inbox: open human tasks, each with a form rendered from its `formSchema`. */
export default function TasksPage() {
  const api = useApi();
  const tasks = useQuery({
    queryKey: ['tasks', 'OPEN'],
    queryFn: () => api.get<ListTasksResponse>('/v1/tasks?status=OPEN'),
    refetchInterval: TASKS_REFRESH_MS,
  });
  // A task submitted here stays on the page (with its run's new status) until the next visit.
  const [submitted, setSubmitted] = useState<readonly HumanTaskView[]>([]);
  const open = tasks.data?.items ?? [];
  const shown = [...open, ...submitted.filter((c) => !open.some((t) => t.taskId === c.taskId))].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const onSubmitting = (task: HumanTaskView) => setSubmitted((c) => (c.some((t) => t.taskId === task.taskId) ? c : [...c, task]));
  return (
    <>
      <h1>Tasks</h1>
      <ErrorNotice error={tasks.error} />
      {tasks.data && shown.length === 0 ? <p>No open tasks.</p> : null}
      {shown.map((task) => (
        <TaskCard key={task.taskId} task={task} onSubmitting={onSubmitting} />
      ))}
    </>
  );
}
