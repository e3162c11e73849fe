/**
 * The byte-level fast path (fastPath.ts, byteLines.ts, parser.pushBytes) must change nothing but
 * speed: its prefix scan reads exactly what the string scan reads, `mayBeRecord` says yes for every
 * message classifyMessage would not call `other` (over the corpus and every INFO format of NCCL
 * 2.18 .. 2.30 in nccl-log-history.json), the byte splitter numbers lines like the text splitter
 * whatever the chunk size, and a streamed file gives the same model as the text in memory.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { mayBeRecord, scanInfoBytes, BYTE_SCAN } from '../../server/src/ncclLog/fastPath';
import { classifyMessage } from '../../server/src/ncclLog/lines';
import { forEachFileLine, forEachLine } from '../../server/src/ncclLog/lineSource';
import { parseNcclLog, parseNcclLogFile } from '../../server/src/ncclLog/parser';
import { INFO_SCAN, scanInfoPrefix } from '../../server/src/ncclLog/prefix';
import { ncclLogWorkload } from '../bench/ncclLogWorkload';
import { sharedDir } from '../helpers';

const H200 = path.join(sharedDir, 'corpus', 'nccl-2.28.9-h200x4');
const HISTORY = path.join(sharedDir, 'reference', 'nccl', 'nccl-log-history.json');
const FIXTURES = path.resolve(__dirname, '../fixtures/nccl');
const tmp = mkdtempSync(path.join(tmpdir(), 'ncclFast-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const gate = (message: string) => {
  const b = Buffer.from(message, 'latin1');
  return mayBeRecord(b, 0, b.length);
};

/** A message as printf would render a format (every conversion gets a plausible value). */
function render(fmt: string, variant: number): string {
  const values: Record<string, string[]> = {
    d: ['3', '0', '-1', '12'],
    s: ['mlx5_0', 'eth0', 'ncclCommInitRank', 'GPU/0-60'],
    x: ['1a000', '60', 'ff', '0'],
    p: ['0x7f00a1b2c3d4', '(nil)', '0x1', '0x55d1c2a3b4c0'],
    f: ['1.500000', '370.8', '0.0', '48.0'],
    u: ['7', '0', '129', '1'],
  };
  return fmt.replace(/%[-+ #0]*\*?\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t|L)?([diouxXeEfgGcspn%])|<[A-Za-z_]+>/g, (m, conv: string | undefined) => {
    if (m.startsWith('<')) return variant % 2 ? 'ibv_reg_mr' : 'posix_fallocate';
    if (conv === '%') return '%';
    const kind = 'diu'.includes(conv ?? '') ? (conv === 'u' ? 'u' : 'd') : 'xXo'.includes(conv ?? '') ? 'x' : 'eEfgG'.includes(conv ?? '') ? 'f' : conv === 'p' ? 'p' : 's';
    const list = values[kind];
    return list[variant % list.length];
  });
}

describe('mayBeRecord is conservative', () => {
  it('on every INFO message of the corpus logs and the fixtures', () => {
    const files = [...readdirSync(H200).filter((f) => f.endsWith('.log')).map((f) => path.join(H200, f)), ...readdirSync(FIXTURES).map((f) => path.join(FIXTURES, f))];
    let checked = 0;
    for (const file of files) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const at = line.indexOf(' NCCL INFO ');
        if (at < 0) continue;
        const message = line.slice(at + 11).trimEnd();
        if (!gate(message)) assert.equal(classifyMessage(message).kind, 'other', message);
        checked++;
      }
    }
    assert.ok(checked > 20000, `${checked} messages`);
  });

  it('on every INFO and TRACE format NCCL 2.18 .. 2.30 can print (four renderings each)', { skip: !existsSync(HISTORY) && 'reference not available' }, () => {
    const formats = (JSON.parse(readFileSync(HISTORY, 'utf8')) as { formats: Array<{ level: string; fmt: string }> }).formats;
    let records = 0;
    for (const f of formats.filter((x) => x.level !== 'WARN')) {
      for (let v = 0; v < 4; v++) {
        for (const message of [render(f.fmt, v), `transport/net.cc:123 (recvProxyProgress) ${render(f.fmt, v)}`]) {
          const kind = classifyMessage(message).kind;
          if (kind !== 'other') records++;
          if (!gate(message)) assert.equal(kind, 'other', `${f.fmt}\n  rendered: ${message}`);
        }
      }
    }
    assert.ok(records > 300, `${records} rendered messages are records`);
  });

  it('says no to the chatter that fills big logs', () => {
    for (const m of [
      'Received and initiated operation=Init res=0',
      'ncclPollProxyResponse Received new opId=0x4a10c250',
      'proxyProgressAsync opId=0x4a10c250 op.type=1 op.reqBuff=0x7f0 op.respSize=16 done',
      'resp.opId=0x4a10c250 matches expected opId=0x4a10c250',
      'ProxyCall UDS comm 0x4a0bdee0 rank 0 tpRank 1(9aba) reqSize 8 respSize 0 respFd -1 opId 0x1',
      'Connected to proxy localRank 1 -> connection 0x7f00',
      'channel.cc:42 Cuda Host Alloc Size 2048 pointer 0x7fb0c1e00000',
      'RAS handling connInit from 192.0.2.2<47332> (version 22809)',
    ]) {
      assert.equal(gate(m), false, m);
    }
  });
});

describe('scanInfoBytes reads the prefix exactly as scanInfoPrefix does', () => {
  const lines = [
    'vm:914:914 [0] NCCL INFO NCCL version 2.28.9+cuda13.0',
    'gpu-node-0001:1004:1007 [4] NCCL INFO Channel 00/0 : 4[4] -> 5[5] via P2P/CUMEM',
    'node01:4242:4242 [12] NCCL INFO',
    'node01:4242:4242 [0] NCCL INFOx',
    'node01:04242:4242 [0] NCCL INFO leading zero in the pid',
    'node01:4242:4242 [0] NCCL WARN not INFO',
    'node01:4242:4242 NCCL CALL ncclCommInitRank(0x1)',
    'node01:4242:4242 [0] 12.5 init.cc:1 NCCL TRACE x',
    '[2026-06-11 10:02:03] node01:4242:4311 [3] NCCL INFO timestamped',
    'node 01:4242:4242 [0] NCCL INFO space in host',
    'node[1]:4242:4242 [0] NCCL INFO bracket in host',
    'nöde:4242:4242 [0] NCCL INFO non-ASCII host',
    'node01:12345678901:1 [0] NCCL INFO eleven-digit pid',
    'node01:1:2 [00001] NCCL INFO five-digit device',
    ':1:2 [0] NCCL INFO empty host',
  ];
  for (const line of lines) {
    it(JSON.stringify(line), () => {
      const byString = scanInfoPrefix(line) ? { ...INFO_SCAN, knownHost: false } : undefined;
      const b = Buffer.from(line, 'latin1');
      const ascii = /^[\x00-\x7f]*$/.test(line);
      const byBytes = ascii && scanInfoBytes(b, 0, b.length, undefined) ? { ...BYTE_SCAN, knownHost: false } : undefined;
      if (!ascii) assert.equal(byString, undefined, 'non-ASCII hosts take the general path');
      else assert.deepEqual(byBytes, byString);
    });
  }
});

describe('byte splitter and streamed parse', () => {
  it('numbers lines like the text splitter for every chunk size (CR, CRLF, BOM, UTF-8, long lines)', async () => {
    const long = `${'é'.repeat(40_000)}${'x'.repeat(50_000)}`;
    const text = `\ufeffvm:1:1 [0] NCCL INFO a\r\nb\rc\n\n€uro 𝄞 clef\r\r\n${long}\nvm:1:1 [0] NCCL INFO last`;
    const file = path.join(tmp, 'split.log');
    writeFileSync(file, text);
    const expected: Array<[string, number, number]> = [];
    forEachLine(text, (l, n, len) => expected.push([l, n, len]));
    for (const chunk of [1, 2, 3, 5, 7, 64, 1 << 16, 1 << 20]) {
      const got: Array<[string, number, number]> = [];
      await forEachFileLine(file, (l, n, len) => got.push([l, n, len]), chunk);
      assert.deepEqual(got, expected, `chunk ${chunk}`);
    }
  });

  it('a generated multi-node log streams to the same model as its text in memory', async () => {
    const text = [...ncclLogWorkload({ corpusDir: H200, targetBytes: 3_000_000, nodes: 2, seed: 3 })].join('');
    const file = path.join(tmp, 'workload.log');
    writeFileSync(file, text);
    const streamed = await parseNcclLogFile(file);
    assert.deepEqual(streamed, parseNcclLog(text));
    assert.ok(streamed.lines.total > 20_000 && streamed.processes.length === 16);
  });
});
