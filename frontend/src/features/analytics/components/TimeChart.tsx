export type Point = { t: string; completed: number; failed: number };

/** Stacked columns per time bucket (completed + failed), as an SVG that scales to its box. */
export function TimeChart({ points }: { points: Point[] }) {
  if (points.length === 0) return <p className="muted">No jobs in the period.</p>;
  const max = Math.max(...points.map((p) => p.completed + p.failed), 1);
  const w = 100 / points.length;
  const total = points.reduce((a, p) => a + p.completed + p.failed, 0);
  return (
    <figure className="chart">
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" role="img" aria-label={`Jobs over time: ${total} finished jobs in ${points.length} buckets`}>
        {points.map((p, i) => {
          const hc = (p.completed / max) * 38;
          const hf = (p.failed / max) * 38;
          return (
            <g key={p.t}>
              <rect x={i * w + w * 0.1} width={w * 0.8} y={40 - hc} height={hc} className="chart-ok">
                <title>{`${p.t}: ${p.completed} completed, ${p.failed} failed`}</title>
              </rect>
              <rect x={i * w + w * 0.1} width={w * 0.8} y={40 - hc - hf} height={hf} className="chart-fail" />
            </g>
          );
        })}
      </svg>
      <figcaption className="small muted chart-axis">
        <span>{points[0]?.t}</span>
        <span>
          <span className="legend legend-ok" /> completed <span className="legend legend-fail" /> failed
        </span>
        <span>{points[points.length - 1]?.t}</span>
      </figcaption>
    </figure>
  );
}
