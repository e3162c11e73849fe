/**
 * Plain values with their place in the file, for JSON Schema validation: ajv sees `value`, and an
 * error's instancePath leads back through `children` to the exact key or value characters.
 * Built from a YAML node here (aliases expanded under a budget, so an alias bomb stays cheap), or
 * from JSON text held in a YAML string by locatedJson.ts.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

export interface Located {
  value: unknown;
  /** Offsets of the value in the file (inside the quotes for strings). */
  start: number;
  end: number;
  /** Offsets of the key holding the value, when it is a map entry. */
  keyStart?: number;
  keyEnd?: number;
  /** Where the value's entry ends (the next entry starts): Helm actions inside make it unknowable. */
  extentEnd: number;
  children?: Map<string, Located> | Located[];
  /** The value's source text can be edited directly (not reached through an alias, no escapes). */
  editable: boolean;
  /** A YAML scalar written in quotes. */
  quoted?: boolean;
  /** No value at all (`key:` with nothing after it). */
  empty?: boolean;
  /** Reached through an alias: its ranges are the alias's, so nothing may be edited there. */
  viaAlias?: boolean;
}

export class TooLarge extends Error {}

/** Which YAML 1.1 words the consumer reads as booleans: Go's yaml (Kubernetes) or PyYAML (vLLM). */
export type Dialect = 'kubernetes' | 'python';

const BOOL_WORDS: Record<Dialect, RegExp> = {
  kubernetes: /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/,
  python: /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/,
};

interface YamlContext {
  doc: Document.Parsed;
  dialect: Dialect;
  budget: number;
  /** Nodes that may still be produced by expanding aliases (an alias bomb exhausts it at once). */
  aliasBudget: number;
  anchors?: Array<{ name: string; start: number; node: Node }>;
}

const MAX_NODES = 200_000;
const MAX_ALIAS_NODES = 5_000;
const MAX_DEPTH = 80;

/**
 * Maps the schema leaves open (`true`): their content is never looked at, so it is not converted
 * (a map there becomes `{}`). Pod templates are most of a LeaderWorkerSet's lines.
 */
export interface Opaque {
  [key: string]: Opaque | true;
}

/** Converts a YAML node to a located plain value; throws TooLarge when aliases expand too far. */
export function locateYaml(node: unknown, doc: Document.Parsed, dialect: Dialect, opaque?: Opaque): Located {
  const ctx: YamlContext = { doc, dialect, budget: MAX_NODES, aliasBudget: MAX_ALIAS_NODES };
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return convert(node, ctx, 0, undefined, range?.[2] ?? 0, opaque);
}

function anchorTarget(ctx: YamlContext, name: string, before: number): Node | undefined {
  if (!ctx.anchors) {
    const anchors: YamlContext['anchors'] = [];
    const walk = (n: unknown, depth: number): void => {
      if (depth > MAX_DEPTH || !n) return;
      if (isPair(n)) {
        walk(n.key, depth + 1);
        walk(n.value, depth + 1);
        return;
      }
      const anchored = n as { anchor?: string; range?: [number, number, number] };
      if ((isMap(n) || isSeq(n) || isScalar(n)) && anchored.anchor && anchored.range) anchors.push({ name: anchored.anchor, start: anchored.range[0], node: n as Node });
      if (isMap(n) || isSeq(n)) for (const item of n.items) walk(item, depth + 1);
    };
    walk(ctx.doc.contents, 0);
    ctx.anchors = anchors;
  }
  let found: Node | undefined;
  for (const a of ctx.anchors) if (a.name === name && a.start < before) found = a.node;
  return found;
}

/** `at` replaces the ranges of everything reached through an alias with the alias itself. */
function convert(node: unknown, ctx: YamlContext, depth: number, at: [number, number] | undefined, extentEnd: number, opaque?: Opaque | true): Located {
  if (--ctx.budget < 0 || depth > MAX_DEPTH || (at && --ctx.aliasBudget < 0)) throw new TooLarge('too many nodes');
  if (isAlias(node)) {
    const [s, e] = node.range ?? [0, 0];
    const target = anchorTarget(ctx, node.source, s);
    return convert(target ?? null, ctx, depth + 1, at ?? [s, e], extentEnd, opaque);
  }
  const located = convertNode(node, ctx, depth, at, extentEnd, opaque);
  if (at) located.viaAlias = true;
  return located;
}

function convertNode(node: unknown, ctx: YamlContext, depth: number, at: [number, number] | undefined, extentEnd: number, opaque?: Opaque | true): Located {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  const [start, end] = at ?? (r ? [r[0], r[1]] : [0, 0]);
  const editable = !at;
  if (isScalar(node)) {
    // `key:` with nothing after it: a null scalar with no text; point at the key instead.
    if (node.value === null && node.type === 'PLAIN' && r && r[0] === r[1] && !at) return { value: null, start, end, extentEnd, editable: false, empty: true };
    let value: unknown = node.value;
    if (node.type === 'PLAIN' && typeof value === 'string' && BOOL_WORDS[ctx.dialect].test(value)) value = /^[yYoO]|^on/i.test(value) && !/^off$/i.test(value) ? true : false;
    if (typeof value === 'bigint') value = Number(value);
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    const inner: [number, number] = quoted && !at ? [start + 1, Math.max(start + 1, end - 1)] : [start, end];
    return { value: value ?? null, start: inner[0], end: inner[1], extentEnd, editable: editable && node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED', quoted };
  }
  if (isMap(node)) {
    const obj: Record<string, unknown> = {};
    const children = new Map<string, Located>();
    if (opaque === true) return { value: obj, start, end, extentEnd, children, editable };
    const merges: unknown[] = [];
    node.items.forEach((pair, i) => {
      if (!isScalar(pair.key) || pair.key.value === null || typeof pair.key.value === 'object') return;
      const key = String(pair.key.value);
      const next = node.items[i + 1];
      const nextStart = (next && isScalar(next.key) && next.key.range?.[0]) || (r ? r[2] : extentEnd);
      if (key === '<<' && pair.key.type === 'PLAIN') {
        merges.push(pair.value);
        return;
      }
      const kr = pair.key.range ?? [start, start];
      const kq = pair.key.type === 'QUOTE_DOUBLE' || pair.key.type === 'QUOTE_SINGLE';
      const keyRange: [number, number] = at ?? (kq ? [kr[0] + 1, Math.max(kr[0] + 1, kr[1] - 1)] : [kr[0], kr[1]]);
      let child: Located;
      if (pair.value === null || pair.value === undefined) {
        child = { value: null, start: keyRange[0], end: keyRange[1], extentEnd: at ? at[1] : nextStart, editable: false, empty: true, ...(at ? { viaAlias: true } : {}) };
      } else {
        child = convert(pair.value, ctx, depth + 1, at, at ? at[1] : nextStart, opaque?.[key]);
      }
      child.keyStart = keyRange[0];
      child.keyEnd = keyRange[1];
      // Later keys win, as in Kubernetes and PyYAML.
      obj[key] = child.value;
      children.set(key, child);
    });
    // Merge keys (`<<: *base`): Kubernetes' and PyYAML's YAML 1.1 readers both apply them; explicit keys win.
    for (const m of merges) {
      for (const source of isSeq(m) ? m.items : [m]) {
        const mr = (source as { range?: [number, number, number] } | null)?.range;
        const merged = convert(source, ctx, depth + 1, at ?? (mr ? [mr[0], mr[1]] : [start, end]), extentEnd);
        if (!(merged.children instanceof Map)) continue;
        for (const [k, v] of merged.children) {
          if (children.has(k)) continue;
          children.set(k, v);
          obj[k] = v.value;
        }
      }
    }
    return { value: obj, start, end, extentEnd, children, editable };
  }
  if (isSeq(node)) {
    const items = node.items.map((item, i) => {
      const nextStart = (node.items[i + 1] as { range?: [number, number, number] } | undefined)?.range?.[0] ?? (r ? r[2] : extentEnd);
      return convert(item, ctx, depth + 1, at, at ? at[1] : nextStart);
    });
    return { value: items.map((c) => c.value), start, end, extentEnd, children: items, editable };
  }
  return { value: null, start, end, extentEnd, editable: false, empty: true };
}

/** Follows a JSON pointer (ajv's instancePath) through located children. */
export function locatePointer(root: Located, pointer: string): Located[] {
  const chain = [root];
  if (!pointer) return chain;
  let cur: Located | undefined = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const children: Located['children'] = cur?.children;
    cur = children instanceof Map ? children.get(seg) : Array.isArray(children) ? children[Number(seg)] : undefined;
    if (!cur) break;
    chain.push(cur);
  }
  return chain;
}
