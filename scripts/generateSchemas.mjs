#!/usr/bin/env node
// Generates schemas/vllm-config.schema.json (JSON Schema draft-07) from the knowledge base
// (server/src/knowledge/generated/vllm.json), so the schema of `vllm serve --config file.yaml`
// never drifts from the flags the rest of rvn knows. Never edit the output by hand.
//
//   node scripts/generateSchemas.mjs           write the schema
//   node scripts/generateSchemas.mjs --check   exit 1 when the file on disk is out of date
//
// How vLLM reads the file: every top-level key becomes `--key`, so a key is a long flag name
// without `--`, in dash or underscore spelling (vLLM rewrites `_` to `-`). `true` booleans add the
// flag, `false` ones add `--no-key` where that form exists (otherwise they are dropped). The `no-x`
// spellings are keys too: `no-x: true` passes `--no-x` (vLLM's own recipes and its recipe-to-config
// converter write them), while `no-x: false` is dropped silently, which rvn reports; they are typed
// `boolean` and marked `x-rvn-negates` so completion can leave them out. Lists become several
// values; anything else is passed through `str()`, which is why numbers are fine for string
// options and numeric strings for number ones.
// The other schemas in schemas/ are written by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'server/src/knowledge/generated/vllm.json');
const target = join(root, 'schemas/vllm-config.schema.json');
const check = process.argv.includes('--check');

/** Flags that make no sense inside the file itself. */
const NOT_KEYS = new Set(['--help', '--config']);

// The same value grammar as server/src/analysis/vllmValues.ts.
const INT_STRING = '^[+-]?\\d+$';
const HUMAN_INT_STRING = '^\\d+(?:\\.\\d+)?[kKmMgGtT]i?$';
const FLOAT_STRING = '^[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?$';

const data = JSON.parse(readFileSync(source, 'utf8'));

/** The schema of one value (one list item for list flags). */
function itemSchema(flag, itemType) {
  if (flag.choices) {
    const isInt = itemType === 'int';
    const values = [];
    for (const c of flag.choices) {
      const v = isInt && /^-?\d+$/.test(c) ? Number(c) : c;
      if (!values.includes(v)) values.push(v);
      // vLLM lower-cases these and turns `-` into `_` before comparing.
      if (flag.normaliseValue && typeof v === 'string' && v.includes('_') && !values.includes(v.replace(/_/g, '-'))) values.push(v.replace(/_/g, '-'));
    }
    if (flag.acceptsNone && !values.includes(null)) values.push(null);
    return { enum: values };
  }
  const none = flag.acceptsNone ? [{ type: 'null' }] : [];
  switch (itemType) {
    case 'bool':
      return { type: 'boolean' };
    case 'int': {
      const strings = [{ type: 'string', pattern: INT_STRING }];
      if (flag.valueFormat?.startsWith('human_readable_int')) strings.push({ type: 'string', pattern: HUMAN_INT_STRING });
      if (flag.valueFormat === 'human_readable_int_or_auto') strings.push({ const: 'auto' });
      return { anyOf: [{ type: 'integer' }, ...strings, ...none] };
    }
    case 'float':
      return { anyOf: [{ type: 'number' }, { type: 'string', pattern: FLOAT_STRING }, ...none] };
    case 'json':
      return { anyOf: [{ type: 'object' }, { type: 'array' }, { type: 'string' }, ...none] };
    case 'json|str':
      return { anyOf: [{ type: 'object' }, { type: 'array' }, { type: 'string' }, { type: 'number' }, ...none] };
    case 'bool|str':
      return { type: ['boolean', 'string'] };
    case 'int|str':
      return { type: flag.acceptsNone ? ['integer', 'string', 'null'] : ['integer', 'string'] };
    default:
      return { type: flag.acceptsNone ? ['string', 'number', 'null'] : ['string', 'number'] };
  }
}

function valueSchema(flag) {
  const list = /^list\[(.*)\]$/.exec(flag.type);
  if (list && flag.takes === 'list') {
    const item = itemSchema(flag, list[1]);
    // A YAML list gives several values; a single scalar gives one.
    return { anyOf: [{ type: 'array', items: item }, item] };
  }
  // A list flag taking one value (comma-separated, or repeated on the command line) is one scalar here.
  return itemSchema(flag, list ? (flag.valueFormat === 'comma_separated' ? 'str' : list[1]) : flag.type);
}

function typedDefault(flag) {
  const d = flag.default;
  if (d === undefined || d === null) return undefined;
  if (flag.type === 'bool') return d === 'true' ? true : d === 'false' ? false : undefined;
  if (flag.type === 'int' && /^-?\d+$/.test(d)) return Number(d);
  if (flag.type === 'float' && !Number.isNaN(Number(d))) return Number(d);
  if (flag.type.startsWith('list') || flag.type.startsWith('json')) {
    try {
      return JSON.parse(d);
    } catch {
      return flag.type === 'json|str' ? d : undefined;
    }
  }
  return d;
}

function describe(flag, key) {
  let text = flag.description;
  if (flag.name === '--model') text = 'Hugging Face repo ID or local path of the model to serve. In a config file this key is the usual way to name the model.';
  const deprecation = flag.name === '--model' ? undefined : data.deprecated.find((d) => d.flag === flag.name);
  const known = flag.knownValues?.length ? `Known values (vLLM does not enforce them; plugins may add more): ${flag.knownValues.join(', ')}.` : '';
  const negation = flag.negated ? `\`${key}: false\` passes \`${flag.negated}\`.` : flag.type === 'bool' ? `\`${key}: false\` is the same as leaving the key out.` : '';
  const plain = [text, known, deprecation ? `Deprecated: ${deprecation.why}.` : ''].filter(Boolean).join('\n\n');
  const markdown = [`**${flag.name}**${flag.aliases.length ? ` (${flag.aliases.join(', ')})` : ''}`, text, known, negation, deprecation ? `*Deprecated:* ${deprecation.why}.` : '', `[vLLM docs](${flag.docs})`]
    .filter(Boolean)
    .join('\n\n');
  return { description: plain, markdownDescription: markdown, ...(deprecation ? { deprecationMessage: `${flag.name} is deprecated: ${deprecation.why}.` } : {}) };
}

/** `no-x: true` is `x: false` written the command-line way; `no-x: false` does nothing. */
function negation(flag, key, negated) {
  const text = `Turns ${flag.name} off: \`${negated}: true\` passes ${flag.negated}, the same as \`${key}: false\`. \`${negated}: false\` is dropped silently.`;
  return {
    description: text,
    markdownDescription: [`**${flag.negated}**`, text, `[vLLM docs](${flag.docs})`].join('\n\n'),
    'x-rvn-negates': key,
    type: 'boolean',
  };
}

function build() {
  const definitions = {};
  const properties = {};
  const jsonKeys = [];
  for (const flag of data.flags) {
    if (NOT_KEYS.has(flag.name)) continue;
    const key = flag.name.slice(2);
    const def = { ...describe(flag, key), ...valueSchema(flag) };
    const dflt = typedDefault(flag);
    if (dflt !== undefined) def.default = dflt;
    if (flag.knownValues?.length) def.examples = flag.knownValues;
    definitions[key] = def;
    const spell = (spelling, target) => {
      const dash = spelling.slice(2);
      properties[dash] = { $ref: `#/definitions/${target}` };
      const underscore = dash.replace(/-/g, '_');
      if (underscore !== dash) properties[underscore] = { $ref: `#/definitions/${target}` };
    };
    for (const spelling of [flag.name, ...flag.aliases.filter((a) => a.startsWith('--'))]) spell(spelling, key);
    if (flag.negated) {
      const negated = flag.negated.slice(2);
      definitions[negated] = negation(flag, key, negated);
      spell(flag.negated, negated);
    }
    if (flag.type.startsWith('json')) jsonKeys.push(key.replace(/-/g, '[-_]'));
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'vLLM serve config file',
    description: `Options for \`vllm serve --config FILE.yaml\`: each key is a \`vllm serve\` flag without the leading \`--\` (dash or underscore spelling). Options given on the command line win over the file. Generated by scripts/generateSchemas.mjs from the rvn knowledge base (vLLM snapshot ${data.snapshot}); do not edit.`,
    type: 'object',
    properties,
    // JSON options also take dotted keys for one field: `compilation-config.mode: 3`.
    patternProperties: jsonKeys.length ? { [`^(?:${jsonKeys.join('|')})\\.[^.]`]: {} } : {},
    additionalProperties: false,
    definitions,
  };
}

const text = `${JSON.stringify(build(), null, 2)}\n`;
if (check) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error('generateSchemas: schemas/vllm-config.schema.json is out of date; run node scripts/generateSchemas.mjs');
    process.exit(1);
  }
  console.log('generateSchemas: schemas/vllm-config.schema.json is up to date');
} else {
  writeFileSync(target, text);
  console.log(`generateSchemas: wrote schemas/vllm-config.schema.json (${Object.keys(JSON.parse(text).properties).length} keys)`);
}
