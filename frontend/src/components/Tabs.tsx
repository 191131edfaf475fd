import { useRef, type KeyboardEvent } from "react";

export type TabItem<K extends string> = { key: K; label: string };

type Props<K extends string> = {
  items: readonly TabItem<K>[];
  selected: K;
  onSelect: (key: K) => void;
  label: string;
  idPrefix: string;
  controls?: string;
};

/**
 * ARIA tabs with a roving tabindex: Tab enters the list at the selected tab, arrow keys (and
 * Home/End) move between tabs and select them.
 */
export function Tabs<K extends string>({ items, selected, onSelect, label, idPrefix, controls }: Props<K>) {
  const refs = useRef(new Map<K, HTMLButtonElement>());

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const i = items.findIndex((t) => t.key === selected);
    let next = -1;
    if (e.key === "ArrowRight") next = (i + 1) % items.length;
    else if (e.key === "ArrowLeft") next = (i - 1 + items.length) % items.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = items.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const key = items[next]!.key;
    onSelect(key);
    refs.current.get(key)?.focus();
  };

  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {items.map((t) => (
        <button
          key={t.key}
          ref={(el) => {
            if (el) refs.current.set(t.key, el);
            else refs.current.delete(t.key);
          }}
          type="button"
          role="tab"
          id={`${idPrefix}-${t.key}`}
          aria-selected={selected === t.key}
          aria-controls={controls}
          tabIndex={selected === t.key ? 0 : -1}
          className={`tab${selected === t.key ? " tab-active" : ""}`}
          onClick={() => onSelect(t.key)}
          onKeyDown={onKeyDown}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
