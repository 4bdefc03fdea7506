import type { ErrorCode, LedgerErrorShape } from '../../shared/errors.ts';

/** A failure meant for users: `message` is Chinese and names the field or record at fault. */
export class LedgerError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, field?: string, details?: unknown) {
    super(message);
    this.name = 'LedgerError';
    this.code = code;
    this.field = field;
    this.details = details;
  }

  toShape(): LedgerErrorShape {
    const shape: LedgerErrorShape = { code: this.code, message: this.message };
    if (this.field !== undefined) shape.field = this.field;
    if (this.details !== undefined) shape.details = this.details;
    return shape;
  }
}

/** A record that does not exist; `field` names the input that pointed at it, so a form can mark it. */
export const notFound = (what: string, id: number | string, field?: string) =>
  new LedgerError('not_found', `找不到${what}（编号 ${id}）`, field);
export const invalid = (field: string, message: string) => new LedgerError('validation', message, field);

/**
 * A refusal whose audit entries must stay: a failed sign-in counts its attempt and is audited, then refused. The
 * dispatcher commits the write's transaction and only then returns the error.
 */
export class KeptRefusal extends LedgerError {}
