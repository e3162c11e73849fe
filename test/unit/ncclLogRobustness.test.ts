/**
 * Damaged and hostile input: truncated lines, binary junk, 2 MB single lines (linear-time regexes,
 * capped work per line), files streamed from disk with BOM / CRLF / lone CR / NUL bytes / chunk
 * boundaries / no final newline, and flat memory on a long log.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ncclLogFindings } from '../../server/src/ncclLog/findings';
import { classifyLine } from '../../server/src/ncclLog/lines';
import { createNcclLogParser, parseNcclLog, parseNcclLogFile } from '../../server/src/ncclLog/parser';
import { summarizeNcclLog } from '../../server/src/ncclLog/summary';

const DEFAULT_LOG = path.resolve(__dirname, '../../../shared/corpus/nccl-2.28.9-h200x4/default.log');
const tmp = mkdtempSync(path.join(tmpdir(), 'ncclLog-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Deterministic pseudo-random numbers (tests must not flake). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

const INFO = 'vm:1:1 [0] NCCL INFO ';

describe('damaged input', () => {
  it('truncated lines: never throws, keeps what is intact', () => {
    const rnd = prng(1);
    const lines = readFileSync(DEFAULT_LOG, 'utf8').split('\n');
    const damaged = lines.map((l, i) => (i % 3 === 0 ? l.slice(0, Math.floor(rnd() * l.length)) : l)).join('\n');
    const m = parseNcclLog(damaged);
    assert.equal(m.nccl?.version, '2.28.9');
    assert.equal(m.processes.length, 4);
    assert.ok(m.communicators.length >= 1);
    ncclLogFindings(m);
    summarizeNcclLog(m);
  });

  it('binary junk (random bytes, control characters, invalid UTF-8) is just text', () => {
    const rnd = prng(2);
    const bytes = Buffer.alloc(256 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rnd() * 256);
    const m = parseNcclLog(bytes.toString('utf8'));
    assert.equal(m.lines.nccl, 0);
    assert.deepEqual(m.communicators, []);
    assert.ok(ncclLogFindings(m).every((f) => f.rule === 'nccl-log/debug-subsys-incomplete'));
  });

  it('half-formed NCCL lines produce no phantom facts', () => {
    const text = [
      `${INFO}Channel 00/0 : 0[0] -> 1[`,
      `${INFO}ncclCommInitRank comm 0x1 rank 0 nranks`,
      `${INFO}=== System : maxBw`,
      `${INFO}+ NVL[370.8] - GPU/0-60`,
      `${INFO}GPU/0-60 :GPU/0-70 (2/370.8`,
      'vm:1:1 [0] NCCL WA',
      `${INFO}init.cc:12 -> `,
    ].join('\n');
    const m = parseNcclLog(text);
    assert.deepEqual([m.communicators.length, m.hosts[0]?.topology, m.errors.length, m.warnCount], [0, undefined, 0, 0]);
  });

  const hostile: Array<[string, string]> = [
    ['plain characters', 'a'.repeat(2_000_000)],
    ['colons', ':'.repeat(2_000_000)],
    ['brackets', '['.repeat(2_000_000)],
    ['NCCL prefix then node ids', `${INFO}GPU/0-60 :${' GPU/0-70 (2/370.8/NVL)'.repeat(80_000)}`],
    ['NCCL prefix then tree entries', `${INFO}Trees${' [0] 1/-1/-1->0->-1'.repeat(100_000)}`],
    ['launcher-like prefixes', '[rank0]:'.repeat(250_000)],
    ['Ray-like prefix without end', `(RayWorkerWrapper pid=1${'1'.repeat(2_000_000)}`],
    ['host-like run', `${'h'.repeat(1_000_000)}:${'1'.repeat(1_000_000)}`],
    ['channel line with a huge via', `${INFO}Channel 00/0 : 0[0] -> 1[1] via ${'P2P/'.repeat(500_000)}`],
  ];
  for (const [name, line] of hostile) {
    it(`a 2 MB line (${name}) is classified in well under a second`, () => {
      const { value, ms } = timed(() => classifyLine(line));
      assert.ok(ms < 250, `${ms.toFixed(1)} ms`);
      assert.equal(value.end, line.length);
      const doc = `${INFO}NCCL version 2.28.9+cuda13.0\n${line}\n${INFO}cudaDriverVersion 13000`;
      const parsed = timed(() => parseNcclLog(doc));
      assert.ok(parsed.ms < 500, `${parsed.ms.toFixed(1)} ms`);
      assert.deepEqual([parsed.value.nccl?.version, parsed.value.cudaDriver?.version, parsed.value.lines.total], ['2.28.9', 13000, 3]);
    });
  }
});

describe('streaming from disk', () => {
  it('BOM, CRLF, lone CR, NUL padding and a last line without newline: same model as in memory', async () => {
    const lines = [
      `${INFO}NCCL version 2.28.9+cuda13.0`,
      '\u0000\u0000\u0000' + `${INFO}cudaDriverVersion 13000`,
      `${INFO}ncclCommInitRank comm 0x1 rank 0 nranks 2 cudaDev 0 nvmlDev 0 busId 60 commId 0x42 - Init START`,
      'progress 10%\rprogress 100%',
      'x'.repeat(2_000_000),
      `${INFO}Channel 00/0 : 0[0] -> 1[1] via P2P/CUMEM`,
      '[2026-11-28 06:54:09] vm:1:1 [0] bootstrap.cc:114 NCCL WARN last line has no newline',
    ];
    const text = lines.join('\r\n');
    const file = path.join(tmp, 'mixed.log');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    const streamed = await parseNcclLogFile(file);
    assert.deepEqual(streamed, parseNcclLog(`\ufeff${text}`));
    assert.equal(streamed.lines.total, 8, 'the lone CR splits a line, as in the editor');
    assert.deepEqual(streamed.warnings.map((w) => [w.ref.line, w.text]), [[7, 'last line has no newline']]);
    assert.deepEqual(streamed.cudaDriver?.ref, { line: 1, start: 3, end: 3 + `${INFO}cudaDriverVersion 13000`.length });
    assert.equal(streamed.nccl?.ref.start, 0, 'the BOM is not a column');
    assert.equal(streamed.communicators[0].connections[0].ref.line, 6);
  });

  it('CRLF and multi-byte characters around a 64 KiB offset (every chunk size: ncclLogFastPath.test.ts)', async () => {
    const chunk = 1 << 16;
    const first = 'é'.repeat((chunk - 1) / 2) + 'a'; // 2-byte chars; the line ends right at the boundary
    const lines = [first, `${INFO}NCCL version 2.28.9+cuda13.0`, '€'.repeat(chunk), `${INFO}cudaDriverVersion 13000`];
    const bytes = Buffer.from(lines.join('\r\n'), 'utf8');
    assert.equal(bytes[chunk], 0x0a, 'the \\n of the first CRLF is the first byte of the second chunk');
    const file = path.join(tmp, 'boundaries.log');
    writeFileSync(file, bytes);
    const m = await parseNcclLogFile(file);
    assert.deepEqual([m.lines.total, m.nccl?.ref.line, m.cudaDriver?.ref.line], [4, 1, 3]);
    assert.deepEqual(m, parseNcclLog(lines.join('\r\n')));
  });

  it('a real corpus log streams to the same model', async () => {
    assert.deepEqual(await parseNcclLogFile(DEFAULT_LOG), parseNcclLog(readFileSync(DEFAULT_LOG, 'utf8')));
  });
});

describe('flat memory on long logs', () => {
  /** Feeds `repeat` copies of default.log's lines (renumbered) straight into the parser. */
  function feed(repeat: number) {
    const lines = readFileSync(DEFAULT_LOG, 'utf8').trimEnd().split('\n');
    const parser = createNcclLogParser();
    let n = 0;
    for (let r = 0; r < repeat; r++) for (const l of lines) parser.push(l, n++);
    return parser.finish();
  }

  it('a log 20x longer does not grow the model', () => {
    const once = feed(1);
    const many = feed(20);
    assert.equal(many.lines.total, once.lines.total * 20);
    const size = (x: unknown) => JSON.stringify(x).length;
    assert.equal(many.communicators[0].connections.length, once.communicators[0].connections.length);
    assert.ok(size(many) < size(once) * 1.1, `${size(many)} vs ${size(once)}`);
    assert.equal(many.communicators[0].connections[0].lineCount, once.communicators[0].connections[0].lineCount * 20);
  });

  it('300k WARNs are counted, a thousand are kept, findings are capped', () => {
    const parser = createNcclLogParser();
    for (let i = 0; i < 300_000; i++) parser.push(`[2026-01-01 00:00:00] vm:1:1 [0] net.cc:1 NCCL WARN timeout ${i % 7}`, i);
    const m = parser.finish();
    assert.deepEqual([m.warnCount, m.warnings.length, m.dropped.warnings], [300_000, 1000, 299_000]);
    const warns = ncclLogFindings(m).filter((f) => f.rule === 'nccl-log/warn');
    assert.equal(warns.length, 200);
    assert.match(warns[199].message, /299800 more WARN line\(s\)/);
  });

  it('push() keeps the true length of a line the caller cut short', () => {
    const parser = createNcclLogParser();
    parser.push(`${INFO}NCCL version 2.28.9+cuda13.0`, 0, 5_000_000);
    assert.deepEqual(parser.finish().nccl?.ref, { line: 0, start: 0, end: 5_000_000 });
  });
});
