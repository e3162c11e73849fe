/**
 * Completion and hover from the JSON Schemas, for the same documents the schema checks cover:
 * keys of the object at the cursor that are not written yet, enum values after `key:` (also in
 * flow lists and `- ` items), and the schema's description on hover, including inside the CNI
 * JSON of a NetworkAttachmentDefinition. Protocol-thin: plain LSP items, no server state.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem, type Hover, type Range } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import type { ParsedYaml } from './document';
import { cniCompletions, cniHover } from './cniCompletion';
import { hoverFor, range } from './schemaLsp';
import { descriptionOf, isArraySchema, isObjectSchema, propertiesOf, rootSchema, schemasAt, typeLabel, valuesOf, type Scoped } from './schemaStore';
import { documentKind, isVllmConfigFile, schemaTargets, securityContextIndex, securityContextSchema } from './schemaTargets';

export interface SchemaFeatureOptions {
  /** Treat the file as a `vllm serve --config` file (settings, file name). */
  vllmConfig?: boolean;
}

function documentAt(parsed: ParsedYaml, offset: number): Document.Parsed | undefined {
  let found: Document.Parsed | undefined;
  for (const d of parsed.documents) if (d.range[0] <= offset) found = d;
  return found;
}

/** The root schema for a document-relative path, and the path below that root. */
function schemaFor(doc: Document.Parsed, path: string[], vllmConfig: boolean): { root: Scoped; rel: string[] } | undefined {
  const scoped = (name: Parameters<typeof rootSchema>[0]) => rootSchema(name);
  if (vllmConfig) return { root: scoped('vllmConfig'), rel: path };
  const kind = documentKind(doc);
  const sc = securityContextIndex(path, kind !== undefined);
  if (sc >= 0 && sc < path.length) return { root: scoped(securityContextSchema(path.slice(0, sc + 1))), rel: path.slice(sc + 1) };
  if (kind === 'LeaderWorkerSet') return { root: scoped('lws'), rel: path };
  if (kind === 'PersistentVolumeClaim') return { root: scoped('pvc'), rel: path };
  return undefined;
}

// ------------------------------------------------------------------ completion

export function schemaCompletions(parsed: ParsedYaml, text: string, offset: number, options: SchemaFeatureOptions = {}): CompletionItem[] {
  const doc = documentAt(parsed, offset);
  if (!doc) return [];
  const vllmConfig = !!options.vllmConfig || isVllmConfigFile(parsed);
  if (!vllmConfig) {
    const cni = schemaTargets(doc, false).find((t) => t.schema === 'cni');
    const r = (cni?.node as { range?: [number, number, number] } | undefined)?.range;
    if (cni && r && r[0] < offset && offset <= r[1]) return cniCompletions(cni.node, parsed.masked, text, offset);
  }
  const cursor = yamlCursor(parsed.masked, offset);
  if (!cursor) return [];
  const valuePath = cursor.key === undefined ? cursor.path : [...cursor.path, cursor.key];
  const target = schemaFor(doc, valuePath, vllmConfig);
  if (!target) return [];
  const replaced = range(text, cursor.typedStart, offset);
  const edit = (newText: string) => ({ range: replaced, newText });

  if (cursor.key !== undefined) {
    const schemas = schemasAt(target.root, target.rel);
    return valueItems(schemas, true, edit);
  }
  // A word after `- `: an enum item of a list, or the first key of a map item.
  const schemas = schemasAt(target.root, target.rel);
  if (!isObjectSchema(schemas)) return valueItems(schemas, false, edit);
  const underscore = vllmConfig && (cursor.typed.includes('_') || [...cursor.present].some((k) => k.includes('_')));
  const items: CompletionItem[] = [];
  for (const p of cachedProperties(target.root, target.rel, schemas)) {
    if (cursor.present.has(p.name)) continue;
    if (vllmConfig && p.name.includes('_') !== underscore && /[-_]/.test(p.name)) continue;
    // `no-x` keys (`x: false` written the command-line way) only once the user starts typing `no`.
    if (vllmConfig && !/^no/.test(cursor.typed) && p.schemas.some((s) => typeof s.schema['x-rvn-negates'] === 'string')) continue;
    const indent = ' '.repeat(cursor.keyCol + 2);
    const newText = isObjectSchema(p.schemas) && !isArraySchema(p.schemas) ? `${p.name}:\n${indent}` : isArraySchema(p.schemas) && isObjectSchema(p.schemas.flatMap((s) => schemasAt(s, ['*']))) ? `${p.name}:\n${indent}- ` : `${p.name}: `;
    // vLLM options: ~280 items, so their docs come on resolve, like the flags' in a shell script.
    const doc = vllmConfig ? undefined : descriptionOf(p.schemas);
    items.push({
      label: p.name,
      kind: CompletionItemKind.Property,
      detail: typeLabel(p.schemas),
      ...(doc ? { documentation: { kind: MarkupKind.Markdown, value: doc } } : {}),
      ...(vllmConfig ? { data: { doc: 'vllm-flag', name: `--${p.name.replace(/_/g, '-')}` } } : {}),
      textEdit: edit(newText),
    });
  }
  return items;
}

/** The schemas never change: the properties of a path are worked out once. */
const propertyCache = new Map<string, ReturnType<typeof propertiesOf>>();
function cachedProperties(root: Scoped, rel: string[], schemas: Scoped[]): ReturnType<typeof propertiesOf> {
  const key = `${root.file}#${String(root.schema.title)}#${rel.map((r) => (/^\d+$/.test(r) ? '*' : r)).join('/')}`;
  let props = propertyCache.get(key);
  if (!props) {
    props = propertiesOf(schemas);
    if (propertyCache.size < 500) propertyCache.set(key, props);
  }
  return props;
}

function valueItems(schemas: Scoped[], itemsToo: boolean, edit: (t: string) => { range: Range; newText: string }): CompletionItem[] {
  const doc = descriptionOf(schemas);
  return valuesOf(schemas, itemsToo).map((v) => ({
    label: v,
    kind: CompletionItemKind.EnumMember,
    ...(doc ? { documentation: { kind: MarkupKind.Markdown, value: doc } } : {}),
    textEdit: edit(v),
  }));
}

interface YamlCursor {
  /** Keys from the document root to the map (or list, '*') the cursor writes into. */
  path: string[];
  /** Set when completing the value of this key. */
  key?: string;
  /** The value is inside a flow list: `key: [a, b|`. */
  flow: boolean;
  typed: string;
  typedStart: number;
  keyCol: number;
  present: Set<string>;
}

const KEY_LINE = /^(\s*)((?:-[ \t]+)*)(["']?)([^\s"'#:{}[\],][^"'#:]*?)\3:(?:\s|$)/;
const VALUE_AFTER_KEY = /^(\s*)((?:-[ \t]+)*)(["']?)([^\s"'#:{}[\],][^"'#:]*?)\3:[ \t]+(\[(?:[^\]]*,)?[ \t]*)?["']?([^"',[\]{}#\s]*)$/;
const KEY_TYPED = /^(\s*)((?:-[ \t]+)*)([\w./-]*)$/;

/** Where the cursor is in block-style YAML, read from the lines (half-typed YAML rarely parses well). */
function yamlCursor(masked: string, offset: number): YamlCursor | undefined {
  const lineStart = masked.lastIndexOf('\n', offset - 1) + 1;
  const before = masked.slice(lineStart, offset);
  if (/(^|\s)#/.test(before)) return undefined;
  let indent: number;
  let dashes: string;
  let key: string | undefined;
  let typed: string;
  let flow = false;
  const v = VALUE_AFTER_KEY.exec(before);
  if (v) {
    [indent, dashes, key, typed, flow] = [v[1].length, v[2], v[4], v[6], !!v[5]];
  } else {
    const k = KEY_TYPED.exec(before);
    if (!k) return undefined;
    [indent, dashes, typed] = [k[1].length, k[2], k[3]];
  }
  const keyCol = indent + dashes.length;
  const path: string[] = [];
  let need = keyCol;
  let afterDash = false;
  const dashCols = (prefix: string, base: number) => [...prefix.matchAll(/-/g)].map((m) => base + m.index!);
  for (const d of dashCols(dashes, indent).reverse()) {
    path.unshift('*');
    need = d;
    afterDash = true;
  }
  // Parents: lines above whose key sits further left (or, for a list item, at the dash's column).
  for (let end = lineStart - 1; end > 0 && (need > 0 || afterDash); ) {
    const start = masked.lastIndexOf('\n', end - 1) + 1;
    const line = masked.slice(start, end);
    end = start - 1;
    if (/^\s*(#.*)?$/.test(line)) continue;
    if (/^(---|\.\.\.)(\s|$)/.test(line)) break;
    const m = KEY_LINE.exec(line);
    const lineIndent = /^\s*/.exec(line)![0].length;
    const lineDashes = /^\s*((?:-[ \t]+)*)/.exec(line)![1];
    const kc = lineIndent + lineDashes.length;
    if (m && (kc < need || (afterDash && kc <= need))) {
      path.unshift(m[4]);
      need = kc;
      afterDash = false;
    } else if (!m && lineIndent < need && !lineDashes) {
      return undefined; // inside a multi-line scalar
    }
    for (const d of dashCols(lineDashes, lineIndent).reverse()) {
      if (d >= need) continue;
      path.unshift('*');
      need = d;
      afterDash = true;
    }
  }
  return { path, key, flow, typed, typedStart: offset - typed.length, keyCol, present: key === undefined ? presentKeys(masked, lineStart, keyCol, dashes.length > 0) : new Set() };
}

/** Keys already written in the map being completed (same column, same block). */
function presentKeys(masked: string, lineStart: number, keyCol: number, newItem: boolean): Set<string> {
  const out = new Set<string>();
  const visit = (line: string): 'stop' | void => {
    if (/^\s*(#.*)?$/.test(line)) return;
    const indent = /^\s*/.exec(line)![0].length;
    const dashes = /^\s*((?:-[ \t]+)*)/.exec(line)![1];
    const kc = indent + dashes.length;
    const m = KEY_LINE.exec(line);
    if (indent < keyCol) {
      if (dashes && kc === keyCol && m) out.add(m[4]);
      return 'stop';
    }
    if (indent === keyCol && m && !dashes) out.add(m[4]);
  };
  const lineEnd = masked.indexOf('\n', lineStart);
  if (!newItem) {
    for (let end = lineStart - 1; end > 0; ) {
      const start = masked.lastIndexOf('\n', end - 1) + 1;
      if (visit(masked.slice(start, end)) === 'stop') break;
      end = start - 1;
    }
  }
  for (let start = lineEnd + 1; lineEnd >= 0 && start > 0 && start < masked.length; ) {
    const end = masked.indexOf('\n', start);
    const line = masked.slice(start, end < 0 ? undefined : end);
    if (/^(---|\.\.\.)(\s|$)/.test(line)) break;
    const indent = /^\s*/.exec(line)![0].length;
    if (!/^\s*(#.*)?$/.test(line) && indent < keyCol) break;
    visit(line);
    if (end < 0) break;
    start = end + 1;
  }
  return out;
}

// ------------------------------------------------------------------ hover

export function schemaHover(parsed: ParsedYaml, text: string, offset: number, options: SchemaFeatureOptions = {}): Hover | undefined {
  const doc = documentAt(parsed, offset);
  if (!doc) return undefined;
  const vllmConfig = !!options.vllmConfig || isVllmConfigFile(parsed);
  if (!vllmConfig) {
    const cni = schemaTargets(doc, false).find((t) => t.schema === 'cni');
    const r = (cni?.node as { range?: [number, number, number] } | undefined)?.range;
    if (cni && r && r[0] <= offset && offset < r[1]) return cniHover(cni.node, parsed.masked, text, offset);
  }
  const hit = yamlNodeAt(doc.contents, offset, []);
  if (!hit) return undefined;
  const target = schemaFor(doc, hit.path, vllmConfig);
  if (!target) return undefined;
  const name = [...hit.path].reverse().find((k) => !/^\d+$/.test(k)) ?? '';
  return hoverFor(schemasAt(target.root, target.rel), name, text, hit.range);
}

/** The key under the cursor (or the key whose scalar value is under it), with its path. */
function yamlNodeAt(node: unknown, offset: number, path: string[], depth = 0): { path: string[]; range: [number, number] } | undefined {
  if (depth > 60) return undefined;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key) || !pair.key.range) continue;
      const key = String(pair.key.value);
      const [ks, ke] = pair.key.range;
      if (ks <= offset && offset <= ke) return { path: [...path, key], range: [ks, ke] };
      const vr = (pair.value as { range?: [number, number, number] } | null)?.range;
      if (!vr || offset < vr[0] || offset > vr[1]) continue;
      if (isScalar(pair.value)) return { path: [...path, key], range: [vr[0], vr[1]] };
      return yamlNodeAt(pair.value, offset, [...path, key], depth + 1);
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const r = (node.items[i] as { range?: [number, number, number] } | null)?.range;
      if (r && r[0] <= offset && offset <= r[1]) return isScalar(node.items[i]) ? { path: [...path, String(i)], range: [r[0], r[1]] } : yamlNodeAt(node.items[i], offset, [...path, String(i)], depth + 1);
    }
  }
  return undefined;
}
