/**
 * Per-communicator state: ranks, transports per rank pair, rings, trees, graphs and the tuning
 * table. Channel lines carry no communicator id, so the parser attributes them (see parser.ts);
 * this file only accumulates and caps, then turns Maps into the JSON model.
 */
import type {
  NcclChannelCounts,
  NcclCommunicator,
  NcclConnection,
  NcclGraph,
  NcclRank,
  NcclTreeNode,
  NcclTuningTable,
  SourceRef,
  TransportKind,
} from './model';

const MAX_CONNECTIONS = 8192;
const MAX_TREE_NODES = 4096;
const MAX_RING_NEIGHBOURS = 8192;
const MAX_GRAPHS = 32;
const MAX_CHANNEL_NUMBER = 1024;

export const PATTERN_NAMES: Record<number, string> = {
  1: 'balanced tree',
  2: 'split tree',
  3: 'tree',
  4: 'ring',
  5: 'nvls',
  6: 'collnet direct',
};

/** A graph whose host is resolved at the end (NCCL_HOSTID may be echoed late). */
export interface PendingGraph extends Omit<NcclGraph, 'host'> {
  process: string;
}

/** Channels 0..63 as two bit masks (the common case), others in a set; sides as bits (1 send, 2 receive). */
interface ConnectionState extends Omit<NcclConnection, 'channels' | 'sides'> {
  channelsLo: number;
  channelsHi: number;
  channelsMore?: Set<number>;
  sideBits: number;
}

function channelList(c: ConnectionState): number[] {
  const out: number[] = [];
  for (let i = 0; i < 32; i++) if (c.channelsLo & (1 << i)) out.push(i);
  for (let i = 0; i < 32; i++) if (c.channelsHi & (1 << i)) out.push(32 + i);
  if (c.channelsMore) out.push(...[...c.channelsMore].sort((a, b) => a - b));
  return out;
}

/**
 * Entries all communicators of one log may keep together, on top of each one's own caps: a log of
 * many restarts has many communicators, and memory must not grow with their number.
 */
export class CommBudget {
  constructor(
    public connections = 65536,
    public treeNodes = 32768,
    public ringNeighbours = 65536,
  ) {}
}

const parsedVias = new Map<string, ReturnType<typeof parseViaUncached>>();

/** Splits a `via` text into transport, mode and NET details (memoised: a log has few distinct vias). */
export function parseVia(via: string): Pick<NcclConnection, 'transport' | 'mode' | 'net'> & { key: string } {
  let parsed = parsedVias.get(via);
  if (!parsed) {
    if (parsedVias.size >= 1024) parsedVias.clear();
    parsed = parseViaUncached(via);
    parsedVias.set(via, parsed);
  }
  return parsed;
}

function parseViaUncached(via: string): Pick<NcclConnection, 'transport' | 'mode' | 'net'> & { key: string } {
  const segs = via.split('/');
  const head = segs[0].toUpperCase();
  if (head === 'NET' && segs.length >= 3) {
    const devMatch = /^(\d{1,4})(?:\((\d{1,9})\))?/.exec(segs[2]);
    const net: NonNullable<NcclConnection['net']> = {
      name: segs[1],
      dev: devMatch ? Number(devMatch[1]) : -1,
      gdr: via.includes('/GDRDMA'),
      shared: via.includes('/Shared'),
      pci: via.includes('(PCI)'),
    };
    if (devMatch?.[2] !== undefined) net.proxyRank = Number(devMatch[2]);
    // The proxy rank differs between the two sides' lines; keep it out of the dedup key.
    return { transport: 'NET', net, key: via.replace(/\(\d{1,9}\)/, '') };
  }
  // NCCL <= 2.4 named SHM `direct shared memory` (`Ring 00 : 0 -> 1 via direct shared memory`).
  const transport: TransportKind =
    head === 'P2P' || head === 'SHM' || head === 'COLLNET' || head === 'NVLS' ? head : head.startsWith('DIRECT SHARED MEMORY') ? 'SHM' : 'OTHER';
  return { transport, mode: segs[1], key: via };
}

export class CommState {
  commId: string | undefined;
  nRanks = 0;
  nNodes: number | undefined;
  localRanks: number | undefined;
  mnnvl: boolean | undefined;
  channelCounts: NcclChannelCounts | undefined;
  tuning: NcclTuningTable | undefined;
  ringPxn: boolean | undefined;
  ringGdr: boolean | undefined;
  nvlsConnected = false;
  dropped = 0;
  readonly ranks = new Map<number, NcclRank>();
  private readonly connections = new Map<string, ConnectionState>();
  private readonly ringOrders = new Map<number, { order: number[]; ref: SourceRef }>();
  private readonly ringNext = new Map<number, Map<number, number>>();
  private ringNeighbours = 0;
  private readonly ringRefs = new Map<number, SourceRef>();
  private readonly inferredLinks = new Map<number, Set<number>>();
  private readonly trees = new Map<number | string, NcclTreeNode>();
  readonly graphs: PendingGraph[] = [];

  constructor(
    readonly id: string,
    private readonly budget = new CommBudget(),
  ) {}

  noteRanks(nRanks: number): void {
    this.nRanks = Math.max(this.nRanks, nRanks);
  }

  addConnection(
    line: { from: number; to: number; fromDev: string; toDev: string; side?: 'send' | 'receive'; channel: number; via: string },
    ref: SourceRef,
  ): void {
    const parsed = parseVia(line.via);
    const key = `${line.from}>${line.to}|${parsed.key}`;
    let conn = this.connections.get(key);
    if (!conn) {
      if (this.connections.size >= MAX_CONNECTIONS || this.budget.connections <= 0) {
        this.dropped++;
        return;
      }
      this.budget.connections--;
      conn = {
        from: line.from,
        to: line.to,
        fromDev: line.fromDev,
        toDev: line.toDev,
        transport: parsed.transport,
        via: parsed.key,
        lineCount: 0,
        channelsLo: 0,
        channelsHi: 0,
        sideBits: 0,
        ref,
      };
      if (parsed.mode !== undefined) conn.mode = parsed.mode;
      if (parsed.net) conn.net = { ...parsed.net };
      this.connections.set(key, conn);
    }
    conn.lineCount++;
    const ch = line.channel;
    if (ch < 32) conn.channelsLo |= 1 << ch;
    else if (ch < 64) conn.channelsHi |= 1 << (ch - 32);
    else if (ch < MAX_CHANNEL_NUMBER) (conn.channelsMore ??= new Set()).add(ch);
    if (line.side === 'send') conn.sideBits |= 1;
    else if (line.side === 'receive') conn.sideBits |= 2;
    this.noteRanks(Math.max(line.from, line.to) + 1);
  }

  addRingOrder(channel: number, order: number[], ref: SourceRef): void {
    if (!this.ringOrders.has(channel) && channel < MAX_CHANNEL_NUMBER) this.ringOrders.set(channel, { order, ref });
  }

  /**
   * `rank`'s successor on a ring channel. `inferred` links come from the `prev` of a `Ring` line
   * (prev -> me): they fill gaps (pasted excerpts with one line per ring) but never override
   * what a rank printed about itself.
   */
  addRingNeighbour(channel: number, rank: number, next: number, ref: SourceRef, inferred = false): void {
    if (channel >= MAX_CHANNEL_NUMBER || this.ringNeighbours >= MAX_RING_NEIGHBOURS || this.budget.ringNeighbours <= 0 || rank < 0 || next < 0) return;
    let next_ = this.ringNext.get(channel);
    if (!next_) {
      next_ = new Map();
      this.ringNext.set(channel, next_);
      this.ringRefs.set(channel, ref);
    }
    if (next_.has(rank)) {
      if (inferred || this.inferredLinks.get(channel)?.has(rank) !== true) return;
      this.inferredLinks.get(channel)?.delete(rank);
    } else {
      this.ringNeighbours++;
      this.budget.ringNeighbours--;
    }
    next_.set(rank, next);
    if (inferred) {
      let set = this.inferredLinks.get(channel);
      if (!set) this.inferredLinks.set(channel, (set = new Set()));
      set.add(rank);
    }
  }

  addTreeNode(node: NcclTreeNode): void {
    // A number key while it fits (channels < 1024, ranks < 2^22), else a string.
    const key = node.channel < 1024 && node.rank >= 0 && node.rank < 4194304 ? ((node.channel * 4194304 + node.rank) * 2 + (node.scope === 'net' ? 1 : 0)) : `${node.scope}|${node.channel}|${node.rank}`;
    if (this.trees.has(key)) return;
    if (this.trees.size >= MAX_TREE_NODES || this.budget.treeNodes <= 0) {
      this.dropped++;
      return;
    }
    this.budget.treeNodes--;
    this.trees.set(key, node);
  }


  addGraph(graph: PendingGraph): void {
    if (this.graphs.length < MAX_GRAPHS) this.graphs.push(graph);
    else this.dropped++;
  }

  /**
   * Takes over what `other` collected: the lines a process printed before NCCL named the
   * communicator (NCCL <= 2.17 prints no `Init START`, only `Init COMPLETE` at the end).
   */
  absorb(other: CommState): void {
    for (const [key, c] of other.connections) {
      const mine = this.connections.get(key);
      if (!mine) {
        if (this.connections.size < MAX_CONNECTIONS) this.connections.set(key, c);
        else this.dropped++;
        continue;
      }
      mine.lineCount += c.lineCount;
      mine.channelsLo |= c.channelsLo;
      mine.channelsHi |= c.channelsHi;
      if (c.channelsMore) for (const ch of c.channelsMore) (mine.channelsMore ??= new Set()).add(ch);
      mine.sideBits |= c.sideBits;
      if (c.ref.line < mine.ref.line) mine.ref = c.ref;
    }
    for (const [channel, printed] of other.ringOrders) if (!this.ringOrders.has(channel)) this.ringOrders.set(channel, printed);
    for (const [channel, next] of other.ringNext) {
      const ref = other.ringRefs.get(channel) ?? { line: 0, start: 0, end: 0 };
      for (const [rank, to] of next) this.addRingNeighbour(channel, rank, to, ref, other.inferredLinks.get(channel)?.has(rank) === true);
    }
    for (const node of other.trees.values()) this.addTreeNode(node);
    for (const graph of other.graphs) this.addGraph(graph);
    for (const [rank, info] of other.ranks) if (!this.ranks.has(rank)) this.ranks.set(rank, info);
    this.noteRanks(other.nRanks);
    this.nNodes ??= other.nNodes;
    this.localRanks ??= other.localRanks;
    this.mnnvl ??= other.mnnvl;
    this.channelCounts ??= other.channelCounts;
    this.tuning ??= other.tuning;
    this.ringPxn ??= other.ringPxn;
    this.ringGdr ??= other.ringGdr;
    this.nvlsConnected ||= other.nvlsConnected;
    this.dropped += other.dropped;
  }

  /** Ring order per channel: printed by rank 0, else walked from the `Ring c : prev -> me -> next` lines. */
  private rings(): NcclCommunicator['rings'] {
    const channels = new Set([...this.ringOrders.keys(), ...this.ringNext.keys()]);
    return [...channels]
      .sort((a, b) => a - b)
      .map((channel) => {
        const printed = this.ringOrders.get(channel);
        if (printed) return { channel, order: printed.order, ref: printed.ref };
        const next = this.ringNext.get(channel) ?? new Map<number, number>();
        const start = Math.min(...next.keys());
        const order: number[] = [];
        const seen = new Set<number>();
        for (let r: number | undefined = start; r !== undefined && !seen.has(r) && order.length <= next.size; r = next.get(r)) {
          order.push(r);
          seen.add(r);
        }
        return { channel, order, ref: this.ringRefs.get(channel) ?? { line: 0, start: 0, end: 0 } };
      });
  }

  toModel(hostOf: (process: string) => string): NcclCommunicator {
    const connections: NcclConnection[] = [...this.connections.values()].map((c) => {
      const sides: NcclConnection['sides'] = [];
      if (c.sideBits & 2) sides.push('receive');
      if (c.sideBits & 1) sides.push('send');
      const out: NcclConnection = { from: c.from, to: c.to, fromDev: c.fromDev, toDev: c.toDev, transport: c.transport, via: c.via, lineCount: c.lineCount, channels: channelList(c), sides, ref: c.ref };
      if (c.mode !== undefined) out.mode = c.mode;
      if (c.net) out.net = c.net;
      return out;
    });
    connections.sort((a, b) => a.from - b.from || a.to - b.to || a.via.localeCompare(b.via));
    const seenGraphs = new Set<string>();
    const graphs: NcclGraph[] = [];
    for (const { process, ...g } of this.graphs) {
      const host = hostOf(process);
      const signature = JSON.stringify([host, g.pattern, g.nChannels, g.bwIntra, g.bwInter, g.typeIntra, g.typeInter, g.channels]);
      if (seenGraphs.has(signature)) continue;
      seenGraphs.add(signature);
      graphs.push({ ...g, host });
    }
    const comm: NcclCommunicator = {
      id: this.id,
      nRanks: this.nRanks,
      ranks: [...this.ranks.values()]
        .map((r) => ({ ...r, host: hostOf(r.process) }))
        .sort((a, b) => a.rank - b.rank),
      connections,
      rings: this.rings(),
      trees: [...this.trees.values()].sort((a, b) => a.channel - b.channel || a.rank - b.rank),
      graphs,
      dropped: this.dropped,
    };
    if (this.commId !== undefined) comm.commId = this.commId;
    if (this.nNodes !== undefined) comm.nNodes = this.nNodes;
    if (this.localRanks !== undefined) comm.localRanks = this.localRanks;
    if (this.mnnvl !== undefined) comm.mnnvl = this.mnnvl;
    if (this.channelCounts) comm.channelCounts = this.channelCounts;
    if (this.tuning) comm.tuning = this.tuning;
    if (this.ringPxn !== undefined) comm.ringPxn = this.ringPxn;
    if (this.ringGdr !== undefined) comm.ringGdr = this.ringGdr;
    if (this.nvlsConnected) comm.nvlsConnected = true;
    return comm;
  }
}
