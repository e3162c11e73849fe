/**
 * Reads the Python reprs vLLM prints into its logs - `str(dict)` of the non-default args, the
 * compilation config, `Namespace(...)`, dataclass reprs like `StructuredOutputsConfig(backend='auto')`
 * - and JSON (older releases dumped the compilation config as JSON) into JSON values. Never evaluates
 * anything; unknown shapes become strings.
 *
 * - `{k: v}` -> object (keys stringified), `{a, b}` (a set), `[...]` and `(...)` -> arrays;
 * - `'..'`/`".."` with backslash escapes -> string; numbers, `True/False/None`, `true/false/null`;
 * - `<CompilationMode.VLLM_COMPILE: 3>` (an enum repr) -> the string inside the brackets;
 * - `Name(k=v, ...)` -> `{ "__type__": "Name", k: v, ... }` (positional arguments as `_0`, `_1`);
 * - any other bare word (`torch.bfloat16`, `auto`) -> string.
 *
 * Work is bounded: depth, node count and input length are capped, so hostile text stays cheap.
 */

export type PyValue = null | boolean | number | string | PyValue[] | { [key: string]: PyValue };

const MAX_DEPTH = 32;
const MAX_NODES = 20_000;
const MAX_INPUT = 262_144;

class Reader {
  pos = 0;
  nodes = 0;
  constructor(readonly s: string) {}

  ws(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos])) this.pos++;
  }

  value(depth: number): PyValue | undefined {
    if (depth > MAX_DEPTH || ++this.nodes > MAX_NODES) return undefined;
    this.ws();
    const c = this.s[this.pos];
    if (c === undefined) return undefined;
    if (c === '{') return this.dict(depth);
    if (c === '[') return this.seq(']', depth);
    if (c === '(') return this.seq(')', depth);
    if (c === "'" || c === '"') return this.str();
    if (c === '<') return this.angle();
    if (/[-+\d.]/.test(c)) {
      const n = this.num();
      if (n !== undefined) return n;
    }
    return this.word(depth);
  }

  private dict(depth: number): PyValue | undefined {
    this.pos++;
    const obj: Record<string, PyValue> = {};
    const items: PyValue[] = [];
    let isSet = false;
    for (;;) {
      this.ws();
      if (this.s[this.pos] === '}') {
        this.pos++;
        return isSet ? items : obj;
      }
      const key = this.value(depth + 1);
      if (key === undefined) return undefined;
      this.ws();
      if (this.s[this.pos] === ':') {
        this.pos++;
        const v = this.value(depth + 1);
        if (v === undefined) return undefined;
        obj[typeof key === 'string' ? key : JSON.stringify(key)] = v;
      } else {
        isSet = true;
        items.push(key);
      }
      this.ws();
      if (this.s[this.pos] === ',') this.pos++;
      else if (this.s[this.pos] !== '}') return undefined;
    }
  }

  private seq(close: string, depth: number): PyValue[] | undefined {
    this.pos++;
    const items: PyValue[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.pos] === close) {
        this.pos++;
        return items;
      }
      const v = this.value(depth + 1);
      if (v === undefined) return undefined;
      items.push(v);
      this.ws();
      if (this.s[this.pos] === ',') this.pos++;
      else if (this.s[this.pos] !== close) return undefined;
    }
  }

  private str(): string | undefined {
    const q = this.s[this.pos++];
    let out = '';
    while (this.pos < this.s.length) {
      const c = this.s[this.pos++];
      if (c === q) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.pos++];
      if (e === 'n') out += '\n';
      else if (e === 't') out += '\t';
      else if (e === 'r') out += '\r';
      else if (e === 'x' || e === 'u') {
        const len = e === 'x' ? 2 : 4;
        const hex = this.s.slice(this.pos, this.pos + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) return undefined;
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += len;
      } else if (e === undefined) return undefined;
      else out += e;
    }
    return undefined;
  }

  private angle(): string | undefined {
    const end = this.s.indexOf('>', this.pos);
    if (end < 0 || end - this.pos > 512) return undefined;
    const inner = this.s.slice(this.pos + 1, end);
    this.pos = end + 1;
    return inner;
  }

  private num(): number | undefined {
    const m = /^[-+]?(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(this.s.slice(this.pos, this.pos + 64));
    if (!m) return undefined;
    const after = this.s[this.pos + m[0].length];
    if (after !== undefined && /[A-Za-z_]/.test(after)) return undefined; // `8b-model` is a word
    const n = Number(m[0].replace(/_/g, ''));
    if (!Number.isFinite(n)) return undefined;
    this.pos += m[0].length;
    return n;
  }

  private word(depth: number): PyValue | undefined {
    const m = /^[A-Za-z_][\w.]*/.exec(this.s.slice(this.pos, this.pos + 256));
    if (!m) {
      // Anything else up to the next separator is kept as text (paths, `qwen3-8b`, `-inf`).
      const t = /^[^,\s)\]}:]+/.exec(this.s.slice(this.pos, this.pos + 4096));
      if (!t) return undefined;
      this.pos += t[0].length;
      return t[0];
    }
    const word = m[0];
    const next = this.s[this.pos + word.length];
    if (next === '(') {
      this.pos += word.length;
      return this.call(word, depth);
    }
    if (next !== undefined && /[^,\s)\]}:]/.test(next)) {
      const t = /^[^,\s)\]}:]+/.exec(this.s.slice(this.pos, this.pos + 4096))!;
      this.pos += t[0].length;
      return t[0];
    }
    this.pos += word.length;
    if (word === 'True' || word === 'true') return true;
    if (word === 'False' || word === 'false') return false;
    if (word === 'None' || word === 'null') return null;
    if (word === 'inf' || word === 'nan') return word;
    return word;
  }

  private call(type: string, depth: number): PyValue | undefined {
    this.pos++;
    const obj: Record<string, PyValue> = { __type__: type };
    let positional = 0;
    for (;;) {
      this.ws();
      if (this.s[this.pos] === ')') {
        this.pos++;
        return obj;
      }
      const kw = /^([A-Za-z_]\w*)=(?!=)/.exec(this.s.slice(this.pos, this.pos + 256));
      if (kw) this.pos += kw[0].length;
      const v = this.value(depth + 1);
      if (v === undefined) return undefined;
      obj[kw ? kw[1] : `_${positional++}`] = v;
      this.ws();
      if (this.s[this.pos] === ',') this.pos++;
      else if (this.s[this.pos] !== ')') return undefined;
    }
  }
}

/** Reads one literal at the start of `text`; undefined when it is not one (or is cut off). */
export function parsePyLiteral(text: string): { value: PyValue; end: number } | undefined {
  if (text.length > MAX_INPUT) return undefined;
  const r = new Reader(text);
  const value = r.value(0);
  if (value === undefined) return undefined;
  return { value, end: r.pos };
}

/**
 * Splits `a=1, b='x, y', c={...}` at its top-level commas into raw `key -> value text` pairs, the
 * shape of vLLM's engine config line. Stops at an unbalanced `)` (the old V0 line ends with one).
 */
export function splitKeyValues(text: string, maxPairs = 256): { key: string; value: string; offset: number }[] {
  const out: { key: string; value: string; offset: number }[] = [];
  const s = text.length > MAX_INPUT ? text.slice(0, MAX_INPUT) : text;
  let i = 0;
  while (i < s.length && out.length < maxPairs) {
    while (s[i] === ' ' || s[i] === ',') i++;
    const key = /^([A-Za-z_][\w.]{0,127})=/.exec(s.slice(i, i + 130));
    if (!key) break;
    const start = i + key[0].length;
    let depth = 0;
    let quote = '';
    let j = start;
    for (; j < s.length; j++) {
      const c = s[j];
      if (quote) {
        if (c === '\\') j++;
        else if (c === quote) quote = '';
        continue;
      }
      if (c === "'" || c === '"') quote = c;
      else if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0 && /^,\s*[A-Za-z_][\w.]{0,127}=/.test(s.slice(j, j + 132))) break;
    }
    out.push({ key: key[1], value: s.slice(start, j).trim(), offset: start });
    if (s[j] === ')' || s[j] === ']' || s[j] === '}') break;
    i = j + 1;
  }
  return out;
}
