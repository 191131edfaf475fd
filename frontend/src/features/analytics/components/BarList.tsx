export type Bar = { label: string; value: number; title?: string };

/** Horizontal bars in plain HTML: readable on a phone and by a screen reader as a list. */
export function BarList({ bars, unit = "" }: { bars: Bar[]; unit?: string }) {
  if (bars.length === 0) return <p className="muted">No data yet.</p>;
  const max = Math.max(...bars.map((b) => b.value), 1);
  return (
    <ul className="bars">
      {bars.map((b) => (
        <li key={b.label} className="bar-row">
          <span className="bar-label" title={b.title ?? b.label}>
            {b.label}
          </span>
          <span className="bar-track" aria-hidden="true">
            <span className="bar-fill" style={{ width: `${(b.value / max) * 100}%` }} />
          </span>
          <span className="bar-value">
            {b.value}
            {unit}
          </span>
        </li>
      ))}
    </ul>
  );
}
