// The API key lives in this tab's sessionStorage only: closing the tab signs out, and it never
// reaches localStorage, cookies or a URL the console keeps.
const STORAGE_KEY = 'baton.apiKey';

/** The signed-in key, if any. */
export function readSessionKey(): string | undefined {
  return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
}

export function storeSessionKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function clearSessionKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/**
 * Signs in with a key handed over in the URL fragment (`/ui/#key=…`, printed by `baton dev`):
 * the fragment never reaches a server; it is read once, stored for the session and removed from
 * the address bar and history.
 */
export function takeKeyFromFragment(): void {
  const match = /^#key=([^&]+)/.exec(window.location.hash);
  if (!match) return;
  storeSessionKey(decodeURIComponent(match[1]!));
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/runs`);
}
