/**
 * The `summary` object of `rvn topology --json` (schemas/nccl-topology-summary.schema.json): a
 * fixed set of facts a script can compare between runs. A field is present only when the log
 * determines it; `warnings` (a count) always is.
 */
import type { NcclCommunicator, NcclConnection, NcclLogModel } from './model';
import { maxNvlinkBandwidth } from './pairs';

export interface NcclRingSummary {
  /** Rank order around the ring (it closes back to the first rank). */
  order: number[];
  /** Channels that use this order. */
  channels: number[];
}

export interface NcclTopologySummary {
  /** As printed, without `+cuda..`; RCCL as `rccl X.Y.Z`. */
  ncclVersion?: string;
  /** Ranks of the largest communicator. */
  nRanks?: number;
  /** Largest `nNodes` any communicator reported. */
  nNodes?: number;
  /** Distinct host names as printed in the line prefixes, in order of appearance. */
  hosts?: string[];
  /** Sorted transport families seen on channel lines (`P2P/CUMEM`, `SHM`, `NET/IB`, `NVLS`, ...). */
  transports?: string[];
  /** The NET plugin NCCL uses (`IB`, `Socket`, or an external plugin's name). */
  netPlugin?: string;
  /** GPU Direct RDMA on every NET connection (or, without NET channel lines, NCCL's GDR lines). */
  gdr?: boolean;
  /** Highest NVLink bandwidth in the topology, GB/s. */
  nvlinkMaxBw?: number;
  /** GPUs in the topology trees of all hosts. */
  gpus?: number;
  /** Sorted network device names (IB HCAs and socket interfaces NCCL reported using). */
  nics?: string[];
  /** Distinct ring orders of the largest communicator that printed rings. */
  rings?: NcclRingSummary[];
  /** `NCCL WARN` lines. */
  warnings: number;
}

const P2P_FAMILIES: Record<string, string> = { 'direct pointer': 'direct' };

/** `P2P/CUMEM`, `P2P/IPC`, `P2P/direct`, `P2P/MNNVL`, `SHM`, `NET/IB`, `NET/Socket`, `NET/<plugin>`, `CollNet`, `NVLS`. */
export function transportFamily(conn: NcclConnection): string {
  switch (conn.transport) {
    case 'P2P':
      return conn.mode ? `P2P/${P2P_FAMILIES[conn.mode] ?? conn.mode}` : 'P2P';
    case 'SHM':
      return 'SHM';
    case 'NET':
      return conn.net ? `NET/${conn.net.name}` : 'NET';
    case 'COLLNET':
      return 'CollNet';
    case 'NVLS':
      return 'NVLS';
    default:
      return conn.via.split('/')[0];
  }
}

function largest(comms: NcclCommunicator[]): NcclCommunicator | undefined {
  return comms.reduce<NcclCommunicator | undefined>((best, c) => (!best || c.nRanks > best.nRanks ? c : best), undefined);
}

function netPlugin(model: NcclLogModel, netConns: NcclConnection[]): string | undefined {
  const events = model.network.netPluginEvents;
  const named = (event: string) => events.find((e) => e.event === event && e.name)?.name;
  const loaded = model.network.plugins.find((p) => p.pluginType === 'NET' && p.status === 'loaded' && p.name && !/collnet/i.test(p.text))?.name;
  const fromChannels = [...new Set(netConns.map((c) => c.net?.name).filter((n): n is string => n !== undefined))];
  const ibDevices = model.network.ib.some((e) => e.devices.length > 0);
  const socketDevices = model.network.socket.some((e) => e.devices.length > 0);
  return (
    named('using') ??
    named('assigned') ??
    loaded ??
    named('initialized') ??
    (fromChannels.length === 1 ? fromChannels[0] : undefined) ??
    (ibDevices ? 'IB' : socketDevices ? 'Socket' : undefined)
  );
}

function gdr(model: NcclLogModel, netConns: NcclConnection[]): boolean | undefined {
  if (netConns.length > 0) return netConns.every((c) => c.net?.gdr === true);
  if (model.network.gdr.length === 0) return undefined;
  return model.network.gdr.some((g) => g.enabled);
}

function nvlinkMaxBw(model: NcclLogModel): number | undefined {
  const fromLinks = maxNvlinkBandwidth(model);
  if (fromLinks !== undefined) return fromLinks;
  let best: number | undefined;
  for (const h of model.hosts) for (const p of h.topology?.paths ?? []) if (p.type === 'NVL' && (best === undefined || p.bw > best)) best = p.bw;
  return best;
}

function rings(model: NcclLogModel): NcclRingSummary[] | undefined {
  const comm = largest(model.communicators.filter((c) => c.rings.some((r) => r.order.length > 0)));
  if (!comm) return undefined;
  const byOrder = new Map<string, NcclRingSummary>();
  for (const r of comm.rings) {
    if (r.order.length === 0) continue;
    const key = r.order.join(' ');
    const entry = byOrder.get(key) ?? { order: r.order, channels: [] };
    entry.channels.push(r.channel);
    byOrder.set(key, entry);
  }
  return [...byOrder.values()];
}

export function summarizeTopology(model: NcclLogModel): NcclTopologySummary {
  const summary: NcclTopologySummary = { warnings: model.warnCount };
  const out = summary as unknown as Record<string, unknown>;
  const set = (key: keyof NcclTopologySummary, value: unknown) => {
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) out[key] = value;
  };
  const connections = model.communicators.flatMap((c) => c.connections);
  const netConns = connections.filter((c) => c.transport === 'NET');
  const families = new Set(connections.map(transportFamily));
  if (model.communicators.some((c) => c.nvlsConnected)) families.add('NVLS');

  if (model.nccl) set('ncclVersion', model.nccl.flavor === 'RCCL' ? `rccl ${model.nccl.version}` : model.nccl.version);
  const world = largest(model.communicators);
  if (world && world.nRanks > 0) set('nRanks', world.nRanks);
  const nodes = model.communicators.map((c) => c.nNodes).filter((n): n is number => n !== undefined);
  if (nodes.length > 0) set('nNodes', Math.max(...nodes));
  set('hosts', [...new Set(model.processes.map((p) => p.hostname))]);
  set('transports', [...families].sort());
  set('netPlugin', netPlugin(model, netConns));
  set('gdr', gdr(model, netConns));
  set('nvlinkMaxBw', nvlinkMaxBw(model));
  const trees = model.hosts.filter((h) => h.topology && h.topology.nodes.length > 0);
  if (trees.length > 0) set('gpus', trees.reduce((n, h) => n + (h.topology?.nodes.filter((x) => x.type === 'GPU').length ?? 0), 0));
  const nics = new Set<string>();
  for (const e of model.network.ib) for (const d of e.devices) nics.add(d.name);
  for (const e of model.network.socket) for (const d of e.devices) nics.add(d.ifname);
  set('nics', [...nics].sort());
  set('rings', rings(model));
  // Key order of the schema, `warnings` last.
  delete out.warnings;
  out.warnings = model.warnCount;
  return summary;
}
