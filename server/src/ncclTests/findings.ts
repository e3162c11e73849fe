/**
 * Diagnoses nccl-tests results: corrupted data, bandwidth far below what the GPUs' link carries
 * (with the likely cause, from NCCL log lines in the same file when there are any), runs that
 * stopped before the large-message plateau, and tests that failed. Rule ids are `nccl-tests/...`.
 */
import type { RuleInfo } from '../analysis/rules';
// One record, one range: the same Finding shape as the NCCL log reader's (their SourceRefs agree).
import { finding } from '../ncclLog/findingBase';
import type { Finding } from '../protocol/findings';
import { expectedLink, type GpuLink } from './gpuLinks';
import type { NcclHints, NcclTestsModel, NcclTestsRun, SourceRef } from './model';
import { curves, formatBytes, largestSize, peakBusBandwidth, resultOf, runName, type Peak } from './series';

export const NCCL_TESTS_RULES: readonly RuleInfo[] = [
  { id: 'nccl-tests/data-corruption', severity: 'error', summary: 'A result row has #wrong > 0 or the out-of-bounds check failed: NCCL delivered wrong data.' },
  { id: 'nccl-tests/low-bandwidth', severity: 'warning', summary: "Peak bus bandwidth is far below what the GPUs' link (or the network) carries." },
  { id: 'nccl-tests/plateau-not-reached', severity: 'info', summary: 'Bus bandwidth still rises at the largest message size: the run stopped too early.' },
  { id: 'nccl-tests/test-failure', severity: 'error', summary: 'nccl-tests reported a CUDA/NCCL failure or a timeout.' },
  { id: 'nccl-tests/separate-processes', severity: 'warning', summary: 'The same rank is listed by several processes: each ran its own test instead of one job across them (nccl-tests built without MPI).' },
];

/** Messages at least this large are needed before a peak says anything about the link. */
export const MIN_JUDGED_BYTES = 32 * 1024 * 1024;
/** A peak below this fraction of the link's bandwidth is "far below". */
export const LOW_FRACTION = 0.25;
/** Below this (GB/s), a single-node peak looks like TCP sockets rather than host-memory copies. */
const SOCKET_CLASS_GBPS = 8;
/** Multi-node runs slower than this (GB/s) run at TCP rates, not RDMA. */
const MULTI_NODE_FLOOR_GBPS = 5;
/** Growth per doubling of the message size that still counts as "rising". */
const RISING_PER_DOUBLING = 1.08;

const gb = (n: number) => `${Math.round(n * 100) / 100} GB/s`;

const where = (ref: SourceRef) => `line ${ref.line + 1}`;

function dataCorruption(run: NcclTestsRun): Finding[] {
  const bad = run.rows.filter((r) => (r.outOfPlace?.wrong ?? 0) > 0 || (r.inPlace?.wrong ?? 0) > 0);
  const oobFailed = run.outOfBounds && (!run.outOfBounds.ok || run.outOfBounds.count > 0) ? run.outOfBounds : undefined;
  const advice =
    'Wrong results point at hardware or firmware (GPU memory, NVLink/PCIe, NIC or cable), not at tuning: check `nvidia-smi -q -d ECC,ROW_REMAPPER`, `dmesg` for Xid errors, and rerun on pairs of GPUs/nodes to isolate the faulty one.';
  if (bad.length > 0) {
    const total = bad.reduce((s, r) => s + (r.outOfPlace?.wrong ?? 0) + (r.inPlace?.wrong ?? 0), 0);
    const sizes = bad.slice(0, 4).map((r) => formatBytes(r.size)).join(', ') + (bad.length > 4 ? ', ...' : '');
    const oob = oobFailed ? ` The footer reports ${oobFailed.count} out-of-bounds value(s).` : '';
    return [finding('nccl-tests/data-corruption', 'error',
      `${runName(run)}: ${bad.length} result row(s) report wrong elements (${total} in total, at ${sizes}): NCCL delivered corrupted data.${oob} ${advice}`,
      bad[0].ref)];
  }
  if (oobFailed) {
    return [finding('nccl-tests/data-corruption', 'error',
      `${runName(run)}: the result check failed (Out of bounds values: ${oobFailed.count} ${oobFailed.ok ? 'OK' : 'FAILED'}): NCCL delivered data outside the expected tolerance. ${advice}`,
      oobFailed.ref)];
  }
  const report = run.wrongReports.find((w) => w.wrong > 0);
  if (report) {
    return [finding('nccl-tests/data-corruption', 'error', `${runName(run)}: rank ${report.rank} received ${report.wrong} wrong element(s). ${advice}`, report.ref)];
  }
  return [];
}

const truthy = (v: string | undefined) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';

interface Evidence {
  /** NCCL lines show a transport slower than the hardware allows. */
  slow: boolean;
  causes: string[];
  /** Channels used P2P and nothing slower. */
  p2pOnly: boolean;
}

function evidence(h: NcclHints, multiNode: boolean): Evidence {
  const causes: string[] = [];
  let slow = false;
  const env = (name: string) => h.env.find((e) => e.name === name);
  const p2pOff = env('NCCL_P2P_DISABLE');
  const shmOff = env('NCCL_SHM_DISABLE');
  const ibOff = env('NCCL_IB_DISABLE');
  const level = env('NCCL_P2P_LEVEL');
  if (p2pOff && truthy(p2pOff.value)) {
    causes.push(`NCCL_P2P_DISABLE=${p2pOff.value} is set (${where(p2pOff.ref)})`);
    if (!multiNode) slow = true;
  }
  if (shmOff && truthy(shmOff.value)) causes.push(`NCCL_SHM_DISABLE=${shmOff.value} is set (${where(shmOff.ref)})`);
  if (level && ['LOC', '0'].includes(level.value.toUpperCase())) {
    causes.push(`NCCL_P2P_LEVEL=${level.value} allows no P2P between GPUs (${where(level.ref)})`);
    if (!multiNode) slow = true;
  }
  if (ibOff && truthy(ibOff.value) && multiNode) {
    causes.push(`NCCL_IB_DISABLE=${ibOff.value} is set (${where(ibOff.ref)})`);
    slow = true;
  }
  const socket = h.transports.find((t) => t.kind === 'NET/Socket');
  const shm = h.transports.find((t) => t.kind === 'SHM');
  const p2p = h.transports.find((t) => t.kind === 'P2P');
  const ib = h.transports.some((t) => t.kind === 'NET/IB');
  if (socket) {
    causes.push(`channels run over NET/Socket, i.e. TCP (${where(socket.ref)})`);
    slow = true;
  }
  if (shm && !multiNode) {
    causes.push(`channels go through host memory (SHM) instead of P2P (${where(shm.ref)})`);
    slow = true;
  }
  if (multiNode && !socket && !ib && h.network?.name.toLowerCase() === 'socket') {
    causes.push(`NCCL chose the Socket network (${where(h.network.ref)}): inter-node traffic is TCP`);
    slow = true;
  }
  for (const p of h.p2pDisabled.slice(0, 1)) causes.push(`${p.text.replace(/\.$/, '')} (${where(p.ref)})`);
  return { slow, causes, p2pOnly: !!p2p && !socket && !shm };
}

function lowBandwidth(run: NcclTestsRun): Finding[] {
  const peak = peakBusBandwidth(run);
  if (!peak) return [];
  const hosts = new Set(run.ranks.map((r) => r.host));
  if (hosts.size === 0) for (const h of run.nccl.hosts) hosts.add(h);
  const multiNode = hosts.size > 1 || (run.nccl.nNodes ?? 1) > 1;
  const gpu = run.ranks.find((r) => r.gpu)?.gpu;
  const link = multiNode ? undefined : expectedLink(gpu);
  const ev = evidence(run.nccl, multiNode);
  const big = largestSize(run) >= MIN_JUDGED_BYTES;
  const at = `${gb(peak.busbw)} at ${formatBytes(peak.row.size)} (${peak.placement})`;
  const name = runName(run);
  const debug = 'Rerun with NCCL_DEBUG=INFO NCCL_DEBUG_SUBSYS=INIT,GRAPH,NET to see the transport NCCL picks.';

  let message: string | undefined;
  if (!multiNode && link && big && peak.busbw < LOW_FRACTION * link.gbps) {
    const pct = Math.round((100 * peak.busbw) / link.gbps);
    message = `${name}: peak bus bandwidth ${at} is ${pct}% of the ~${link.gbps} GB/s per direction that ${gpu}'s ${link.link} carries. ${cause(peak, link, ev, debug)}`;
  } else if (!multiNode && !link && ev.slow) {
    message = `${name}: peak bus bandwidth is ${at}, limited by the transport NCCL used: ${ev.causes.join('; ')}. Between GPUs of one node NCCL should use P2P (NVLink or PCIe).`;
  } else if (multiNode && ev.slow) {
    message = `${name}: peak bus bandwidth is ${at} across ${hosts.size > 1 ? `${hosts.size} hosts` : 'nodes'}, and ${ev.causes.join('; ')}. Inter-node traffic should use RDMA (NET/IB): check the RDMA device resource and secondary network of the pods, and set NCCL_NET=IB so a missing RDMA device fails loudly.`;
  } else if (multiNode && big && peak.busbw < MULTI_NODE_FLOOR_GBPS) {
    message = `${name}: peak bus bandwidth ${at} across ${hosts.size} hosts is at TCP rates; one 200-400 Gb/s RDMA NIC per GPU gives roughly 20-45 GB/s. NCCL probably fell back to NET/Socket. ${debug}`;
  } else if (run.avgBusBandwidth?.check === 'FAILED') {
    message = `${name}: the average bus bandwidth ${gb(run.avgBusBandwidth.value)} is below 90% of the minimum set with NCCL_TESTS_MIN_BW (the test reports FAILED).${ev.causes.length ? ` ${ev.causes.join('; ')}.` : ''}`;
    return [finding('nccl-tests/low-bandwidth', 'warning', message, run.avgBusBandwidth.ref)];
  }
  return message ? [finding('nccl-tests/low-bandwidth', 'warning', message, peak.row.ref)] : [];
}

function cause(peak: Peak, link: GpuLink, ev: Evidence, debug: string): string {
  if (ev.causes.length > 0) return `Likely cause: ${ev.causes.join('; ')}.`;
  if (ev.p2pOnly) {
    return 'NCCL used P2P, so the link itself underperforms: check `nvidia-smi nvlink --status` / `nvidia-smi topo -m`, GPU clocks and other jobs on the GPUs.';
  }
  if (peak.busbw < SOCKET_CLASS_GBPS) {
    return `This rate is typical of TCP sockets (NET/Socket): NCCL found neither P2P nor shared memory between the GPUs, e.g. NCCL_P2P_DISABLE=1 with NCCL_SHM_DISABLE=1, or GPUs in separate containers without a shared /dev/shm. ${debug}`;
  }
  return link.nvlink
    ? `This rate is typical of copies staged through host memory (SHM): P2P over NVLink is not in use, e.g. NCCL_P2P_DISABLE=1, NCCL_P2P_LEVEL, or a container that cannot use CUDA IPC between the GPUs. ${debug}`
    : `P2P over PCIe seems unavailable (NCCL_P2P_DISABLE, NCCL_P2P_LEVEL, ACS/IOMMU settings or a virtualised PCIe topology). ${debug}`;
}

function plateauNotReached(run: NcclTestsRun): Finding[] {
  const curve = curves(run)[0];
  if (!curve) return [];
  const placement = curve.rows.some((r) => r.outOfPlace) ? 'out-of-place' : 'in-place';
  const pts = curve.rows.flatMap((row) => {
    const r = resultOf(row, placement);
    return r && row.size > 0 ? [{ row, busbw: r.busbw }] : [];
  });
  if (pts.length < 3) return [];
  const [p2, p1, last] = pts.slice(-3);
  if (!(last.row.size > p1.row.size && p1.row.size > p2.row.size) || p1.busbw <= 0 || last.busbw <= 0) return [];
  const doublings = Math.log2(last.row.size / p1.row.size);
  const perDoubling = Math.pow(last.busbw / p1.busbw, 1 / doublings);
  if (!(perDoubling > RISING_PER_DOUBLING && p1.busbw > p2.busbw)) return [];
  const pct = Math.round((100 * (last.busbw - p1.busbw)) / p1.busbw);
  return [finding('nccl-tests/plateau-not-reached', 'info',
    `${runName(run)}: bus bandwidth still rises at the largest message size (${gb(last.busbw)} at ${formatBytes(last.row.size)}, +${pct}% over ${formatBytes(p1.row.size)}). ` +
      'The run ended before the large-message plateau, so its peak understates what the link carries. Rerun with a larger maximum size (-e 1G or more; -e 8G for multi-node runs).',
    last.row.ref)];
}

function testFailure(run: NcclTestsRun): Finding[] {
  const first = run.failures[0];
  if (!first) return [];
  const more = run.failures.length > 1 ? ` (and ${run.failures.length - 1} more failure line(s))` : '';
  const hint = run.nccl.warns[0] ? ` NCCL warned: ${run.nccl.warns[0].text}` : ' Rerun with NCCL_DEBUG=WARN (or INFO) to see why.';
  return [finding('nccl-tests/test-failure', 'error', `${runName(run)} failed: ${first.text}${more}.${hint}`, first.ref)];
}

/**
 * `# Rank 0 ... Pid 1320 on node-a` and `# Rank 0 ... Pid 2066 on node-b` in one run: mpirun
 * started binaries built without MPI=1, so every process is rank 0 of its own job and measures
 * only its own GPUs (and their device tables interleave into one).
 */
function separateProcesses(run: NcclTestsRun): Finding[] {
  const byRank = new Map<number, NcclTestsRun['ranks']>();
  for (const r of run.ranks) byRank.set(r.rank, [...(byRank.get(r.rank) ?? []), r]);
  for (const [rank, entries] of byRank) {
    const procs = new Set(entries.map((e) => `${e.host}:${e.pid}`));
    if (procs.size < 2) continue;
    const list = [...procs].slice(0, 4).join(', ') + (procs.size > 4 ? ', ...' : '');
    const hosts = new Set(entries.map((e) => e.host)).size;
    return [finding('nccl-tests/separate-processes', 'warning',
      `${runName(run)}: rank ${rank} is listed by ${procs.size} processes (${list}): each process ran its own nccl-tests job, so the results measure ` +
        `${hosts > 1 ? 'each host\'s GPUs alone, not the network between the hosts' : 'each process\'s GPUs alone'}. Build nccl-tests with \`make MPI=1\` ` +
        '(MPI_HOME pointing at the MPI that mpirun belongs to) and launch it with mpirun/srun, one process per GPU (-g 1).',
      entries[1].ref)];
  }
  return [];
}

/** All findings for a parsed file, in line order. */
export function ncclTestsFindings(model: NcclTestsModel): Finding[] {
  const all: Finding[] = [];
  for (const run of model.runs) {
    all.push(...dataCorruption(run), ...lowBandwidth(run), ...plateauNotReached(run), ...testFailure(run), ...separateProcesses(run));
  }
  return all.sort((a, b) => a.range.start.line - b.range.start.line || a.rule.localeCompare(b.rule));
}
