/** Every error the library raises on purpose: `code` says what kind, `field` names the offending option. */
export type ReinforceErrorCode =
  | 'NO_ADAPTER'
  | 'DEVICE_LOST'
  | 'INVALID_OPTION'
  | 'INVALID_POLICY'
  | 'INVALID_CHECKPOINT'
  | 'NON_FINITE'
  | 'SHADER'
  | 'ENVIRONMENT'
  | 'BINDING'
  | 'GPU_VALIDATION'
  | 'OUT_OF_MEMORY'
  | 'DESTROYED';

export class ReinforceError extends Error {
  readonly code: ReinforceErrorCode;
  readonly field: string | undefined;

  constructor(code: ReinforceErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'ReinforceError';
    this.code = code;
    this.field = field;
  }
}

export function invalidOption(field: string, message: string): ReinforceError {
  return new ReinforceError('INVALID_OPTION', `${field}: ${message}`, field);
}

/** A value as an error message shows it: one line, at most about 40 characters ("nothing" for undefined). */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  text = text.replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
