import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createApiClient } from './api/api-client.js';
import { ApiContext } from './api/api-context.js';
import { clearSessionKey, readSessionKey, storeSessionKey, takeKeyFromFragment } from './api/session-key.js';
import { href, useHashRoute, type Route } from './hash-route.js';
import { EventsPage } from './pages/events-page.js';
import { RunDetailPage } from './pages/run-detail-page.js';
import { RunsPage } from './pages/runs-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { WorkflowPage, WorkflowsPage } from './pages/workflows-page.js';

// The tasks page carries the JSON Schema form library and its validator: loaded when first opened.
const TasksPage = lazy(() => import('./pages/tasks-page.js'));

const NAV: ReadonlyArray<{ readonly label: string; readonly href: string; readonly pages: ReadonlyArray<Route['page']> }> = [
  { label: 'Runs', href: href.runs(), pages: ['runs', 'run'] },
  { label: 'Tasks', href: href.tasks(), pages: ['tasks'] },
  { label: 'Workflows', href: href.workflows(), pages: ['workflows', 'workflow'] },
  { label: 'Events', href: href.events(), pages: ['events'] },
];

function pageOf(route: Route): ReactNode {
  switch (route.page) {
    case 'runs':
      return <RunsPage />;
    case 'run':
      return <RunDetailPage runId={route.runId} />;
    case 'tasks':
      return <TasksPage />;
    case 'workflows':
      return <WorkflowsPage />;
    case 'workflow':
      return <WorkflowPage name={route.name} />;
    case 'events':
      return <EventsPage />;
  }
}

/** The console: sign-in, then the pages over the API with the session's key. */
export function App() {
  const [key, setKey] = useState(readSessionKey);
  const route = useHashRoute();
  const queryClient = useQueryClient();
  const signOut = () => {
    clearSessionKey();
    queryClient.clear();
    setKey(undefined);
  };
  // A `#key=…` link opened in a tab that already shows the console signs in with that key.
  useEffect(() => {
    const onHashChange = () => {
      if (!window.location.hash.startsWith('#key=')) return;
      queryClient.clear();
      takeKeyFromFragment();
      setKey(readSessionKey());
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [queryClient]);
  const api = useMemo(() => (key === undefined ? undefined : createApiClient(key, signOut)), [key]);

  if (!api) {
    return (
      <SignInPage
        onSignIn={(newKey) => {
          storeSessionKey(newKey);
          setKey(newKey);
        }}
      />
    );
  }
  return (
    <ApiContext.Provider value={api}>
      <header className="top-bar">
        <span className="brand">Baton console</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={item.pages.includes(route.page) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" className="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p>Loading…</p>}>{pageOf(route)}</Suspense>
      </main>
    </ApiContext.Provider>
  );
}
