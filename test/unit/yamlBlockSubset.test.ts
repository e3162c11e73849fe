/**
 * The YAML fast path must build exactly what the `yaml` library builds, or step aside. Every chunk
 * of every YAML text we have (fixtures, examples, the rule pages, the bench workload) and thousands
 * of generated manifests are parsed both ways; where the fast path answers, the trees must agree
 * node for node: class, value, type, format, all three range offsets, and the document's range.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import { parseBlockSubset } from '../../server/src/yaml/blockSubset';
import { chunks, maskHelm, OPTIONS, parseWithYaml, yamlParsing } from '../../server/src/yaml/document';
import { analyzeText } from '../../server/src/engine';
import { deploymentManifest, rng } from '../bench/workloads';
import { hasShared, repoRoot, sharedDir } from '../helpers';

/** The first difference between two parsed values, as a path and a description; undefined if none. */
function difference(a: unknown, b: unknown, path: string): string | undefined {
  if (isScalar(a) || isScalar(b)) {
    if (!isScalar(a) || !isScalar(b)) return `${path}: scalar vs non-scalar`;
    for (const k of ['value', 'type', 'format', 'minFractionDigits', 'source', 'tag', 'anchor'] as const) {
      if (!Object.is((a as any)[k], (b as any)[k])) return `${path}.${k}: ${JSON.stringify((a as any)[k])} vs ${JSON.stringify((b as any)[k])}`;
    }
    if (a.constructor !== b.constructor) return `${path}: class`;
    return sameRange(a.range, b.range, path);
  }
  if (isMap(a) || isSeq(a)) {
    if (isMap(a) !== isMap(b) || isSeq(a) !== isSeq(b) || a.constructor !== (b as object).constructor) return `${path}: collection kind`;
    if (!!a.flow !== !!(b as typeof a).flow) return `${path}: flow`;
    const bi = (b as typeof a).items as unknown[];
    if (a.items.length !== bi.length) return `${path}: ${a.items.length} vs ${bi.length} items`;
    if ((a as any).schema !== undefined && !(b as any).schema) return `${path}: schema missing`;
    for (let i = 0; i < a.items.length; i++) {
      const d = difference(a.items[i], bi[i], `${path}[${i}]`);
      if (d) return d;
    }
    return sameRange(a.range, (b as typeof a).range, path);
  }
  if (isPair(a)) {
    if (!isPair(b) || a.constructor !== b.constructor) return `${path}: pair vs non-pair`;
    return difference(a.key, b.key, `${path}.key`) ?? difference(a.value, b.value, `${path}.value`);
  }
  if (a === null && b === null) return undefined;
  return `${path}: unexpected ${String(a)} vs ${String(b)}`;
}

function sameRange(a: unknown, b: unknown, path: string): string | undefined {
  return JSON.stringify(a) === JSON.stringify(b) ? undefined : `${path}.range: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

interface Tally {
  chunks: number;
  fast: number;
}

/** Parses every chunk both ways and returns the first disagreement (with its source) or undefined. */
function compareText(text: string, tally: Tally): string | undefined {
  const { masked } = maskHelm(text);
  for (const [start, end] of chunks(masked)) {
    const source = masked.slice(start, end);
    const full = parseWithYaml(source, start);
    const fast = parseBlockSubset(source, start, OPTIONS);
    tally.chunks++;
    if (!fast) continue;
    tally.fast++;
    const where = (d: string) => `${d}\n--- chunk at ${start} ---\n${source}`;
    if (full.length !== 1) return where(`yaml made ${full.length} documents`);
    const ref = full[0] as Document.Parsed;
    if (ref.errors.length || ref.warnings.length) return where(`yaml reports ${ref.errors[0]?.message ?? ref.warnings[0]?.message}; the fast path accepted it`);
    const d = sameRange(fast.range, ref.range, 'document') ?? difference(fast.contents, ref.contents, 'contents');
    if (d) return where(d);
    if (fast.directives.docStart !== ref.directives.docStart) return where('docStart');
    // The nodes work with yaml's own methods too (they are its classes). Comments are not attached
    // to nodes (nothing here reads them: directives come from the text), so toString() may differ.
    if (JSON.stringify(fast.toJS()) !== JSON.stringify(ref.toJS())) return where('toJS differs');
  }
  return undefined;
}

function yamlTexts(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const add = (dir: string, pattern: RegExp) => {
    for (const f of readdirSync(join(repoRoot, dir))) if (pattern.test(f)) out.push([`${dir}/${f}`, readFileSync(join(repoRoot, dir, f), 'utf8')]);
  };
  add('test/fixtures/yaml', /\.ya?ml$/);
  add('examples', /\.ya?ml$/);
  add('snippets', /\.json$/);
  // One-line string literals holding YAML in the YAML tests (`'kind: Pod\\nspec: …'`).
  for (const f of ['yaml.test.ts', 'yamlSchemas.test.ts', 'features.test.ts', 'rules.test.ts']) {
    const source = readFileSync(join(repoRoot, 'test/unit', f), 'utf8');
    for (const m of source.matchAll(/'((?:[^'\\\n]|\\.)*?: (?:[^'\\\n]|\\.)*?\\n(?:[^'\\\n]|\\.)*)'/g)) {
      out.push([`test/unit/${f}`, JSON.parse(`"${m[1].replace(/\\'/g, "'").replace(/"/g, '\\"')}"`)]);
    }
  }
  if (hasShared) out.push(['NAD CRD', readFileSync(join(sharedDir, 'reference/runai/schemas/nad-network-attachment-definitions.crd.yaml'), 'utf8')]);
  // YAML code blocks of the rule pages.
  for (const f of readdirSync(join(repoRoot, 'docs/rules'))) {
    const md = readFileSync(join(repoRoot, 'docs/rules', f), 'utf8');
    for (const m of md.matchAll(/```ya?ml\n([\s\S]*?)```/g)) out.push([`docs/rules/${f}`, m[1]]);
  }
  return out;
}

test('the fast path agrees with yaml on every YAML text in the repository', () => {
  const tally = { chunks: 0, fast: 0 };
  for (const [name, text] of yamlTexts()) {
    const d = compareText(text, tally);
    assert.equal(d, undefined, `${name}: ${d}`);
  }
  if (process.env.RVN_TALLY) console.log(tally);
  assert.ok(tally.chunks > 50, `only ${tally.chunks} chunks were compared`);
  assert.ok(tally.fast > tally.chunks / 4, `the fast path took only ${tally.fast} of ${tally.chunks} chunks`);
});

test('the benchmark manifest goes entirely through the fast path, and agrees', () => {
  const tally = { chunks: 0, fast: 0 };
  assert.equal(compareText(deploymentManifest(3000), tally), undefined);
  assert.equal(tally.fast, tally.chunks);
});

// ---- generated manifests: the subset's edges, and what lies just outside it ----

/** Scalars as they appear in manifests, including ones the core schema resolves and ones it must refuse. */
const SCALARS = [
  'vllm', 'registry.example.com/vllm/vllm-openai:v0.18.0', '--tensor-parallel-size', '"8"', "'8'", '8', '-1', '+3', '0.90', '1.5e3', '.5', '0x1F', '0o17',
  'true', 'True', 'FALSE', 'yes', 'no', 'null', 'Null', '~', '.inf', '-.Inf', '.nan', '"a: b"', "'it''s'", '"with # hash"', 'a #comment', 'http://x:80/y',
  'a:b', '-', '--', '?x', ':x', '"esc\\"aped"', '"unterminated', "'unterminated", '[a, b]', '{a: 1}', '&anchor v', '*alias', '!tag v', '|', '>-', '@x', '`x',
  'a: b', 'trailing:', 'x  ', '  ', '"q"x', '"q" x', '"q" # c', "'' ", '""', '12:30', '2024-01-01', '1_000', '0', '-0', '007', '+.5', '1.', 'NULL', 'TRUE',
  '[vllm, serve]', '["/bin/sh", "-c"]', '[]', '[ x ,y ]', '[x, y,]', '[1, true, ~, 0.5]', '[a: b]', '[a, [b]]', '[a, {b: 1}]', '[a,,b]', '[,]', '[a] x', '[a]  # c',
  '[a#b]', '[a #b]', "['it''s', \"q\"]", '[a:b]', '[-x, --y]', '[ ]', '[a',
  '{name: hf-secret, key: token}', '{ name: x , key: 1 }  # c', '{}', '{x: 1,}', '{x: }', '{"k": v}', '{x: [1]}', '{a b: c}', '{a : b}', '{a:b}', '{x: 1} y',
  "{'k': 'v', \"q\": 2}", '{x: {y: 1}}', '{: x}', '{x: 1, x: 2}', '{? x}', '{name: A, value: "1"}',
];
/** Block scalar headers, handled and not. */
const BLOCK_HEADERS = ['|', '|-', '>', '>-', '|+', '|2', '>+', '|  # c', '|#c', '| x'];
const BLOCK_LINES = ['python -m vllm.entrypoints.openai.api_server \\', 'echo "$NCCL_DEBUG"', '# not a comment here', '  more indented', '', 'exec vllm serve --port 8000', '   '];
const KEYS = ['name', 'value', 'image', 'args', '"quoted key"', "'single'", 'nvidia.com/gpu', '1', 'true', 'null', '~', 'a b', 'key ', '-k', '? k', 'x:y', '"k" ', "'a''b'", '<<', '[k]', '&a k', '!t k'];

function generate(seed: number): string {
  const r = rng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const lines: string[] = [];
  const pad = (n: number) => ' '.repeat(n);
  const noise = (indent: number) => {
    const x = r();
    if (x < 0.08) lines.push('');
    else if (x < 0.13) lines.push(`${pad(Math.floor(r() * (indent + 4)))}# note ${seed}`);
    else if (x < 0.15) lines.push(pad(Math.floor(r() * 6)));
  };
  const node = (indent: number, depth: number): void => {
    const kind = depth > 3 ? 2 : Math.floor(r() * 3);
    if (kind === 0) {
      const n = 1 + Math.floor(r() * 3);
      for (let i = 0; i < n; i++) {
        noise(indent);
        const key = pick(KEYS);
        if (r() < 0.4 && depth < 4) {
          lines.push(`${pad(indent)}${key}:${r() < 0.1 ? ' ' : ''}${r() < 0.05 ? ' # why' : ''}`);
          const indentless = r() < 0.3;
          if (indentless) seqAt(indent, depth + 1);
          else node(indent + pick([2, 2, 4, 1]), depth + 1);
        } else if (r() < 0.1) {
          lines.push(`${pad(indent)}${key}:`);
        } else if (r() < 0.12) {
          lines.push(`${pad(indent)}${key}: ${pick(BLOCK_HEADERS)}`);
          blockBody(indent);
        } else {
          lines.push(`${pad(indent)}${key}: ${pick(SCALARS)}`);
        }
      }
    } else if (kind === 1) {
      seqAt(indent, depth);
    } else {
      lines.push(`${pad(indent)}${pick(SCALARS)}`);
    }
  };
  const blockBody = (indent: number) => {
    const inner = indent + pick([2, 2, 2, 1, 4, 0]);
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      const l = r() < 0.7 ? BLOCK_LINES[0] : pick(BLOCK_LINES);
      lines.push(l.trim() === '' ? l : `${pad(inner)}${l}`);
    }
  };
  const seqAt = (indent: number, depth: number) => {
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      noise(indent);
      const x = r();
      if (x < 0.05) {
        lines.push(`${pad(indent)}- ${pick(BLOCK_HEADERS)}`);
        blockBody(indent);
      } else if (x < 0.45) lines.push(`${pad(indent)}- ${pick(SCALARS)}`);
      else if (x < 0.8 && depth < 4) {
        // A compact mapping in the item: `- name: x` and its siblings below.
        const before = lines.length;
        node(indent + 2, depth + 1);
        const first = lines[before] ?? '';
        if (first.startsWith(pad(indent + 2))) lines[before] = `${pad(indent)}-${pick([' ', ' ', '   '.slice(0, 1)])}${first.slice(indent + 2)}`;
        else lines.splice(before, 0, `${pad(indent)}-`);
      } else if (x < 0.9) {
        lines.push(`${pad(indent)}-`);
        node(indent + 2, depth + 1);
      } else lines.push(`${pad(indent)}-${r() < 0.5 ? '' : ' '}`);
    }
  };
  const docs = 1 + Math.floor(r() * 3);
  for (let d = 0; d < docs; d++) {
    if (d > 0 || r() < 0.5) lines.push(pick(['---', '---', '--- # doc', '---  ']));
    noise(0);
    node(0, 0);
    noise(0);
  }
  const text = lines.join('\n');
  return r() < 0.2 ? text : `${text}\n`;
}

test('generated manifests: wherever the fast path answers, it answers exactly as yaml does', () => {
  const tally = { chunks: 0, fast: 0 };
  for (let seed = 1; seed <= 4000; seed++) {
    const text = generate(seed);
    const d = compareText(text, tally);
    assert.equal(d, undefined, `seed ${seed}: ${d}`);
  }
  // The generator mixes in much that is outside the subset; a good share must still be taken.
  assert.ok(tally.fast > tally.chunks / 5, `fast path took ${tally.fast} of ${tally.chunks} chunks`);
});

test('deep nesting, tabs and CR are left to the full parser', () => {
  const deep = `${Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}- `).join('\n')}x\n`;
  assert.equal(parseBlockSubset(deep, 0, OPTIONS), undefined);
  assert.ok(parseBlockSubset(`${Array.from({ length: 20 }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n')} x\n`, 0, OPTIONS));
  assert.equal(parseBlockSubset('a:\tb\n', 0, OPTIONS), undefined);
  assert.equal(parseBlockSubset('a: b\r\n', 0, OPTIONS), undefined);
});

/** Findings, hover-relevant models aside, as comparable text. */
function findingsOf(text: string): string {
  return JSON.stringify(analyzeText(text, 'yaml').findings);
}

test('whole analyses are the same with and without the fast path: fixtures, examples, generated manifests', () => {
  const texts = [...yamlTexts().map(([, t]) => t), deploymentManifest(400), ...Array.from({ length: 300 }, (_, i) => generate(10_000 + i))];
  let compared = 0;
  try {
    for (const text of texts) {
      yamlParsing.blockSubset = false;
      const slow = findingsOf(text);
      yamlParsing.blockSubset = true;
      const fast = findingsOf(text);
      assert.equal(fast, slow, text);
      compared++;
    }
  } finally {
    yamlParsing.blockSubset = true;
  }
  assert.equal(compared, texts.length);
});
