/**
 * Typed field lists for the dialogs (components/Form.tsx). A list is `Field<V>[]` where V is what the dialog
 * submits, normally an operation's input from the contract (`FormOf<'post.create'>`, shared/api.ts). Each
 * field's key must be a key of V and its kind must produce a value V accepts for that key, so renaming or
 * retyping a schema field breaks the dialogs that use it at compile time instead of at run time. `toInput`
 * turns what was typed into V.
 *
 * No DOM or React here (nor in forms.ts): tests/renderer-types checks both on the node side.
 */
import type { OpInput, OpName } from '../../shared/api.ts';
import { yuanToFen } from '../../shared/money.ts';
import { normalizeDateText, toHalfWidth } from './text.ts';

export type FieldKind =
  | 'text'
  | 'password'
  | 'textarea'
  | 'date'
  | 'month'
  | 'number'
  | 'money'
  | 'select'
  | 'check'
  | 'known'
  | 'multi'
  | 'household'
  | 'person';

/** What the user has typed or picked so far (before `toInput` converts it). */
export type DraftValue = string | number | boolean | readonly string[] | null | undefined;
/** The dialog's working values: any key of V, as typed. */
export type Draft<V> = { [K in keyof V]?: DraftValue };

/** What a dialog collects for operation K: its input without the keys the page supplies itself (ids…). */
export type FormOf<K extends OpName, Supplied extends keyof OpInput<K> = never> = Omit<OpInput<K>, Supplied>;

interface FieldBase {
  label: string;
  required?: boolean;
  hint?: string;
  /** Hidden fields still submit their initial value. */
  hidden?: boolean;
  wide?: boolean;
}

/** A choice of a select: a text that is its own value, or a value (text or number) with a label. */
export type Choice<X> = Extract<X, string> | { value: Extract<X, string | number>; label: string };

type Elements<X> = Extract<X, readonly unknown[]>[number];

/**
 * The kinds whose converted value (see `toInput`) fits X: text kinds give a string, number kinds a number,
 * a check a boolean, a select one of its options' values, a multi-select an array of its options.
 */
type KindOf<X> =
  | (string extends X ? { kind?: 'text' | 'password' | 'textarea' | 'date' | 'month'; options?: never } : never)
  | (number extends X ? { kind: 'number' | 'money' | 'household' | 'person'; options?: never } : never)
  | (boolean extends X ? { kind: 'check'; options?: never } : never)
  | (null extends X ? (boolean extends X ? { kind: 'known'; options?: never } : never) : never)
  | ([Extract<X, string | number>] extends [never] ? never : { kind: 'select'; options: readonly Choice<X>[] })
  | ([Extract<Elements<X>, string>] extends [never]
      ? never
      : { kind: 'multi'; options: readonly Extract<Elements<X>, string>[] });

/** One field of a dialog that submits V. */
export type Field<V> = { [K in keyof V & string]-?: FieldBase & { key: K } & KindOf<V[K]> }[keyof V & string];

/** The same field seen without its value type, as the dialog renders it. */
export interface AnyField extends FieldBase {
  key: string;
  kind?: FieldKind;
  options?: readonly (string | { value: string | number; label: string })[];
}

/** The text of a primitive draft value ('' for none); lists are not shown as text. */
export const textOf = (v: DraftValue): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';

/** Nothing entered: no value, blank text, or no option picked. */
export const isBlank = (v: DraftValue): boolean => (Array.isArray(v) ? v.length === 0 : textOf(v).trim() === '');

/**
 * Turn what the user typed into what the contract expects (blank optional text → omitted). Each field's kind
 * gives its value's type (text → string, number/money/household/person → number, check → boolean, select →
 * an option's value, multi → the options picked), and `Field<V>` only allows kinds whose type V accepts for
 * that key; presence of required values is checked by the dialog and, finally, by the core.
 */
export function toInput<V>(fields: readonly Field<V>[], values: Draft<V>): V {
  const list: readonly AnyField[] = fields;
  const typed: Record<string, DraftValue> = values;
  const out: Record<string, DraftValue> = {};
  for (const f of list) {
    const v = typed[f.key];
    const kind = f.kind ?? 'text';
    if (kind === 'check') {
      out[f.key] = !!v;
      continue;
    }
    if (kind === 'known') {
      // 是 / 否 / 未知: leaving it on 未知 states "not known", which is not the same as 否.
      out[f.key] = v === true || v === 1 || v === '1' ? true : v === false || v === 0 || v === '0' ? false : null;
      continue;
    }
    if (kind === 'multi') {
      out[f.key] = Array.isArray(v) ? v : [];
      continue;
    }
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) continue;
    const text = textOf(v);
    // A password is what was typed, spaces included.
    if (kind === 'password') out[f.key] = text;
    else if (kind === 'number' || kind === 'household' || kind === 'person') out[f.key] = Number(toHalfWidth(text));
    else if (kind === 'money') out[f.key] = yuanToFen(Number(toHalfWidth(text).replace(/[,，元\s]/g, '')));
    else if (kind === 'date' || kind === 'month') out[f.key] = normalizeDateText(text, kind);
    else if (kind === 'select' && f.options?.some((o) => typeof o === 'object' && typeof o.value === 'number'))
      out[f.key] = Number(v);
    else out[f.key] = typeof v === 'string' ? v.trim() : v;
  }
  // The one place the form's values become the contract's type: the kinds above guarantee each value's type.
  return out as V;
}
