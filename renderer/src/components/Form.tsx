/**
 * Dialog forms described by field lists (fields.ts). Values go to the core as typed (money typed in yuan is
 * sent in fen); the core's zod validation is the one set of rules, and its message is shown beside the field
 * it names. A dialog is generic in what it submits: `<FormDialog<FormOf<'post.create'>> …>` checks every
 * field key and kind against the operation's input and hands `onSubmit` values of that type.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, call } from '../api.ts';
import { isBlank, textOf, toInput, type AnyField, type Draft, type DraftValue, type Field } from '../fields.ts';

export type { Draft, Field, FormOf } from '../fields.ts';

/** V is given explicitly (`<FormDialog<FormOf<'post.create'>> …>`), never inferred from the props. */
interface FormDialogProps<V> {
  title: string;
  fields: readonly Field<NoInfer<V>>[];
  initial?: Draft<NoInfer<V>>;
  submitText?: string;
  /** Receives the converted input; throw ApiError to show the core's message. */
  onSubmit: (input: NoInfer<V>) => Promise<unknown>;
  onClose: (saved: boolean) => void;
  children?: ReactNode;
  /** Called whenever a value changes (e.g. to re-check eligibility). */
  onChange?: (values: Draft<NoInfer<V>>) => void;
}

export function FormDialog<V>({
  title,
  fields,
  initial = {},
  submitText = '保存',
  onSubmit,
  onClose,
  children,
  onChange,
}: FormDialogProps<V>) {
  const shown: readonly AnyField[] = fields;
  const { valueOf, set, errors, general, checks, busy, submit } = useFormState(
    fields,
    initial,
    onSubmit,
    onClose,
    onChange,
  );
  const first = useRef<HTMLDivElement>(null);

  useEffect(() => {
    first.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, []);

  return (
    <div className="modal-backdrop" role="presentation">
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose(false);
          if (e.key === 'Enter' && (e.ctrlKey || (e.target as HTMLElement).tagName === 'INPUT')) {
            e.preventDefault();
            void submit();
          }
        }}
      >
        <h2>{title}</h2>
        <div className="form-grid" ref={first}>
          {shown
            .filter((f) => !f.hidden)
            .map((f) => (
              <FieldRow key={f.key} field={f} value={valueOf(f.key)} error={errors[f.key]} onChange={set} />
            ))}
        </div>
        {children}
        {general ? (
          <div className="form-error" role="alert">
            {general}
          </div>
        ) : null}
        <CheckList checks={checks} />
        <div className="modal-actions">
          <button type="button" onClick={() => onClose(false)}>
            取消
          </button>
          <button type="button" className="primary" disabled={busy} onClick={() => void submit()}>
            {busy ? '正在保存…' : submitText}
          </button>
        </div>
      </div>
    </div>
  );
}

/**
 * A dialog's draft values and its submission: required fields are checked here, everything else by the core,
 * whose refusal is spread over the fields it names (`errors`) and shown whole (`general`).
 */
function useFormState<V>(
  fields: readonly Field<V>[],
  initial: Draft<V>,
  onSubmit: (input: V) => Promise<unknown>,
  onClose: (saved: boolean) => void,
  onChange: ((values: Draft<V>) => void) | undefined,
) {
  const shown: readonly AnyField[] = fields;
  const [values, setValues] = useState<Draft<V>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [checks, setChecks] = useState<CheckDetail[]>([]);
  const [busy, setBusy] = useState(false);

  const byKey: Record<string, DraftValue> = values;
  const valueOf = (key: string): DraftValue => byKey[key];
  const set = (key: string, v: DraftValue) => {
    const next: Draft<V> = { ...values, [key]: v };
    setValues(next);
    onChange?.(next);
  };

  const submit = async () => {
    const missing = shown.filter((f) => f.required && !f.hidden && isBlank(valueOf(f.key)));
    if (missing.length) {
      setErrors(Object.fromEntries(missing.map((f) => [f.key, `请填写「${f.label}」`])));
      setGeneral(`请填写「${missing[0]!.label}」`);
      return;
    }
    setBusy(true);
    try {
      await onSubmit(toInput(fields, values));
      onClose(true);
    } catch (e) {
      setErrors(errorsByField(e));
      setGeneral((e as Error).message);
      setChecks(detailsOf(e).filter(isCheckDetail));
    } finally {
      setBusy(false);
    }
  };
  return { valueOf, set, errors, general, checks, busy, submit };
}

/** A refusal's details: per-field messages (validation), or the checks that decided it (eligibility, conditions). */
type FieldDetail = { field: string; message: string };
export type CheckDetail = { label: string; ok: boolean; blocking?: boolean; detail?: string };

function detailsOf(e: unknown): unknown[] {
  const details = e instanceof ApiError ? e.shape.details : undefined;
  return Array.isArray(details) ? (details as unknown[]) : [];
}
const isFieldDetail = (d: unknown): d is FieldDetail =>
  typeof d === 'object' && d !== null && typeof (d as FieldDetail).field === 'string';
const isCheckDetail = (d: unknown): d is CheckDetail =>
  typeof d === 'object' && d !== null && typeof (d as CheckDetail).label === 'string' && 'ok' in d;

/** The core's messages by top-level field: its details first, then the field the error itself names. */
function errorsByField(e: unknown): Record<string, string> {
  const shape = e instanceof ApiError ? e.shape : null;
  const field = shape?.field?.split('.')[0];
  const byField: Record<string, string> = {};
  for (const d of detailsOf(e).filter(isFieldDetail)) byField[d.field.split('.')[0]!] ??= d.message;
  if (field) byField[field] ??= shape.message;
  return byField;
}

/** The checks a refusal reports, each with its state: ✔ passed, ✘ failed and blocking, ！ to be acknowledged. */
export function CheckList({ checks, label = '检查结果' }: { checks: readonly CheckDetail[]; label?: string }) {
  if (!checks.length) return null;
  return (
    <ul className="conditions" aria-label={label}>
      {checks.map((c) => {
        const state = c.ok ? 'ok' : c.blocking ? 'fail' : 'warn';
        return (
          <li key={c.label} className={state}>
            <span aria-label={{ ok: '通过', fail: '不通过', warn: '需确认' }[state]}>
              {{ ok: '✔', fail: '✘', warn: '！' }[state]}
            </span>{' '}
            {c.label}
            {c.detail ? `：${c.detail}` : ''}
          </li>
        );
      })}
    </ul>
  );
}

/** One labelled field of a dialog with its error (or else its hint) under the input. */
function FieldRow({
  field: f,
  value,
  error,
  onChange,
}: {
  field: AnyField;
  value: DraftValue;
  error: string | undefined;
  onChange: (key: string, v: DraftValue) => void;
}) {
  return (
    <label
      className={`form-field${f.wide || f.kind === 'textarea' || f.kind === 'multi' ? ' wide' : ''}${error ? ' has-error' : ''}`}
    >
      <span className="form-label">
        {f.label}
        {f.required ? <em>*</em> : null}
      </span>
      <FieldInput field={f} value={value} onChange={(v) => onChange(f.key, v)} />
      {error ? (
        <span className="field-error">{error}</span>
      ) : f.hint ? (
        <span className="field-hint">{f.hint}</span>
      ) : null}
    </label>
  );
}

function FieldInput({
  field,
  value,
  onChange,
}: {
  field: AnyField;
  value: DraftValue;
  onChange: (v: DraftValue) => void;
}) {
  const kind = field.kind ?? 'text';
  const name = field.key;
  if (kind === 'select') {
    return (
      <select name={name} value={textOf(value)} onChange={(e) => onChange(e.target.value)}>
        <option value="">（请选择）</option>
        {field.options?.map((o) => {
          const opt = typeof o === 'string' ? { value: o, label: o } : o;
          return (
            <option key={String(opt.value)} value={String(opt.value)}>
              {opt.label}
            </option>
          );
        })}
      </select>
    );
  }
  if (kind === 'multi') {
    const chosen: readonly string[] = Array.isArray(value) ? value : [];
    return (
      <span className="multi" role="group" aria-label={field.label}>
        {field.options?.map((o) => {
          const label = typeof o === 'string' ? o : o.label;
          const v = typeof o === 'string' ? o : String(o.value);
          return (
            <label key={v} className="chip">
              <input
                type="checkbox"
                name={name}
                value={v}
                checked={chosen.includes(v)}
                onChange={(e) => onChange(e.target.checked ? [...chosen, v] : chosen.filter((x) => x !== v))}
              />
              {label}
            </label>
          );
        })}
      </span>
    );
  }
  if (kind === 'check')
    return <input type="checkbox" name={name} checked={!!value} onChange={(e) => onChange(e.target.checked)} />;
  if (kind === 'known') {
    const current =
      value === true || value === 1 || value === '1' ? '1' : value === false || value === 0 || value === '0' ? '0' : '';
    return (
      <select name={name} value={current} onChange={(e) => onChange(e.target.value)}>
        <option value="">未知</option>
        <option value="1">是</option>
        <option value="0">否</option>
      </select>
    );
  }
  if (kind === 'textarea')
    return <textarea name={name} rows={3} value={textOf(value)} onChange={(e) => onChange(e.target.value)} />;
  if (kind === 'household' || kind === 'person')
    return (
      <RecordPicker kind={kind} name={name} value={typeof value === 'number' ? value : undefined} onChange={onChange} />
    );
  return (
    <input
      name={name}
      type={kind === 'password' ? 'password' : 'text'}
      autoComplete={kind === 'password' ? 'new-password' : undefined}
      inputMode={kind === 'number' || kind === 'money' ? 'decimal' : undefined}
      placeholder={kind === 'date' ? 'YYYY-MM-DD' : kind === 'month' ? 'YYYY-MM' : kind === 'money' ? '元' : undefined}
      value={textOf(value)}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** Search a household (by head, 户编号 or ID) or a person (by name or ID) and pick one. */
export function RecordPicker({
  kind,
  name,
  value,
  onChange,
}: {
  kind: 'household' | 'person';
  name: string;
  value: number | undefined;
  onChange: (v: number) => void;
}) {
  const [term, setTerm] = useState('');
  const [options, setOptions] = useState<{ id: number; label: string }[]>([]);
  const [chosen, setChosen] = useState<string>('');
  useEffect(() => {
    if (term.trim().length < 1) {
      setOptions([]);
      return;
    }
    let live = true;
    const t = setTimeout(async () => {
      try {
        if (kind === 'household') {
          const page = await call('household.list', { quick: term.trim(), limit: 20 });
          if (live)
            setOptions(
              page.rows.map((h) => ({
                id: h.id,
                label: `${h.headName ?? '（无户主）'} · ${h.villageName} · 户编号 ${h.hhNo ?? '无'}`,
              })),
            );
        } else {
          const page = await call('person.list', { quick: term.trim(), limit: 20 });
          if (live)
            setOptions(
              page.rows.map((p) => ({ id: p.id, label: `${p.name} · ${p.villageName} · ${p.age}岁 · ${p.relation}` })),
            );
        }
      } catch {
        if (live) setOptions([]);
      }
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [term, kind]);
  return (
    <span className="picker">
      <input
        name={`${name}-search`}
        placeholder={kind === 'household' ? '输入户主姓名、户编号或身份证号搜索' : '输入姓名或身份证号搜索'}
        value={term}
        onChange={(e) => setTerm(e.target.value)}
      />
      {value ? <span className="picked">已选：{chosen || `编号 ${value}`}</span> : null}
      {options.length > 0 ? (
        <ul className="picker-list" role="listbox">
          {options.map((o) => (
            <li
              key={o.id}
              role="option"
              aria-selected={o.id === value}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                onChange(o.id);
                setChosen(o.label);
                setOptions([]);
                setTerm('');
              }}
            >
              {o.label}
            </li>
          ))}
        </ul>
      ) : null}
    </span>
  );
}

/** A confirm-style action with one reason/date field is common (reject, rollback, exit). */
export function useDialog() {
  const [dialog, setDialog] = useState<ReactNode>(null);
  return { dialog, open: setDialog, close: () => setDialog(null) };
}
