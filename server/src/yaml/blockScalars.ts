/**
 * Scalars for the YAML fast path (blockSubset.ts): one-line quoted and plain scalars, made and
 * resolved exactly as the `yaml` library composes them, and the character rules they follow.
 */
import { Scalar, type Schema } from 'yaml';
import { scalar } from './blockNodes';

export type Range = [number, number, number];
type Tag = { default?: boolean | 'key'; test?: RegExp; resolve: (s: string, onError: (m: string) => void, o: object) => unknown; format?: string };

/** Thrown (and caught in parseBlockSubset) the moment the input leaves the subset. */
export const OUTSIDE = Symbol('outside the block subset');
export function outside(): never {
  throw OUTSIDE;
}

export const SPACE = 32;
export const HASH = 35;
export const DASH = 45;
export const COLON = 58;
export const DQUOTE = 34;
export const SQUOTE = 39;
export const NEWLINE = 10;

/** First characters a plain scalar may not have (flow indicators, anchors, tags, block scalars …). */
const NOT_PLAIN_START = new Set('[]{},#&*!|>%@`"\''.split('').map((c) => c.charCodeAt(0)));
/** Core-schema tags only ever match a value starting with one of these (or an empty one). */
const MAY_RESOLVE = /^[-+.~0-9nNtTfF]/;

export function plainStartInvalid(src: string, at: number): boolean {
  const c = src.charCodeAt(at);
  if (NOT_PLAIN_START.has(c)) return true;
  // `-`, `?` and `:` start a plain scalar only when a non-space follows.
  if (c === DASH || c === 63 || c === COLON) {
    const n = src.charCodeAt(at + 1);
    return n === SPACE || n === NEWLINE || Number.isNaN(n);
  }
  return false;
}

/** The offset just past the closing quote of the quoted scalar at `at` on its line, or -1. */
export function quoteEnd(src: string, at: number): number {
  const q = src.charCodeAt(at);
  for (let i = at + 1; i < src.length; i++) {
    const ch = src.charCodeAt(i);
    if (ch === NEWLINE) return -1;
    if (q === DQUOTE && ch === 92) outside(); // a backslash escape
    if (ch === q) {
      if (q === SQUOTE && src.charCodeAt(i + 1) === SQUOTE) {
        i++;
        continue;
      }
      return i + 1;
    }
  }
  return -1;
}

/** The quoted scalar from `at` to `close` (just past its closing quote). */
export function quotedScalar(src: string, at: number, close: number, range: Range): Scalar {
  const q = src.charCodeAt(at);
  const inner = src.slice(at + 1, close - 1);
  const value = q === SQUOTE ? inner.replace(/''/g, "'") : inner;
  const node = scalar(value);
  node.range = range;
  node.source = value;
  node.type = q === SQUOTE ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE';
  return node;
}

const implicitTags = new WeakMap<Schema, { values: Tag[]; keys: Tag[] }>();

/** Plain scalars of one document, resolved by its schema's own implicit tags (core: null, bool, int, float). */
export class PlainScalars {
  private readonly tags: { values: Tag[]; keys: Tag[] };

  constructor(
    schema: Schema,
    private readonly options: object,
  ) {
    let tags = implicitTags.get(schema);
    if (!tags) {
      const all = schema.tags as unknown as Tag[];
      tags = { values: all.filter((t) => t.default === true && t.test), keys: all.filter((t) => (t.default === true || t.default === 'key') && t.test) };
      implicitTags.set(schema, tags);
    }
    this.tags = tags;
  }

  make(text: string, range: Range, atKey: boolean): Scalar {
    let node: Scalar | undefined;
    if (text === '' || MAY_RESOLVE.test(text)) {
      const tag = (atKey ? this.tags.keys : this.tags.values).find((t) => t.test!.test(text));
      if (tag) {
        const res = tag.resolve(text, outside, this.options);
        node = res instanceof Scalar ? res : scalar(res);
        if (tag.format) node.format = tag.format;
      }
    }
    node ??= scalar(text);
    node.range = range;
    node.source = text;
    node.type = 'PLAIN';
    return node;
  }
}
