/**
 * The JSON Schemas in schemas/: loaded from disk on first use, compiled once with ajv, and walked
 * by path for completion and hover. Nothing here reaches the network: every `$ref` points into
 * one of our own files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type AjvClass from 'ajv';
import type { ValidateFunction } from 'ajv';

export type SchemaName = 'vllmConfig' | 'cni' | 'lws' | 'pvc' | 'podSecurityContext' | 'containerSecurityContext' | 'anySecurityContext';

const FILES = ['vllm-config', 'cni-config', 'leaderworkerset', 'persistentvolumeclaim', 'pod-security-context'] as const;

const REFS: Record<SchemaName, string> = {
  vllmConfig: 'vllm-config.schema.json',
  cni: 'cni-config.schema.json',
  lws: 'leaderworkerset.schema.json',
  pvc: 'persistentvolumeclaim.schema.json',
  podSecurityContext: 'pod-security-context.schema.json',
  containerSecurityContext: 'pod-security-context.schema.json#/definitions/containerSecurityContext',
  anySecurityContext: 'pod-security-context.schema.json#/definitions/anySecurityContext',
};

/** schemas/ from the bundle (dist/server → ../../schemas) and from source (server/src/yaml → ../../../schemas). */
const PLACES = [
  ['..', '..', 'schemas'],
  ['..', '..', '..', 'schemas'],
];

export type JsonSchema = Record<string, unknown>;

let files: Map<string, JsonSchema> | undefined;

function schemaFiles(): Map<string, JsonSchema> {
  if (files) return files;
  const dir = PLACES.map((p) => join(__dirname, ...p)).find((d) => existsSync(join(d, 'vllm-config.schema.json')));
  if (!dir) throw new Error('schemas/ folder is missing next to the server');
  files = new Map(FILES.map((f) => [`${f}.schema.json`, JSON.parse(readFileSync(join(dir, `${f}.schema.json`), 'utf8')) as JsonSchema]));
  return files;
}

let ajv: AjvClass | undefined;
const compiled = new Map<string, ValidateFunction>();

function getAjv(): AjvClass {
  if (!ajv) {
    // Required here, not imported at the top: the server starts without evaluating ajv, and
    // only a file that needs a schema pays for it.
    const Ajv = (require('ajv') as { default: typeof AjvClass }).default;
    ajv = new Ajv({ allErrors: true, strict: false, verbose: true, validateSchema: false, logger: false });
    // The vLLM config schema is not added whole: compiling its 550 keys takes half a second, so
    // each option's definition is compiled on its own, when a file first uses it.
    for (const [key, schema] of schemaFiles()) if (key !== REFS.vllmConfig) ajv.addSchema(schema, key);
  }
  return ajv;
}

export function validator(name: Exclude<SchemaName, 'vllmConfig'>): ValidateFunction {
  let v = compiled.get(name);
  if (v) return v;
  v = getAjv().getSchema(REFS[name]);
  if (!v) throw new Error(`schema ${REFS[name]} did not compile`);
  compiled.set(name, v);
  return v;
}

/**
 * For a `no-x` key of the vLLM config schema, the option it turns off (`x`, from the generated
 * definition's `x-rvn-negates`); undefined for every other key.
 */
export function vllmNegatedKey(definition: string): string | undefined {
  const defs = schemaFiles().get(REFS.vllmConfig)!.definitions as Record<string, JsonSchema> | undefined;
  const negates = defs?.[definition]?.['x-rvn-negates'];
  return typeof negates === 'string' ? negates : undefined;
}

/** The vLLM config schema's entry for a key: the definition it points to, compiled on first use. */
export function vllmKeyValidator(key: string): { definition: string; validate: ValidateFunction } | undefined {
  const root = schemaFiles().get(REFS.vllmConfig)!;
  const prop = (root.properties as Record<string, JsonSchema> | undefined)?.[key];
  let definition: string | undefined;
  let schema: JsonSchema | undefined;
  if (prop && typeof prop.$ref === 'string') {
    definition = prop.$ref.replace('#/definitions/', '');
    schema = (root.definitions as Record<string, JsonSchema>)[definition];
  } else {
    const patterns = root.patternProperties as Record<string, JsonSchema> | undefined;
    for (const [p, sub] of Object.entries(patterns ?? {})) {
      if (safeTest(p, key)) {
        definition = `pattern:${p}`;
        schema = sub;
      }
    }
  }
  if (!definition || !schema) return undefined;
  const id = `vllm:${definition}`;
  let v = compiled.get(id);
  if (!v) {
    v = getAjv().compile(schema);
    compiled.set(id, v);
  }
  return { definition, validate: v };
}

/** The raw schema a name stands for. */
export function rootSchema(name: SchemaName): { file: string; schema: JsonSchema } {
  const [file, pointer] = REFS[name].split('#');
  return { file, schema: resolvePointer(schemaFiles().get(file)!, pointer ?? '') };
}

function resolvePointer(schema: JsonSchema, pointer: string): JsonSchema {
  let cur: unknown = schema;
  for (const seg of pointer.split('/').filter(Boolean)) cur = (cur as Record<string, unknown> | undefined)?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  return (cur ?? {}) as JsonSchema;
}

/** A schema together with the file its local `$ref`s resolve in. */
export interface Scoped {
  file: string;
  schema: JsonSchema;
}

function deref(s: Scoped, depth = 0): Scoped {
  const ref = s.schema.$ref;
  if (typeof ref !== 'string' || depth > 20) return s;
  const [file, pointer] = ref.split('#');
  const target = file ? file : s.file;
  const resolved = resolvePointer(schemaFiles().get(target) ?? {}, pointer ?? '');
  // Siblings of `$ref` (a description written next to it) still help hover.
  const { $ref: _ignored, ...siblings } = s.schema;
  return deref({ file: target, schema: { ...resolved, ...siblings } }, depth + 1);
}

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every schema that applies to a value, following `$ref`, `allOf`/`anyOf`/`oneOf` and `if`/`then`
 * (a `then` whose `if` tests a `const` is taken only when the data matches, when data is given).
 */
export function expand(s: Scoped, data?: unknown, depth = 0): Scoped[] {
  if (depth > 12) return [];
  const d = deref(s);
  const out: Scoped[] = [d];
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = d.schema[k];
    if (Array.isArray(list)) for (const sub of list) if (isObject(sub)) out.push(...expand({ file: d.file, schema: sub }, data, depth + 1));
  }
  if (isObject(d.schema.if) && isObject(d.schema.then)) {
    const test = constTest(d.schema.if);
    const matches = !test || data === undefined || (isObject(data) && data[test.key] === test.value);
    if (matches) out.push(...expand({ file: d.file, schema: d.schema.then }, data, depth + 1));
  }
  return out;
}

function constTest(ifSchema: JsonSchema): { key: string; value: unknown } | undefined {
  const props = ifSchema.properties;
  if (!isObject(props)) return undefined;
  for (const [key, p] of Object.entries(props)) if (isObject(p) && 'const' in p) return { key, value: p.const };
  return undefined;
}

/** The schemas of the value at `path` ('*' or a number for list items) below a root. */
export function schemasAt(root: Scoped, path: string[], dataAt?: (depth: number) => unknown): Scoped[] {
  let current = expand(root, dataAt?.(0));
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const next: Scoped[] = [];
    for (const s of current) {
      const sch = s.schema;
      if (seg === '*' || /^\d+$/.test(seg)) {
        if (isObject(sch.items)) next.push({ file: s.file, schema: sch.items });
        continue;
      }
      const props = sch.properties;
      if (isObject(props) && isObject(props[seg])) {
        next.push({ file: s.file, schema: props[seg] });
        continue;
      }
      const patterns = sch.patternProperties;
      let matched = false;
      if (isObject(patterns)) {
        for (const [p, sub] of Object.entries(patterns)) {
          if (isObject(sub) && safeTest(p, seg)) {
            next.push({ file: s.file, schema: sub });
            matched = true;
          }
        }
      }
      if (!matched && isObject(sch.additionalProperties)) next.push({ file: s.file, schema: sch.additionalProperties });
    }
    current = next.flatMap((s) => expand(s, dataAt?.(i + 1)));
    if (current.length === 0) break;
  }
  return current;
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}

export interface PropertyInfo {
  name: string;
  schemas: Scoped[];
}

/** The named properties the schemas allow (`true` entries of closed objects are merged with the typed ones). */
export function propertiesOf(schemas: Scoped[]): PropertyInfo[] {
  const byName = new Map<string, Scoped[]>();
  for (const s of schemas) {
    const props = s.schema.properties;
    if (!isObject(props)) continue;
    for (const [name, sub] of Object.entries(props)) {
      const list = byName.get(name) ?? [];
      if (isObject(sub)) list.push(...expand({ file: s.file, schema: sub }));
      byName.set(name, list);
    }
  }
  return [...byName].map(([name, list]) => ({ name, schemas: list }));
}

export function descriptionOf(schemas: Scoped[]): string | undefined {
  for (const s of schemas) if (typeof s.schema.markdownDescription === 'string') return s.schema.markdownDescription;
  for (const s of schemas) if (typeof s.schema.description === 'string') return s.schema.description;
  return undefined;
}

/** Values a completion can offer: enums, consts and booleans (for lists, those of the items). */
export function valuesOf(schemas: Scoped[], itemsToo = true): string[] {
  const out = new Set<string>();
  const add = (list: Scoped[]) => {
    for (const s of list) {
      if (Array.isArray(s.schema.enum)) for (const v of s.schema.enum) if (v !== null) out.add(String(v));
      if ('const' in s.schema && s.schema.const !== null && typeof s.schema.const !== 'object') out.add(String(s.schema.const));
      const t = s.schema.type;
      if (t === 'boolean' || (Array.isArray(t) && t.includes('boolean'))) ['true', 'false'].forEach((v) => out.add(v));
      if (Array.isArray(s.schema.examples)) for (const v of s.schema.examples) if (typeof v === 'string') out.add(v);
    }
  };
  add(schemas);
  if (itemsToo) add(schemas.filter((s) => isObject(s.schema.items)).flatMap((s) => expand({ file: s.file, schema: s.schema.items as JsonSchema })));
  return [...out];
}

/** A short type label (`integer`, `string`, `object`, `list`, ...) for completion details. */
export function typeLabel(schemas: Scoped[]): string | undefined {
  const types = new Set<string>();
  for (const s of schemas) {
    const t = s.schema.type;
    for (const x of Array.isArray(t) ? t : t ? [t] : []) types.add(x === 'array' ? 'list' : String(x));
    if (Array.isArray(s.schema.enum)) types.add('enum');
  }
  types.delete('null');
  return types.size ? [...types].join(' | ') : undefined;
}

/** True when the schemas describe a map (object) value. */
export function isObjectSchema(schemas: Scoped[]): boolean {
  return schemas.some((s) => s.schema.type === 'object' || isObject(s.schema.properties));
}

export function isArraySchema(schemas: Scoped[]): boolean {
  return schemas.some((s) => s.schema.type === 'array');
}
