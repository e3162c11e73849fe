#!/usr/bin/env node
// Speed and backtracking check for syntaxes/nccl-log.tmLanguage.json, with the engine VS Code
// uses (vscode-textmate + vscode-oniguruma). Exits 1 when a budget is exceeded.
//
//   node test/grammar/perf.mjs [more log files or folders ...]
//   NCCL_LOG_CORPUS=dir1:dir2 node test/grammar/perf.mjs
//
// 1. Every line of every corpus log, tokenized in order (the rule stack carried from line to line):
//    lines/s and the slowest line; a line over LINE_BUDGET_MS fails.
//    Corpus: test/fixtures/nccl, test/grammar/cases, ../shared/corpus (when present), arguments.
// 2. Pathological lines: long runs of one character (digits, spaces, '-', '/', '[', ...) and long
//    repetitions of log fragments (ranks, node ids, launcher prefixes, ...):
//    a. SHORT_LEN characters through the full grammar: each under LINE_BUDGET_MS;
//    b. 1 MB through the shipped grammar (a line of 20,000+ characters only gets its NCCL prefix
//       scoped; VS Code itself does not tokenize such lines): each under LINE_BUDGET_MS;
//    c. through the full grammar (long-line guard removed): runs of one character at 1 MB under
//       MB_BUDGET_MS; and for every input, 4x the length must cost at most MAX_GROWTH x the time
//       (linear = 4x; catastrophic backtracking grows quadratically or worse). Token-dense inputs
//       are compared at 64 KB -> 256 KB: at 1 MB they are ~1M tokens, and vscode-textmate's own
//       cost per token (~2 us) dominates whatever the grammar does.
// Times are CPU times of this process (process.cpuUsage), so a busy machine does not fail the
// budgets; a measurement over budget is repeated (best of 3) before it counts as a failure.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const LINE_BUDGET_MS = 100;
const MB_BUDGET_MS = 1000;
const MAX_GROWTH = 8;
const SHORT_LEN = 10_000; // 10x the longest line NCCL writes (it truncates at 1024 bytes)
const MB = 1 << 20;

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const require = createRequire(path.join(repo, 'package.json'));
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

await oniguruma.loadWASM(fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer);
const onigLib = Promise.resolve({
  createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
  createOnigString: (s) => new oniguruma.OnigString(s),
});

const raw = JSON.parse(fs.readFileSync(path.join(repo, 'syntaxes/nccl-log.tmLanguage.json'), 'utf8'));
const unguarded = structuredClone(raw);
const lineRule = unguarded.repository.line;
lineRule.patterns = lineRule.patterns.filter((p) => p.include !== '#long-line');
if (lineRule.patterns.length === raw.repository.line.patterns.length) throw new Error('no #long-line rule in repository.line');

async function load(json) {
  const registry = new vsctm.Registry({
    onigLib,
    loadGrammar: async () => vsctm.parseRawGrammar(JSON.stringify(json), 'grammar.json'),
  });
  return registry.loadGrammar(json.scopeName);
}
const grammar = await load(raw);
const fullGrammar = await load(unguarded);

function timeLine(g, line, state = vsctm.INITIAL) {
  const c0 = process.cpuUsage();
  const r = g.tokenizeLine(line, state);
  const c = process.cpuUsage(c0);
  if (r.stoppedEarly) throw new Error('tokenizeLine stopped early');
  return { ms: (c.user + c.system) / 1000, r };
}
function best(g, line, runs) {
  let ms = Infinity;
  let tokens = 0;
  for (let i = 0; i < runs; i++) {
    const t = timeLine(g, line);
    ms = Math.min(ms, t.ms);
    tokens = t.r.tokens.length;
  }
  return { ms, tokens };
}
// best of 1, repeated (best of 3) only when over `limit`
function measured(g, line, limit) {
  const m = best(g, line, 1);
  return m.ms > limit ? best(g, line, 3) : m;
}

const failures = [];

// ------------------------------------------------------------------ 1. corpus
const roots = [
  path.join(repo, 'test/fixtures/nccl'),
  path.join(repo, 'test/grammar/cases'),
  path.resolve(repo, '../shared/corpus'),
  ...(process.env.NCCL_LOG_CORPUS ? process.env.NCCL_LOG_CORPUS.split(path.delimiter) : []),
  ...process.argv.slice(2),
];
const TEXT = /\.(log|txt|out|nccl-log)$/;
function collect(p, out) {
  if (!fs.existsSync(p)) return out;
  if (fs.statSync(p).isFile()) return out.push(p), out;
  for (const e of fs.readdirSync(p).sort()) {
    const q = path.join(p, e);
    if (fs.statSync(q).isDirectory()) collect(q, out);
    else if (TEXT.test(e)) out.push(q);
  }
  return out;
}
const files = [...new Set(roots.flatMap((r) => collect(r, [])))];
const missing = roots.filter((r) => !fs.existsSync(r));
const docs = files.map((f) => ({ name: path.relative(repo, f), lines: fs.readFileSync(f, 'utf8').split(/\r?\n/) }));

// Warm-up: compile the scanners, so that the timed pass measures matching.
const w0 = performance.now();
for (const { lines } of docs) {
  let st = vsctm.INITIAL;
  for (const line of lines.slice(0, 300)) st = grammar.tokenizeLine(line, st).ruleStack;
}
const warmMs = performance.now() - w0;

let nLines = 0;
let nChars = 0;
let total = 0;
let slowest = { ms: -1 };
const overBudget = [];
for (const { name, lines } of docs) {
  let st = vsctm.INITIAL;
  lines.forEach((line, i) => {
    const before = st;
    const { ms, r } = timeLine(grammar, line, st);
    st = r.ruleStack;
    nLines++;
    nChars += line.length;
    total += ms;
    const where = `${name}:${i + 1}`;
    if (ms > slowest.ms) slowest = { ms, where, len: line.length };
    if (ms > LINE_BUDGET_MS) overBudget.push({ ms, where, line, state: before });
  });
}
console.log(`corpus: ${files.length} files, ${nLines} lines, ${(nChars / 1024).toFixed(0)} KiB` + (missing.length ? ` (not found, skipped: ${missing.map((m) => path.relative(repo, m)).join(', ')})` : ''));
console.log(`  scanner compilation (warm-up) ${warmMs.toFixed(0)} ms`);
console.log(`  ${Math.round(nLines / (total / 1000))} lines/s, ${(nChars / MB / (total / 1000)).toFixed(2)} MiB/s (CPU ${total.toFixed(0)} ms)`);
console.log(`  slowest line ${slowest.ms.toFixed(2)} ms at ${slowest.where} (${slowest.len} chars)`);
for (const o of overBudget) {
  // a single slow sample may be a GC pause: measure the line again before failing
  let again = Infinity;
  for (let i = 0; i < 3; i++) again = Math.min(again, timeLine(grammar, o.line, o.state).ms);
  console.log(`  over budget once: ${o.where} ${o.ms.toFixed(1)} ms; measured again: ${again.toFixed(2)} ms`);
  if (again > LINE_BUDGET_MS) failures.push(`corpus line ${o.where} took ${again.toFixed(1)} ms`);
}

// ------------------------------------------------------------------ 2. pathological lines
const P = 'node01:4242:4242 [0] NCCL INFO ';
const W = '[2026-06-11 10:02:03] node01:4242:4311 [3] transport/net_ib/p2p.cc:688 (ncclIbLogCompletionWithError) NCCL WARN ';
// [name, prefix, repeated unit]
const inputs = [
  ['digits', '', '1'],
  ['spaces', '', ' '],
  ['dashes', '', '-'],
  ['slashes', '', '/'],
  ['brackets', '', '['],
  ['parens', '', '('],
  ['colons', '', ':'],
  ['dots', '', '.'],
  ['tabs', '', '\t'],
  ['equals', '', '='],
  ['carets', '', '^'],
  ['hashes', '', '#'],
  ['letters', '', 'a'],
  ['capitals', '', 'N'],
  ['quotes', '', '"'],
  ['nccl-prefix + digits', P, '7'],
  ['nccl-prefix + spaces', P, ' '],
  ['nccl-prefix + dashes', P, '-'],
  ['nccl-prefix + slashes', P, '/'],
  ['nccl-prefix + brackets', P, '['],
  ['warn-prefix + letters', W, 'x'],
  ['open timestamp', '[2026-', '1'],
  ['host without pid', 'host:', '1'],
  ['python File', '  File "', 'a'],
  ['topology indent', P + '+ PCI[48.0] -', ' '],
  ['net names', '', 'NET/a '],
  ['source files', '', 'a.cc:'],
  ['dir segments', '', 'a.b/'],
  ['ipv4-ish', '', '1.1.1.1.'],
  ['hex', '', '0x'],
  ['arrows', '', '->'],
  ['env names', '', 'NCCL_'],
  ['launcher prefixes', '', '[rank0]:'],
  ['number words', '', '1 '],
  ['tree ranks', P + 'Trees ', '[0] 1/-1/-1->0->-1 '],
  ['channel ranks', P + 'Channel 00/0 : ', '0[0] -> '],
  ['node ids', '', 'GPU/0-'],
  ['path entries', P + 'GPU/0-18000 :', 'GPU/0-18000 (0/5000.0/LOC) '],
  ['socket addresses', '', '10.0.0.1<'],
  ['hca ports', '', 'mlx5_0:1/'],
  ['worker prefixes', '', '(pid=1) '],
  ['srun labels', '', '0: '],
  ['mpirun ranks', '', '[7] '],
  ['negatives', '', '1/-'],
  ['mixed punctuation', '', '[a/1-:.( ]'],
];
const fill = (prefix, unit, n) => {
  const k = Math.max(0, n - prefix.length);
  return prefix + unit.repeat(Math.ceil(k / unit.length)).slice(0, k);
};
const row = (cols) => cols.map((c, i) => (i === 0 ? String(c).padEnd(24) : String(c).padStart(12))).join('');

console.log('\npathological lines (CPU ms):');
console.log(row(['input', `${SHORT_LEN / 1000}k full`, '1M shipped', '1M full', 'tokens', 'growth 4x']));
const worst = { short: { ms: -1 }, shipped: { ms: -1 }, full: { ms: -1 } };
for (const [name, prefix, unit] of inputs) {
  const short = measured(fullGrammar, fill(prefix, unit, SHORT_LEN), LINE_BUDGET_MS);
  const shipped = measured(grammar, fill(prefix, unit, MB), LINE_BUDGET_MS);
  const fewTokens = short.tokens <= 64;
  const big = fewTokens ? MB : MB / 4;
  const growthOf = (runs) => {
    const small = best(fullGrammar, fill(prefix, unit, big / 4), runs);
    const large = best(fullGrammar, fill(prefix, unit, big), runs);
    return { large, growth: large.ms / Math.max(small.ms, 1) };
  };
  let m = growthOf(1);
  if (m.growth > MAX_GROWTH || (fewTokens && m.large.ms > MB_BUDGET_MS)) m = growthOf(3);
  const fullCol = fewTokens ? m.large.ms.toFixed(0) : '-';
  console.log(row([name, short.ms.toFixed(1), shipped.ms.toFixed(1), fullCol, short.tokens, m.growth.toFixed(1) + (fewTokens ? '' : '*')]));
  if (short.ms > LINE_BUDGET_MS) failures.push(`${name}: ${SHORT_LEN} characters took ${short.ms.toFixed(1)} ms (budget ${LINE_BUDGET_MS})`);
  if (shipped.ms > LINE_BUDGET_MS) failures.push(`${name}: 1 MB with the shipped grammar took ${shipped.ms.toFixed(1)} ms (budget ${LINE_BUDGET_MS})`);
  if (fewTokens && m.large.ms > MB_BUDGET_MS) failures.push(`${name}: 1 MB through every pattern took ${m.large.ms.toFixed(0)} ms (budget ${MB_BUDGET_MS})`);
  if (m.growth > MAX_GROWTH) failures.push(`${name}: 4x the input took ${m.growth.toFixed(1)}x the time (super-linear)`);
  if (short.ms > worst.short.ms) worst.short = { ms: short.ms, name };
  if (shipped.ms > worst.shipped.ms) worst.shipped = { ms: shipped.ms, name };
  if (fewTokens && m.large.ms > worst.full.ms) worst.full = { ms: m.large.ms, name };
}
console.log('  tokens: at the short length; growth 4x: 256 KB -> 1 MB, * = 64 KB -> 256 KB (token-dense input)');
console.log(`  slowest ${SHORT_LEN}-character line: ${worst.short.ms.toFixed(1)} ms (${worst.short.name})`);
console.log(`  slowest 1 MB line, shipped grammar: ${worst.shipped.ms.toFixed(1)} ms (${worst.shipped.name})`);
console.log(`  slowest 1 MB run through every pattern: ${worst.full.ms.toFixed(0)} ms (${worst.full.name})`);

if (failures.length) {
  console.error(`\nFAILED (${failures.length}):\n  ` + failures.join('\n  '));
  process.exit(1);
}
console.log('\nOK: every line within budget, every growth linear.');
