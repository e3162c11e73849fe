/**
 * Grammar speed: our NCCL log grammar against VS Code's built-in `log` grammar (the copy in
 * ../shared/peers, benchmark only), tokenizing the same real NCCL logs with the same engine VS Code
 * uses (vscode-textmate + vscode-oniguruma). Lines are tokenized in order with the rule stack
 * carried, as the editor does; per-line times give the p99 that decides whether typing stutters.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';
import { repoRoot, sharedDir } from '../helpers';
import { percentile } from './serverProcess';

const OUR_GRAMMAR = join(repoRoot, 'syntaxes', 'nccl-log.tmLanguage.json');
const PEER_GRAMMAR = join(sharedDir, 'peers', 'vscode-log', 'log.tmLanguage.json');
const CORPUS = join(sharedDir, 'corpus');
const SAMPLE_LINES = 10_000;
const PASSES = 5;

async function loadGrammar(path: string): Promise<IGrammar> {
  const wasm = readFileSync(join(repoRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const raw = readFileSync(path, 'utf8');
  const scopeName = JSON.parse(raw).scopeName as string;
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (name) => (name === scopeName ? parseRawGrammar(raw, path) : null),
  });
  const grammar = await registry.loadGrammar(scopeName);
  if (!grammar) throw new Error(`cannot load ${path}`);
  return grammar;
}

interface GrammarFigures {
  linesPerSecond: number;
  p99Ms: number;
  maxMs: number;
}

/** One pass over the lines in order, the rule stack carried; per-line times appended to `perLine`. */
function pass(grammar: IGrammar, lines: string[], perLine?: number[]): number {
  let stack = INITIAL;
  const started = performance.now();
  for (const line of lines) {
    const t = performance.now();
    // tokenizeLine2 (binary tokens) is what the editor calls; the 500 ms limit is VS Code's.
    stack = grammar.tokenizeLine2(line, stack, 500).ruleStack;
    perLine?.push(performance.now() - t);
  }
  return performance.now() - started;
}

/**
 * A warm-up pass each, then PASSES timed passes alternating between the grammars, so a busy
 * machine slows both alike; lines/s from each grammar's median pass, p99 over all its timed lines.
 */
function tokenizeBoth(grammars: IGrammar[], lines: string[]): GrammarFigures[] {
  for (const g of grammars) pass(g, lines);
  const perLine = grammars.map(() => [] as number[]);
  const passes = grammars.map(() => [] as number[]);
  for (let k = 0; k < PASSES; k++) grammars.forEach((g, i) => passes[i].push(pass(g, lines, perLine[i])));
  return grammars.map((_, i) => ({ linesPerSecond: lines.length / (percentile(passes[i], 50) / 1000), p99Ms: percentile(perLine[i], 99), maxMs: Math.max(...perLine[i]) }));
}

/** Every real log in the corpus, in a fixed order, cycled up to SAMPLE_LINES lines (all line shapes, WARNs, errors). */
function sampleLines(): string[] {
  const files = readdirSync(CORPUS)
    .sort()
    .flatMap((d) => (existsSync(join(CORPUS, d)) ? readdirSync(join(CORPUS, d)).sort().filter((f) => /\.(log|txt)$/.test(f)).map((f) => join(CORPUS, d, f)) : []));
  const all = files.flatMap((f) => readFileSync(f, 'utf8').split(/\r?\n/));
  const out: string[] = [];
  while (out.length < SAMPLE_LINES && all.length > 0) out.push(...all.slice(0, SAMPLE_LINES - out.length));
  return out;
}

export async function runGrammarBenchmark(): Promise<void> {
  if (!existsSync(OUR_GRAMMAR)) return void console.log('\ngrammar benchmark skipped: syntaxes/nccl-log.tmLanguage.json does not exist yet');
  if (!existsSync(PEER_GRAMMAR) || !existsSync(CORPUS)) return void console.log('\ngrammar benchmark skipped: ../shared/peers or ../shared/corpus is missing');
  const ours = await loadGrammar(OUR_GRAMMAR);
  const peer = await loadGrammar(PEER_GRAMMAR);
  const inputs: Array<[string, string[]]> = [];
  const defaultLog = join(CORPUS, 'nccl-2.28.9-h200x4', 'default.log');
  if (existsSync(defaultLog)) inputs.push(['default.log (H200 ×4)', readFileSync(defaultLog, 'utf8').split(/\r?\n/)]);
  inputs.push([`${SAMPLE_LINES.toLocaleString('en')}-line sample of every corpus log`, sampleLines()]);
  console.log('\ngrammar: syntaxes/nccl-log.tmLanguage.json vs VS Code built-in log grammar (vscode-textmate + vscode-oniguruma)');
  const header = ['input', 'lines', 'rvn lines/s', 'log lines/s', 'ratio', 'rvn p99 / max', 'log p99 / max', 'target', ''];
  const rows: string[][] = [];
  for (const [name, lines] of inputs) {
    const [o, p] = tokenizeBoth([ours, peer], lines);
    const ratio = o.linesPerSecond / p.linesPerSecond;
    const ms = (n: number) => `${n.toFixed(3)} ms`;
    rows.push([name, String(lines.length), Math.round(o.linesPerSecond).toLocaleString('en'), Math.round(p.linesPerSecond).toLocaleString('en'), `${ratio.toFixed(2)}×`, `${ms(o.p99Ms)} / ${ms(o.maxMs)}`, `${ms(p.p99Ms)} / ${ms(p.maxMs)}`, '≥ 1× lines/s', ratio >= 1 ? 'met' : 'MISSED']);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [header, ...rows]) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}
