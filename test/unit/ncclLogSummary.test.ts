/**
 * The `summary` of `rvn topology --json` on every corpus log, written out by hand and cross-checked
 * against NCCL's own NCCL_TOPO_DUMP_FILE / NCCL_GRAPH_DUMP_FILE output next to each log (GPU and
 * NIC counts, NVLink bandwidth, GDR, ring orders), plus the seed's excerpts.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseNcclLog } from '../../server/src/ncclLog/parser';
import { summarizeTopology, type NcclTopologySummary } from '../../server/src/ncclLog/topologySummary';
import { sharedDir } from '../helpers';

const H200 = path.join(sharedDir, 'corpus', 'nccl-2.28.9-h200x4');
const TESTS = path.join(sharedDir, 'corpus', 'nccl-tests-2.28.9-h200x2');
const SEED = path.join(sharedDir, 'seed');
const hasCorpus = existsSync(path.join(H200, 'default.log'));

const summaryOf = (file: string) => summarizeTopology(parseNcclLog(readFileSync(file, 'utf8')));

// ---- a small reader for NCCL's XML dumps (one element per line, attributes key="value") ----

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
}

function readXml(text: string): XmlElement {
  const root: XmlElement = { name: '#root', attrs: {}, children: [] };
  const stack = [root];
  for (const m of text.matchAll(/<(\/?)([\w]+)((?:\s+[\w]+="[^"]*")*)\s*(\/?)>/g)) {
    const [, closing, name, attrText, selfClosing] = m;
    if (closing) {
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    const el: XmlElement = { name, attrs, children: [] };
    stack[stack.length - 1].children.push(el);
    if (!selfClosing) stack.push(el);
  }
  return root;
}

function all(el: XmlElement, name: string): XmlElement[] {
  return el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...all(c, name)]);
}

/** NVLink bandwidth per link by SM generation, as NCCL's topo.h defines it (GB/s). */
const NVLINK_BW_PER_LINK: Record<string, number> = { '60': 18.0, '70': 20.0, '80': 20.0, '86': 12.0, '90': 20.6, '100': 40.1 };

interface TopoFacts {
  gpus: number;
  nvlinkMaxBw?: number;
  nics: string[];
  netGdr: boolean[];
  rankOfDev: Map<number, number>;
}

function topoFacts(file: string): TopoFacts {
  const system = readXml(readFileSync(file, 'utf8'));
  const gpus = all(system, 'gpu');
  const bws = gpus.map((g) => all(g, 'nvlink').reduce((sum, l) => sum + Number(l.attrs.count), 0) * (NVLINK_BW_PER_LINK[g.attrs.sm] ?? NaN)).filter((bw) => bw > 0);
  const nets = all(system, 'net');
  return {
    gpus: gpus.length,
    nvlinkMaxBw: bws.length ? Math.round(Math.max(...bws) * 10) / 10 : undefined,
    nics: nets.map((n) => n.attrs.name).sort(),
    netGdr: nets.map((n) => n.attrs.gdr === '1'),
    rankOfDev: new Map(gpus.map((g) => [Number(g.attrs.dev), Number(g.attrs.rank)])),
  };
}

/** Ring graphs (pattern 4): one GPU rank order per search channel; channels are duplicated at connect time. */
function ringFacts(file: string, rankOfDev: Map<number, number>): { orders: number[][]; nChannels: number } {
  const graphs = all(readXml(readFileSync(file, 'utf8')), 'graph').filter((g) => g.attrs.pattern === '4');
  const orders = graphs.flatMap((g) => g.children.map((c) => c.children.filter((x) => x.name === 'gpu').map((x) => rankOfDev.get(Number(x.attrs.dev)) ?? -1)));
  return { orders, nChannels: graphs.reduce((n, g) => n + Number(g.attrs.nchannels), 0) };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('rvn topology --json summary: every corpus log', { skip: !hasCorpus && 'corpus not available' }, () => {
  const expected: Record<string, NcclTopologySummary> = {
    'default.log': {
      ncclVersion: '2.28.9', nRanks: 4, nNodes: 1, hosts: ['vm'], transports: ['P2P/CUMEM'], netPlugin: 'Socket', gdr: false,
      nvlinkMaxBw: 370.8, gpus: 4, nics: ['eth0'], rings: [{ order: [0, 1, 2, 3], channels: range(24) }], warnings: 0,
    },
    'p2p-disabled-shm.log': {
      ncclVersion: '2.28.9', nRanks: 4, nNodes: 1, hosts: ['vm'], transports: ['SHM'], netPlugin: 'Socket', gdr: false,
      nvlinkMaxBw: 370.8, gpus: 4, nics: ['eth0'], rings: [{ order: [0, 1, 2, 3], channels: range(4) }], warnings: 0,
    },
    'tree-ll128.log': {
      ncclVersion: '2.28.9', nRanks: 4, nNodes: 1, hosts: ['vm'], transports: ['P2P/CUMEM'], netPlugin: 'Socket', gdr: false,
      nvlinkMaxBw: 370.8, gpus: 4, nics: ['eth0'], rings: [{ order: [0, 1, 2, 3], channels: range(24) }], warnings: 4,
    },
    // NCCL_P2P_DISABLE, NCCL_SHM_DISABLE, NCCL_IB_DISABLE and one NCCL_HOSTID per process: four one-GPU nodes on one VM.
    'socket-only.log': {
      ncclVersion: '2.28.9', nRanks: 4, nNodes: 4, hosts: ['vm'], transports: ['NET/Socket'], netPlugin: 'Socket', gdr: false,
      nvlinkMaxBw: 370.8, gpus: 4, nics: ['lo'], rings: [{ order: [0, 1, 2, 3], channels: range(2) }], warnings: 0,
    },
    // NCCL_HOSTID node-a / node-b on one VM: the printed host name stays `vm`, NCCL sees two nodes.
    'two-hosts-socket.log': {
      ncclVersion: '2.28.9', nRanks: 4, nNodes: 2, hosts: ['vm'], transports: ['NET/Socket', 'P2P/CUMEM'], netPlugin: 'Socket', gdr: false,
      nvlinkMaxBw: 370.8, gpus: 4, nics: ['lo'], rings: [{ order: [0, 1, 2, 3], channels: range(2) }], warnings: 0,
    },
    // Failed before any communicator existed: no banner was printed, one WARN.
    'bad-ifname-error.log': { hosts: ['vm'], warnings: 1 },
    'net-ib-forced-error.log': { ncclVersion: '2.28.9', hosts: ['vm'], warnings: 4 },
    'debug-version.log': { ncclVersion: '2.28.9', warnings: 0 },
    'debug-warn-only.log': { warnings: 0 },
  };

  for (const [name, want] of Object.entries(expected)) {
    it(`${name}: ${Object.keys(want).join(', ')}`, () => {
      const got = summaryOf(path.join(H200, name));
      assert.deepEqual(got, want);
      assert.deepEqual(Object.keys(got), Object.keys(want), 'field order follows the schema');
    });
  }

  for (const name of ['default', 'p2p-disabled-shm', 'tree-ll128', 'socket-only', 'two-hosts-socket']) {
    it(`${name}.log agrees with NCCL's own ${name}.topo.xml and ${name}.graph.xml`, () => {
      const model = parseNcclLog(readFileSync(path.join(H200, `${name}.log`), 'utf8'));
      const s = summarizeTopology(model);
      const topo = topoFacts(path.join(H200, `${name}.topo.xml`));
      // The dump is the machine of rank 0 (before NCCL splits it into NCCL nodes); NCCL_HOSTID makes
      // one VM look like several machines, each built like the dumped one.
      const machines = model.hosts.filter((h) => h.topology).length;
      assert.equal(s.gpus, topo.gpus * machines);
      assert.equal(s.nvlinkMaxBw, topo.nvlinkMaxBw);
      assert.deepEqual(s.nics, topo.nics);
      assert.equal(s.gdr, topo.netGdr.every((g) => g));
      // Rank 0's graph holds its NCCL node's part of each ring; nodes are chained in rank order.
      const ring = ringFacts(path.join(H200, `${name}.graph.xml`), topo.rankOfDev);
      const nodes = s.nNodes ?? 1;
      const orders = [...new Set(ring.orders.map((o) => range(nodes).flatMap((n) => o.map((r) => r + n * o.length)).join(' ')))];
      assert.deepEqual(s.rings?.map((r) => r.order.join(' ')), orders);
      assert.deepEqual(s.rings?.flatMap((r) => r.channels), range(ring.nChannels * 2), 'NCCL doubles the search channels when it connects rings');
    });
  }

  it('nccl-tests all_reduce_perf (one process, two GPUs, no GRAPH lines)', () => {
    assert.deepEqual(summaryOf(path.join(TESTS, 'all_reduce_perf.nccl-info.txt')), {
      ncclVersion: '2.28.9', nRanks: 2, nNodes: 1, hosts: ['vm'], transports: ['P2P/direct'], netPlugin: 'Socket', nics: ['eth0'],
      rings: [{ order: [0, 1], channels: range(24) }], warnings: 0,
    });
  });
});

describe("the seed's excerpts", { skip: !existsSync(SEED) && 'seed not available' }, () => {
  it('give the seed readings: NVLink 123.6 GB/s, P2P/CUMEM, NET/IB with GPU Direct RDMA, ring 0 -> 1 -> 0', () => {
    const text = readdirSync(SEED).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(path.join(SEED, f), 'utf8')).join('\n');
    const excerpts = text.slice(text.indexOf('Reading NCCL Debug Output'), text.indexOf('vLLM Configuration Details'));
    assert.ok(excerpts.length > 1000);
    const s = summaryOf_(excerpts);
    assert.equal(s.nvlinkMaxBw, 123.6);
    assert.deepEqual(s.transports, ['P2P/CUMEM']);
    assert.deepEqual([s.netPlugin, s.gdr], ['IB', true]);
    assert.ok(s.nics?.includes('mlx5_130'));
    assert.deepEqual(s.rings, [{ order: [0, 1], channels: [0, 1] }]);
    assert.deepEqual([s.nRanks, s.gpus, s.warnings], [2, 2, 0]);
    assert.equal(s.hosts, undefined, 'pasted lines name no host');
  });
});

function summaryOf_(text: string): NcclTopologySummary {
  return summarizeTopology(parseNcclLog(text));
}

describe('summary fields from other versions and stacks', () => {
  const L = (host: string, pid: number, dev: number) => (msg: string) => `${host}:${pid}:${pid} [${dev}] NCCL INFO ${msg}`;

  it('RCCL banner, P2P/IPC, external net plugin, NVLS, CollNet, MNNVL', () => {
    const A = L('mi300-0', 1, 0);
    const s = summaryOf_([
      A('RCCL version 2.20.5+hip6.2 HEAD:7f1f5f0'),
      A('NET/Plugin: Loaded net plugin AWS Libfabric (v10)'),
      A('Using network AWS Libfabric'),
      A('ncclCommInitRank comm 0x1 rank 0 nranks 16 cudaDev 0 busId 18000 commId 0x9 - Init START'),
      A('Channel 00/0 : 0[0] -> 1[1] via P2P/IPC/read'),
      A('Channel 00/0 : 0[0] -> 4[0] via P2P/MNNVL'),
      A('Channel 00/0 : 0[0] -> 8[0] [send] via NET/AWS Libfabric/0/GDRDMA'),
      A('CollNet 00/0 : 0 [send] via COLLNET/SHARP/0/GDRDMA'),
      A('Connected NVLS tree'),
    ].join('\n'));
    assert.deepEqual(s, {
      ncclVersion: 'rccl 2.20.5', nRanks: 16, hosts: ['mi300-0'], transports: ['CollNet', 'NET/AWS Libfabric', 'NVLS', 'P2P/IPC', 'P2P/MNNVL'],
      netPlugin: 'AWS Libfabric', gdr: true, warnings: 0,
    });
  });

  it('2.19 formats: old topology ids, NET/IB without GDR, rings rebuilt from Ring lines of every rank', () => {
    const lines: string[] = [];
    for (let r = 0; r < 2; r++) {
      const X = L(`node0${r + 1}`, 40 + r, 0);
      lines.push(X('NCCL version 2.19.3+cuda12.2'), X(`NET/IB : Using [0]mlx5_${r}:1/IB ; OOB eth0:10.0.0.1${r}<0>`));
      lines.push(X(`comm 0x${r + 1} rank ${r} nranks 2 cudaDev 0 nvmlDev 0 busId 18000 commId 0x77 - Init START`));
      lines.push(X('=== System : maxBw 24.0 totalBw 24.0 ==='), X('CPU/0 (1/1/2)'), X('+ PCI[24.0] - GPU/18000 (0)'), X('=========================================='));
      lines.push(X(`Ring 00 : ${1 - r} -> ${r} -> ${1 - r}`), X(`Channel 00/0 : ${r}[0] -> ${1 - r}[0] [send] via NET/IB/0`));
    }
    assert.deepEqual(summaryOf_(lines.join('\n')), {
      ncclVersion: '2.19.3', nRanks: 2, hosts: ['node01', 'node02'], transports: ['NET/IB'], netPlugin: 'IB', gdr: false, gpus: 2,
      nics: ['mlx5_0', 'mlx5_1'], rings: [{ order: [0, 1], channels: [0] }], warnings: 0,
    });
  });
});
