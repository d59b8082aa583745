// Host values handed to WGSL as module-scope constants (the "prelude" before every kernel): numbers only,
// typed explicitly, so a value never changes meaning on the way (an integer-valued f32 stays f32).
import { shown } from '../errors.js';

export interface ConstantValues {
  u32?: Record<string, number | number[]>;
  f32?: Record<string, number | number[]>;
  bool?: Record<string, boolean>;
}

const NAME = /^[A-Z][A-Z0-9_]*$/;

function literal(type: 'u32' | 'f32', value: number, name: string): string {
  if (typeof value !== 'number' || !Number.isFinite(type === 'f32' ? Math.fround(value) : value))
    throw new Error(
      `WGSL constant ${name}: ${typeof value === 'number' ? value : typeof value} is not a finite ${type === 'f32' ? 'float32' : 'number'}`,
    );
  if (type === 'u32') {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
      throw new Error(`WGSL constant ${name}: ${value} is not a u32`);
    return `${value}u`;
  }
  const text = String(Math.fround(value));
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** `const NAME: type = value;` (or `const NAME = array<type, n>(...);`) lines, one per value. */
export function wgslConstants(values: ConstantValues): string {
  const lines: string[] = [];
  for (const type of ['u32', 'f32'] as const) {
    for (const [name, value] of Object.entries(values[type] ?? {})) {
      if (!NAME.test(name)) throw new Error(`WGSL constant name ${shown(name)} must be UPPER_SNAKE_CASE`);
      if (Array.isArray(value)) {
        if (value.length === 0) throw new Error(`WGSL constant ${name}: an array needs at least one element`);
        const items = value.map((v) => literal(type, v, name)).join(', ');
        lines.push(`const ${name} = array<${type}, ${value.length}>(${items});`);
      } else {
        lines.push(`const ${name}: ${type} = ${literal(type, value, name)};`);
      }
    }
  }
  for (const [name, value] of Object.entries(values.bool ?? {})) {
    if (!NAME.test(name)) throw new Error(`WGSL constant name ${shown(name)} must be UPPER_SNAKE_CASE`);
    if (typeof value !== 'boolean') throw new Error(`WGSL constant ${name}: a bool must be true or false`);
    lines.push(`const ${name}: bool = ${value};`);
  }
  return lines.join('\n');
}
