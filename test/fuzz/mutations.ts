/**
 * Seeded mutation of real inputs for the fuzz tests. Real files (the examples, the YAML fixtures,
 * the NCCL corpus) are the seeds because the interesting crashes live near valid input: a flag cut
 * in half, a quote that never closes, a log line with a NUL in its host name. Every case is a pure
 * function of (seed, case number), so a failure message that names them reproduces it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, sharedDir } from '../helpers';
import { rng } from '../bench/workloads';

export type FuzzKind = 'shell' | 'yaml' | 'nccl-log';

export interface Seed {
  name: string;
  text: string;
}

const files = (dir: string, ext: RegExp) => (existsSync(dir) ? readdirSync(dir).filter((f) => ext.test(f)).sort().map((f) => join(dir, f)) : []);
const read = (path: string): Seed => ({ name: path.slice(path.lastIndexOf('/', path.lastIndexOf('/') - 1) + 1), text: readFileSync(path, 'utf8') });

/** Logs are long (default.log is ~10k lines): seeds keep a window so one case stays well under a second. */
const LOG_WINDOW_LINES = 1500;

export function seeds(kind: FuzzKind): Seed[] {
  if (kind === 'shell') return files(join(repoRoot, 'examples'), /\.(sh|bash)$/).map(read);
  if (kind === 'yaml') return [...files(join(repoRoot, 'test', 'fixtures', 'yaml'), /\.ya?ml$/), ...files(join(repoRoot, 'examples'), /\.ya?ml$/)].map(read);
  const corpus = join(sharedDir, 'corpus');
  const logs = existsSync(corpus) ? readdirSync(corpus).sort().flatMap((d) => files(join(corpus, d), /\.log$/)) : [];
  return [...logs, ...files(join(repoRoot, 'test', 'fixtures', 'nccl'), /\.(log|txt)$/)].map(read).filter((s) => s.text.length > 0);
}

export type Random = () => number;
const int = (r: Random, n: number) => Math.floor(r() * n);
const pick = <T>(r: Random, a: readonly T[]): T => a[int(r, a.length)];

/** Characters that have broken lexers before: controls, quotes, escapes, separators, astral and lone surrogates. */
const NASTY = ['\u0000', '\u0001', '\u001b[31m', '\u007f', '\ufeff', '\ufffd', '\ud800', '\udfff', '😀', '\u2028', '\u00a0', '\t', '\r', '\\', '"', "'", '`', '$', '${', '$(', '{{', '}}', '#', ':', '- ', '&a ', '*a', '!!', '|', '>', '%', '\n---\n', '=', ',', '[', ']', '{', '}'];

function randomText(r: Random, length: number): string {
  let s = '';
  while (s.length < length) s += r() < 0.5 ? pick(r, NASTY) : String.fromCharCode(int(r, 0x3000));
  return s;
}

/** Kind-specific deep nesting: the constructs each parser recurses on. */
function deepNesting(kind: FuzzKind, depth: number): string {
  if (kind === 'shell') return `echo ${'$('.repeat(depth)}x${')'.repeat(depth)} ${'"$('.repeat(depth)}\n`;
  if (kind === 'yaml') {
    const flow = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const block = Array.from({ length: Math.min(depth, 400) }, (_, i) => `${' '.repeat(i)}- `).join('\n');
    return `deep: ${flow}\nmap: ${'{a: '.repeat(depth)}${'}'.repeat(depth)}\n${block}x\n`;
  }
  return `host:1:1 [0] NCCL INFO Channel 00/0 : ${'0[0] -> '.repeat(depth)}0[0] via P2P/IPC\nhost:1:1 [0] NCCL INFO Trees ${'[0] -1/-1/-1->0->1 '.repeat(depth)}\n`;
}

type Mutator = (text: string, r: Random, kind: FuzzKind) => string;

const at = (text: string, r: Random) => int(r, text.length + 1);
const insert = (text: string, i: number, s: string) => text.slice(0, i) + s + text.slice(i);

export const MUTATORS: Record<string, Mutator> = {
  truncate: (t, r) => t.slice(0, at(t, r)),
  randomBytes: (t, r) => {
    let out = t;
    for (let k = 1 + int(r, 8); k > 0; k--) out = insert(out, at(out, r), randomText(r, 1 + int(r, 12)));
    return out;
  },
  hugeLine: (t, r) => insert(t, at(t, r), `${pick(r, ['--served-model-name ', 'x: ', 'host:1:1 [0] NCCL WARN ', ''])}${'A'.repeat(100_000 + int(r, 100_000))}\n`),
  deepNesting: (t, r, kind) => insert(t, at(t, r), deepNesting(kind, 100 + int(r, 900))),
  unbalancedQuotes: (t, r) => {
    let out = t;
    for (let k = 1 + int(r, 4); k > 0; k--) out = insert(out, at(out, r), pick(r, ['"', "'", '`', '"$(', "'\\", '"${', '{{ "']));
    return out;
  },
  crlf: (t) => t.replace(/\r?\n/g, '\r\n'),
  loneCr: (t) => t.replace(/\r?\n/g, '\r'),
  bom: (t) => `\ufeff${t}`,
  nul: (t, r) => {
    let out = t;
    for (let k = 1 + int(r, 5); k > 0; k--) out = insert(out, at(out, r), '\u0000');
    return out;
  },
  duplicateSlice: (t, r) => {
    const a = at(t, r);
    const b = Math.min(t.length, a + int(r, 4000));
    return insert(t, at(t, r), t.slice(a, b).repeat(1 + int(r, 5)));
  },
  shuffleLines: (t, r) => {
    const lines = t.split('\n');
    for (let k = int(r, 30); k > 0; k--) {
      const i = int(r, lines.length);
      const j = int(r, lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
    }
    return lines.join('\n');
  },
  deleteSlice: (t, r) => {
    const a = at(t, r);
    return t.slice(0, a) + t.slice(Math.min(t.length, a + int(r, 200)));
  },
};

export interface FuzzCase {
  kind: FuzzKind;
  /** `seed-file +mutator+mutator`, for the failure message. */
  label: string;
  text: string;
}

/** Case `n` of `kind` under `seed`: one real file (a window of it for logs), one to three mutations. */
export function fuzzCase(kind: FuzzKind, seed: number, n: number, pool = seeds(kind)): FuzzCase {
  const r = rng(seed * 100_003 + n * 7919 + kind.length);
  const base = pick(r, pool);
  let text = base.text;
  if (kind === 'nccl-log') {
    const lines = text.split('\n');
    const from = int(r, Math.max(1, lines.length - LOG_WINDOW_LINES));
    text = lines.slice(from, from + LOG_WINDOW_LINES).join('\n');
  }
  const names = Object.keys(MUTATORS);
  const applied: string[] = [];
  for (let k = 1 + int(r, 3); k > 0; k--) {
    const name = pick(r, names);
    text = MUTATORS[name](text, r, kind);
    applied.push(name);
  }
  return { kind, label: `${base.name} +${applied.join('+')}`, text };
}

/** A billion laughs wired into a Deployment's args and env: nine levels of ten, 10^9 strings expanded. */
export function aliasBomb(): string {
  const levels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
  const lines = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: bomb', 'x-lol:'];
  lines.push(`  a: &a [${Array(10).fill('"--tensor-parallel-size"').join(', ')}]`);
  for (let i = 1; i < levels.length; i++) lines.push(`  ${levels[i]}: &${levels[i]} [${Array(10).fill(`*${levels[i - 1]}`).join(', ')}]`);
  lines.push('  env: &env [{name: NCCL_DEBUG, value: INFO}, {name: NCCL_DEBUG, value: INFO}]', '  envs: &envs [*env, *env, *env, *env, *env, *env, *env, *env]');
  lines.push('spec:', '  template:', '    spec:', '      containers:', '        - name: vllm', '          image: vllm/vllm-openai:v0.18.0', '          command: ["vllm", "serve"]', '          args: *i', '          env: *envs', '        - *i', '');
  return lines.join('\n');
}

/** The seed for this run: FUZZ_SEED=n reproduces a run; CI uses the fixed default. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20251128);
