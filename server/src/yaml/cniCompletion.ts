/**
 * Completion and hover inside the CNI JSON of a NetworkAttachmentDefinition's `spec.config`
 * string: keys of the JSON object at the cursor and enum values (the `if`/`then` branches of the
 * schema follow the plugin `type` already written), and the schema's description on hover.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem, type Hover } from 'vscode-languageserver-types';
import { scalarWord } from './scalarWords';
import { locateJson } from './locatedJson';
import type { Located } from './schemaTree';
import { descriptionOf, propertiesOf, rootSchema, schemasAt, typeLabel, valuesOf } from './schemaStore';
import { hoverFor, range } from './schemaLsp';

interface JsonFrame {
  type: 'object' | 'array';
  seg?: string;
  expect: 'key' | 'colon' | 'value' | 'comma';
  lastKey?: string;
  keys: Set<string>;
  data: Record<string, unknown>;
}

export function cniCompletions(node: unknown, masked: string, text: string, offset: number): CompletionItem[] {
  const word = scalarWord(node, masked);
  if (!word) return [];
  let idx = 0;
  while (idx < word.offsets.length && word.offsets[idx] < offset) idx++;
  const src = word.value.slice(0, idx);
  const stack: JsonFrame[] = [];
  let partial: { start: number; text: string } | undefined;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== '"') s += src[j] === '\\' ? src[++j] ?? '' : src[j], j++;
      if (j >= src.length) {
        partial = { start: i + 1, text: s };
        break;
      }
      if (top?.type === 'object' && top.expect === 'key') {
        top.lastKey = s;
        top.keys.add(s);
        top.expect = 'colon';
      } else if (top) {
        if (top.type === 'object' && top.lastKey) top.data[top.lastKey] = s;
        top.expect = 'comma';
      }
      i = j;
    } else if (c === ':' && top) top.expect = 'value';
    else if (c === ',' && top) top.expect = top.type === 'object' ? 'key' : 'value';
    else if (c === '{' || c === '[') {
      const seg = top ? (top.type === 'object' ? top.lastKey : '*') : undefined;
      stack.push({ type: c === '{' ? 'object' : 'array', seg, expect: c === '{' ? 'key' : 'value', keys: new Set(), data: {} });
    } else if (c === '}' || c === ']') {
      stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) parent.expect = 'comma';
    } else if (/[^\s]/.test(c) && top?.expect === 'value') top.expect = 'comma';
  }
  const top = stack[stack.length - 1];
  if (!top) return [];
  const path = stack.slice(1).map((f) => f.seg ?? '*');
  const dataAt = (depth: number) => stack[depth]?.data;
  const root = rootSchema('cni');
  const from = partial ? (word.offsets[partial.start] ?? offset) : offset;
  const replaced = range(text, Math.min(from, offset), offset);
  const edit = (newText: string) => ({ range: replaced, newText });
  if (top.type === 'object' && top.expect === 'key') {
    const schemas = schemasAt(root, path, dataAt);
    return propertiesOf(schemas)
      .filter((p) => !top.keys.has(p.name) || p.name === partial?.text)
      .map((p) => {
        const doc = descriptionOf(p.schemas);
        return { label: p.name, kind: CompletionItemKind.Property, detail: typeLabel(p.schemas), ...(doc ? { documentation: { kind: MarkupKind.Markdown, value: doc } } : {}), textEdit: edit(partial ? p.name : `"${p.name}": `) };
      });
  }
  if (top.expect === 'value' && (top.type === 'array' || top.lastKey)) {
    const valuePath = top.type === 'object' ? [...path, top.lastKey!] : [...path, '*'];
    const schemas = schemasAt(root, valuePath, dataAt);
    return valuesOf(schemas, false).map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, textEdit: edit(partial || v === 'true' || v === 'false' ? v : `"${v}"`) }));
  }
  return [];
}

export function cniHover(node: unknown, masked: string, text: string, offset: number): Hover | undefined {
  const word = scalarWord(node, masked);
  if (!word) return undefined;
  const last = word.offsets.length ? word.offsets[word.offsets.length - 1] : word.start;
  const { root } = locateJson(word.value, (i) => word.offsets[i] ?? last + 1);
  if (!root) return undefined;
  const path: string[] = [];
  const datas: unknown[] = [root.value];
  let cur: Located = root;
  for (let depth = 0; depth < 30; depth++) {
    const children: Located[] = cur.children instanceof Map ? [...cur.children.values()] : Array.isArray(cur.children) ? cur.children : [];
    const keys = cur.children instanceof Map ? [...cur.children.keys()] : children.map((_, i) => String(i));
    const i = children.findIndex((c) => (c.keyStart !== undefined && c.keyStart <= offset && offset <= c.keyEnd!) || (c.start <= offset && offset <= c.end));
    if (i < 0) return undefined;
    const child = children[i];
    path.push(keys[i]);
    datas.push(child.value);
    const onKey = child.keyStart !== undefined && child.keyStart <= offset && offset <= child.keyEnd!;
    if (onKey || !child.children) {
      const schemas = schemasAt(rootSchema('cni'), path, (d) => datas[d]);
      const name = [...path].reverse().find((k) => !/^\d+$/.test(k)) ?? '';
      return hoverFor(schemas, name, text, onKey ? [child.keyStart!, child.keyEnd!] : [child.start, child.end]);
    }
    cur = child;
  }
  return undefined;
}
