import { useState, type FormEvent } from 'react';
import { createApiClient } from '../api/api-client.js';
import { ErrorNotice } from '../components/error-notice.js';

/** Sign-in with an API key; the key is checked against the API before it is kept for the session. */
export function SignInPage({ onSignIn }: { onSignIn: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await createApiClient(key.trim(), () => undefined).get('/v1/workflows');
      onSignIn(key.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <h1>Baton console</h1>
      <form onSubmit={(e) => void submit(e)} aria-describedby="key-help">
        <label htmlFor="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" required value={key} onChange={(e) => setKey(e.target.value)} />
        <p id="key-help" className="muted">
          The key selects your tenant. It is kept in this browser tab only (session storage) and sent to this server's API.
        </p>
        <button type="submit" disabled={busy || key.trim() === ''}>
          Sign in
        </button>
      </form>
      <ErrorNotice error={error} />
    </main>
  );
}
