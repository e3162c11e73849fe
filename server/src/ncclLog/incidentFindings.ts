/**
 * Findings for problems single lines report (incidents.ts) and for two the model reveals by
 * comparison: two ranks on one GPU, and processes that print different NCCL versions. One finding
 * per kind and text shape, on the first line of that shape, naming the ranks concerned.
 */
import type { Finding, Severity } from '../protocol/findings';
import { finding } from './findingBase';
import type { NcclIncident, NcclIncidentKind, NcclLogModel, NcclRank, SourceRef } from './model';
import { classifyPairs } from './pairs';
import { listOf, RankIndex, ranksText } from './rankIndex';
import { hintFor } from './warnHints';

const MAX_PER_KIND = 20;

const truthy = (v: string | undefined) => v !== undefined && v !== '0' && v.toLowerCase() !== 'false';
const envValue = (model: NcclLogModel, name: string) => model.env.find((e) => e.name === name)?.value;
const quote = (text: string) => `"${text.length > 200 ? `${text.slice(0, 200)}…` : text}"`;

interface Context {
  model: NcclLogModel;
  ranks: RankIndex;
  /** IP address -> host, from the `Bootstrap: Using if:ip<port>` lines. */
  hostOfIp: Map<string, string>;
  socketTraffic: boolean;
  nvswitch: boolean;
}

function who(ctx: Context, incident: NcclIncident): string {
  const parts: string[] = [];
  if (incident.sources.length > 0) parts.push(`printed by ${ctx.ranks.describe(incident.sources)}`);
  if (incident.ranks.length > 0) parts.push(`naming ${ranksText(incident.ranks)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function seen(incident: NcclIncident): string {
  return incident.count > 1 ? `, ${incident.count} lines like it` : '';
}

function peerText(ctx: Context, peer: string | undefined): string {
  if (!peer) return '';
  const host = ctx.hostOfIp.get(peer.replace(/<\d{1,5}>$/, ''));
  return host ? `${peer} (host ${host})` : peer;
}

function timeout(ctx: Context, i: NcclIncident): { severity: Severity; text: string } {
  const t = i.text;
  if (i.level === 'APP' && /DistStoreError|Socket Timeout/.test(t)) {
    return { severity: 'error', text: `Rendezvous timeout${who(ctx, i)}: ${quote(t)}${seen(i)}. The workers could not meet at the c10d store (MASTER_ADDR:MASTER_PORT) in time: a worker never started, or cannot reach the leader pod over the network. Check that every worker pod is running and that a Service / NetworkPolicy / firewall lets the workers reach the leader's port.` };
  }
  if (i.level === 'APP') {
    return { severity: 'error', text: `Collective timeout${who(ctx, i)}: ${quote(t)}${seen(i)}. A collective did not finish within the process group's timeout, so PyTorch's NCCL watchdog gave up: some rank stopped taking part (it crashed, hangs, or cannot reach its peers). The rank that times out is rarely the cause; look for the first error on the other ranks. Between nodes the usual cause is a firewall or NetworkPolicy blocking NCCL's ports (open 29400-29500 between worker nodes); raising the timeout only delays the failure.` };
  }
  if (t.startsWith('RAS ')) {
    return { severity: 'warning', text: `NCCL's RAS service timed out talking to a peer${who(ctx, i)}: ${quote(t)}${seen(i)}. The peer process died or hangs, or the network between the two failed; look for errors on that peer.` };
  }
  return { severity: 'error', text: `Connection timeout${who(ctx, i)}: ${quote(t)}${seen(i)}. NCCL could not open a TCP connection to a peer${i.peer ? ` ${peerText(ctx, i.peer)}` : ''} within its retries (bootstrap or NET/Socket). A firewall or NetworkPolicy blocks NCCL's ports (open 29400-29500 between worker nodes), or NCCL_SOCKET_IFNAME picks an interface the peer cannot route to (use the Multus interface, e.g. net1, on both sides).` };
}

function ibAdvice(i: NcclIncident): string {
  const t = `${i.status ?? ''} ${i.text}`;
  if (/RETRY_EXC|status 12\b/.test(t)) return 'The InfiniBand/RoCE transport gave up retransmitting to the peer: packets were lost (link or switch trouble, RoCE without a lossless PFC/ECN setup, a wrong NCCL_IB_GID_INDEX) or the peer process died. Check the port counters and link state of both NICs and, for RoCE, the GID index and lossless configuration; NCCL_IB_TIMEOUT / NCCL_IB_RETRY_CNT only mask it.';
  if (/WR_FLUSH|status 5\b/.test(t)) return 'The queue pair was flushed after an earlier error; the first IB error of this job is the one to fix.';
  if (/ACCESS_ERR|PROT_ERR|REM_INV|status (?:4|10|11)\b/.test(t)) return 'The NIC could not access a registered buffer: GPU Direct RDMA memory registration is broken (nvidia-peermem or DMA-BUF) or the peer freed its buffers. Check that nvidia-peermem is loaded on the node; NCCL_NET_GDR_LEVEL=LOC disables GDR to confirm.';
  if (/async|event/i.test(t)) return 'The HCA reported an asynchronous event (port down, QP or CQ error): check the link state of that NIC (ibstat / ibv_devinfo) and its switch port on the node.';
  if (/ibv_reg_mr|Cannot allocate memory|ENOMEM/.test(t)) return 'Memory registration failed: raise the container\'s locked-memory limit (ulimit -l unlimited / memlock) or the HCA ran out of resources.';
  if (/modify_qp/.test(t)) return 'Connecting a queue pair failed: with RoCE usually a wrong NCCL_IB_GID_INDEX (pick the RoCE v2 GID) or NICs on different subnets; with several rails check NCCL_CROSS_NIC.';
  return hintFor(i.text) ?? 'An InfiniBand / RoCE verbs operation failed: check the NIC state on that node (ibstat, ibv_devinfo) and the RDMA device plugin resource (openshift.io/mellanoxnics) of the pod.';
}

function ibError(ctx: Context, i: NcclIncident): { severity: Severity; text: string } {
  const what = [i.device ? `HCA ${i.device}` : '', i.status ?? '', i.peer ? `peer ${peerText(ctx, i.peer)}` : ''].filter((x) => x).join(', ');
  return { severity: /non-fatal/.test(i.text) ? 'warning' : 'error', text: `InfiniBand/RoCE error${what ? ` (${what})` : ''}${who(ctx, i)}: ${quote(i.text)}${seen(i)}. ${ibAdvice(i)}` };
}

function duplicate(ctx: Context, i: NcclIncident): { severity: Severity; text: string } {
  const allowed = i.level === 'INFO';
  return {
    severity: allowed ? 'warning' : 'error',
    text: `Two ranks share one GPU${who(ctx, i)}: ${quote(i.text)}${seen(i)}. ${allowed ? 'NCCL 2.30 allows it but disables NVLS and the ranks compete for the GPU.' : 'NCCL refuses this (ncclInvalidUsage).'} ${DUPLICATE_FIX}`,
  };
}

const DUPLICATE_FIX =
  'Every rank needs its own GPU: make tensor-parallel × pipeline-parallel size match the GPUs each worker requests (Run:ai -g), do not set CUDA_VISIBLE_DEVICES by hand to the same value for several workers, and let Ray place one worker per GPU.';

function socketSpeed(ctx: Context, i: NcclIncident): { severity: Severity; text: string } {
  const ifaces = i.devices.length > 0 ? i.devices : i.device ? [i.device] : [];
  const context = ctx.socketTraffic
    ? 'NET/Socket carries GPU traffic in this log, so NCCL sizes its socket channels with that guess: a faster link is under-used, a slower one oversubscribed.'
    : 'NET/Socket carries no GPU traffic in this log, so the guess is harmless here.';
  return {
    severity: 'info',
    text: `NCCL could not read the link speed of ${ifaces.length ? `interface ${listOf(ifaces)}` : 'a socket interface'} and assumes 10 Gbps${who(ctx, i)}${seen(i)}. Virtual interfaces in pods and VMs (veth, virtio, macvlan, lo) report no speed in /sys/class/net/<if>/speed. ${context} For inter-node traffic use RDMA (NET/IB); if sockets are intended, point NCCL_SOCKET_IFNAME at an interface that reports its speed.`,
  };
}

function nvls(ctx: Context, i: NcclIncident): { severity: Severity; text: string } {
  return { severity: 'warning', text: `NVLS (NVLink SHARP) failed${who(ctx, i)}: ${quote(i.text)}${seen(i)}. ${NVLS_FIX}` };
}

const NVLS_FIX =
  'NVLS needs NVSwitch multicast: nvidia-fabricmanager running on the node, a driver and CUDA of 12.1 or newer, and a container allowed to create multicast objects. NCCL continues with ring/tree algorithms (lower AllReduce bandwidth); set NCCL_NVLS_ENABLE=0 to stop it trying.';

function collnet(ctx: Context, i: NcclIncident): { severity: Severity; text: string } | undefined {
  const requested = truthy(envValue(ctx.model, 'NCCL_COLLNET_ENABLE'));
  const notice = i.level !== 'WARN';
  if (notice && !requested && !i.text.includes('COLLNET failed to register')) return undefined;
  return {
    severity: notice ? 'info' : 'warning',
    text: `CollNet (in-network reduction such as SHARP) is not used${who(ctx, i)}: ${quote(i.text)}${seen(i)}. NCCL falls back to its point-to-point network; results are correct but inter-node collectives are slower. Check that the CollNet plugin (nccl-rdma-sharp-plugins / HPC-X) is in the image and the SHARP aggregation manager is reachable, or leave NCCL_COLLNET_ENABLE unset.`,
  };
}

function closed(ctx: Context, i: NcclIncident): { severity: Severity; text: string } {
  return {
    severity: 'error',
    text: `Connection lost${i.peer ? ` to ${peerText(ctx, i.peer)}` : ''}${who(ctx, i)}: ${quote(i.text)}${seen(i)}. The peer process usually died (crash, OOM kill, pod eviction or preemption) or the network between the nodes dropped. This is a consequence: find the first error of the peer rank, and check the peer pod's events.`,
  };
}

/** NCCL_VERSION_CODE (2.9+): major * 10000 + minor * 100 + patch. */
const versionOf = (code: string) => `${Math.floor(Number(code) / 10000)}.${Math.floor(Number(code) / 100) % 100}.${Number(code) % 100}`;

function versionWarn(ctx: Context, i: NcclIncident): { severity: Severity; text: string } {
  const m = /rank (\d{1,9}) version (\d{5,6}) rank (\d{1,9}) version (\d{5,6})/.exec(i.text);
  const decoded = m ? ` (rank ${m[1]} runs NCCL ${versionOf(m[2])}, rank ${m[3]} runs ${versionOf(m[4])})` : '';
  return { severity: 'error', text: `NCCL versions do not match${who(ctx, i)}: ${quote(i.text)}${decoded}${seen(i)}. ${VERSION_FIX}` };
}

const VERSION_FIX =
  'Every rank must run the same NCCL build: run all workers from one pinned image, and do not mix a pip nvidia-nccl package with the image\'s libnccl (LD_LIBRARY_PATH, VLLM_NCCL_SO_PATH).';

const BUILDERS: Record<NcclIncidentKind, (ctx: Context, i: NcclIncident) => { severity: Severity; text: string } | undefined> = {
  timeout,
  'ib-error': ibError,
  'duplicate-gpu': duplicate,
  'socket-speed-default': socketSpeed,
  'nvls-unavailable': nvls,
  'collnet-failure': collnet,
  'connection-closed': closed,
  'version-mismatch': versionWarn,
};

function incidentFindings(ctx: Context): Finding[] {
  const out: Finding[] = [];
  const perKind = new Map<NcclIncidentKind, { last: Finding; listed: number; hidden: number }>();
  for (const i of [...ctx.model.incidents].sort((a, b) => a.ref.line - b.ref.line)) {
    const built = BUILDERS[i.kind](ctx, i);
    if (!built) continue;
    const kind = perKind.get(i.kind);
    if (kind && kind.listed >= MAX_PER_KIND) {
      kind.hidden++;
      continue;
    }
    const f = finding(`nccl-log/${i.kind}`, built.severity, built.text, i.ref);
    perKind.set(i.kind, { last: f, listed: (kind?.listed ?? 0) + 1, hidden: 0 });
    out.push(f);
  }
  for (const { last, hidden } of perKind.values()) if (hidden > 0) last.message += ` (${hidden} more line shape(s) of this kind not listed.)`;
  return out;
}

/** `NVLS multicast support is not available on dev N` lines (network facts). */
function nvlsSupport(ctx: Context): Finding[] {
  const missing = ctx.model.network.nvlsSupport.filter((x) => !x.available);
  if (missing.length === 0) return [];
  const firstLine = missing.reduce((a, b) => (b.ref.line < a.ref.line ? b : a));
  const processes = [...new Set(missing.flatMap((x) => x.processes))];
  const devs = [...new Set(missing.map((x) => /dev (\d{1,4})/.exec(x.text)?.[1]).filter((d): d is string => d !== undefined))];
  const forced = truthy(envValue(ctx.model, 'NCCL_NVLS_ENABLE'));
  const expected = ctx.nvswitch || forced;
  const ranks = ctx.ranks.describe(processes.map((p) => ({ process: p })));
  const where = `${devs.length ? ` on CUDA device${devs.length > 1 ? 's' : ''} ${listOf(devs)}` : ''}${ranks ? ` (${ranks})` : ''}`;
  const context = expected
    ? `${ctx.nvswitch ? 'The topology shows an NVSwitch, so NVLS is expected here' : 'NCCL_NVLS_ENABLE is set'}. ${NVLS_FIX}`
    : 'Expected on GPUs without an NVSwitch (PCIe, NVLink bridges, pre-Hopper): nothing to do there. On NVSwitch systems (H100/H200/B200 SXM) check nvidia-fabricmanager.';
  return [finding('nccl-log/nvls-unavailable', expected ? 'warning' : 'info', `NVLS (NVLink SHARP, NVSwitch multicast) is not available${where}: ${quote(firstLine.text)}. ${context}`, firstLine.ref)];
}

/** `NET/Plugin: Failed to find ncclCollNetPlugin...` while NCCL_COLLNET_ENABLE asks for CollNet. */
function collnetPlugin(ctx: Context): Finding[] {
  if (!truthy(envValue(ctx.model, 'NCCL_COLLNET_ENABLE'))) return [];
  const line = ctx.model.network.plugins.find((p) => /CollNet/i.test(p.text) && /Failed to find|not supported/i.test(p.text));
  if (!line) return [];
  return [finding('nccl-log/collnet-failure', 'warning',
    `NCCL_COLLNET_ENABLE is set but the net plugin offers no CollNet: ${quote(line.text)} (${line.count} line(s)). Install the CollNet plugin (nccl-rdma-sharp-plugins / HPC-X) in the image or leave NCCL_COLLNET_ENABLE unset.`,
    line.ref)];
}

/** Ranks of one communicator on the same host and PCI bus id (derived; NCCL 2.30+ no longer refuses). */
function duplicateGpus(ctx: Context): Finding[] {
  if (ctx.model.incidents.some((i) => i.kind === 'duplicate-gpu')) return [];
  const out: Finding[] = [];
  for (const comm of ctx.model.communicators) {
    if (comm.id === 'unknown' || comm.id === 'overflow') continue;
    const byGpu = new Map<string, NcclRank[]>();
    for (const r of comm.ranks) {
      const key = `${r.host}|${r.busId}`;
      byGpu.set(key, [...(byGpu.get(key) ?? []), r]);
    }
    for (const group of byGpu.values()) {
      if (group.length < 2 || out.length >= MAX_PER_KIND) continue;
      const refs = group.map((r) => r.initStart ?? r.initComplete).filter((x): x is SourceRef => x !== undefined).sort((a, b) => a.line - b.line);
      const ref = refs[1] ?? refs[0];
      if (!ref) continue;
      const r0 = group[0];
      out.push(finding('nccl-log/duplicate-gpu', 'error',
        `${ranksText(group.map((r) => r.rank))} of communicator ${comm.commId ?? comm.id} all use GPU ${r0.busId} on ${r0.host} (processes ${listOf([...new Set(group.map((r) => r.process))])}). ${DUPLICATE_FIX}`,
        ref));
    }
  }
  return out;
}

/** Processes that printed different NCCL versions. */
function versionMix(ctx: Context): Finding[] {
  const { model } = ctx;
  if (model.ncclVersions.length < 2 || model.incidents.some((i) => i.kind === 'version-mismatch')) return [];
  const byVersion = model.ncclVersions.map((v) => {
    const procs = model.processes.filter((p) => p.ncclVersion === v);
    const hosts = [...new Set(procs.map((p) => p.host))];
    return `${v} (${procs.length ? `${ctx.ranks.describe(procs.map((p) => ({ process: p.key })))}${hosts.length ? ` on ${listOf(hosts)}` : ''}` : 'banner without a process'})`;
  });
  const shared = model.communicators.some((c) => new Set(c.ranks.map((r) => model.processes.find((p) => p.key === r.process)?.ncclVersion).filter((v) => v !== undefined)).size > 1);
  const ref = model.ncclVersionRefs[1] ?? model.ncclVersionRefs[0];
  return [finding('nccl-log/version-mismatch', shared ? 'error' : 'warning',
    `Processes in this log run different NCCL versions: ${listOf(byVersion)}${shared ? ', within one communicator' : ''}. ${VERSION_FIX}${shared ? '' : ' (If the log joins separate runs, this may be intended.)'}`,
    ref)];
}

function contextOf(model: NcclLogModel): Context {
  const hostOfIp = new Map<string, string>();
  for (const b of model.network.bootstrap) {
    const ip = /:([^:<\s]{1,64})<\d{1,5}>/.exec(b.text)?.[1];
    const proc = b.processes[0] && model.processes.find((p) => p.key === b.processes[0]);
    if (ip && proc && !hostOfIp.has(ip)) hostOfIp.set(ip, proc.host);
  }
  const pairs = classifyPairs(model);
  return {
    model,
    ranks: new RankIndex(model),
    hostOfIp,
    socketTraffic: pairs.some((p) => p.category === 'NET/Socket'),
    nvswitch: model.hosts.some((h) => h.topology?.nodes.some((n) => n.type === 'NVS')),
  };
}

/** timeout, ib-error, duplicate-gpu, socket-speed-default, nvls-unavailable, collnet-failure, connection-closed, version-mismatch. */
export function lineIncidentFindings(model: NcclLogModel): Finding[] {
  const ctx = contextOf(model);
  return [...incidentFindings(ctx), ...nvlsSupport(ctx), ...collnetPlugin(ctx), ...duplicateGpus(ctx), ...versionMix(ctx)];
}
