/**
 * The words of the schema findings: what a schema or a vLLM option expects, how a value is
 * described, and did-you-mean suggestions for keys and values. Pure functions of ajv errors.
 */
import type { ErrorObject } from 'ajv';
import { closest } from '../knowledge/suggest';
import type { VllmFlag } from '../knowledge/types';
import type { JsonSchema } from './schemaStore';
import type { Located } from './schemaTree';

export function lastSegment(pointer: string): string {
  const seg = pointer.split('/').pop() ?? '';
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** How a message names the value at a path: `size`, or "an item of `accessModes`". */
export function fieldName(pointer: string): string {
  const segs = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = segs[segs.length - 1];
  if (last === undefined) return 'the value';
  if (/^\d+$/.test(last)) {
    const named = [...segs].reverse().find((s) => !/^\d+$/.test(s));
    return named ? `an item of \`${named}\`` : 'an item';
  }
  return `\`${last}\``;
}

export function titleOf(schema: unknown, fallback: string): string {
  const t = (schema as JsonSchema | undefined)?.title;
  return typeof t === 'string' ? t : fallback;
}

export function firstSegment(pointer: string): string {
  return (pointer.split('/')[1] ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
}

export function capital(s: string): string {
  return s.startsWith('`') ? s : s.charAt(0).toUpperCase() + s.slice(1);
}

/** The allowed values of an enum/const error, or of an alternative made only of enums and consts. */
export function allowedValues(e: ErrorObject): unknown[] | undefined {
  if (e.keyword === 'enum') return (e.params as { allowedValues: unknown[] }).allowedValues;
  if (e.keyword === 'const') return [(e.params as { allowedValue: unknown }).allowedValue];
  if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
    const alts = e.schema as JsonSchema[];
    if (!alts.every((a) => Array.isArray(a.enum) || 'const' in a || a.type === 'null')) return undefined;
    return alts.flatMap((a) => (Array.isArray(a.enum) ? a.enum : 'const' in a ? [a.const] : []));
  }
  return undefined;
}

export function describeValue(node: Located): string {
  const v = node.value;
  if (v === null) return 'empty (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return node.quoted || !/^[+-]?\d/.test(v) ? 'a string' : 'not a number';
  if (typeof v === 'number') return Number.isInteger(v) ? 'a whole number' : 'a decimal number';
  return `a ${typeof v}`;
}

/** A quoted string that would mean a number or boolean without its quotes. */
export function unquotedValue(v: string): unknown {
  if (/^[+-]?\d+$/.test(v)) return Number(v);
  if (/^[+-]?(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(v)) return Number(v);
  if (v === 'true' || v === 'false') return v === 'true';
  return undefined;
}

export function schemaTypes(e: ErrorObject): string[] {
  const s = e.parentSchema as JsonSchema | undefined;
  const types = (x: JsonSchema): string[] => (Array.isArray(x.type) ? (x.type as string[]) : typeof x.type === 'string' ? [x.type] : []);
  return [s, ...((s?.anyOf as JsonSchema[] | undefined) ?? []), ...((s?.oneOf as JsonSchema[] | undefined) ?? [])].filter((x): x is JsonSchema => !!x).flatMap(types);
}

export function acceptsType(e: ErrorObject, type: string): boolean {
  return schemaTypes(e).includes(type);
}

export function accepts(e: ErrorObject, value: unknown): boolean {
  const all = schemaTypes(e);
  if (typeof value === 'boolean') return all.includes('boolean');
  if (typeof value === 'number') return all.includes('number') || (all.includes('integer') && Number.isInteger(value));
  return false;
}

/** `500GB`, `20gi`: units people write that Kubernetes quantities spell differently. */
export function quantityHint(value: string, e: ErrorObject): { text: string; fix: string } | undefined {
  if (!/quantity/i.test(String((e.parentSchema as JsonSchema | undefined)?.title ?? ''))) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgGtTpPeE])(i?)([bB]?)$/.exec(value.trim());
  if (!m) return undefined;
  const unit = m[2].toUpperCase() === 'K' && !m[3] ? 'k' : m[2].toUpperCase();
  const fix = `${m[1]}${unit}i`;
  return { text: `Kubernetes units have no \`B\`: write \`${fix}\` (powers of 1024) or \`${m[1]}${unit}\` (powers of 1000)`, fix };
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: '`true` or `false`',
  object: 'a map of fields',
  array: 'a list',
  null: 'empty',
};

/** What a schema wants, in words: "a whole number or a string", "a Kubernetes quantity such as `500Gi`". */
export function expectedText(schema: unknown, depth = 0): string {
  const s = (schema ?? {}) as JsonSchema;
  if (depth > 4) return 'a valid value';
  if (typeof s.title === 'string' && !s.properties && (s.anyOf || s.pattern)) return `a ${s.title}`;
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => `\`${v}\``).join(', ')}`;
  if ('const' in s) return `\`${String(s.const)}\``;
  const alts = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(alts)) return [...new Set(alts.map((a) => expectedText(a, depth + 1)))].join(' or ');
  if (typeof s.pattern === 'string') return `${TYPE_WORDS.string} in the form \`${s.pattern}\``;
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  if (types.length) return types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
  return 'a valid value';
}

/** What a vLLM option takes, in the words of the shell checks. */
export function vllmExpected(flag: VllmFlag, item = false): string {
  const one = (type: string): string => {
    switch (type) {
      case 'bool':
        return '`true` or `false` (unquoted)';
      case 'int': {
        const extra = flag.valueFormat === 'human_readable_int_or_auto' ? ', a size such as `32k`, or `auto`' : flag.valueFormat?.startsWith('human_readable') ? ' or a size such as `32k`' : '';
        return `a whole number${extra}`;
      }
      case 'float':
        return 'a number';
      case 'json':
      case 'json|str':
        return 'a map or a list (or the same as a JSON string)';
      case 'bool|str':
        return '`true` or a string';
      default:
        return 'a string or a number';
    }
  };
  const list = /^list\[(.*)\]$/.exec(flag.type);
  if (list && item) return one(list[1]);
  if (list && flag.takes === 'list') return `a list of values, or one value (each ${one(list[1])})`;
  return one(list ? 'str' : flag.type) + (flag.acceptsNone ? ' (or empty for None)' : '');
}

/** Common shorthands people type for a value, looked up when edit distance finds nothing. */
const SHORTHANDS: Record<string, string[]> = {
  bf16: ['bfloat16'],
  fp16: ['float16', 'half'],
  f16: ['float16', 'half'],
  fp32: ['float32', 'float'],
  f32: ['float32', 'float'],
  rwx: ['ReadWriteMany'],
  rwm: ['ReadWriteMany'],
  rwo: ['ReadWriteOnce'],
  rox: ['ReadOnlyMany'],
  rom: ['ReadOnlyMany'],
  rwop: ['ReadWriteOncePod'],
};

/** Did-you-mean for a value or key: edit distance, then known shorthands, then an abbreviation (`bf16` → `bfloat16`). */
export function suggestValue(value: string, candidates: string[]): string | undefined {
  const near = closest(value, candidates);
  if (near) return near;
  const lower = value.toLowerCase();
  const short = SHORTHANDS[lower]?.find((c) => candidates.includes(c));
  if (short) return short;
  if (lower.length < 3) return undefined;
  const isSubsequence = (c: string) => {
    let i = 0;
    for (const ch of c.toLowerCase()) if (ch === lower[i]) i++;
    return i === lower.length;
  };
  const abbreviations = candidates.filter((c) => c.toLowerCase()[0] === lower[0] && c.toLowerCase().endsWith(lower[lower.length - 1]) && isSubsequence(c));
  return abbreviations.length === 1 ? abbreviations[0] : undefined;
}
