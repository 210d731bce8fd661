import { useEffect, useState } from 'react';

/** A page of the console, parsed from the URL fragment (`#/runs/<id>`): hash routing needs no server fallback. */
export type Route =
  | { readonly page: 'runs' }
  | { readonly page: 'run'; readonly runId: string }
  | { readonly page: 'tasks' }
  | { readonly page: 'workflows' }
  | { readonly page: 'workflow'; readonly name: string }
  | { readonly page: 'events' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (parts[0]) {
    case 'runs':
      return parts[1] ? { page: 'run', runId: parts[1] } : { page: 'runs' };
    case 'tasks':
      return { page: 'tasks' };
    case 'workflows':
      return parts[1] ? { page: 'workflow', name: parts[1] } : { page: 'workflows' };
    case 'events':
      return { page: 'events' };
    default:
      return { page: 'runs' };
  }
}

/** The href of a page. */
export const href = {
  runs: () => '#/runs',
  run: (runId: string) => `#/runs/${encodeURIComponent(runId)}`,
  tasks: () => '#/tasks',
  workflows: () => '#/workflows',
  workflow: (name: string) => `#/workflows/${encodeURIComponent(name)}`,
  events: () => '#/events',
};

/** The current route, following fragment changes. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
