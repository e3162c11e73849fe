/**
 * One-line classification: launcher prefixes, NCCL's prefix in all its forms (2.18 .. 2.30.7), and
 * the message kinds, using lines built from the printf formats in nccl-log-formats.md.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyLine, classifyMessage, type MessageRecord } from '../../server/src/ncclLog/lines';

const INFO = 'node01:4242:4242 [0] NCCL INFO ';
const msg = (m: string): MessageRecord => classifyMessage(m);

describe('launcher prefixes', () => {
  const body = 'node01:4242:4311 [3] NCCL INFO Channel 00/0 : 0[0] -> 1[1] via P2P/CUMEM';
  const cases: Array<[string, string, string[]]> = [
    ['torchrun rank', '[rank3]:', ['rank3']],
    ['torchrun role', '[default0]:', ['default0']],
    ['Open MPI --tag-output', '[1,0]<stdout>:', ['1,0']],
    ['srun --label', '12: ', ['12']],
    ['Ray worker', '(RayWorkerWrapper pid=123, ip=10.0.0.1) ', ['RayWorkerWrapper pid=123, ip=10.0.0.1']],
    ['vLLM worker', '(VllmWorkerProcess pid=4711) ', ['VllmWorkerProcess pid=4711']],
    ['kubectl --prefix', '[pod/vllm-worker-0/vllm] ', ['pod/vllm-worker-0/vllm']],
    ['kubectl --timestamps', '2026-06-11T10:02:03.123456789Z ', ['2026-06-11T10:02:03.123456789Z']],
    ['docker compose', 'vllm-worker-1  | ', ['vllm-worker-1']],
    ['mpirun -prepend-rank', '[7] ', ['7']],
    ['ANSI-coloured Ray', '\x1b[36m(RayWorkerWrapper pid=9, ip=10.0.0.2)\x1b[0m ', ['RayWorkerWrapper pid=9, ip=10.0.0.2']],
    ['NUL padding after log rotation', '\u0000\u0000\u0000', []],
    ['stacked: kubectl + timestamp + Ray', '[pod/w-1/c] 2026-06-11T10:02:03Z (RayWorkerWrapper pid=1, ip=::1) ', ['pod/w-1/c', '2026-06-11T10:02:03Z', 'RayWorkerWrapper pid=1, ip=::1']],
  ];
  for (const [name, prefix, launchers] of cases) {
    it(name, () => {
      const c = classifyLine(prefix + body);
      assert.deepEqual(c.launchers, launchers);
      assert.equal(c.start, prefix.length);
      assert.equal(c.end, (prefix + body).length);
      assert.deepEqual([c.prefix?.host, c.prefix?.pid, c.prefix?.tid, c.prefix?.cudaDev, c.prefix?.level], ['node01', 4242, 4311, 3, 'INFO']);
      assert.equal(c.record.kind, 'transport');
    });
  }

  it('keeps text lines as text (with launcher prefixes removed)', () => {
    const c = classifyLine('[rank0]:   File "/opt/app/worker.py", line 42, in <module>');
    assert.deepEqual([c.record.kind, c.prefix, c.launchers], ['text', undefined, ['rank0']]);
    assert.equal(classifyLine('').record.kind, 'blank');
    assert.equal(classifyLine('   \t').record.kind, 'blank');
  });
});

describe('NCCL prefix forms', () => {
  it('WARN before 2.26 (no timestamp) and 2.26+ with timestamp', () => {
    const old = classifyLine('node01:4242:4242 [1] transport/net_socket.cc:512 NCCL WARN NET/Socket : socket progress error');
    assert.deepEqual([old.prefix?.level, old.prefix?.file, old.prefix?.srcLine, old.prefix?.timestamp], ['WARN', 'transport/net_socket.cc', 512, undefined]);
    assert.equal(old.message, 'NET/Socket : socket progress error');
    const ts = classifyLine('[2026-11-28 06:54:09] vm:3432:3432 [0] bootstrap.cc:114 NCCL WARN Bootstrap : no socket interface found');
    assert.deepEqual([ts.prefix?.timestamp, ts.prefix?.host, ts.prefix?.file, ts.start], ['2026-11-28 06:54:09', 'vm', 'bootstrap.cc', 0]);
  });

  it('WARN 2.30.7 with (function), TRACE with elapsed ms, CALL without device', () => {
    const w = classifyLine(
      '[2026-06-11 10:02:03] node01:4242:4311 [3] transport/net_ib/p2p.cc:688 (ncclIbLogCompletionWithError) NCCL WARN NET/IB: Got completion from peer 10.0.0.12<43011> with status=IBV_WC_RETRY_EXC_ERR(12) opcode=IBV_WC_SEND(0) vendor_err=129 hca mlx5_3',
    );
    assert.deepEqual([w.prefix?.func, w.prefix?.srcLine, w.prefix?.cudaDev], ['ncclIbLogCompletionWithError', 688, 3]);
    assert.match(w.message, /^NET\/IB: Got completion/);
    const t = classifyLine('node01:4242:4242 [0] 1234.567890 ncclTopoCompute:1042 NCCL TRACE Pattern search done');
    assert.deepEqual([t.prefix?.level, t.prefix?.file, t.prefix?.srcLine], ['TRACE', 'ncclTopoCompute', 1042]);
    const call = classifyLine('node01:4242:4242 NCCL CALL ncclCommInitRank(0x55d1c2a3b4c0, 16, 0x6b3a9f0e2d41c7a5, 0, 0)');
    assert.deepEqual([call.prefix?.level, call.prefix?.cudaDev, call.record.kind], ['CALL', undefined, 'other']);
  });

  it('bare VERSION banner (NCCL_DEBUG=VERSION) and RCCL banner', () => {
    const v = classifyLine('NCCL version 2.30.7+cuda13.0');
    assert.equal(v.banner, true);
    assert.deepEqual(v.record, { kind: 'version', flavor: 'NCCL', version: '2.30.7', cudaRuntime: '13.0' });
    assert.deepEqual(msg('RCCL version 2.20.5+hip6.2 HEAD:7f1f5f0'), { kind: 'version', flavor: 'RCCL', version: '2.20.5', cudaRuntime: '6.2' });
  });

  it('pasted fragments without prefix are recognised only when distinctive', () => {
    assert.equal(classifyLine('Channel 00/0 : 0[0] -> 1[1] via P2P/CUMEM').bare, true);
    assert.equal(classifyLine('NET/IB : Using [0]mlx5_130:1/RoCE [RO]; OOB net1:10.x.x.x<0>').record.kind, 'ibDevices');
    assert.equal(classifyLine('Connected all rings').bare, false);
    assert.equal(classifyLine('hello: world').record.kind, 'text');
  });
});

describe('message kinds across versions', () => {
  it('Bootstrap: `Bootstrap : Using` (<= 2.23) and `Bootstrap: Using` (2.24+)', () => {
    assert.deepEqual(msg('Bootstrap : Using eth0:10.0.0.11<0>'), { kind: 'bootstrap', text: 'eth0:10.0.0.11<0>' });
    assert.deepEqual(msg('Bootstrap: Using eth0:10.0.0.11<0>'), { kind: 'bootstrap', text: 'eth0:10.0.0.11<0>' });
  });

  it('channel transports: P2P modes, SHM, NET send/receive/PXN, 2.18.1 bus ids', () => {
    assert.deepEqual(msg('Channel 01/0 : 0[0] -> 1[1] via P2P/IPC/read'), { kind: 'transport', channel: 1, from: 0, fromDev: '0', to: 1, toDev: '1', side: undefined, via: 'P2P/IPC/read' });
    assert.equal((msg('Channel 02/1 : 0[0] -> 3[3] via P2P/direct pointer/read') as { via: string }).via, 'P2P/direct pointer/read');
    assert.equal((msg('Channel 00 : 0[0] -> 1[1] via SHM/direct') as { via: string }).via, 'SHM/direct');
    assert.equal((msg('Channel 00 : 0[0] -> 1[1] via SHM/direct/direct') as { via: string }).via, 'SHM/direct/direct');
    assert.deepEqual(msg('Channel 03/1 : 2[2] -> 10[2] [send] via NET/IB/3(0)/GDRDMA/Shared'), {
      kind: 'transport', channel: 3, from: 2, fromDev: '2', to: 10, toDev: '2', side: 'send', via: 'NET/IB/3(0)/GDRDMA/Shared',
    });
    assert.equal((msg('Channel 00/0 : 15[7] -> 0[0] [receive] via NET/IB/0/GDRDMA') as { side: string }).side, 'receive');
    assert.deepEqual((msg('Channel 00/0 : 0[18000] -> 1[2a000] via P2P/IPC') as { toDev: string }).toDev, '2a000');
    assert.deepEqual(msg('CollNet 00/0 : 0 [send] via COLLNET/SHARP/0/GDRDMA'), { kind: 'collnet', channel: 0, rank: 0, side: 'send', via: 'COLLNET/SHARP/0/GDRDMA' });
  });

  it('Init START/COMPLETE: 2.18.1, 2.18.3-2.20, 2.21, 2.23+, 2.29 [Rank], split comms', () => {
    const v2181 = msg('comm 0x55d1c2a3b4c0 rank 0 nranks 16 cudaDev 0 busId 18000 commId 0x6b3a9f0e2d41c7a5 - Init COMPLETE');
    assert.deepEqual(v2181, { kind: 'commInit', phase: 'COMPLETE', api: undefined, commPtr: '0x55d1c2a3b4c0', rank: 0, nRanks: 16, cudaDev: 0, nvmlDev: undefined, busId: '18000', commId: '0x6b3a9f0e2d41c7a5', parent: undefined, color: undefined });
    assert.equal((msg('comm 0x1 rank 1 nranks 2 cudaDev 1 nvmlDev 1 busId 2a000 commId 0xabc - Init START') as { nvmlDev: number }).nvmlDev, 1);
    assert.equal((msg('ncclCommInitRank comm 0x1 rank 1 nranks 2 cudaDev 1 nvmlDev 1 busId 2a000 commId 0xabc - Init COMPLETE') as { api: string }).api, 'ncclCommInitRank');
    const r229 = msg('[Rank 3] ncclCommInitRankConfig comm 0x1 rank 3 nranks 8 cudaDev 3 nvmlDev 3 busId 5d000 commId 0xabc - Init START') as { phase: string; rank: number };
    assert.deepEqual([r229.phase, r229.rank], ['START', 3]);
    const split = msg('ncclCommSplit comm 0x9 rank 0 nranks 2 cudaDev 0 nvmlDev 0 busId 18000 parent 0x1 splitCount 1 color 7 key 0- Init START') as { parent: string; color: number; commId?: string };
    assert.deepEqual([split.parent, split.color, split.commId], ['0x1', 7, undefined]);
    assert.deepEqual(msg('comm 0x5574fb8734e0 rank 0 nranks 2 cudaDev 0 busId 60 - Destroy COMPLETE'), { kind: 'commEnd', commPtr: '0x5574fb8734e0', rank: 0, nRanks: 2, action: 'Destroy COMPLETE' });
    assert.equal((msg('comm 0x2 rank 3 nRanks 4 cudaDev 3 busId 90 - Abort START') as { action: string }).action, 'Abort START');
  });

  it('summary, timings (2.22 and 2.23+), channel counts (2.18 and 2.20+)', () => {
    assert.deepEqual(msg('comm 0x55d1c2a3b4c0 rank 0 nRanks 16 nNodes 2 localRanks 8 localRank 0 MNNVL 1'), { kind: 'commSummary', commPtr: '0x55d1c2a3b4c0', rank: 0, nRanks: 16, nNodes: 2, localRanks: 8, localRank: 0, mnnvl: true });
    const t22 = msg('Init timings: rank 0 nranks 2 total 0.50 (kernels 0.10, bootstrap 0.05, allgathers 0.01, topo 0.20, graphs 0.01, connections 0.10, rest 0.03)') as { total: number; parts: Record<string, number> };
    assert.deepEqual([t22.total, t22.parts.topo, t22.parts.alloc], [0.5, 0.2, undefined]);
    assert.equal((msg('Init timings - ncclCommInitRankConfig: rank 5 nranks 16 total 1.84 (kernels 0.21, alloc 0.03, bootstrap 0.05, allgathers 0.02, topo 0.41, graphs 0.03, connections 1.01, rest 0.08)') as { rank: number }).rank, 5);
    assert.deepEqual(msg('2 coll channels, 0 nvls channels, 2 p2p channels, 2 p2p channels per peer'), { kind: 'channelCounts', coll: 2, collnet: undefined, nvls: 0, p2p: 2, p2pPerPeer: 2 });
    assert.equal((msg('24 coll channels, 24 collnet channels, 16 nvls channels, 32 p2p channels, 32 p2p channels per peer') as { nvls: number }).nvls, 16);
  });

  it('net plugin lines of every era', () => {
    const missing = (m: string) => assert.deepEqual([msg(m).kind, (msg(m) as { status?: string }).status], ['plugin', 'missing'], m);
    missing('NET/Plugin : No plugin found, using internal implementation');
    missing('NET/Plugin : dlerror=libnccl-net.so: cannot open shared object file: No such file or directory No plugin found (libnccl-net.so), using internal implementation');
    missing('NET/Plugin: Could not find: libnccl-net.so. Using internal network plugin.');
    missing('NET/Plugin: Could not find: libnccl-net.so');
    assert.deepEqual(msg('NET/Plugin: Loaded net plugin AWS Libfabric (v10)'), { kind: 'plugin', pluginType: 'NET', status: 'loaded', name: 'AWS Libfabric' });
    assert.deepEqual(msg('Successfully loaded external network plugin libnccl-net-ofi.so'), { kind: 'plugin', pluginType: 'NET', status: 'loaded', name: 'libnccl-net-ofi.so' });
    assert.deepEqual(msg('Using network IB'), { kind: 'netPlugin', event: 'using', name: 'IB' });
    assert.deepEqual(msg('Failed to initialize NET plugin IB'), { kind: 'netPlugin', event: 'failed', name: 'IB' });
  });

  it('IB / RoCE devices, socket devices, GDR and DMA-BUF lines', () => {
    assert.deepEqual(msg('NET/IB : Using [0]mlx5_0:1/IB [1]mlx5_3:1/IB [2]mlx5_4:1/RoCE [RO]; OOB eth0:10.0.0.11<0>'), {
      kind: 'ibDevices',
      devices: [
        { index: 0, name: 'mlx5_0', port: 1, linkLayer: 'IB' },
        { index: 1, name: 'mlx5_3', port: 1, linkLayer: 'IB' },
        { index: 2, name: 'mlx5_4', port: 1, linkLayer: 'RoCE' },
      ],
      relaxedOrdering: true,
      oob: 'eth0:10.0.0.11<0>',
    });
    assert.deepEqual((msg('NET/IB : Using [0]mlx5_bond_0:1:2:3/RoCE ; OOB bond0:10.1.0.1<0>') as { devices: unknown[] }).devices, [{ index: 0, name: 'mlx5_bond_0', port: 1, linkLayer: 'RoCE' }]);
    assert.deepEqual(msg('NET/Socket : Using [0]eth0:10.0.0.11<0> [1]eth1:10.1.0.11<0>'), {
      kind: 'socketDevices',
      devices: [
        { index: 0, ifname: 'eth0', address: '10.0.0.11<0>' },
        { index: 1, ifname: 'eth1', address: '10.1.0.11<0>' },
      ],
    });
    assert.deepEqual(msg("NET/IB : GPU Direct RDMA Enabled for HCA 0 'mlx5_0'"), { kind: 'gdr', net: 'IB', enabled: true, hca: 'mlx5_0' });
    assert.deepEqual(msg('GPU Direct RDMA Disabled for GPU 18000 / HCA 0 (distance 6 > 4), read 0'), { kind: 'gdr', enabled: false, hca: '0' });
    assert.deepEqual(msg('GPU Direct RDMA Enabled for GPU 0 / HCA 1 (distance 3 <= 4), read 1 mode Default'), { kind: 'gdr', enabled: true, hca: '1' });
    assert.deepEqual(msg('DMA-BUF is available on GPU device 3'), { kind: 'dmaBuf', gpu: 3 });
    assert.deepEqual(msg('dlvsym failed on ibv_reg_dmabuf_mr - /usr/lib/libibverbs.so.1: undefined symbol, version IBVERBS_1.12'), { kind: 'missingSymbol', symbol: 'ibv_reg_dmabuf_mr', library: '/usr/lib/libibverbs.so.1' });
  });

  it('env echo, P2P pair notices, NVLS, back-traces of 2.28 and 2.30.7', () => {
    assert.deepEqual(msg('NCCL_IB_TIMEOUT set by environment to 22.'), { kind: 'env', name: 'NCCL_IB_TIMEOUT', value: '22' });
    assert.deepEqual(msg('NCCL_SOCKET_IFNAME set to eth0'), { kind: 'env', name: 'NCCL_SOCKET_IFNAME', value: 'eth0' });
    assert.deepEqual(msg('P2P is disabled between connected GPUs 1 and 3. You can repress this message with NCCL_IGNORE_DISABLED_P2P=1.'), { kind: 'p2pDisabledPair', nvlink: false, gpuA: 1, gpuB: 3 });
    assert.deepEqual(msg('NVLS multicast support is not available on dev 2'), { kind: 'nvlsSupport', available: false, dev: 2 });
    assert.deepEqual(msg('group.cc:76 -> 5 [Async thread]'), { kind: 'errorFrame', file: 'group.cc', line: 76, func: undefined, code: 5, thread: 'Async thread' });
    assert.deepEqual(msg('transport/net_ib/p2p.cc:690 (ncclIbTest) -> 6'), { kind: 'errorFrame', file: 'transport/net_ib/p2p.cc', line: 690, func: 'ncclIbTest', code: 6, thread: undefined });
    assert.equal(msg("init.cc:1234 Cuda failure 'out of memory'").kind, 'cudaFailure');
  });

  it('topology and graph lines, old (GPU/18000) and new (GPU/0-18000) ids', () => {
    assert.deepEqual(msg('=== System : maxBw 48.0 totalBw 720.0 ==='), { kind: 'topoHeader', maxBw: 48, totalBw: 720 });
    const nested = msg('              + PCI[48.0] - GPU/0-18000 (0)');
    assert.deepEqual(nested, { kind: 'topoNode', indent: 14, nodeColumn: 28, link: { type: 'PCI', bw: 48 }, node: { id: 'GPU/0-18000', type: 'GPU', systemId: '0', localId: '18000' }, detail: '0' });
    assert.deepEqual((msg('+ NVL[240.0] - GPU/1B000') as { node: unknown }).node, { id: 'GPU/1b000', type: 'GPU', systemId: undefined, localId: '1b000' });
    const path = msg('GPU/18000 :GPU/18000 (0/5000.000000/LOC) GPU/2A000 (2/240.000000/NVL) NET/0 (3/24.000000/PIX)') as { entries: Array<{ to: { id: string }; type: string; bw: number }> };
    assert.deepEqual(path.entries.map((e) => [e.to.id, e.type, e.bw]), [['GPU/18000', 'LOC', 5000], ['GPU/2a000', 'NVL', 240], ['NET/0', 'PIX', 24]]);
    assert.deepEqual(msg(' 0 : NET/0-0 GPU/0-18000 GPU/0-2a000 NET/0-0'), { kind: 'graphChannel', channel: 0, nodes: ['NET/0-0', 'GPU/0-18000', 'GPU/0-2a000', 'NET/0-0'] });
    assert.deepEqual(msg('Trees [0] 1/-1/-1->0->-1 [1] -1/-1/-1->0->1'), { kind: 'trees', entries: [{ channel: 0, down: [1, -1, -1], rank: 0, up: -1 }, { channel: 1, down: [-1, -1, -1], rank: 0, up: 1 }] });
    assert.deepEqual(msg('Channel 00/24 :    0   1   2   3'), { kind: 'ringOrder', channel: 0, order: [0, 1, 2, 3] });
    assert.deepEqual(msg('Tree 0 : -1 -> 0 -> 8/-1/-1'), { kind: 'netTree', channel: 0, up: -1, rank: 0, down: [8, -1, -1] });
  });

  it('messages that merely look similar stay `other`', () => {
    for (const m of ['threadThresholds 8/8/64 | 32/8/64 | 512 | 512', 'UDS: Creating service thread comm 0xfdb4f20 rank 0', 'Channel 00/0 : garbage via', 'init.cc:1994 Cuda Host Alloc Size 4 pointer 0x7fb0c1e00000', 'CC Off, workFifoBytes 1048576']) {
      assert.equal(msg(m).kind, 'other', m);
    }
  });

  it('classifyLine ties prefix + message together', () => {
    const c = classifyLine(`${INFO}NCCL version 2.24.3+cuda12.6`);
    assert.deepEqual([c.record.kind, c.bare, c.banner, c.start], ['version', false, false, 0]);
  });
});
