/**
 * Facts read by hand from the real NCCL 2.28.9 logs in <repo>/../shared/corpus (H200 x4 with
 * NVSwitch, plus nccl-tests on H200 x2), and the findings each run must (and must not) produce.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Finding } from '../../server/src/protocol/findings';
import { NCCL_LOG_RULES, ncclLogFindings } from '../../server/src/ncclLog/findings';
import type { NcclLogModel } from '../../server/src/ncclLog/model';
import { parseNcclLog, parseNcclLogFile } from '../../server/src/ncclLog/parser';
import { summarizeNcclLog } from '../../server/src/ncclLog/summary';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');
const H200 = path.join(CORPUS, 'nccl-2.28.9-h200x4');
const TESTS = path.join(CORPUS, 'nccl-tests-2.28.9-h200x2');

interface Parsed {
  text: string;
  lines: string[];
  model: NcclLogModel;
  findings: Finding[];
}

const cache = new Map<string, Parsed>();
function load(file: string): Parsed {
  let p = cache.get(file);
  if (!p) {
    const text = readFileSync(file, 'utf8');
    const model = parseNcclLog(text);
    p = { text, lines: text.split(/\r\n|\r|\n/), model, findings: ncclLogFindings(model) };
    cache.set(file, p);
  }
  return p;
}

const RULE_IDS = new Set(NCCL_LOG_RULES.map((r) => r.id));
const rules = (fs: Finding[]) => fs.map((f) => f.rule);
const count = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule).length;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const lineOf = (p: Parsed, f: Finding) => p.lines[f.range.start.line];

const ALL_LOGS = [
  ...['default', 'socket-only', 'p2p-disabled-shm', 'two-hosts-socket', 'tree-ll128', 'net-ib-forced-error', 'bad-ifname-error', 'debug-version', 'debug-warn-only'].map((n) =>
    path.join(H200, `${n}.log`),
  ),
  path.join(TESTS, 'all_reduce_perf.nccl-info.txt'),
];

describe('every corpus log', () => {
  for (const file of ALL_LOGS) {
    it(`${path.basename(file)}: refs and ranges point at the right text; model is plain JSON; streaming == in-memory`, async () => {
      const p = load(file);
      assert.equal(p.model.lines.total, p.text.endsWith('\n') ? p.lines.length - 1 : p.lines.length);
      for (const f of p.findings) {
        const line = lineOf(p, f);
        assert.ok(line !== undefined, `${f.rule} points past the end`);
        assert.equal(f.range.start.line, f.range.end.line);
        assert.ok(f.range.start.character <= f.range.end.character && f.range.end.character <= line.length, `${f.rule} range outside line`);
        assert.ok(f.range.end.character > f.range.start.character, `${f.rule} has an empty range`);
        assert.ok(f.message.length > 20);
        assert.ok(RULE_IDS.has(f.rule), f.rule);
      }
      for (const comm of p.model.communicators) {
        for (const c of comm.connections) assert.ok(p.lines[c.ref.line].includes(`via ${c.via.split('/')[0]}`), `conn ref ${c.ref.line}`);
      }
      for (const w of p.model.warnings) assert.ok(p.lines[w.ref.line].includes(`NCCL WARN ${w.text}`));
      assert.deepEqual(JSON.parse(JSON.stringify(p.model)), p.model);
      assert.deepEqual(await parseNcclLogFile(file), p.model);
    });
  }
});

describe('default.log (4x H200, NVSwitch, P2P/CUMEM)', () => {
  const p = () => load(path.join(H200, 'default.log'));

  it('versions, processes, communicator and ranks', () => {
    const m = p().model;
    assert.deepEqual({ version: m.nccl?.version, cuda: m.nccl?.cudaRuntime, flavor: m.nccl?.flavor }, { version: '2.28.9', cuda: '13.0', flavor: 'NCCL' });
    assert.deepEqual(m.ncclVersions, ['2.28.9']);
    assert.deepEqual({ v: m.cudaDriver?.version, t: m.cudaDriver?.text }, { v: 13000, t: '13.0' });
    assert.deepEqual(m.lines, { ...m.lines, total: 9536, nccl: 9535, info: 9535, warn: 0 });
    assert.deepEqual(m.processes.map((x) => x.key).sort(), ['vm:914', 'vm:915', 'vm:916', 'vm:917']);
    assert.deepEqual(m.hosts.map((h) => h.name), ['vm']);
    assert.equal(m.communicators.length, 1);
    const c = m.communicators[0];
    assert.deepEqual([c.commId, c.nRanks, c.nNodes, c.localRanks, c.mnnvl], ['0x9180ee6aa1040789', 4, 1, 4, false]);
    assert.deepEqual(c.ranks.map((r) => [r.rank, r.pid, r.cudaDev, r.nvmlDev, r.busId, r.api]), [
      [0, 914, 0, 0, '60', 'ncclCommInitRankConfig'],
      [1, 915, 1, 1, '70', 'ncclCommInitRankConfig'],
      [2, 916, 2, 2, '80', 'ncclCommInitRankConfig'],
      [3, 917, 3, 3, '90', 'ncclCommInitRankConfig'],
    ]);
    assert.ok(c.ranks.every((r) => r.initStart && r.initComplete && r.localRank === r.rank));
    assert.deepEqual(c.ranks[0].initTimings?.total, 0.71);
    assert.deepEqual(c.ranks[0].initTimings?.parts, { kernels: 0.5, alloc: 0.06, bootstrap: 0.05, allgathers: 0, topo: 0.05, graphs: 0.01, connections: 0.02, rest: 0.01 });
    assert.deepEqual(c.channelCounts && { ...c.channelCounts, ref: undefined }, { coll: 24, collnet: 24, nvls: 0, p2p: 32, p2pPerPeer: 32, ref: undefined });
    assert.deepEqual([c.ringPxn, c.ringGdr], [false, true]);
  });

  it('transports: every ring neighbour pair over P2P/CUMEM on 32 channels (224 lines)', () => {
    const c = p().model.communicators[0];
    assert.deepEqual(c.connections.map((x) => [x.from, x.to, x.transport, x.mode, x.via, x.channels.length]), [
      [0, 1, 'P2P', 'CUMEM', 'P2P/CUMEM', 32],
      [1, 2, 'P2P', 'CUMEM', 'P2P/CUMEM', 32],
      [2, 3, 'P2P', 'CUMEM', 'P2P/CUMEM', 32],
      [3, 0, 'P2P', 'CUMEM', 'P2P/CUMEM', 32],
    ]);
    assert.equal(sum(c.connections.map((x) => x.lineCount)), 224);
    assert.equal(c.rings.length, 24);
    assert.ok(c.rings.every((r) => r.order.join(' ') === '0 1 2 3'));
    assert.equal(c.trees.filter((t) => t.scope === 'comm').length, 96);
  });

  it('topology: 4 GPUs on one NVSwitch at 370.8 GB/s, 10 Gbps socket NIC, graphs and tuning table', () => {
    const m = p().model;
    const t = m.hosts[0].topology;
    assert.ok(t);
    assert.deepEqual([t.maxBw, t.totalBw], [370.8, 370.8]);
    assert.deepEqual(t.nodes.filter((n) => n.type === 'GPU').map((n) => [n.id, n.localId, n.rank]), [
      ['GPU/0-60', '60', 0],
      ['GPU/0-70', '70', 1],
      ['GPU/0-80', '80', 2],
      ['GPU/0-90', '90', 3],
    ]);
    assert.deepEqual(t.links.filter((l) => l.type === 'NVL').map((l) => `${l.from}>${l.to}@${l.bw}`), [
      'GPU/0-60>NVS/0-0@370.8',
      'GPU/0-70>NVS/0-0@370.8',
      'GPU/0-80>NVS/0-0@370.8',
      'GPU/0-90>NVS/0-0@370.8',
    ]);
    assert.equal(t.nodes.find((n) => n.type === 'NET')?.bw, 1.25);
    assert.deepEqual(t.paths.find((x) => x.from === 'GPU/0-60' && x.to === 'GPU/0-90'), { from: 'GPU/0-60', to: 'GPU/0-90', hops: 2, bw: 370.8, type: 'NVL', ref: t.paths.find((x) => x.from === 'GPU/0-60' && x.to === 'GPU/0-90')?.ref });
    const c = m.communicators[0];
    assert.deepEqual(c.graphs.map((g) => [g.pattern, g.patternName, g.nChannels, g.bwIntra, g.typeIntra, g.typeInter, g.channels.length]), [
      [4, 'ring', 12, 30, 'NVL', 'PIX', 12],
      [1, 'balanced tree', 12, 30, 'NVL', 'PIX', 12],
    ]);
    assert.deepEqual(c.graphs[0].channels[0], ['GPU/0-60', 'GPU/0-70', 'GPU/0-80', 'GPU/0-90']);
    const cell = (func: string, algorithm: string, protocol: string) => c.tuning?.cells.find((x) => x.func === func && x.algorithm === algorithm && x.protocol === protocol);
    assert.deepEqual(cell('AllReduce', 'Ring', 'Simple'), { func: 'AllReduce', algorithm: 'Ring', protocol: 'Simple', latencyUs: 28.8, bwGBs: 240 });
    assert.deepEqual(cell('AllReduce', 'Tree', 'LL128'), { func: 'AllReduce', algorithm: 'Tree', protocol: 'LL128', latencyUs: 21.5, bwGBs: 128.8 });
    assert.equal(cell('AllGather', 'Ring', 'Simple')?.bwGBs, 480);
    assert.equal(c.tuning?.cells.length, 105);
  });

  it('network: plugin, IB without devices, Socket on eth0, mlx5 symbols', () => {
    const n = p().model.network;
    assert.deepEqual(n.plugins.filter((x) => x.pluginType === 'NET').map((x) => [x.status, x.count]), [['missing', 4]]);
    assert.deepEqual(n.ib.map((x) => [x.devices.length, x.relaxedOrdering, x.oob, x.count]), [[0, true, 'eth0:192.0.2.2<0>', 4]]);
    assert.equal(n.ibNoDevice[0].count, 4);
    assert.deepEqual(n.socket[0].devices, [{ index: 0, ifname: 'eth0', address: '192.0.2.2<0>' }]);
    assert.deepEqual(n.missingSymbols.map((s) => [s.symbol, s.library, s.count]), [
      ['mlx5dv_get_data_direct_sysfs_path', '/lib/x86_64-linux-gnu/libmlx5.so', 4],
      ['mlx5dv_reg_dmabuf_mr', '/lib/x86_64-linux-gnu/libmlx5.so', 4],
    ]);
    assert.deepEqual(n.netPluginEvents.map((e) => [e.event, e.name]), [['failed', 'IB'], ['initialized', 'Socket'], ['assigned', 'Socket'], ['using', 'Socket']]);
  });

  it('findings: only the informational ones, none of the false alarms', () => {
    const p0 = p();
    const { findings } = p0;
    assert.deepEqual(rules(findings), ['nccl-log/net-plugin-missing', 'nccl-log/mlx5-symbols-missing', 'nccl-log/mlx5-symbols-missing', 'nccl-log/socket-speed-default']);
    assert.ok(findings.every((f) => f.severity === 'info'));
    assert.match(findings[2].message, /mlx5dv_reg_dmabuf_mr.*DMA-BUF.*MLNX OFED.*Harmless here/);
    const speed = findings[3];
    assert.equal(lineOf(p0, speed), 'vm:914:914 [0] NCCL INFO Could not get speed from /sys/class/net/eth0/speed. Defaulting to 10 Gbps.');
    assert.match(speed.message, /interface eth0 and assumes 10 Gbps \(printed by rank 0 \(vm, GPU 0\), rank 1 \(vm, GPU 1\), rank 2 \(vm, GPU 2\) and rank 3 \(vm, GPU 3\)\), 12 lines like it.*carries no GPU traffic/);
  });

  it('summary: NVLink active at 370.8 GB/s, RDMA not needed', () => {
    const s = summarizeNcclLog(p().model, p().findings);
    assert.deepEqual(s.transports, { NVLink: 4 });
    assert.deepEqual(s.nvlink, { active: true, bandwidthGBs: 370.8 });
    assert.deepEqual([s.rdma.active, s.rdma.needed], [false, false]);
    assert.deepEqual([s.ranks, s.hosts, s.processes, s.status], [4, 1, 4, 'ok']);
    assert.equal(s.statusText, 'NCCL 2.28.9 · 4 ranks · NVLink yes · RDMA n/a');
  });
});

describe('socket-only.log (P2P, SHM and IB disabled)', () => {
  const p = () => load(path.join(H200, 'socket-only.log'));

  it('every pair goes through NET/Socket; NCCL sees 4 single-GPU nodes', () => {
    const m = p().model;
    const c = m.communicators[0];
    assert.deepEqual([c.nNodes, c.localRanks], [4, 1]);
    assert.ok(c.connections.length > 0 && c.connections.every((x) => x.transport === 'NET' && x.net?.name === 'Socket' && !x.net.gdr));
    assert.equal(sum(c.connections.map((x) => x.lineCount)), 48);
    assert.equal(sum(c.connections.filter((x) => x.net?.shared).map((x) => x.lineCount)), 16);
    assert.deepEqual(['NCCL_P2P_DISABLE', 'NCCL_SHM_DISABLE', 'NCCL_IB_DISABLE'].map((n) => m.env.find((e) => e.name === n)?.value), ['1', '1', '1']);
    assert.deepEqual(m.errors, [], 'the net_ib.cc:852 -> 3 back-trace after NCCL_IB_DISABLE is recovered, not an error');
  });

  it('findings: tcp-fallback on the first socket line, p2p-disabled, the default socket speed', () => {
    const p0 = p();
    const { findings } = p0;
    assert.deepEqual(rules(findings), ['nccl-log/net-plugin-missing', 'nccl-log/socket-speed-default', 'nccl-log/p2p-disabled', 'nccl-log/tcp-fallback']);
    assert.match(findings[1].message, /interface lo .*60 lines like it.*NET\/Socket carries GPU traffic/);
    const socket = findings.find((f) => f.rule === 'nccl-log/tcp-fallback');
    assert.equal(socket?.severity, 'warning');
    assert.match(socket?.message ?? '', /same host.*NVLink-connected.*NCCL_P2P_DISABLE=1, NCCL_SHM_DISABLE=1, NCCL_IB_DISABLE=1/);
    assert.ok(socket && lineOf(p0, socket).endsWith('via NET/Socket/0'));
    const p2p = findings.find((f) => f.rule === 'nccl-log/p2p-disabled');
    assert.ok(p2p && lineOf(p0, p2p).endsWith('NCCL_P2P_DISABLE set by environment to 1'));
    const s = summarizeNcclLog(p0.model, findings);
    assert.deepEqual([s.nvlink.active, s.rdma.active, s.transports['NET/Socket']], [false, false, 11]); // 0->3 never connects
  });
});

describe('p2p-disabled-shm.log (NCCL_P2P_DISABLE=1 on NVLink GPUs)', () => {
  it('SHM on every ring pair although the topology shows NVLink; findings say so', () => {
    const p0 = load(path.join(H200, 'p2p-disabled-shm.log'));
    const c = p0.model.communicators[0];
    assert.deepEqual(c.connections.map((x) => [x.from, x.to, x.via, x.channels]), [
      [0, 1, 'SHM/direct/direct', [0, 1, 2, 3]],
      [1, 2, 'SHM/direct/direct', [0, 1, 2, 3]],
      [2, 3, 'SHM/direct/direct', [0, 1, 2, 3]],
      [3, 0, 'SHM/direct/direct', [0, 1, 2, 3]],
    ]);
    assert.equal(sum(c.connections.map((x) => x.lineCount)), 24);
    // With P2P disabled NCCL reports GPU-GPU paths as PHB, but the links still show NVLink.
    assert.equal(p0.model.hosts[0].topology?.paths.find((x) => x.from === 'GPU/0-60' && x.to === 'GPU/0-70')?.type, 'PHB');
    assert.deepEqual(rules(p0.findings), [
      'nccl-log/net-plugin-missing',
      'nccl-log/mlx5-symbols-missing',
      'nccl-log/mlx5-symbols-missing',
      'nccl-log/socket-speed-default',
      'nccl-log/p2p-disabled',
      'nccl-log/shm-instead-of-p2p',
    ]);
    const shm = p0.findings.find((f) => f.rule === 'nccl-log/shm-instead-of-p2p');
    assert.match(shm?.message ?? '', /NVLink 370\.8 GB\/s.*NCCL_P2P_DISABLE=1 is set \(line 142\)/);
    assert.ok(shm && lineOf(p0, shm).endsWith('via SHM/direct/direct'));
    const s = summarizeNcclLog(p0.model, p0.findings);
    assert.deepEqual([s.transports.SHM, s.nvlink.active], [4, false]);
  });
});

describe('two-hosts-socket.log (NCCL_HOSTID node-a / node-b, IB disabled)', () => {
  it('groups processes by NCCL_HOSTID and flags inter-node TCP', () => {
    const p0 = load(path.join(H200, 'two-hosts-socket.log'));
    const m = p0.model;
    assert.deepEqual(m.hosts.map((h) => [h.name, h.hostnames, h.processes.length]), [
      ['node-a', ['vm'], 2],
      ['node-b', ['vm'], 2],
    ]);
    const c = m.communicators[0];
    assert.deepEqual([c.nNodes, c.localRanks], [2, 2]);
    assert.deepEqual(c.ranks.map((r) => r.host), ['node-a', 'node-a', 'node-b', 'node-b']);
    const p2p = c.connections.filter((x) => x.transport === 'P2P');
    assert.deepEqual(p2p.map((x) => `${x.from}->${x.to}`), ['0->1', '1->0', '2->3', '3->2']);
    assert.equal(sum(p2p.map((x) => x.lineCount)), 12);
    const net = c.connections.filter((x) => x.transport === 'NET');
    assert.equal(sum(net.map((x) => x.lineCount)), 24);
    assert.ok(net.every((x) => c.ranks[x.from].host !== c.ranks[x.to].host));
    assert.deepEqual(rules(p0.findings), ['nccl-log/net-plugin-missing', 'nccl-log/socket-speed-default', 'nccl-log/tcp-fallback']);
    assert.match(p0.findings[1].message, /interface lo .*rank 0 \(node-a, GPU 0\), rank 1 \(node-a, GPU 1\), rank 2 \(node-b, GPU 2\) and rank 3 \(node-b, GPU 3\)\), 36 lines like it/);
    assert.match(p0.findings[2].message, /inter-node traffic.*node-b.*node-a.*openshift\.io\/mellanoxnics.*Multus.*NCCL_IB_DISABLE=1/);
    const s = summarizeNcclLog(m, p0.findings);
    assert.deepEqual([s.nvlink.active, s.rdma.active, s.rdma.needed, s.hosts, s.nodes], [true, false, true, 2, 2]);
    assert.deepEqual(s.transports, { NVLink: 4, 'NET/Socket': 4 });
  });
});

describe('tree-ll128.log (NCCL_ALGO=Tree NCCL_PROTO=LL128 breaks AllGather)', () => {
  it('four WARNs, four back-traces, one application error, no init problem', () => {
    const p0 = load(path.join(H200, 'tree-ll128.log'));
    const m = p0.model;
    assert.deepEqual(['NCCL_ALGO', 'NCCL_PROTO'].map((n) => m.env.find((e) => e.name === n)?.value), ['Tree', 'LL128']);
    assert.equal(m.warnCount, 4);
    assert.ok(m.warnings.every((w) => w.text.startsWith('Error : no algorithm/protocol available for function AllGather') && w.file === 'enqueue.cc' && w.srcLine === 1859));
    assert.equal(m.warnings[0].timestamp, '2026-11-28 06:49:36');
    assert.deepEqual(m.errors.map((e) => [e.process, e.code, e.codeName, e.frames.length]), [
      ['vm:1825', 5, 'ncclInvalidUsage', 6],
      ['vm:1827', 5, 'ncclInvalidUsage', 6],
      ['vm:1826', 5, 'ncclInvalidUsage', 6],
      ['vm:1828', 5, 'ncclInvalidUsage', 6],
    ]);
    assert.deepEqual(m.appErrors.map((a) => [a.count, a.codeName]), [[4, 'ncclInvalidUsage']]);
    assert.equal(sum(m.communicators[0].connections.map((x) => x.lineCount)), 144);
    assert.equal(count(p0.findings, 'nccl-log/warn'), 4);
    assert.equal(count(p0.findings, 'nccl-log/nccl-error'), 5);
    assert.equal(count(p0.findings, 'nccl-log/init-incomplete'), 0);
    const appFinding = p0.findings.find((f) => f.rule === 'nccl-log/nccl-error' && f.message.startsWith('Application'));
    assert.equal(appFinding?.range.start.character, '[rank2]: '.length, 'range starts after the torchrun prefix');
    assert.match(p0.findings.find((f) => f.rule === 'nccl-log/warn')?.message ?? '', /^NCCL WARN \(rank 0 \(vm, GPU 0\)\): Error : no algorithm.*NCCL_ALGO \/ NCCL_PROTO exclude/);
    assert.match(p0.findings.find((f) => f.rule === 'nccl-log/nccl-error')?.message ?? '', /^NCCL call failed with ncclInvalidUsage \(5\) \(rank 0 \(vm, GPU 0\)\) after/);
  });
});

describe('error runs', () => {
  it('net-ib-forced-error.log: no NET plugin; every process fails before Init START', () => {
    const p0 = load(path.join(H200, 'net-ib-forced-error.log'));
    const m = p0.model;
    assert.equal(m.communicators.length, 0);
    assert.equal(m.warnCount, 4);
    assert.deepEqual(m.errors.map((e) => [e.process, e.cudaDev, e.codeName, e.cause]), [
      ['vm:3141', 3, 'ncclInvalidUsage', 'Failed to initialize any NET plugin'],
      ['vm:3138', 0, 'ncclInvalidUsage', 'Failed to initialize any NET plugin'],
      ['vm:3140', 2, 'ncclInvalidUsage', 'Failed to initialize any NET plugin'],
      ['vm:3139', 1, 'ncclInvalidUsage', 'Failed to initialize any NET plugin'],
    ]);
    assert.deepEqual(m.errors[0].frames.map((f) => `${f.file}:${f.line}`), ['init.cc:421', 'init.cc:1572', 'group.cc:76', 'group.cc:537', 'group.cc:743', 'init.cc:2162']);
    assert.equal(m.errors[0].thread, undefined);
    assert.equal(m.network.netPluginEvents.find((e) => e.event === 'failed-all')?.count, 4);
    assert.deepEqual([count(p0.findings, 'nccl-log/warn'), count(p0.findings, 'nccl-log/nccl-error'), count(p0.findings, 'nccl-log/init-incomplete')], [4, 5, 4]);
    assert.equal(count(p0.findings, 'nccl-log/debug-subsys-incomplete'), 0, 'a failed init explains the missing channel lines');
    assert.match(p0.findings.find((f) => f.rule === 'nccl-log/warn')?.message ?? '', /mellanoxnics/);
  });

  it('bad-ifname-error.log: NCCL_SOCKET_IFNAME=net1 does not exist', () => {
    const p0 = load(path.join(H200, 'bad-ifname-error.log'));
    const m = p0.model;
    assert.equal(m.nccl, undefined, 'this run never printed the NCCL banner');
    assert.equal(m.env.find((e) => e.name === 'NCCL_SOCKET_IFNAME')?.value, 'net1');
    assert.deepEqual(m.warnings.map((w) => [w.ref.line, w.text, w.file, w.srcLine, w.timestamp, w.cudaDev]), [
      [4, 'Bootstrap : no socket interface found', 'bootstrap.cc', 114, '2026-11-28 06:54:09', 0],
    ]);
    assert.deepEqual(m.errors.map((e) => [e.ref.line, e.frames.map((f) => f.line), e.code]), [[5, [126, 160], 5]]);
    assert.deepEqual(rules(p0.findings), ['nccl-log/init-incomplete', 'nccl-log/warn', 'nccl-log/nccl-error', 'nccl-log/nccl-error']);
    assert.match(p0.findings[0].message, /vm:3432.*never reached Init COMPLETE.*no socket interface found/);
    assert.match(p0.findings[1].message, /net1.*k8s\.v1\.cni\.cncf\.io\/networks/);
    assert.deepEqual(p0.findings[1].range, { start: { line: 4, character: 0 }, end: { line: 4, character: p0.lines[4].length } });
  });
});

describe('NCCL_DEBUG below INFO', () => {
  it('debug-version.log: version from the bare banner, and a hint to enable INFO', () => {
    const p0 = load(path.join(H200, 'debug-version.log'));
    assert.deepEqual([p0.model.nccl?.version, p0.model.lines.version, p0.model.lines.info], ['2.28.9', 1, 0]);
    assert.deepEqual(rules(p0.findings), ['nccl-log/debug-subsys-incomplete']);
    assert.equal(p0.findings[0].severity, 'info');
    assert.equal(summarizeNcclLog(p0.model, p0.findings).status, 'unknown');
  });

  it('debug-warn-only.log: no NCCL output at all', () => {
    const p0 = load(path.join(H200, 'debug-warn-only.log'));
    assert.equal(p0.model.nccl, undefined);
    assert.deepEqual(rules(p0.findings), ['nccl-log/debug-subsys-incomplete']);
  });
});

describe('nccl-tests all_reduce_perf (one process, two GPUs, default NCCL_DEBUG_SUBSYS)', () => {
  it('two ranks of one process, P2P/direct pointer, NVLink unknown without GRAPH', () => {
    const p0 = load(path.join(TESTS, 'all_reduce_perf.nccl-info.txt'));
    const m = p0.model;
    assert.deepEqual(m.processes.map((x) => [x.key, x.cudaDevs]), [['vm:1422', [0, 1]]]);
    const c = m.communicators[0];
    assert.deepEqual([c.commId, c.nRanks, c.ranks.map((r) => r.cudaDev)], ['0x1b5d342916675b7e', 2, [0, 1]]);
    assert.deepEqual(c.connections.map((x) => [x.from, x.to, x.mode, x.channels.length]), [
      [0, 1, 'direct pointer', 24],
      [1, 0, 'direct pointer', 24],
    ]);
    assert.deepEqual(c.ranks.map((r) => r.end?.action), ['Destroy COMPLETE', 'Destroy COMPLETE']);
    assert.equal(m.hosts[0].topology, undefined);
    assert.deepEqual(rules(p0.findings), ['nccl-log/debug-subsys-incomplete', 'nccl-log/net-plugin-missing']);
    assert.match(p0.findings[0].message, /GRAPH/);
    const s = summarizeNcclLog(m, p0.findings);
    assert.deepEqual([s.nvlink.active, s.transports.P2P], [undefined, 2]);
    assert.match(s.statusText, /NVLink \?/);
  });
});
