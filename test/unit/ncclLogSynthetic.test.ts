/**
 * Scenarios the corpus does not cover, built from the printf formats in nccl-log-formats.md:
 * multi-node RoCE with GPU Direct RDMA behind Ray prefixes (fixture), its no-GDR and TCP variants,
 * NVLS, NCCL 2.19-era formats, 2.30.7 failures, split communicators, interleaving, partial
 * NCCL_DEBUG_SUBSYS, RCCL, and fragments pasted without prefix.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Finding } from '../../server/src/protocol/findings';
import { NCCL_LOG_RULES, ncclLogFindings } from '../../server/src/ncclLog/findings';
import type { NcclLogModel } from '../../server/src/ncclLog/model';
import { parseNcclLog } from '../../server/src/ncclLog/parser';
import { formatNcclLogSummary, summarizeNcclLog } from '../../server/src/ncclLog/summary';

const FIXTURES = path.resolve(__dirname, '../fixtures/nccl');
const ROCE = readFileSync(path.join(FIXTURES, 'vllm-ray-2node-roce.log'), 'utf8');

const rules = (fs: Finding[]) => fs.map((f) => f.rule);
const analyse = (text: string): { m: NcclLogModel; f: Finding[] } => {
  const m = parseNcclLog(text);
  return { m, f: ncclLogFindings(m) };
};
/** `host:pid:tid [dev] NCCL INFO msg` lines for one process. */
const proc = (host: string, pid: number, dev: number) => (msg: string, level = 'INFO') => `${host}:${pid}:${pid} [${dev}] NCCL ${level} ${msg}`;

describe('2-node RoCE vLLM run behind Ray prefixes (fixture)', () => {
  const { m, f } = analyse(ROCE);

  it('peels the Ray prefixes and groups processes by host', () => {
    assert.equal(m.lines.nccl, m.lines.total - 1, 'only the vLLM line at the end is not NCCL');
    assert.deepEqual(m.hosts.map((h) => [h.name, h.processes]), [
      ['worker-0', ['worker-0:101', 'worker-0:102']],
      ['worker-1', ['worker-1:201', 'worker-1:202']],
    ]);
    assert.deepEqual([m.nccl?.version, m.nccl?.cudaRuntime, m.cudaDriver?.text], ['2.26.6', '12.4', '12.4']);
    assert.deepEqual(m.env.map((e) => [e.name, e.value, e.count]), [['NCCL_IB_HCA', 'mlx5_0:1', 4]]);
  });

  it('communicator, ranks, transports, rings', () => {
    const c = m.communicators[0];
    assert.deepEqual([m.communicators.length, c.commId, c.nRanks, c.nNodes, c.localRanks], [1, '0x6b3a9f0e2d41c7a5', 4, 2, 2]);
    assert.deepEqual(c.ranks.map((r) => `${r.rank}:${r.host}:${r.cudaDev}:${r.busId}:${r.localRank}`), ['0:worker-0:0:18000:0', '1:worker-0:1:2a000:1', '2:worker-1:0:18000:0', '3:worker-1:1:2a000:1']);
    assert.deepEqual(
      c.connections.map((x) => [x.from, x.to, x.via, x.channels, x.sides, x.lineCount]),
      [
        [0, 1, 'P2P/CUMEM/read', [0, 1], [], 2],
        [1, 2, 'NET/IB/0/GDRDMA', [0, 1], ['receive', 'send'], 4],
        [2, 3, 'P2P/CUMEM/read', [0, 1], [], 2],
        [3, 0, 'NET/IB/0/GDRDMA', [0, 1], ['receive', 'send'], 4],
      ],
    );
    assert.deepEqual(c.connections[1].net, { name: 'IB', dev: 0, gdr: true, shared: false, pci: false });
    assert.deepEqual(c.rings.map((r) => r.order), [[0, 1, 2, 3], [0, 1, 2, 3]]);
    assert.deepEqual([c.ringPxn, c.ringGdr, c.ranks[3].initTimings?.parts.connections], [false, true, 1.01]);
    assert.deepEqual(c.graphs.map((g) => [g.host, g.patternName, g.typeInter]), [['worker-0', 'ring', 'PIX'], ['worker-1', 'ring', 'PIX']]);
  });

  it('topology per host: direct NVLink bridge, NIC next to GPU 0', () => {
    for (const h of m.hosts) {
      const t = h.topology;
      assert.ok(t);
      assert.deepEqual(t.links.filter((l) => l.type === 'NVL').map((l) => `${l.from}>${l.to}@${l.bw}`), ['GPU/0-18000>GPU/0-2a000@240', 'GPU/0-2a000>GPU/0-18000@240']);
      assert.deepEqual(t.links.find((l) => l.to === 'NIC/0-1a000')?.from, 'PCI/0-15000');
    }
    assert.deepEqual(m.hosts[1].topology?.nodes.filter((n) => n.type === 'GPU').map((n) => n.rank), [2, 3]);
  });

  it('network facts and findings: only the plugin info', () => {
    assert.deepEqual(m.network.ib[0].devices, [{ index: 0, name: 'mlx5_0', port: 1, linkLayer: 'RoCE' }]);
    assert.deepEqual(m.network.ib.map((x) => [x.oob, x.count]), [['eth0:10.0.0.11<0>', 2], ['eth0:10.0.0.12<0>', 2]]);
    assert.deepEqual(m.network.gdr.map((g) => [g.enabled, g.count]), [[true, 4], [true, 2], [true, 2]]);
    assert.deepEqual(m.network.dmaBuf.map((d) => d.count), [2, 2]);
    assert.deepEqual(rules(f), ['nccl-log/net-plugin-missing']);
    const s = summarizeNcclLog(m, f);
    assert.deepEqual(s.transports, { NVLink: 2, 'NET/IB': 2 });
    assert.deepEqual([s.nvlink.active, s.nvlink.bandwidthGBs, s.rdma.active, s.rdma.gdr, s.rdma.needed, s.rdma.devices], [true, 240, true, true, true, ['mlx5_0:1/RoCE']]);
    assert.equal(s.statusText, 'NCCL 2.26.6 · 4 ranks · NVLink yes · RDMA yes');
    assert.deepEqual(formatNcclLogSummary(s), [
      'NCCL 2.26.6 (built for CUDA 12.4), CUDA driver 12.4',
      '4 rank(s) in 1 communicator(s), 4 process(es) on 2 host(s), 2 NCCL node(s)',
      'NVLink in use: yes (topology: 240 GB/s per GPU)',
      'RDMA (NET/IB) in use: yes, GPU Direct RDMA: yes [mlx5_0:1/RoCE]',
      'Transports (directed rank pairs): NVLink 2, NET/IB 2',
      '  0 -> 1 [worker-0 -> worker-0]: NVLink via P2P/CUMEM/read (2 channels)',
      '  1 -> 2 [worker-0 -> worker-1]: NET/IB via NET/IB/0/GDRDMA (2 channels)',
      '  2 -> 3 [worker-1 -> worker-1]: NVLink via P2P/CUMEM/read (2 channels)',
      '  3 -> 0 [worker-1 -> worker-0]: NET/IB via NET/IB/0/GDRDMA (2 channels)',
    ]);
  });

  it('rule table: the issue\'s fourteen ids first, then the four this project adds', () => {
    assert.deepEqual(NCCL_LOG_RULES.map((r) => r.id.replace('nccl-log/', '')), [
      'tcp-fallback', 'gdr-disabled', 'net-plugin-missing', 'mlx5-symbols-missing', 'nccl-error', 'timeout', 'ib-error', 'duplicate-gpu',
      'p2p-disabled', 'socket-speed-default', 'nvls-unavailable', 'collnet-failure', 'connection-closed', 'version-mismatch',
      'warn', 'init-incomplete', 'shm-instead-of-p2p', 'debug-subsys-incomplete',
    ]);
  });

  it('same run without GPU Direct RDMA -> nccl-log/gdr-disabled on the first NET/IB line', () => {
    const text = ROCE.replaceAll('/GDRDMA', '').replaceAll('GPU Direct RDMA Enabled', 'GPU Direct RDMA Disabled').replace(/distance 3 <= 4/g, 'distance 6 > 4');
    const r = analyse(text);
    const noGdr = r.f.filter((x) => x.rule === 'nccl-log/gdr-disabled');
    assert.equal(noGdr.length, 1);
    assert.match(text.split('\n')[noGdr[0].range.start.line], /\[send\] via NET\/IB\/0$/);
    assert.match(noGdr[0].message, /without GPU Direct RDMA.*nvidia-peermem/);
    assert.equal(summarizeNcclLog(r.m, r.f).rdma.gdr, false);
  });

  it('same run over TCP -> nccl-log/tcp-fallback naming the inter-node pairs', () => {
    const text = ROCE.replaceAll('NET/IB/0/GDRDMA', 'NET/Socket/0').replaceAll('Using network IB', 'Using network Socket');
    const r = analyse(text);
    const socket = r.f.filter((x) => x.rule === 'nccl-log/tcp-fallback');
    assert.equal(socket.length, 1);
    assert.match(socket[0].message, /inter-node traffic.*rank 1 \(worker-0, GPU 1\) -> rank 2 \(worker-1, GPU 0\)/);
    assert.equal(r.f.some((x) => x.rule === 'nccl-log/gdr-disabled'), false);
  });

  it('lines of different processes may interleave in any order', () => {
    const lines = ROCE.trimEnd().split('\n');
    const byProc = new Map<string, string[]>();
    for (const l of lines) {
      const key = /(worker-\d:\d+):/.exec(l)?.[1] ?? 'other';
      byProc.set(key, [...(byProc.get(key) ?? []), l]);
    }
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const queues = [...byProc.values()];
    const shuffled: string[] = [];
    while (queues.some((q) => q.length)) {
      const live = queues.filter((q) => q.length);
      shuffled.push(live[Math.floor(rnd() * live.length)].shift() as string);
    }
    const strip = (model: NcclLogModel) => model.communicators.map((c) => c.connections.map((x) => [x.from, x.to, x.via, x.channels, x.sides, x.lineCount]));
    assert.deepEqual(strip(parseNcclLog(shuffled.join('\n'))), strip(m));
  });
});

describe('more topologies and transports', () => {
  it('8x H100 with NVLS: nvls channels, NVLS tree, multicast support', () => {
    const lines: string[] = [];
    for (let r = 0; r < 8; r++) {
      const L = proc('dgx01', 500 + r, r);
      lines.push(L('NCCL version 2.21.5+cuda12.4'), L(`ncclCommInitRank comm 0x${r + 1}0 rank ${r} nranks 8 cudaDev ${r} nvmlDev ${r} busId ${(r + 1) * 10000} commId 0xfeed - Init START`));
      lines.push(L(`NVLS multicast support is available on dev ${r}`), L(`NVLS comm 0x${r + 1}0 headRank ${r} nHeads 8 buffSize 1048576 nvlsPerRankSize 201326592 nvlsTotalSize 1610612736`));
      lines.push(L('Connected NVLS tree'), L('24 coll channels, 24 collnet channels, 16 nvls channels, 32 p2p channels, 32 p2p channels per peer'));
      lines.push(L(`Channel 00/0 : ${r}[${r}] -> ${(r + 1) % 8}[${(r + 1) % 8}] via P2P/CUMEM/read`));
      lines.push(L(`ncclCommInitRank comm 0x${r + 1}0 rank ${r} nranks 8 cudaDev ${r} nvmlDev ${r} busId ${(r + 1) * 10000} commId 0xfeed - Init COMPLETE`));
    }
    const { m, f } = analyse(lines.join('\n'));
    const c = m.communicators[0];
    assert.deepEqual([c.nvlsConnected, c.channelCounts?.nvls, m.network.nvlsSupport.length], [true, 16, 8]);
    assert.ok(m.network.nvlsSupport.every((x) => x.available));
    const s = summarizeNcclLog(m, f);
    assert.equal(s.nvls, true);
    assert.match(s.statusText, /NVLS/);
    assert.equal(s.nvlink.active, true, 'no GRAPH lines, but NVLS is set up only over an NVSwitch: P2P between its GPUs is NVLink');
  });

  it('NCCL 2.19 formats: old ids, `Bootstrap :`, old plugin text, SHM between NVLink GPUs', () => {
    const A = proc('node01', 4242, 0);
    const B = proc('node01', 4243, 1);
    const text = [
      A('Bootstrap : Using eth0:10.0.0.11<0>'),
      A('NET/Plugin : dlerror=libnccl-net.so: cannot open shared object file: No such file or directory No plugin found (libnccl-net.so), using internal implementation'),
      A('cudaDriverVersion 12020'),
      'NCCL version 2.19.3+cuda12.2',
      A('comm 0xa rank 0 nranks 2 cudaDev 0 nvmlDev 0 busId 18000 commId 0x77 - Init START'),
      B('comm 0xb rank 1 nranks 2 cudaDev 1 nvmlDev 1 busId 2a000 commId 0x77 - Init START'),
      A('=== System : maxBw 240.0 totalBw 240.0 ==='),
      A('CPU/0 (1/1/2)'),
      A('+ PCI[24.0] - GPU/18000 (0)'),
      A('              + NVL[240.0] - GPU/2A000'),
      A('+ PCI[24.0] - GPU/2A000 (1)'),
      A('              + NVL[240.0] - GPU/18000'),
      A('=========================================='),
      A('GPU/18000 :GPU/18000 (0/5000.000000/LOC) GPU/2A000 (1/240.000000/NVL) CPU/0 (1/24.000000/PHB)'),
      A('Channel 00 : 0[0] -> 1[1] via SHM/direct/direct'),
      B('Channel 00 : 1[1] -> 0[0] via SHM/direct/direct'),
      A('Connected all rings'),
      A('2 coll channels, 0 nvls channels, 2 p2p channels, 2 p2p channels per peer'),
      A('comm 0xa rank 0 nranks 2 cudaDev 0 nvmlDev 0 busId 18000 commId 0x77 - Init COMPLETE'),
      B('comm 0xb rank 1 nranks 2 cudaDev 1 nvmlDev 1 busId 2a000 commId 0x77 - Init COMPLETE'),
    ].join('\n');
    const { m, f } = analyse(text);
    assert.deepEqual([m.nccl?.version, m.cudaDriver?.text, m.network.bootstrap[0].text], ['2.19.3', '12.2', 'eth0:10.0.0.11<0>']);
    assert.deepEqual(m.hosts[0].topology?.nodes.filter((n) => n.type === 'GPU').map((n) => n.id), ['GPU/18000', 'GPU/2a000']);
    assert.equal(m.communicators[0].channelCounts?.collnet, undefined);
    assert.deepEqual(rules(f), ['nccl-log/net-plugin-missing', 'nccl-log/shm-instead-of-p2p']);
    assert.match(f[1].message, /NVLink 240 GB\/s\)\. P2P is unavailable between them/);
  });

  it('PXN, shared buffers, P2P/indirect, MNNVL and CollNet connections', () => {
    const L = proc('gb200-0', 9, 2);
    const text = [
      L('ncclCommInitRank comm 0x1 rank 2 nranks 16 cudaDev 2 nvmlDev 2 busId 1b000 commId 0x99 - Init START'),
      L('Channel 03/1 : 2[2] -> 10[2] [send] via NET/IB/3(0)/GDRDMA/Shared'),
      L('Channel 02/1 : 2[2] -> 3[3] via P2P/indirect/1[1]'),
      L('Channel 00/0 : 2[2] -> 6[2] via P2P/MNNVL'),
      L('CollNet 00/0 : 2 [send] via COLLNET/SHARP/0/GDRDMA'),
    ].join('\n');
    const c = parseNcclLog(text).communicators[0];
    assert.deepEqual(c.connections.map((x) => [x.to, x.transport, x.mode, x.net]), [
      [-1, 'COLLNET', 'SHARP', undefined],
      [3, 'P2P', 'indirect', undefined],
      [6, 'P2P', 'MNNVL', undefined],
      [10, 'NET', undefined, { name: 'IB', dev: 3, proxyRank: 0, gdr: true, shared: true, pci: false }],
    ]);
    assert.equal(c.connections[3].via, 'NET/IB/3/GDRDMA/Shared', 'proxy rank kept out of the dedup key');
  });

  it('RCCL banner and INFO lines', () => {
    const L = proc('mi300-0', 1, 0);
    const m = parseNcclLog([L('RCCL version 2.20.5+hip6.2 HEAD:7f1f5f0'), L('Channel 00/0 : 0[0] -> 1[1] via P2P/IPC')].join('\n'));
    assert.deepEqual([m.nccl?.flavor, m.nccl?.version, m.nccl?.cudaRuntime], ['RCCL', '2.20.5', '6.2']);
  });
});

describe('failures and partial logs', () => {
  it('NCCL 2.30.7 IB completion error: WARN with (func), INFO_LOC back-trace, hint', () => {
    const L = proc('node01', 4242, 3);
    const text = [
      L('ncclCommInitRankConfig comm 0x5 rank 3 nranks 16 cudaDev 3 nvmlDev 3 busId 5d000 commId 0x6b - Init COMPLETE'),
      '',
      '[2026-06-11 10:02:03] node01:4242:4311 [3] transport/net_ib/p2p.cc:688 (ncclIbLogCompletionWithError) NCCL WARN NET/IB: Got completion from peer 10.0.0.12<43011> with status=IBV_WC_RETRY_EXC_ERR(12) opcode=IBV_WC_SEND(0) vendor_err=129  localGid ::ffff:10.0.0.11 remoteGids::ffff:10.0.0.12 hca mlx5_3',
      'node01:4242:4311 [3] NCCL INFO transport/net_ib/p2p.cc:690 (ncclIbTest) -> 6',
      'node01:4242:4311 [3] NCCL INFO transport/net.cc:1380 (recvProxyProgress) -> 6 [Progress Thread]',
      L('misc/socket.cc:64 -> 3'),
    ].join('\n');
    const { m, f } = analyse(text);
    assert.deepEqual(m.warnings.map((w) => [w.func, w.srcLine, w.cudaDev]), [['ncclIbLogCompletionWithError', 688, 3]]);
    assert.deepEqual(m.errors.map((e) => [e.code, e.codeName, e.frames.map((x) => x.func), e.ref.line]), [[6, 'ncclRemoteError', ['ncclIbTest', 'recvProxyProgress'], 3]]);
    // No channel lines in this excerpt, hence the debug-subsys info on line 0. The WARN is an
    // ib-error (not a plain warn); its back-trace is the nccl-error.
    assert.deepEqual(rules(f), ['nccl-log/debug-subsys-incomplete', 'nccl-log/ib-error', 'nccl-log/nccl-error']);
    assert.match(f[1].message, /^InfiniBand\/RoCE error \(HCA mlx5_3, IBV_WC_RETRY_EXC_ERR, peer 10\.0\.0\.12<43011>\) \(printed by rank 3 \(node01, GPU 3\)\).*NCCL_IB_GID_INDEX/);
    assert.equal(f[1].range.start.character, 0);
    assert.equal(m.warnings[0].incident, 'ib-error');
  });

  it('a rank that logs Init START but never COMPLETE (hang) is flagged', () => {
    const A = proc('w0', 1, 0);
    const B = proc('w1', 2, 0);
    const text = [
      A('ncclCommInitRank comm 0x1 rank 0 nranks 2 cudaDev 0 nvmlDev 0 busId 18000 commId 0x42 - Init START'),
      B('ncclCommInitRank comm 0x2 rank 1 nranks 2 cudaDev 0 nvmlDev 0 busId 18000 commId 0x42 - Init START'),
      A('ncclCommInitRank comm 0x1 rank 0 nranks 2 cudaDev 0 nvmlDev 0 busId 18000 commId 0x42 - Init COMPLETE'),
    ].join('\n');
    const inc = analyse(text).f.filter((x) => x.rule === 'nccl-log/init-incomplete');
    assert.deepEqual(inc.map((x) => [x.severity, x.range.start.line]), [['warning', 1]]);
    assert.match(inc[0].message, /Rank 1\/2 of 0x42 \(w1:2, GPU 0\).*never Init COMPLETE/);
  });

  it('split communicators and runtime connections are attributed to the right communicator', () => {
    const text: string[] = [];
    for (let r = 0; r < 4; r++) {
      const L = proc('vllm-0', 100 + r, r);
      text.push(L(`ncclCommInitRankConfig comm 0xa${r} rank ${r} nranks 4 cudaDev ${r} nvmlDev ${r} busId ${r + 1}0000 commId 0xworld - Init COMPLETE`.replace('0xworld', '0x1111')));
      text.push(L(`ncclCommSplit comm 0xb${r} rank ${r % 2} nranks 2 cudaDev ${r} nvmlDev ${r} busId ${r + 1}0000 parent 0xa${r} splitCount 1 color ${r >> 1} key ${r % 2}- Init START`));
      text.push(L(`ncclCommSplit comm 0xb${r} rank ${r % 2} nranks 2 cudaDev ${r} nvmlDev ${r} busId ${r + 1}0000 parent 0xa${r} splitCount 1 color ${r >> 1} key ${r % 2} - Init COMPLETE`));
      text.push(L(`Channel 00/0 : ${r % 2}[${r}] -> ${(r + 1) % 2}[${r ^ 1}] via P2P/CUMEM`));
    }
    for (let r = 0; r < 4; r++) {
      const L = proc('vllm-0', 100 + r, r);
      text.push(L(`AllReduce: opCount 0 sendbuff 0x7f00 recvbuff 0x7f00 count 512 datatype 9 op 0 root 0 comm 0xa${r} [nranks=4] stream 0x1`));
      text.push(L(`Channel 00/0 : ${r}[${r}] -> ${(r + 1) % 4}[${(r + 1) % 4}] via P2P/CUMEM`));
    }
    const m = parseNcclLog(text.join('\n'));
    const ids = m.communicators.map((c) => c.id).sort();
    assert.deepEqual(ids, ['0x1111', 'split:0x1111:0', 'split:0x1111:1']);
    const world = m.communicators.find((c) => c.id === '0x1111');
    assert.deepEqual(world?.connections.map((x) => `${x.from}->${x.to}`), ['0->1', '1->2', '2->3', '3->0']);
    for (const id of ids.slice(1)) {
      const split = m.communicators.find((c) => c.id === id);
      assert.deepEqual([split?.nRanks, split?.connections.map((x) => `${x.from}->${x.to}`)], [2, ['0->1', '1->0']]);
    }
  });

  it('NCCL_DEBUG_SUBSYS=NET only: explains that P2P/SHM lines are missing', () => {
    const L = proc('w0', 1, 0);
    const { f } = analyse([L('NET/Socket : Using [0]eth0:10.0.0.1<0>'), L('Channel 00/0 : 1[0] -> 0[0] [receive] via NET/Socket/0')].join('\n'));
    const info = f.filter((x) => x.rule === 'nccl-log/debug-subsys-incomplete');
    assert.equal(info.length, 1);
    assert.match(info[0].message, /lack INIT/);
    assert.match(f.find((x) => x.rule === 'nccl-log/tcp-fallback')?.message ?? '', /hosts unknown without INIT lines/);
  });

  it('multi-node without channel lines: socket fallback judged from the selected network', () => {
    const A = proc('w0', 1, 0);
    const text = [A('Using network Socket'), A('comm 0x1 rank 0 nRanks 16 nNodes 2 localRanks 8 localRank 0 MNNVL 0'), A('ncclCommInitRank comm 0x1 rank 0 nranks 16 cudaDev 0 nvmlDev 0 busId 18000 commId 0x5 - Init COMPLETE')].join('\n');
    const { f } = analyse(text);
    assert.deepEqual(rules(f), ['nccl-log/debug-subsys-incomplete', 'nccl-log/tcp-fallback']);
    assert.match(f[1].message, /spans 2 nodes but NCCL selected the Socket network/);
    assert.match(f[0].message, /NCCL_RUNTIME_CONNECT/);
  });

  it('P2P disabled between connected GPUs (no env var) and IB GDR disabled on a multi-node job', () => {
    const A = proc('w0', 1, 0);
    const text = [
      A('comm 0x1 rank 0 nRanks 16 nNodes 2 localRanks 8 localRank 0 MNNVL 0'),
      A('P2P is disabled between connected GPUs 1 and 3. You can repress this message with NCCL_IGNORE_DISABLED_P2P=1.'),
      A("NET/IB : GPU Direct RDMA Disabled for HCA 0 'mlx5_0'"),
      A('NET/IB : Using [0]mlx5_0:1/IB ; OOB eth0:10.0.0.1<0>'),
      A('dlvsym failed on mlx5dv_reg_dmabuf_mr - /lib/libmlx5.so.1: undefined symbol: mlx5dv_reg_dmabuf_mr, version MLX5_1.25 version MLX5_1.25'),
    ].join('\n');
    const { f } = analyse(text);
    assert.deepEqual(rules(f).filter((r) => r !== 'nccl-log/debug-subsys-incomplete'), ['nccl-log/p2p-disabled', 'nccl-log/gdr-disabled', 'nccl-log/mlx5-symbols-missing']);
    assert.equal(f.find((x) => x.rule === 'nccl-log/mlx5-symbols-missing')?.severity, 'warning', 'IB is in use, so old libmlx5 matters');
  });

  it('fragments pasted without prefixes (as in the deployment guide) still build a model', () => {
    const text = readFileSync(path.join(FIXTURES, 'pasted-fragments.txt'), 'utf8');
    const { m, f } = analyse(text);
    assert.equal(m.lines.bare, 20);
    const t = m.hosts[0].topology;
    assert.deepEqual(t?.links.filter((l) => l.type === 'NVL').map((l) => `${l.from}>${l.to}@${l.bw}`), ['GPU/0-118000>GPU/0-1b3000@123.6', 'GPU/0-1b3000>GPU/0-118000@123.6']);
    assert.deepEqual(m.network.ib.map((x) => x.devices.map((d) => d.linkLayer)), [['RoCE'], ['RoCE']]);
    assert.deepEqual(m.network.gdr.map((g) => g.enabled), [true, true]);
    assert.deepEqual(m.communicators[0].connections.map((x) => [x.via, x.channels]), [['P2P/CUMEM', [0, 1]]]);
    assert.equal(m.communicators[0].channelCounts?.p2p, 8);
    assert.deepEqual(rules(f), []);
  });
});
