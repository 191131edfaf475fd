// The API token lives in sessionStorage: it survives reloads but not closing the tab, and is
// never written to a file or the URL bar.
const KEY = "adclf.apiToken";

type Listener = () => void;
const listeners = new Set<Listener>();
let authRequired = false;

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
  authRequired = false;
  notify();
}

/** Called on a 401: the UI asks for the token once (not once per failing request). */
export function requireAuth(): void {
  if (authRequired) return;
  authRequired = true;
  notify();
}

export function isAuthRequired(): boolean {
  return authRequired;
}

export function subscribeAuth(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const l of listeners) l();
}

export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}
