import type { ConfigResult } from "../api/benchmark";

const SERIES = [
  { key: "brand_accuracy", label: "Brand", className: "series-a" },
  { key: "category_accuracy", label: "Category", className: "series-b" },
  { key: "tier1_accuracy", label: "Tier-1", className: "series-c" },
] as const;

const ROW = 18;
const GROUP_GAP = 14;
const LABEL_W = 230;
const BAR_W = 300;

/** Grouped horizontal bars (brand, category, tier-1 accuracy) per configuration, in SVG. */
export function AccuracyChart({ configs }: { configs: ConfigResult[] }) {
  if (configs.length === 0) return <p className="muted">No results yet.</p>;
  const group = SERIES.length * ROW + GROUP_GAP;
  const height = configs.length * group + 24;
  const summary = configs
    .map((c) => `${c.config_key}: brand ${Math.round((c.brand_accuracy ?? 0) * 100)}%`)
    .join("; ");
  return (
    <figure className="bench-chart">
      <svg role="img" aria-label={`Accuracy per configuration. ${summary}`} width="100%"
        viewBox={`0 0 ${LABEL_W + BAR_W + 60} ${height}`}>
        {configs.map((c, i) => (
          <g key={c.config_key} transform={`translate(0, ${i * group})`}>
            <text x={0} y={ROW} className="chart-label">
              {c.config_key}
            </text>
            {SERIES.map((s, j) => {
              const v = c[s.key];
              return (
                <g key={s.key} transform={`translate(${LABEL_W}, ${j * ROW})`}>
                  <rect width={BAR_W} height={ROW - 4} className="chart-track" />
                  <rect width={(v ?? 0) * BAR_W} height={ROW - 4} className={s.className}>
                    <title>{`${s.label}: ${v == null ? "not scored" : `${Math.round(v * 100)}%`}`}</title>
                  </rect>
                  <text x={BAR_W + 6} y={ROW - 6} className="chart-value">
                    {v == null ? "–" : `${Math.round(v * 100)}%`}
                  </text>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
      <figcaption className="bench-legend">
        {SERIES.map((s) => (
          <span key={s.key} className={s.className}>
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
