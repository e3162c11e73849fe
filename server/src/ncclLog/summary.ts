/**
 * A compact answer to "how does NCCL move data here?" for the status bar and `rvn`: transports per
 * GPU pair (NVLink/P2P vs SHM vs NET/IB vs NET/Socket), whether NVLink and RDMA are actually in
 * use, and an overall status. Tri-state flags: `undefined` means the log cannot tell (no channel
 * lines), which is different from `false`.
 */
import type { Finding } from '../protocol/findings';
import type { NcclLogModel } from './model';
import { classifyPairs, maxNvlinkBandwidth, type PairCategory } from './pairs';

const MAX_PAIRS = 64;

export interface NcclPairSummary {
  communicator: string;
  from: number;
  to: number;
  fromHost?: string;
  toHost?: string;
  transport: PairCategory;
  /** Distinct `via` texts, e.g. [`NET/Socket/0`, `NET/Socket/0/Shared`]. */
  via: string[];
  channels: number;
  gdr?: boolean;
}

export interface NcclLogSummary {
  ncclVersion?: string;
  cudaRuntime?: string;
  cudaDriver?: string;
  hosts: number;
  processes: number;
  ranks: number;
  communicators: number;
  /** Largest nNodes any communicator reported. */
  nodes?: number;
  /** Distinct directed rank pairs per transport category. */
  transports: Partial<Record<PairCategory, number>>;
  nvlink: { active?: boolean; bandwidthGBs?: number };
  rdma: { active?: boolean; needed: boolean; gdr?: boolean; devices: string[] };
  /** NVLink SHARP (NVSwitch multicast) channels set up by some communicator. */
  nvls: boolean;
  pairs: NcclPairSummary[];
  warnings: number;
  errors: number;
  status: 'ok' | 'warning' | 'error' | 'unknown';
  /** One short line for a status bar. */
  statusText: string;
}

export function summarizeNcclLog(model: NcclLogModel, findings: Finding[] = []): NcclLogSummary {
  const pairsInfo = classifyPairs(model).filter((p) => p.conn.to >= 0);
  const grouped = new Map<string, NcclPairSummary>();
  const channelSets = new Map<string, Set<number>>();
  for (const p of pairsInfo) {
    const key = `${p.comm.id}|${p.conn.from}|${p.conn.to}|${p.category}`;
    let s = grouped.get(key);
    if (!s) {
      s = { communicator: p.comm.commId ?? p.comm.id, from: p.conn.from, to: p.conn.to, transport: p.category, via: [], channels: 0 };
      if (p.fromRank) s.fromHost = p.fromRank.host;
      if (p.toRank) s.toHost = p.toRank.host;
      grouped.set(key, s);
      channelSets.set(key, new Set());
    }
    if (!s.via.includes(p.conn.via)) s.via.push(p.conn.via);
    if (p.conn.net) s.gdr = (s.gdr ?? false) || p.conn.net.gdr;
    const set = channelSets.get(key) ?? new Set<number>();
    p.conn.channels.forEach((c) => set.add(c));
    s.channels = set.size;
  }
  const pairs = [...grouped.values()];
  const transports: Partial<Record<PairCategory, number>> = {};
  for (const p of pairs) transports[p.transport] = (transports[p.transport] ?? 0) + 1;

  const known = pairs.length > 0;
  // P2P between GPUs the topology does not show (GRAPH subsystem off) may or may not be NVLink.
  const p2pUnknownLink = pairsInfo.some((p) => p.category === 'P2P' && !p.topologyKnown);
  // "No NVLink" needs a pair that could have used it: GPUs of one host (a paste of NET lines only says nothing).
  const intraNodeSeen = pairsInfo.some((p) => p.category === 'P2P' || p.category === 'SHM' || p.sameHost === true);
  const nvlinkActive = pairs.some((p) => p.transport === 'NVLink') ? true : known && !p2pUnknownLink && intraNodeSeen ? false : undefined;
  const ibPairs = pairs.filter((p) => p.transport === 'NET/IB');
  const nodes = Math.max(0, ...model.communicators.map((c) => c.nNodes ?? 0)) || undefined;
  // NCCL sends over the network only between nodes (unless P2P and SHM are both disabled, and then
  // the ranks' hosts are known), so a NET line between ranks of unknown hosts is multi-node evidence.
  const interNode = pairs.some((p) => p.fromHost !== undefined && p.toHost !== undefined && p.fromHost !== p.toHost) ||
    pairsInfo.some((p) => p.sameHost === undefined && (p.category === 'NET/IB' || p.category === 'NET/Socket' || p.category === 'NET' || p.category === 'CollNet'));
  const devices = [...new Set(model.network.ib.flatMap((e) => e.devices.map((d) => `${d.name}:${d.port}/${d.linkLayer}`)))];
  const ranks = new Set(model.communicators.flatMap((c) => c.ranks.map((r) => `${c.id}|${r.rank}`))).size;

  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  // "ok" says the log shows healthy transports; a paste that shows neither a version nor a channel
  // line shows nothing either way.
  const learnedNothing = !model.nccl && pairs.length === 0 && ranks === 0;
  const status = errors > 0 ? 'error' : warnings > 0 ? 'warning' : model.lines.info + model.lines.bare === 0 || learnedNothing ? 'unknown' : 'ok';

  const summary: NcclLogSummary = {
    hosts: model.hosts.filter((h) => h.processes.length > 0).length,
    processes: model.processes.length,
    ranks,
    // A communicator the log never identified nor filled (channel counts printed before its init line) is no communicator.
    communicators: model.communicators.filter((c) => c.ranks.length > 0 || c.connections.length > 0 || c.nRanks > 0 || c.commId !== undefined).length,
    transports,
    nvlink: { active: nvlinkActive, bandwidthGBs: maxNvlinkBandwidth(model) },
    // A net plugin's transport (`NET/AWS Libfabric/0`, `NET/Libfabric/0/GDRDMA`) is RDMA or not depending on the plugin: unknown.
    rdma: { active: known ? (ibPairs.length > 0 ? true : pairs.some((p) => p.transport === 'NET') ? undefined : false) : undefined, needed: interNode || (nodes ?? 1) > 1, gdr: ibPairs.length > 0 ? ibPairs.every((p) => p.gdr) : undefined, devices },
    nvls: model.communicators.some((c) => c.nvlsConnected === true || (c.channelCounts?.nvls ?? 0) > 0),
    pairs: pairs.slice(0, MAX_PAIRS),
    warnings,
    errors,
    status,
    statusText: '',
  };
  if (model.nccl) summary.ncclVersion = model.nccl.version;
  if (model.nccl?.cudaRuntime) summary.cudaRuntime = model.nccl.cudaRuntime;
  if (model.cudaDriver) summary.cudaDriver = model.cudaDriver.text;
  if (nodes !== undefined) summary.nodes = nodes;
  summary.statusText = statusText(summary);
  return summary;
}

const flag = (v: boolean | undefined) => (v === undefined ? '?' : v ? 'yes' : 'no');

function statusText(s: NcclLogSummary): string {
  const parts = [s.ncclVersion ? `NCCL ${s.ncclVersion}` : 'NCCL'];
  if (s.ranks > 0) parts.push(`${s.ranks} rank${s.ranks === 1 ? '' : 's'}`);
  parts.push(`NVLink ${flag(s.nvlink.active)}`);
  parts.push(`RDMA ${s.rdma.active === false && !s.rdma.needed ? 'n/a' : flag(s.rdma.active)}`);
  if (s.nvls) parts.push('NVLS');
  if ((s.transports['NET/Socket'] ?? 0) > 0) parts.push('TCP!');
  if ((s.transports.SHM ?? 0) > 0) parts.push('SHM');
  if (s.errors > 0) parts.push(`${s.errors} error${s.errors === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/** Plain-text lines for the CLI. */
export function formatNcclLogSummary(s: NcclLogSummary): string[] {
  const lines = [
    `NCCL ${s.ncclVersion ?? '(version not logged)'}${s.cudaRuntime ? ` (built for CUDA ${s.cudaRuntime})` : ''}${s.cudaDriver ? `, CUDA driver ${s.cudaDriver}` : ''}`,
    // A partial paste may hold channel lines but no rank line: "0 ranks" would read as none ran.
    `${s.ranks > 0 ? `${s.ranks} rank(s)` : 'ranks not logged'} in ${s.communicators} communicator(s), ${s.processes} process(es) on ${s.hosts} host(s)${s.nodes ? `, ${s.nodes} NCCL node(s)` : ''}`,
    `NVLink in use: ${flag(s.nvlink.active)}${s.nvlink.bandwidthGBs !== undefined ? ` (topology: ${s.nvlink.bandwidthGBs} GB/s per GPU)` : ''}`,
    `RDMA (NET/IB) in use: ${flag(s.rdma.active)}${!s.rdma.needed && (s.nodes === 1 || s.hosts === 1) ? ' (not needed: single node)' : ''}${s.rdma.gdr !== undefined ? `, GPU Direct RDMA: ${flag(s.rdma.gdr)}` : ''}${s.rdma.devices.length ? ` [${s.rdma.devices.join(' ')}]` : ''}`,
  ];
  if (s.nvls) lines.push('NVLS (NVLink SHARP) channels: yes');
  const counts = Object.entries(s.transports).map(([k, v]) => `${k} ${v}`);
  lines.push(`Transports (directed rank pairs): ${counts.length > 0 ? counts.join(', ') : 'no channel lines in the log'}`);
  for (const p of s.pairs) {
    const hosts = p.fromHost && p.toHost ? ` [${p.fromHost} -> ${p.toHost}]` : '';
    lines.push(`  ${p.from} -> ${p.to}${hosts}: ${p.transport} via ${p.via.join(', ')} (${p.channels} channel${p.channels === 1 ? '' : 's'})`);
  }
  return lines;
}
