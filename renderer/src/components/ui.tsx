/** Small building blocks shared by pages. */
import { useEffect, useState, type ReactNode } from 'react';
import { useQuery } from '../api.ts';

export function SearchBox({
  value,
  onChange,
  placeholder = '快速查找',
}: {
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
}) {
  const [text, setText] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => text !== value && onChange(text), 250);
    return () => clearTimeout(t);
  }, [text, value, onChange]);
  return (
    <input
      className="search"
      type="search"
      aria-label={placeholder}
      placeholder={placeholder}
      value={text}
      onChange={(e) => setText(e.target.value)}
    />
  );
}

export function FilterSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: readonly (string | { value: string | number; label: string })[];
  onChange: (v: string) => void;
}) {
  return (
    <label className="filter">
      <span>{label}</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">全部</option>
        {options.map((o) => {
          const opt = typeof o === 'string' ? { value: o, label: o } : o;
          return (
            <option key={String(opt.value)} value={String(opt.value)}>
              {opt.label}
            </option>
          );
        })}
      </select>
    </label>
  );
}

export function Tabs({
  tabs,
  active,
  onChange,
}: {
  tabs: { key: string; label: string }[];
  active: string;
  onChange: (k: string) => void;
}) {
  return (
    <div className="tabs" role="tablist">
      {tabs.map((t) => (
        <button
          key={t.key}
          role="tab"
          type="button"
          aria-selected={t.key === active}
          className={t.key === active ? 'active' : ''}
          onClick={() => onChange(t.key)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

export function useVillages() {
  const { data } = useQuery('village.list', {});
  return data ?? [];
}

export function villageOptions(villages: { id: number; name: string }[]) {
  return villages.map((v) => ({ value: v.id, label: v.name }));
}

export function Panel({
  title,
  actions,
  children,
  label,
}: {
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  label?: string;
}) {
  return (
    <section className="panel" aria-label={label ?? (typeof title === 'string' ? title : undefined)}>
      <div className="panel-head">
        <h2>{title}</h2>
        <div className="actions">{actions}</div>
      </div>
      {children}
    </section>
  );
}

export function Info({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="info">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v === null || v === undefined || v === '' ? '—' : v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Keep only sort fields the list operation accepts. */
export function allowedSort<F extends string>(sort: { field: string; dir: 'asc' | 'desc' }[], allowed: readonly F[]) {
  return sort.filter((s): s is { field: F; dir: 'asc' | 'desc' } => (allowed as readonly string[]).includes(s.field));
}

/** What the core is doing now (a status line), and what it refused last (an alert), where the user acted. */
export function Progress({ busy, error }: { busy: string | null; error: string | null }) {
  return (
    <>
      {busy ? (
        <div className="progress" role="status">
          {busy}
        </div>
      ) : null}
      {error ? (
        <div className="form-error" role="alert">
          {error}
        </div>
      ) : null}
    </>
  );
}
