import { useState } from "react";
import type { ClusterNode } from "../../../api/types";
import { setMaintenance } from "../api/overview";

function resource(node: ClusterNode, key: "CPU" | "GPU" | "memory"): string {
  const value = (node.resources as Record<string, number | null | undefined> | undefined)?.[key];
  if (value === null || value === undefined) return "—";
  if (key === "memory") return `${(value / 1024 ** 3).toFixed(1)} GB`;
  return String(value);
}

export function NodeCard({ node, onChanged }: { node: ClusterNode; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggleId = `maint-${node.node}`;

  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      await setMaintenance(node.node, !node.maintenance);
      onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const state = !node.alive ? "down" : node.maintenance ? "maintenance" : "up";
  return (
    <article className={`card node-card node-${state}`} data-testid="node-card" data-node={node.node}>
      <header className="card-head">
        <h3>{node.node}</h3>
        <span className={`dot dot-${state}`} aria-hidden="true" />
        <span className="node-state">{state === "up" ? "alive" : state}</span>
      </header>
      <dl className="stats">
        <div>
          <dt>Queued</dt>
          <dd data-testid="node-queued">{node.queued}</dd>
        </div>
        <div>
          <dt>Processing</dt>
          <dd>{node.processing}</dd>
        </div>
        <div>
          <dt>Workers</dt>
          <dd>{node.workers}</dd>
        </div>
        <div>
          <dt>CPU</dt>
          <dd>{resource(node, "CPU")}</dd>
        </div>
        <div>
          <dt>GPU</dt>
          <dd>{resource(node, "GPU")}</dd>
        </div>
        <div>
          <dt>Memory</dt>
          <dd>{resource(node, "memory")}</dd>
        </div>
      </dl>
      <div className="toggle-row">
        <label htmlFor={toggleId} className="switch">
          <input
            id={toggleId}
            type="checkbox"
            role="switch"
            checked={node.maintenance}
            disabled={busy || !node.alive}
            onChange={() => void toggle()}
          />
          <span className="switch-track" aria-hidden="true" />
          <span>Maintenance</span>
        </label>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}
