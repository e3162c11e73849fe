/**
 * Diagnoses an NCCL log model: which transport NCCL really uses versus what the hardware offers,
 * what failed, and what the log cannot tell. Each rule id is stable (`nccl-log/...`) and listed in
 * NCCL_LOG_RULES; messages say what and why, with the product document's advice where it has some.
 * Ranges cover the offending line's record (after launcher prefixes) so the editor can link to it.
 */
import type { RuleInfo } from '../analysis/rules';
import type { Finding } from '../protocol/findings';
import { errorAndInitFindings } from './failureFindings';
import { finding } from './findingBase';
import { lineIncidentFindings } from './incidentFindings';
import { RankIndex } from './rankIndex';
import type { NcclEnvSetting, NcclLogModel, SourceRef } from './model';
import { classifyPairs, describeComm, describeRank, isIbNet, type PairInfo } from './pairs';

/** The issue's finding ids first, then the ones this project adds. */
export const NCCL_LOG_RULES: readonly RuleInfo[] = [
  { id: 'nccl-log/tcp-fallback', severity: 'warning', summary: 'GPU traffic over NET/Socket (TCP) instead of RDMA or P2P/SHM.' },
  { id: 'nccl-log/gdr-disabled', severity: 'warning', summary: 'Inter-node NET/IB traffic without GPU Direct RDMA.' },
  { id: 'nccl-log/net-plugin-missing', severity: 'info', summary: 'No external net plugin (libnccl-net.so); fine intra-node.' },
  { id: 'nccl-log/mlx5-symbols-missing', severity: 'warning', summary: 'libmlx5 / libibverbs lack symbols NCCL wants (old rdma-core / MLNX OFED in the image).' },
  { id: 'nccl-log/nccl-error', severity: 'error', summary: 'An NCCL call failed: a WARN-rooted back-trace or an application-side NCCL error.' },
  { id: 'nccl-log/timeout', severity: 'error', summary: 'A connection, rendezvous or collective timed out (NCCL retries, PyTorch watchdog, RAS).' },
  { id: 'nccl-log/ib-error', severity: 'error', summary: 'An InfiniBand / RoCE error: failed work completion, async event or verbs call.' },
  { id: 'nccl-log/duplicate-gpu', severity: 'error', summary: 'Two ranks of one communicator use the same GPU.' },
  { id: 'nccl-log/p2p-disabled', severity: 'warning', summary: 'P2P is disabled by NCCL_P2P_DISABLE / NCCL_P2P_LEVEL or between connected GPUs.' },
  { id: 'nccl-log/socket-speed-default', severity: 'info', summary: 'NCCL could not read a socket interface\'s speed and assumes 10 Gbps.' },
  { id: 'nccl-log/nvls-unavailable', severity: 'warning', summary: 'NVLink SHARP (NVLS) is unavailable or failed to set up.' },
  { id: 'nccl-log/collnet-failure', severity: 'warning', summary: 'CollNet (in-network reduction such as SHARP) could not be used.' },
  { id: 'nccl-log/connection-closed', severity: 'error', summary: 'A peer closed or reset a connection: the peer died or the network dropped.' },
  { id: 'nccl-log/version-mismatch', severity: 'error', summary: 'Ranks or hosts run different NCCL versions.' },
  { id: 'nccl-log/warn', severity: 'warning', summary: 'An NCCL WARN line no other rule explains.' },
  { id: 'nccl-log/init-incomplete', severity: 'error', summary: 'A rank or process never reached Init COMPLETE.' },
  { id: 'nccl-log/shm-instead-of-p2p', severity: 'warning', summary: 'NVLink-connected GPUs exchange data through SHM (host memory).' },
  { id: 'nccl-log/debug-subsys-incomplete', severity: 'info', summary: 'NCCL_DEBUG / NCCL_DEBUG_SUBSYS leave the transport question unanswered.' },
];

const envOf = (model: NcclLogModel, name: string): NcclEnvSetting | undefined => model.env.find((e) => e.name === name);
const truthy = (v: string | undefined) => v !== undefined && v !== '0' && v.toLowerCase() !== 'false';
const first = <T extends { ref: SourceRef }>(items: T[]): T | undefined =>
  items.reduce<T | undefined>((best, x) => (!best || x.ref.line < best.ref.line ? x : best), undefined);

function pairList(pairs: PairInfo[], max = 3): string {
  // One rank pair can have several connections (one per NIC or `via`); name it once.
  const seen = new Set<string>();
  const unique = pairs.filter((p) => {
    const key = `${p.comm.id}|${p.conn.from}|${p.conn.to}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  const shown = unique.slice(0, max).map((p) => `${describeRank(p.conn.from, p.fromRank)} -> ${describeRank(p.conn.to, p.toRank)}`);
  return shown.join(', ') + (unique.length > max ? ` and ${unique.length - max} more pair(s)` : '');
}

function byComm(pairs: PairInfo[]): PairInfo[][] {
  const groups = new Map<string, PairInfo[]>();
  for (const p of pairs) groups.set(p.comm.id, [...(groups.get(p.comm.id) ?? []), p]);
  return [...groups.values()].map((g) => g.sort((a, b) => a.conn.ref.line - b.conn.ref.line));
}

function tcpFallback(model: NcclLogModel, pairs: PairInfo[]): Finding[] {
  const out: Finding[] = [];
  const flagged = new Set<string>();
  const disabled = ['NCCL_P2P_DISABLE', 'NCCL_SHM_DISABLE', 'NCCL_IB_DISABLE'].filter((n) => truthy(envOf(model, n)?.value)).map((n) => `${n}=1`);
  const pluginAdvice = failedNetPluginAdvice(model);
  for (const group of byComm(pairs.filter((p) => p.category === 'NET/Socket'))) {
    const comm = group[0].comm;
    flagged.add(comm.id);
    const inter = group.filter((p) => p.sameHost === false);
    const unknownHosts = group.every((p) => p.sameHost === undefined);
    const advice = pluginAdvice ??
      `Check the openshift.io/mellanoxnics resource and the Multus network annotation${disabled.length ? `, and ${disabled.join(', ')} set in the environment` : ''}; NCCL_NET=IB makes a missing RDMA device fail loudly.`;
    if (inter.length > 0) {
      out.push(finding('nccl-log/tcp-fallback', 'warning',
        `NET/Socket (TCP) carries inter-node traffic of ${describeComm(comm)}: ${pairList(inter)}. RDMA (NET/IB) is not used, so bandwidth is a fraction of the fabric's. ${advice}`,
        inter[0].conn.ref));
    } else if (unknownHosts) {
      out.push(finding('nccl-log/tcp-fallback', 'warning',
        `NET/Socket (TCP) carries traffic of ${describeComm(comm)} (${pairList(group)}; hosts unknown without INIT lines): RDMA (NET/IB) is not used. ${advice}`,
        group[0].conn.ref));
    } else {
      const nvlink = group.some((p) => p.nvlink);
      out.push(finding('nccl-log/tcp-fallback', 'warning',
        `NET/Socket (TCP) carries traffic between GPUs on the same host in ${describeComm(comm)}: ${pairList(group)}` +
          `${nvlink ? ', although they are NVLink-connected' : ''}. Intra-node traffic should use P2P (NVLink) or SHM` +
          `${disabled.length ? `; ${disabled.join(', ')} ${disabled.length > 1 ? 'are' : 'is'} set in the environment` : ''}.`,
        group[0].conn.ref));
    }
  }
  // Multi-node communicators without NET lines (NET subsystem off or no collective yet): judge by the network NCCL picked.
  const usingSocket = first(model.network.netPluginEvents.filter((e) => e.event === 'using' && e.name?.toLowerCase() === 'socket'));
  const usesIb = model.network.netPluginEvents.some((e) => e.event === 'using' && isIbNet(e.name));
  const multiNode = model.communicators.filter((c) => (c.nNodes ?? 1) > 1 && !flagged.has(c.id) && !c.connections.some((x) => x.transport === 'NET'));
  if (usingSocket && !usesIb && multiNode.length > 0) {
    out.push(finding('nccl-log/tcp-fallback', 'warning',
      `${describeComm(multiNode[0])} spans ${multiNode[0].nNodes} nodes but NCCL selected the Socket network (no NET/IB device in use): inter-node traffic goes over TCP. ` +
        (pluginAdvice ?? 'Check the openshift.io/mellanoxnics resource and the Multus network annotation.'),
      usingSocket.ref));
  }
  return out;
}

/**
 * An external net plugin (aws-ofi-nccl, a vendor's IB plugin) that loaded but is not the network
 * NCCL uses: it failed to initialise and NCCL fell back to its built-in transports.
 */
function failedNetPluginAdvice(model: NcclLogModel): string | undefined {
  const loaded = first(model.network.plugins.filter((p) => p.pluginType === 'NET' && p.status === 'loaded' && p.name));
  if (!loaded?.name) return undefined;
  const name = loaded.name.toLowerCase();
  const used = model.network.netPluginEvents.filter((e) => e.event === 'using' || e.event === 'initialized').map((e) => e.name?.toLowerCase());
  if (used.some((u) => u !== undefined && u !== 'socket' && u !== 'ib' && (name.includes(u) || u.includes(name)))) return undefined;
  return `The external net plugin ${loaded.name} was loaded (line ${loaded.ref.line + 1}) but NCCL fell back to its built-in Socket transport, so the plugin failed to initialise: read its WARN lines, and check that the fabric's devices (/dev/infiniband/uverbs*, EFA) are visible inside the container and that the plugin's libraries (libfabric, rdma-core) match.`;
}

function shmInsteadOfP2p(model: NcclLogModel, pairs: PairInfo[]): Finding[] {
  const p2pEnv = envOf(model, 'NCCL_P2P_DISABLE');
  const levelEnv = envOf(model, 'NCCL_P2P_LEVEL');
  const cause = truthy(p2pEnv?.value)
    ? `NCCL_P2P_DISABLE=${p2pEnv?.value} is set (line ${(p2pEnv?.ref.line ?? 0) + 1}); remove it so NCCL uses P2P/CUMEM over NVLink.`
    : levelEnv
      ? `NCCL_P2P_LEVEL=${levelEnv.value} is set (line ${levelEnv.ref.line + 1}) and excludes these GPUs; unset it.`
      : 'P2P is unavailable between them: check NCCL_P2P_DISABLE/NCCL_P2P_LEVEL and that the container may use CUDA IPC / cuMem between GPUs.';
  return byComm(pairs.filter((p) => p.category === 'SHM' && p.nvlink)).map((group) => {
    const bw = group[0].nvlinkBw !== undefined ? ` (NVLink ${group[0].nvlinkBw} GB/s)` : '';
    return finding('nccl-log/shm-instead-of-p2p', 'warning',
      `NVLink-connected GPUs exchange data via SHM (through host memory) in ${describeComm(group[0].comm)}: ${pairList(group)}${bw}. ${cause}`,
      group[0].conn.ref);
  });
}

/** `: ranks 0, 1, 2 and 3` for settings every rank echoes (the processes of the ranks known). */
function ranksOf(model: NcclLogModel): string {
  const all = model.communicators.flatMap((c) => c.ranks.map((r) => ({ process: r.process, cudaDev: r.cudaDev })));
  const described = new RankIndex(model).describe(all);
  return described ? `: ${described}` : '';
}

function p2pDisabled(model: NcclLogModel): Finding[] {
  const out: Finding[] = [];
  const disable = envOf(model, 'NCCL_P2P_DISABLE');
  if (disable && truthy(disable.value)) {
    out.push(finding('nccl-log/p2p-disabled', 'warning',
      `NCCL_P2P_DISABLE=${disable.value} (echoed by ${disable.count} process(es)${ranksOf(model)}) turns off GPU peer-to-peer transport: NVLink/PCIe pairs fall back to SHM through host memory or to the network. Leave NCCL_P2P_DISABLE=0 outside of debugging.`,
      disable.ref));
  }
  const level = envOf(model, 'NCCL_P2P_LEVEL');
  if (level && ['LOC', '0'].includes(level.value.toUpperCase())) {
    out.push(finding('nccl-log/p2p-disabled', 'warning', `NCCL_P2P_LEVEL=${level.value} allows P2P only within one GPU, which disables it between GPUs.`, level.ref));
  }
  const pair = first(model.network.p2pDisabledPairs);
  if (pair && out.length === 0) {
    out.push(finding('nccl-log/p2p-disabled', pair.nvlink ? 'error' : 'warning',
      `${pair.text}${pair.nvlink ? ' NVLink is present, so this points at a driver or hardware problem on that node.' : ''}`, pair.ref));
  }
  return out;
}

function netPluginMissing(model: NcclLogModel): Finding[] {
  const missing = first(model.network.plugins.filter((p) => p.pluginType === 'NET' && p.status === 'missing'));
  if (!missing) return [];
  const who = new RankIndex(model).describe(missing.processes.map((process) => ({ process })));
  return [finding('nccl-log/net-plugin-missing', 'info',
    `No external NCCL net plugin was found (${missing.text.replace(/^NET\/Plugin ?: ?/, '')}${who ? `; ${who}` : ''}); NCCL uses its built-in IB and Socket transports. Usually fine intra-node; for multi-node with SHARP/collnet install nccl-rdma-sharp-plugins (or your fabric's plugin).`,
    missing.ref)];
}

function ibInUse(model: NcclLogModel): boolean {
  return model.network.ib.some((e) => e.devices.length > 0) || model.communicators.some((c) => c.connections.some((x) => isIbNet(x.net?.name)));
}

function mlx5Symbols(model: NcclLogModel): Finding[] {
  const inUse = ibInUse(model);
  const ranks = new RankIndex(model);
  return model.network.missingSymbols.map((s) =>
    finding('nccl-log/mlx5-symbols-missing', inUse ? 'warning' : 'info',
      `${s.library.split('/').pop()} lacks ${s.symbol} (${s.processes.length ? ranks.describe(s.processes.map((process) => ({ process }))) : `${s.count} line(s)`}): the container's rdma-core / MLNX OFED is older than NCCL expects, so ${/dmabuf/i.test(s.symbol) ? 'DMA-BUF memory registration' : 'this feature (e.g. data-direct)'} is unavailable. ` +
        `Rebuild the image with a newer MLNX OFED or use an NVIDIA GPU Cloud base image.${inUse ? '' : ' Harmless here: no InfiniBand/RoCE device is in use.'}`,
      s.ref));
}

function gdrDisabled(model: NcclLogModel, pairs: PairInfo[]): Finding[] {
  // NET between ranks of unknown hosts (a paste without INIT lines) is inter-node: NCCL uses the
  // network inside a node only when both P2P and SHM are disabled.
  const localNetForced = truthy(envOf(model, 'NCCL_P2P_DISABLE')?.value) && truthy(envOf(model, 'NCCL_SHM_DISABLE')?.value);
  const interNode = (p: PairInfo) => p.sameHost === false || (p.comm.nNodes ?? 1) > 1 || (p.sameHost === undefined && !localNetForced);
  const out = byComm(pairs.filter((p) => p.category === 'NET/IB' && !p.conn.net?.gdr && interNode(p))).map((group) =>
    finding('nccl-log/gdr-disabled', 'warning',
      `Inter-node NET/IB traffic of ${describeComm(group[0].comm)} runs without GPU Direct RDMA (no /GDRDMA): ${pairList(group)}. Data is staged through host memory. ` +
        'Check that nvidia-peermem (or DMA-BUF) is available on the node and that NIC and GPU share a PCI switch (NCCL_NET_GDR_LEVEL).',
      group[0].conn.ref));
  if (out.length > 0) return out;
  const multiNode = model.communicators.some((c) => (c.nNodes ?? 1) > 1);
  const disabled = first(model.network.gdr.filter((g) => !g.enabled && g.net?.toUpperCase() === 'IB'));
  if (multiNode && disabled && !model.network.gdr.some((g) => g.enabled)) {
    out.push(finding('nccl-log/gdr-disabled', 'warning', `${disabled.text}: multi-node IB traffic will be staged through host memory (no GPU Direct RDMA).`, disabled.ref));
  }
  return out;
}

function debugSubsysIncomplete(model: NcclLogModel, pairs: PairInfo[]): Finding[] {
  const anchor = model.nccl?.ref ?? model.firstLine;
  if (!anchor) return [];
  const s = model.subsystems;
  const failedEarly = model.errors.length > 0 && !model.processes.some((p) => p.initComplete);
  if (model.lines.info + model.lines.bare === 0) {
    return [finding('nccl-log/debug-subsys-incomplete', 'info',
      'No NCCL INFO lines in this log (NCCL_DEBUG unset, VERSION or WARN): nothing shows which transport NCCL picked. Set NCCL_DEBUG=INFO and NCCL_DEBUG_SUBSYS=INIT,GRAPH,NET (or ALL) to see it.',
      anchor)];
  }
  if (!s.p2pLines && !s.shmLines && !s.netLines && !failedEarly) {
    return [finding('nccl-log/debug-subsys-incomplete', 'info',
      "No 'Channel ... via ...' lines, so the transport between GPUs (P2P/NVLink, SHM, NET/IB, NET/Socket) is unknown. NCCL_DEBUG_SUBSYS must include INIT and NET - or no collective ran before the log ended (since NCCL 2.22 connections are made at the first collective, NCCL_RUNTIME_CONNECT=1).",
      anchor)];
  }
  if (s.netLines && !s.p2pLines && !s.shmLines && !s.init) {
    return [finding('nccl-log/debug-subsys-incomplete', 'info',
      'Only NET transport lines and no INIT lines: NCCL_DEBUG_SUBSYS seems to lack INIT, so intra-node P2P/SHM connections are not shown. Use NCCL_DEBUG_SUBSYS=INIT,GRAPH,NET (or ALL).',
      anchor)];
  }
  // Only when ranks are known (INIT lines): pasted fragments cannot map ranks to GPUs anyway.
  const unknownLink = pairs.find((p) => (p.category === 'SHM' || p.category === 'P2P') && p.sameHost === true && !p.topologyKnown);
  if (unknownLink) {
    return [finding('nccl-log/debug-subsys-incomplete', 'info',
      `${unknownLink.category} transport is used but the log has no topology (GRAPH) lines for these GPUs, so it cannot tell whether they are NVLink-connected. Add GRAPH to NCCL_DEBUG_SUBSYS (e.g. INIT,GRAPH,NET).`,
      anchor)];
  }
  return [];
}

/** All findings for one parsed log, in line order. */
export function ncclLogFindings(model: NcclLogModel): Finding[] {
  const pairs = classifyPairs(model);
  const all = [
    ...tcpFallback(model, pairs),
    ...shmInsteadOfP2p(model, pairs),
    ...p2pDisabled(model),
    ...netPluginMissing(model),
    ...mlx5Symbols(model),
    ...gdrDisabled(model, pairs),
    ...errorAndInitFindings(model),
    ...lineIncidentFindings(model),
    ...debugSubsysIncomplete(model, pairs),
  ];
  return all.sort((a, b) => a.range.start.line - b.range.start.line || a.rule.localeCompare(b.rule));
}
