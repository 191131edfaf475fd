import { useEffect, useRef, useState, useSyncExternalStore, type FormEvent } from "react";
import { isAuthRequired, setToken, subscribeAuth } from "../../../api/auth";

/** Shown after the first 401: asks for the API token once and keeps it for this tab. */
export function TokenDialog() {
  const required = useSyncExternalStore(subscribeAuth, isAuthRequired, () => false);
  const [value, setValue] = useState("");
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (required) inputRef.current?.focus();
  }, [required]);

  if (!required) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) return;
    setToken(value.trim());
    // Every open view re-requests with the token; a reload is the simplest way to get there.
    window.location.reload();
  };
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="token-title">
        <form onSubmit={submit}>
          <h2 id="token-title">API token required</h2>
          <p className="small">
            This server needs a token. It is kept in this browser tab only (session storage).
          </p>
          <div className="field">
            <label htmlFor="token-input">API token</label>
            <input
              id="token-input"
              ref={inputRef}
              type="password"
              autoComplete="off"
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          </div>
          <button type="submit" className="btn btn-primary">
            Save token
          </button>
        </form>
      </div>
    </div>
  );
}
