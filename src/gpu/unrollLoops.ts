// The `#unroll` step of shader composition: a line `#unroll` before `for (var i = A; i < B; i++) {` repeats the
// loop's body once per value of i, each copy in its own block that begins `const i = <value>u;`, so that every
// index the body computes from i is a compile-time constant. A and B must be constant u32 expressions over literals,
// the composed shader's u32 constants (scalars and arrays, e.g. LAYER_OUT4[layer]) and enclosing unrolled loops'
// variables, with + - * / % and parentheses; the variable is a u32 (write the start as one, e.g. `0u`), and the body
// must not `break` or `continue` the unrolled loop itself (no loop is left to leave).
//
// Why: on a CPU adapter (SwiftShader) each invocation is a SIMD lane, and an access to a private array at an index
// that is not a compile-time constant is a per-lane gather or a masked per-lane scatter; at a constant index it is one
// vector load or store (shaders/cpu/laneGradients.wgsl is the kernel this exists for).
import { ReinforceError } from '../errors.js';

/** A line of a composed shader and where it came from. */
interface SourceLine {
  text: string;
  file: string;
  line: number;
}

const UNROLL = /^\s*#unroll\s*$/;
const LOOP_HEADER = /^\s*for\s*\(\s*var\s+([A-Za-z_]\w*)\s*=\s*([^;]+);\s*\1\s*<(?!=)\s*([^;]+);\s*\1\s*\+\+\s*\)\s*\{\s*$/;
const ORIGIN = /^\/\/ @origin (.+):(\d+)$/;
/** Unrolling stops here: a loop nest this large is a mistake (and would take the shader compiler minutes). */
const MAX_COPIES = 1 << 16;

/** The shader with every `#unroll` loop expanded (the text unchanged when it has none). */
export function unrollLoops(code: string): string {
  if (!/^\s*#unroll\s*$/m.test(code)) return code;
  const lines = withOrigins(code);
  const constants = constantTable(code);
  const copies = { count: 0 };
  const expanded = expand(lines, new Map(), constants, copies);
  return withMarkers(expanded);
}

/** Each line of a composed shader with its origin (read from the `// @origin file:line` markers). */
function withOrigins(code: string): SourceLine[] {
  const out: SourceLine[] = [];
  let file = 'host constants';
  let next = 1;
  for (const text of code.split('\n')) {
    const marker = ORIGIN.exec(text);
    if (marker) {
      file = marker[1] as string;
      next = Number(marker[2]);
      continue;
    }
    out.push({ text, file, line: next++ });
  }
  return out;
}

/** Lines back to text, with an origin marker wherever a line does not follow the one before it in its file. */
function withMarkers(lines: SourceLine[]): string {
  const out: string[] = [];
  let file = '';
  let next = -1;
  for (const l of lines) {
    if (l.file !== file || l.line !== next) out.push(`// @origin ${l.file}:${l.line}`);
    out.push(l.text);
    file = l.file;
    next = l.line + 1;
  }
  return out.join('\n');
}

function expand(lines: SourceLine[], vars: Map<string, number>, constants: ConstantTable, copies: { count: number }) {
  const out: SourceLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as SourceLine;
    if (!UNROLL.test(line.text)) {
      out.push(line);
      continue;
    }
    const header = lines[i + 1];
    const match = header && LOOP_HEADER.exec(header.text);
    if (!header || !match) {
      throw shaderError(line, '#unroll must be followed by `for (var i = A; i < B; i++) {` on the next line');
    }
    const [, name, startText, endText] = match as unknown as [string, string, string, string];
    const close = closingBrace(lines, i + 1);
    const body = lines.slice(i + 2, close);
    if (/^\s*\d+\s*$/.test(startText)) {
      throw shaderError(header, `#unroll: write the start as a u32 (${startText.trim()}u): the copies declare ${name} as one`);
    }
    const start = evaluate(startText, vars, constants, header);
    const end = evaluate(endText, vars, constants, header);
    const indent = /^\s*/.exec(header.text)?.[0] ?? '';
    for (let value = start; value < end; value++) {
      copies.count++;
      if (copies.count > MAX_COPIES) throw shaderError(header, `#unroll: more than ${MAX_COPIES} copies of loop bodies`);
      out.push({ ...header, text: `${indent}{ const ${name} = ${value}u;` });
      out.push(...expand(body, new Map([...vars, [name, value]]), constants, copies));
      out.push({ ...(lines[close] as SourceLine), text: `${indent}}` });
    }
    i = close;
  }
  return out;
}

/** The index of the line holding the `}` that closes the block opened at the end of line `open`. */
function closingBrace(lines: SourceLine[], open: number): number {
  let depth = 0;
  for (let i = open; i < lines.length; i++) {
    const text = (lines[i] as SourceLine).text.replace(/\/\/.*$/, '');
    for (const ch of text) {
      if (ch === '{') depth++;
      if (ch === '}' && --depth === 0) {
        if (text.trim() !== '}')
          throw shaderError(lines[i] as SourceLine, '#unroll: the loop must end with `}` alone on its line');
        return i;
      }
    }
  }
  throw shaderError(lines[open] as SourceLine, '#unroll: the loop is never closed');
}

function shaderError(line: SourceLine, message: string): ReinforceError {
  return new ReinforceError('SHADER', `${line.file} line ${line.line}: ${message}`);
}

// ---- constant u32 expressions

type ConstantTable = Map<string, string>;

/** Every module-scope `const NAME[: type] = expression;` of the composed shader, by name (unevaluated). */
function constantTable(code: string): ConstantTable {
  const table: ConstantTable = new Map();
  for (const match of code.matchAll(/^const\s+([A-Za-z_]\w*)\s*(?::\s*[\w<>, ]+)?=\s*([^;]+);/gm)) {
    table.set(match[1] as string, match[2] as string);
  }
  return table;
}

function evaluate(text: string, vars: Map<string, number>, constants: ConstantTable, at: SourceLine): number {
  try {
    return new ConstantExpression(text, vars, constants).value();
  } catch (error) {
    throw shaderError(at, `#unroll: cannot evaluate "${text.trim()}" (${(error as Error).message})`);
  }
}

/** A recursive-descent reader of the u32 expressions #unroll bounds may use. */
class ConstantExpression {
  private readonly tokens: string[];
  private at = 0;

  constructor(
    text: string,
    private readonly vars: Map<string, number>,
    private readonly constants: ConstantTable,
    private readonly depth = 0,
  ) {
    this.tokens = text.match(/[A-Za-z_]\w*|\d+[uif]?|[-+*/%()[\]]/g) ?? [];
    if (this.tokens.join('') !== text.replace(/\s+/g, '')) throw new Error(`unexpected characters in "${text.trim()}"`);
    if (depth > 32) throw new Error('constants refer to each other too deeply');
  }

  value(): number {
    const v = this.sum();
    if (this.at !== this.tokens.length) throw new Error(`unexpected "${this.tokens[this.at]}"`);
    return v;
  }

  private peek(): string | undefined {
    return this.tokens[this.at];
  }

  private take(expected?: string): string {
    const token = this.tokens[this.at++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(`expected ${expected ?? 'more'} at "${token ?? 'the end'}"`);
    }
    return token;
  }

  private sum(): number {
    let v = this.product();
    while (this.peek() === '+' || this.peek() === '-') {
      const op = this.take();
      const r = this.product();
      v = op === '+' ? v + r : v - r;
      if (v < 0) throw new Error('a u32 went below 0');
    }
    return v;
  }

  private product(): number {
    let v = this.factor();
    while (this.peek() === '*' || this.peek() === '/' || this.peek() === '%') {
      const op = this.take();
      const r = this.factor();
      if (op !== '*' && r === 0) throw new Error('division by 0');
      v = op === '*' ? v * r : op === '/' ? Math.floor(v / r) : v % r;
    }
    return v;
  }

  private factor(): number {
    const token = this.take();
    if (token === '(') {
      const v = this.sum();
      this.take(')');
      return v;
    }
    if (/^\d+u?$/.test(token)) return Number.parseInt(token, 10);
    if (!/^[A-Za-z_]\w*$/.test(token)) throw new Error(`unexpected "${token}"`);
    const own = this.vars.get(token);
    if (own !== undefined) return own;
    const definition = this.constants.get(token);
    if (definition === undefined) throw new Error(`${token} is not a u32 constant`);
    if (this.peek() === '[') {
      this.take('[');
      const index = this.sum();
      this.take(']');
      const items = /^\s*array<\s*u32\s*,\s*\d+\s*>\s*\((.*)\)\s*$/s.exec(definition);
      if (!items) throw new Error(`${token} is not a u32 array`);
      const item = (items[1] as string).split(',')[index];
      if (item === undefined) throw new Error(`${token}[${index}] is out of range`);
      return new ConstantExpression(item, new Map(), this.constants, this.depth + 1).value();
    }
    return new ConstantExpression(definition, new Map(), this.constants, this.depth + 1).value();
  }
}
