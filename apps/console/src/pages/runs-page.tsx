import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { queryString } from '../api/api-client.js';
import { useApi } from '../api/api-context.js';
import type { ListRunsResponse, ListWorkflowsResponse } from '../api/api-types.js';
import { ErrorNotice } from '../components/error-notice.js';
import { formatTime } from '../components/format-time.js';
import { StatusBadge } from '../components/status-badge.js';
import { href } from '../hash-route.js';

const STATUSES = ['RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'CANCELED'] as const;
const PAGE_SIZE = 50;
/** How often the list refreshes while shown. */
export const RUNS_REFRESH_MS = 2_000;

interface Filters {
  workflow: string;
  status: string;
  engine: string;
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { workflow: '', status: '', engine: '', from: '', to: '' };

/** A `datetime-local` value as an ISO time, or undefined. */
function isoOf(local: string): string | undefined {
  if (!local) return undefined;
  const t = new Date(local);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

/** Runs of both engines, newest first, filtered and paged by cursor, refreshed by polling. */
export function RunsPage() {
  const api = useApi();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  // cursors[i] is the cursor of page i (page 0 has none)
  const [cursors, setCursors] = useState<ReadonlyArray<string | undefined>>([undefined]);
  const page = cursors.length - 1;
  const cursor = cursors[page];

  const workflows = useQuery({ queryKey: ['workflows'], queryFn: () => api.get<ListWorkflowsResponse>('/v1/workflows') });
  const query = queryString({
    workflow: filters.workflow,
    status: filters.status,
    engine: filters.engine,
    createdAfter: isoOf(filters.from),
    createdBefore: isoOf(filters.to),
    limit: PAGE_SIZE,
    cursor,
  });
  const runs = useQuery({
    queryKey: ['runs', query],
    queryFn: () => api.get<ListRunsResponse>(`/v1/runs${query}`),
    refetchInterval: RUNS_REFRESH_MS,
    placeholderData: keepPreviousData,
  });

  const setFilter = (name: keyof Filters, value: string) => {
    setFilters((f) => ({ ...f, [name]: value }));
    setCursors([undefined]);
  };

  return (
    <>
      <h1>Runs</h1>
      <form className="filters" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        <label>
          Workflow
          <select value={filters.workflow} onChange={(e) => setFilter('workflow', e.target.value)}>
            <option value="">all</option>
            {workflows.data?.items.map((w) => (
              <option key={w.name} value={w.name}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={filters.status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Engine
          <select value={filters.engine} onChange={(e) => setFilter('engine', e.target.value)}>
            <option value="">both</option>
            <option value="db">db (Postgres)</option>
            <option value="temporal">temporal</option>
          </select>
        </label>
        <label>
          Created from
          <input type="datetime-local" value={filters.from} onChange={(e) => setFilter('from', e.target.value)} />
        </label>
        <label>
          Created before
          <input type="datetime-local" value={filters.to} onChange={(e) => setFilter('to', e.target.value)} />
        </label>
        <button type="button" className="secondary" onClick={() => (setFilters(NO_FILTERS), setCursors([undefined]))}>
          Clear filters
        </button>
      </form>
      <ErrorNotice error={runs.error} />
      <p className="muted" aria-live="off">
        Page {page + 1} · refreshes every {RUNS_REFRESH_MS / 1000} s{runs.isFetching ? ' · updating…' : ''}
      </p>
      <table className="list" aria-busy={runs.isPending}>
        <caption className="visually-hidden">Runs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Workflow</th>
            <th scope="col">Version</th>
            <th scope="col">Engine</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Completed</th>
          </tr>
        </thead>
        <tbody>
          {runs.data?.items.map((run) => (
            <tr key={run.runId}>
              <td>
                <a href={href.run(run.runId)}>
                  <code>{run.runId}</code>
                </a>
              </td>
              <td>{run.workflow}</td>
              <td>{run.version}</td>
              <td>{run.engine}</td>
              <td>
                <StatusBadge status={run.status} />
              </td>
              <td>{formatTime(run.createdAt)}</td>
              <td>{formatTime(run.completedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {runs.data && runs.data.items.length === 0 ? <p>No runs match.</p> : null}
      <div className="pager">
        <button type="button" className="secondary" disabled={page === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous page
        </button>
        <button
          type="button"
          className="secondary"
          disabled={!runs.data?.nextCursor}
          onClick={() => runs.data?.nextCursor && setCursors((c) => [...c, runs.data.nextCursor ?? undefined])}
        >
          Next page
        </button>
      </div>
    </>
  );
}
