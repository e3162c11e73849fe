/**
 * Answers "how do these two GPUs talk?" from the model: each transport line of each communicator,
 * joined with the ranks' hosts and the host topology (is there NVLink between the two GPUs?).
 * Shared by findings.ts and summary.ts so both tell the same story.
 */
import type { NcclCommunicator, NcclConnection, NcclHost, NcclLogModel, NcclRank, NcclTopology } from './model';

export type PairCategory = 'NVLink' | 'P2P' | 'SHM' | 'NET/IB' | 'NET/Socket' | 'NET' | 'CollNet' | 'other';

export interface PairInfo {
  comm: NcclCommunicator;
  conn: NcclConnection;
  fromRank?: NcclRank;
  toRank?: NcclRank;
  /** Undefined when a rank's host is unknown (INIT lines missing). */
  sameHost?: boolean;
  /** The two GPUs are NVLink-connected according to the host topology. */
  nvlink: boolean;
  /** Both GPUs appear in their host's topology, so `nvlink: false` is a real "no". */
  topologyKnown: boolean;
  nvlinkBw?: number;
  category: PairCategory;
}

const NVLINK_TYPES = new Set(['NVL', 'NVB']);

function gpuId(topology: NcclTopology, busId: string): string | undefined {
  return topology.nodes.find((n) => n.type === 'GPU' && n.localId === busId)?.id;
}

/** NVLink between two GPUs (by PCI bus id): a direct NVL link, a shared NVSwitch, or an NVL/NVB path. */
export function nvlinkBetween(topology: NcclTopology | undefined, busA: string, busB: string): { connected: boolean; known: boolean; bw?: number } {
  if (!topology) return { connected: false, known: false };
  const a = gpuId(topology, busA);
  const b = gpuId(topology, busB);
  if (!a || !b || a === b) return { connected: false, known: false };
  const nvl = topology.links.filter((l) => l.type === 'NVL');
  const neighbours = (id: string) => new Map(nvl.filter((l) => l.from === id).map((l) => [l.to, l.bw] as const));
  const na = neighbours(a);
  const nb = neighbours(b);
  if (na.has(b)) return { connected: true, known: true, bw: na.get(b) };
  for (const [via, bw] of na) {
    if (nb.has(via)) return { connected: true, known: true, bw: Math.min(bw, nb.get(via) ?? bw) };
  }
  // P2P_DISABLE rewrites GPU->GPU paths to PHB, so paths only add evidence, never remove it.
  const path = topology.paths.find((p) => p.from === a && p.to === b);
  if (path && NVLINK_TYPES.has(path.type)) return { connected: true, known: true, bw: path.bw };
  return { connected: false, known: true };
}

/** Highest NVLink bandwidth (GB/s) of any GPU link in any host topology. */
export function maxNvlinkBandwidth(model: NcclLogModel): number | undefined {
  let best: number | undefined;
  for (const h of model.hosts) {
    for (const l of h.topology?.links ?? []) {
      if (l.type === 'NVL' && (best === undefined || l.bw > best)) best = l.bw;
    }
  }
  return best;
}

/** An InfiniBand/RoCE net: NCCL's `IB`, or `IBext`/`IBext_v8`/`IBext_v10` (nccl-rdma-sharp-plugins, or NCCL's own so renamed). */
export function isIbNet(name: string | undefined): boolean {
  if (name === undefined) return false;
  const n = name.toLowerCase();
  return n === 'ib' || /^ibext(?:_v\d{1,3})?$/.test(n);
}

function categoryOf(conn: NcclConnection, nvlink: boolean): PairCategory {
  switch (conn.transport) {
    case 'P2P':
      return nvlink || conn.mode === 'MNNVL' ? 'NVLink' : 'P2P';
    case 'SHM':
      return 'SHM';
    case 'COLLNET':
      return 'CollNet';
    case 'NET': {
      const name = conn.net?.name;
      return isIbNet(name) ? 'NET/IB' : name?.toLowerCase() === 'socket' ? 'NET/Socket' : 'NET';
    }
    default:
      return 'other';
  }
}

export function classifyPairs(model: NcclLogModel): PairInfo[] {
  const hosts = new Map<string, NcclHost>(model.hosts.map((h) => [h.name, h]));
  const out: PairInfo[] = [];
  for (const comm of model.communicators) {
    const ranks = new Map(comm.ranks.map((r) => [r.rank, r]));
    // NVLS (NVLink SHARP) is set up only when the communicator's GPUs of a node share an NVSwitch
    // fabric: without a topology dump (GRAPH off) that still says two GPUs of one host have NVLink.
    const nvls = comm.nvlsConnected === true || (comm.channelCounts?.nvls ?? 0) > 0;
    for (const conn of comm.connections) {
      const fromRank = ranks.get(conn.from);
      const toRank = ranks.get(conn.to);
      const sameHost = fromRank && toRank ? fromRank.host === toRank.host : undefined;
      let link: { connected: boolean; known: boolean; bw?: number } = sameHost && fromRank && toRank
        ? nvlinkBetween(hosts.get(fromRank.host)?.topology, fromRank.busId, toRank.busId)
        : { connected: false, known: sameHost === false };
      if (nvls && sameHost && !link.known) link = { connected: true, known: true };
      const info: PairInfo = { comm, conn, nvlink: link.connected, topologyKnown: link.known, category: categoryOf(conn, link.connected) };
      if (fromRank) info.fromRank = fromRank;
      if (toRank) info.toRank = toRank;
      if (sameHost !== undefined) info.sameHost = sameHost;
      if (link.bw !== undefined) info.nvlinkBw = link.bw;
      out.push(info);
    }
  }
  return out;
}

/** `rank 2 (node-b, GPU 2)` - what a message says about one end of a pair. */
export function describeRank(rank: number, info?: NcclRank): string {
  if (!info) return `rank ${rank}`;
  return `rank ${rank} (${info.host}, GPU ${info.cudaDev})`;
}

/** Short communicator label for messages. */
export function describeComm(comm: NcclCommunicator): string {
  return comm.commId ? `communicator ${comm.commId}` : `communicator ${comm.id}`;
}
