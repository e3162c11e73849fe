/**
 * The findings single lines report (timeout, ib-error, duplicate-gpu, socket-speed-default,
 * nvls-unavailable, collnet-failure, connection-closed, version-mismatch), with lines built from
 * the printf formats of NCCL 2.18 .. 2.30 (nccl-log-formats.md, nccl-log-history.json): each on the
 * first line of its shape, with severity and the ranks concerned, and the look-alikes that must not
 * trigger them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../server/src/protocol/findings';
import { ncclLogFindings } from '../../server/src/ncclLog/findings';
import { classifyLine } from '../../server/src/ncclLog/lines';
import { parseNcclLog } from '../../server/src/ncclLog/parser';

/** `host:pid:tid [dev] NCCL INFO msg`. */
const info = (msg: string, host = 'node01', pid = 4242, dev = 0) => `${host}:${pid}:${pid} [${dev}] NCCL INFO ${msg}`;
/** A WARN as 2.26+ prints it: an empty line, the timestamp, file:line (and 2.30.7's `(func)`). */
const warn = (msg: string, where = 'misc/socket.cc:484', host = 'node01', pid = 4242, dev = 0) => `\n[2026-06-11 10:02:03] ${host}:${pid}:${pid + 69} [${dev}] ${where} NCCL WARN ${msg}`;
/** A WARN as 2.18 - 2.25 print it (no timestamp). */
const oldWarn = (msg: string, where: string, host = 'node01', pid = 4242, dev = 0) => `\n${host}:${pid}:${pid + 69} [${dev}] ${where} NCCL WARN ${msg}`;

/** Two nodes, ranks 0 and 3 on node01, rank 8 on node02, with their bootstrap addresses. */
const PREAMBLE = [
  info('Bootstrap: Using eth0:10.0.0.11<0>'),
  info('Bootstrap: Using eth0:10.0.0.11<0>', 'node01', 4245, 3),
  info('Bootstrap: Using eth0:10.0.0.12<0>', 'node02', 5151, 0),
  info('ncclCommInitRankConfig comm 0x55d1c2a3b4c0 rank 0 nranks 16 cudaDev 0 nvmlDev 0 busId 18000 commId 0x6b3a9f0e2d41c7a5 - Init START'),
  info('ncclCommInitRankConfig comm 0x55d1c2a3b4d0 rank 3 nranks 16 cudaDev 3 nvmlDev 3 busId 5d000 commId 0x6b3a9f0e2d41c7a5 - Init START', 'node01', 4245, 3),
  info('ncclCommInitRankConfig comm 0x560bb0a3b4c0 rank 8 nranks 16 cudaDev 0 nvmlDev 0 busId 18000 commId 0x6b3a9f0e2d41c7a5 - Init START', 'node02', 5151, 0),
];

interface Seen {
  findings: Finding[];
  lines: string[];
}

function analyse(extra: string[]): Seen {
  const text = [...PREAMBLE, ...extra].join('\n');
  return { findings: ncclLogFindings(parseNcclLog(text)), lines: text.split('\n') };
}

/** The findings of one rule as [1-based line, severity, the line's text] plus their messages. */
function of(seen: Seen, rule: string): Array<{ line: number; severity: string; text: string; message: string }> {
  return seen.findings
    .filter((f) => f.rule === rule)
    .map((f) => ({ line: f.range.start.line + 1, severity: f.severity, text: seen.lines[f.range.start.line].slice(f.range.start.character, f.range.end.character), message: f.message }));
}

const FIRST = PREAMBLE.length + 1; // 1-based line of the first extra line

describe('nccl-log/timeout', () => {
  it('connect retries of every era, each shape once, with the ranks and the peer host', () => {
    const s = analyse([
      oldWarn('socketStartConnect: exceeded timeouts (35)', 'misc/socket.cc:484'), // 2.18 - 2.23
      oldWarn('socketStartConnect: exceeded timeouts (35)', 'misc/socket.cc:484', 'node01', 4245, 3),
      oldWarn('socketPollConnect: connect returned Connection refused, exceeded error retry count (35)', 'misc/socket.cc:617'), // 2.24 - 2.26
      warn('socketStartConnect: connect to 10.0.0.12<39457> returned Connection refused, exceeded error retry count after 35 attempts', 'os/linux.cc:288'), // 2.27+
    ]);
    const t = of(s, 'nccl-log/timeout');
    assert.deepEqual(t.map((x) => [x.line, x.severity]), [[FIRST + 1, 'error'], [FIRST + 5, 'error'], [FIRST + 7, 'error']]);
    assert.ok(t[0].text.endsWith('NCCL WARN socketStartConnect: exceeded timeouts (35)'), 'the range covers the WARN record');
    assert.match(t[0].message, /printed by rank 0 \(node01, GPU 0\) and rank 3 \(node01, GPU 3\)\): "socketStartConnect: exceeded timeouts \(35\)", 2 lines like it\..*29400-29500/);
    assert.match(t[2].message, /peer 10\.0\.0\.12<39457> \(host node02\).*NCCL_SOCKET_IFNAME/);
    assert.equal(of(s, 'nccl-log/warn').length, 0, 'incident WARNs are not repeated as plain warns');
  });

  it("PyTorch's watchdog, the c10d store and RAS timeouts", () => {
    const s = analyse([
      '[rank8]:[E1128 06:54:09.234190220 ProcessGroupNCCL.cpp:632] [Rank 8] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=42, OpType=ALLREDUCE, NumelIn=8192, NumelOut=8192, Timeout(ms)=600000) ran for 600041 milliseconds before timing out.',
      '[rank0]:[E1128 06:54:10.000000000 ProcessGroupNCCL.cpp:1484] [PG ID 0 PG GUID 0(default_pg) Rank 0] Process group watchdog thread terminated with exception: [Rank 0] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=42, OpType=ALLREDUCE) ran for 600012 milliseconds before timing out.',
      'torch.distributed.DistStoreError: Timed out after 901 seconds waiting for clients. 1/2 clients joined.',
      info('RAS keep-alive timeout error (20s) on socket connection with 10.0.0.12<34567>'),
    ]);
    const t = of(s, 'nccl-log/timeout');
    assert.deepEqual(t.map((x) => [x.line, x.severity]), [[FIRST, 'error'], [FIRST + 1, 'error'], [FIRST + 2, 'error'], [FIRST + 3, 'warning']]);
    assert.match(t[0].message, /^Collective timeout \(naming rank 8\).*rarely the cause/);
    assert.equal(t[0].text.startsWith('[E1128'), true, 'the range starts after the torchrun prefix');
    assert.match(t[2].message, /^Rendezvous timeout.*MASTER_ADDR/);
    assert.match(t[3].message, /RAS service timed out.*printed by rank 0/);
  });

  it('look-alikes stay quiet: RAS timeout warnings, NCCL_IB_TIMEOUT, HTTP timeouts in vLLM output', () => {
    const s = analyse([
      info('RAS keep-alive timeout warning (5s) on socket connection with 10.0.0.12<34567>'),
      info('NCCL_IB_TIMEOUT set by environment to 22.'),
      'INFO 11-28 06:54:09 [api_server.py:1100] Request timed out after 30s, client disconnected',
      info('socketStartConnect: connect to 10.0.0.12<39457> returned Connection refused, retrying (1/34) after sleep for 100 msec'),
    ]);
    assert.deepEqual(of(s, 'nccl-log/timeout'), []);
  });
});

describe('nccl-log/ib-error', () => {
  it('completion errors of 2.18, 2.22 and 2.28.7+ and 2.30.7 (with its function), naming HCA, status and peer host', () => {
    const s = analyse([
      oldWarn('NET/IB : Got completion from peer 10.0.0.12<43011> with error 12, opcode 0, len 0, vendor err 129 (Send) localGid ::ffff:10.0.0.11 remoteGid ::ffff:10.0.0.12', 'transport/net_ib.cc:1295', 'node01', 4245, 3),
      oldWarn('NET/IB: Got completion from peer 10.0.0.12<43011> with status=5 opcode=0 len=0 vendor err 249 (Send) hca mlx5_3', 'transport/net_ib.cc:1355', 'node01', 4245, 3),
      warn('NET/IB: Got completion from peer 10.0.0.12<43011> with status=IBV_WC_RETRY_EXC_ERR(12) opcode=IBV_WC_SEND(0) reqSize=0 vendor_err=129 req_type=Send localGid ::ffff:10.0.0.11 remoteGids::ffff:10.0.0.12 hca mlx5_3', 'transport/net_ib.cc:1100', 'node01', 4245, 3),
      warn('NET/IB: Got completion from peer 10.0.0.11<43012> with status=IBV_WC_REM_ACCESS_ERR(10) opcode=IBV_WC_RDMA_WRITE(1) vendor_err=136  hca mlx5_0', 'transport/net_ib/p2p.cc:688 (ncclIbLogCompletionWithError)', 'node02', 5151, 0),
    ]);
    const e = of(s, 'nccl-log/ib-error');
    assert.deepEqual(e.map((x) => [x.line, x.severity]), [[FIRST + 1, 'error'], [FIRST + 3, 'error'], [FIRST + 5, 'error'], [FIRST + 7, 'error']]);
    assert.match(e[0].message, /^InfiniBand\/RoCE error \(status 12, peer 10\.0\.0\.12<43011> \(host node02\)\) \(printed by rank 3 \(node01, GPU 3\)\).*retransmitting/);
    assert.match(e[1].message, /\(HCA mlx5_3, status 5,.*flushed after an earlier error/);
    assert.match(e[2].message, /\(HCA mlx5_3, IBV_WC_RETRY_EXC_ERR, peer 10\.0\.0\.12<43011> \(host node02\)\).*NCCL_IB_TIMEOUT/);
    assert.match(e[3].message, /\(HCA mlx5_0, IBV_WC_REM_ACCESS_ERR, peer 10\.0\.0\.11<43012> \(host node01\)\) \(printed by rank 8 \(node02, GPU 0\)\).*nvidia-peermem/);
  });

  it('async events and failing verbs calls', () => {
    const s = analyse([
      oldWarn('NET/IB : Got async event : port error', 'transport/net_ib.cc:100'), // 2.18
      warn('NET/IB : mlx5_3:1 async fatal event: local catastrophic error', 'transport/net_ib/common.cc:123'), // 2.23+
      warn('NET/IB : mlx5_0:1 Got non-fatal async event: port active(9)', 'transport/net_ib/common.cc:179'),
      warn('Call to ibv_reg_mr failed with error Cannot allocate memory errno 12', 'misc/ibvwrap.cc:68'),
      warn('Call to ibv_modify_qp failed with 110 Connection timed out, Connecting to peer failed', 'misc/ibvwrap.cc:376'),
      warn('ibv_post_send() failed with error Cannot allocate memory, Bad WR 0x7f00, First WR 0x7f00', 'include/ibvwrap.h:80'),
    ]);
    const e = of(s, 'nccl-log/ib-error');
    assert.deepEqual(e.map((x) => x.severity), ['error', 'error', 'warning', 'error', 'error', 'error']);
    assert.match(e[1].message, /HCA mlx5_3, local catastrophic error.*ibstat/);
    assert.match(e[3].message, /locked-memory limit/);
    assert.match(e[4].message, /NCCL_IB_GID_INDEX/, 'modify_qp timed out is an IB error, not a socket timeout');
    assert.deepEqual(of(s, 'nccl-log/timeout'), []);
  });

  it('missing rdma-core symbols stay mlx5-symbols-missing, also as the WARN of NCCL <= 2.27.3', () => {
    const s = analyse([oldWarn('dlvsym failed on ibv_reg_dmabuf_mr - /usr/lib/libibverbs.so.1: undefined symbol, version IBVERBS_1.12', 'misc/ibvsymbols.cc:40'), info('NET/IB : Using [0]mlx5_0:1/IB ; OOB eth0:10.0.0.11<0>')]);
    assert.deepEqual(of(s, 'nccl-log/ib-error'), []);
    assert.equal(of(s, 'nccl-log/mlx5-symbols-missing').length, 1);
  });
});

describe('nccl-log/duplicate-gpu', () => {
  it("NCCL's own WARN (<= 2.29) names both ranks", () => {
    const s = analyse([warn('Duplicate GPU detected : rank 3 and rank 0 both on CUDA device 18000', 'init.cc:862', 'node01', 4245, 3)]);
    const d = of(s, 'nccl-log/duplicate-gpu');
    assert.deepEqual(d.map((x) => [x.line, x.severity]), [[FIRST + 1, 'error']]);
    assert.match(d[0].message, /printed by rank 3 \(node01, GPU 3\), naming ranks 0 and 3\).*tensor-parallel × pipeline-parallel/);
  });

  it('two Init lines of one communicator on the same host and bus id (2.30 no longer refuses)', () => {
    const s = analyse([info('ncclCommInitRankConfig comm 0x55d1c2a3b4e0 rank 1 nranks 16 cudaDev 0 nvmlDev 0 busId 18000 commId 0x6b3a9f0e2d41c7a5 - Init START', 'node01', 4246, 0)]);
    const d = of(s, 'nccl-log/duplicate-gpu');
    assert.deepEqual(d.map((x) => [x.line, x.severity]), [[FIRST, 'error']]);
    assert.match(d[0].message, /^ranks 0 and 1 of communicator 0x6b3a9f0e2d41c7a5 all use GPU 18000 on node01 \(processes node01:4242 and node01:4246\)/);
  });

  it('2.30.3 INFO "allowed" is a warning; the same bus id on two hosts is not a duplicate', () => {
    const s = analyse([info('Multiple ranks on the same GPU detected and allowed. Disabling NVLS.')]);
    assert.deepEqual(of(s, 'nccl-log/duplicate-gpu').map((x) => [x.line, x.severity]), [[FIRST, 'warning']]);
    assert.deepEqual(of(analyse([]), 'nccl-log/duplicate-gpu'), [], 'ranks 0 and 8 share bus id 18000 on different hosts');
  });
});

describe('nccl-log/socket-speed-default', () => {
  it('one finding per interface shape (2.18+ path form and 2.30.3 interface form), info', () => {
    const s = analyse([
      info('Could not get speed from /sys/class/net/eth0/speed. Defaulting to 10 Gbps.'),
      info('Could not get speed from /sys/class/net/eth0/speed. Defaulting to 10 Gbps.', 'node02', 5151, 0),
      info('Could not get speed for interface net1. Defaulting to 10 Gbps.', 'node01', 4245, 3),
    ]);
    const f = of(s, 'nccl-log/socket-speed-default');
    assert.deepEqual(f.map((x) => [x.line, x.severity]), [[FIRST, 'info'], [FIRST + 2, 'info']]);
    assert.match(f[0].message, /interface eth0 and assumes 10 Gbps \(printed by rank 0 \(node01, GPU 0\) and rank 8 \(node02, GPU 0\)\), 2 lines like it.*harmless here/);
    assert.match(f[1].message, /interface net1 .*rank 3 \(node01, GPU 3\)/);
  });
});

describe('nccl-log/nvls-unavailable', () => {
  const nvswitch = [info('=== System : maxBw 720.0 totalBw 720.0 ==='), info('CPU/0-0 (1/1/4)'), info('+ PCI[48.0] - GPU/0-18000 (0)'), info('              + NVL[720.0] - NVS/0-0'), info('==========================================')];

  it('"not available" is a warning on an NVSwitch system, info elsewhere (2.18 and 2.27-2.29 shapes)', () => {
    const withSwitch = of(analyse([...nvswitch, info('NVLS multicast support is not available on dev 0')]), 'nccl-log/nvls-unavailable');
    assert.deepEqual(withSwitch.map((x) => [x.line, x.severity]), [[FIRST + 5, 'warning']]);
    assert.match(withSwitch[0].message, /on CUDA device 0 \(rank 0 \(node01, GPU 0\)\).*topology shows an NVSwitch.*nvidia-fabricmanager/);
    const plain = of(analyse([info('NVLS multicast support is not available on dev 0 (NVLS_NCHANNELS 16)'), info('NVLS multicast support is not available on dev 3 (NVLS_NCHANNELS 16)', 'node01', 4245, 3)]), 'nccl-log/nvls-unavailable');
    assert.deepEqual(plain.map((x) => [x.line, x.severity]), [[FIRST, 'info']]);
    assert.match(plain[0].message, /CUDA devices 0 and 3 \(rank 0 \(node01, GPU 0\) and rank 3 \(node01, GPU 3\)\).*nothing to do/);
    assert.deepEqual(of(analyse([info('NVLS multicast support is available on dev 0')]), 'nccl-log/nvls-unavailable'), []);
  });

  it('binding multicast memory fails (2.27+ WARN, its continuation lines have no prefix)', () => {
    const s = analyse([
      warn("Failed to bind NVLink SHARP (NVLS) Multicast memory of size 1073741824 : CUDA error 1 'invalid argument'.", 'transport/nvls.cc:120'),
      'This is usually caused by a system or configuration error in the Fabric Manager or NVSwitches.',
    ]);
    assert.deepEqual(of(s, 'nccl-log/nvls-unavailable').map((x) => [x.line, x.severity]), [[FIRST + 1, 'warning']]);
  });
});

describe('nccl-log/collnet-failure', () => {
  it('the WARNs, and the notices only when NCCL_COLLNET_ENABLE asks for CollNet', () => {
    const threshold = info('Communicator has 1 nodes which is less than CollNet node threshold 2, disabling CollNet');
    const s = analyse([info('NCCL_COLLNET_ENABLE set by environment to 1.'), warn('Cannot initialize CollNet, using point-to-point network instead', 'transport.cc:300'), threshold]);
    assert.deepEqual(of(s, 'nccl-log/collnet-failure').map((x) => [x.line, x.severity]), [[FIRST + 2, 'warning'], [FIRST + 3, 'info']]);
    assert.match(of(s, 'nccl-log/collnet-failure')[0].message, /point-to-point network.*nccl-rdma-sharp-plugins/);
    assert.deepEqual(of(analyse([threshold]), 'nccl-log/collnet-failure'), [], 'CollNet was not asked for');
    const old = analyse([oldWarn('CollNet is not supported or fails to initialize, ignoring NCCL_ALGO=COLLNET', 'graph/tuning.cc:250')]);
    assert.equal(of(old, 'nccl-log/collnet-failure').length, 1);
  });
});

describe('nccl-log/connection-closed', () => {
  it('closed, reset (2.18-2.23, 2.24-2.28, 2.29+ wording) and broken pipe, naming the peer host', () => {
    const s = analyse([
      warn('socketProgress: Connection closed by remote peer 10.0.0.12<43011>', 'misc/socket.cc:58'),
      oldWarn('socketProgressOpt: Call to recv from 10.0.0.12<43011> failed : Connection reset by peer', 'misc/socket.cc:60', 'node01', 4245, 3),
      warn('ncclOsSocketProgressOpt: Call to send 10.0.0.11<51000> failed : Broken pipe', 'os/linux.cc:362', 'node02', 5151, 0),
    ]);
    const c = of(s, 'nccl-log/connection-closed');
    assert.deepEqual(c.map((x) => [x.line, x.severity]), [[FIRST + 1, 'error'], [FIRST + 3, 'error'], [FIRST + 5, 'error']]);
    assert.match(c[0].message, /^Connection lost to 10\.0\.0\.12<43011> \(host node02\) \(printed by rank 0 \(node01, GPU 0\)\).*first error of the peer rank/);
    assert.match(c[2].message, /to 10\.0\.0\.11<51000> \(host node01\) \(printed by rank 8 \(node02, GPU 0\)\)/);
  });

  it("a proxy thread's normal `Connection closed by localRank` is not a finding", () => {
    assert.deepEqual(of(analyse([info('[Service thread] Connection closed by localRank 0')]), 'nccl-log/connection-closed'), []);
  });
});

describe('nccl-log/version-mismatch', () => {
  it("NCCL's own WARN (2.23+), with the version codes decoded", () => {
    const v = of(analyse([warn('Mismatched NCCL version detected : rank 0 version 22809 rank 8 version 22105', 'init.cc:1043')]), 'nccl-log/version-mismatch');
    assert.deepEqual(v.map((x) => [x.line, x.severity]), [[FIRST + 1, 'error']]);
    assert.match(v[0].message, /naming ranks 0 and 8\).*\(rank 0 runs NCCL 2\.28\.9, rank 8 runs 2\.21\.5\).*pinned image/);
  });

  it('banners of two versions in one communicator: error on the first line of the second version', () => {
    const v = of(analyse([info('NCCL version 2.28.9+cuda12.9'), info('NCCL version 2.28.9+cuda12.9', 'node01', 4245, 3), info('NCCL version 2.21.5+cuda12.4', 'node02', 5151, 0)]), 'nccl-log/version-mismatch');
    assert.deepEqual(v.map((x) => [x.line, x.severity]), [[FIRST + 2, 'error']]);
    assert.match(v[0].message, /2\.28\.9 \(rank 0 \(node01, GPU 0\) and rank 3 \(node01, GPU 3\) on node01\) and 2\.21\.5 \(rank 8 \(node02, GPU 0\) on node02\), within one communicator/);
  });

  it('two separate runs with different versions in one file: a warning', () => {
    const text = [info('NCCL version 2.21.5+cuda12.4', 'a', 1), info('NCCL version 2.28.9+cuda12.9', 'b', 2)].join('\n');
    assert.deepEqual(ncclLogFindings(parseNcclLog(text)).filter((f) => f.rule === 'nccl-log/version-mismatch').map((f) => f.severity), ['warning']);
  });
});

describe('classification of incident lines', () => {
  it('only WARNs, a few INFO starts and distinctive pasted texts become incidents', () => {
    const kind = (line: string) => {
      const r = classifyLine(line).record;
      return r.kind === 'incident' ? r.incident : r.kind;
    };
    assert.equal(kind(info('Could not get speed from /sys/class/net/eth0/speed. Defaulting to 10 Gbps.')), 'socket-speed-default');
    assert.equal(kind('Could not get speed from /sys/class/net/eth0/speed. Defaulting to 10 Gbps.'), 'socket-speed-default', 'pasted without prefix');
    assert.equal(kind('NET/IB: Got completion from peer 10.0.0.12<43011> with status=IBV_WC_RETRY_EXC_ERR(12) opcode=IBV_WC_SEND(0) vendor_err=129 hca mlx5_3'), 'ib-error');
    assert.equal(kind(info('socketProgress: Connection closed by remote peer 10.0.0.12<43011>')), 'other', 'the same text at INFO level is not one');
    assert.equal(kind('The connection timed out, retrying'), 'text');
    const peer = classifyLine(warn('socketProgress: Connection closed by remote peer 10.0.0.12<43011>').trimStart()).record;
    assert.deepEqual(peer, { kind: 'incident', incident: 'connection-closed', peer: '10.0.0.12<43011>' });
  });
});
