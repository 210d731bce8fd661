import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { queryString } from '../api/api-client.js';
import { useApi } from '../api/api-context.js';
import type { ListEventsResponse } from '../api/api-types.js';
import { ErrorNotice } from '../components/error-notice.js';
import { formatTime } from '../components/format-time.js';
import { StatusBadge } from '../components/status-badge.js';
import { href } from '../hash-route.js';

const EVENTS_REFRESH_MS = 3_000;

/** Recent events: correlation key and source, where they routed, routing errors; links to the runs. */
export function EventsPage() {
  const api = useApi();
  const [cursors, setCursors] = useState<ReadonlyArray<string | undefined>>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const query = queryString({ limit: 50, cursor });
  const events = useQuery({
    queryKey: ['events', query],
    queryFn: () => api.get<ListEventsResponse>(`/v1/events${query}`),
    refetchInterval: EVENTS_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <h1>Events</h1>
      <ErrorNotice error={events.error} />
      <table className="list">
        <caption className="visually-hidden">Events, most recently received first</caption>
        <thead>
          <tr>
            <th scope="col">Received</th>
            <th scope="col">Event</th>
            <th scope="col">Correlation key</th>
            <th scope="col">Status</th>
            <th scope="col">Routed to</th>
            <th scope="col">Errors</th>
          </tr>
        </thead>
        <tbody>
          {events.data?.items.map((e) => (
            <tr key={e.eventId}>
              <td>{formatTime(e.receivedAt)}</td>
              <td>
                <code>{e.eventName}</code>
                <div className="muted">{e.eventId}</div>
              </td>
              <td>
                {e.correlationKey ?? <em>none</em>}
                <div className="muted">source: {e.correlationSource ?? 'not routed yet'}</div>
              </td>
              <td>
                <StatusBadge status={e.status} />
                {e.deliveries > 1 ? <div className="muted">{e.deliveries} deliveries</div> : null}
              </td>
              <td>
                {e.routed.length + e.startedRuns.length === 0 ? <span className="muted">no run</span> : null}
                <ul className="plain">
                  {e.routed.map((r) => (
                    <li key={r.runId}>
                      resumed <a href={href.run(r.runId)}>{r.runId}</a> ({r.engine})
                    </li>
                  ))}
                  {e.startedRuns.map((r) => (
                    <li key={r.runId}>
                      started <a href={href.run(r.runId)}>{r.runId}</a> ({r.workflow} {r.version})
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <ul className="plain">
                  {e.errors.map((err, i) => (
                    <li key={i}>
                      <code className="error-code">{err.code}</code> {err.message}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {events.data && events.data.items.length === 0 ? <p>No events received.</p> : null}
      <div className="pager">
        <button type="button" className="secondary" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous page
        </button>
        <button
          type="button"
          className="secondary"
          disabled={!events.data?.nextCursor}
          onClick={() => events.data?.nextCursor && setCursors((c) => [...c, events.data.nextCursor ?? undefined])}
        >
          Next page
        </button>
      </div>
    </>
  );
}
