/**
 * Which drawn boxes a communicator's ring or tree passes through, channel by channel, for each host
 * a drawing stands for. Identically built hosts share one drawing (topologyPage.ts), so a rank is
 * placed by its own host and PCI bus id, never by the rank printed in the dump: that one belongs to
 * the first host's processes. Pure: no markup and no geometry (overlaySvg.ts draws the result).
 */
import type { NcclCommunicator, NcclConnection, NcclHost, NcclRank, NcclTopology, NcclTreeNode } from '../ncclLog/model';
import { clip } from './html';
import { kindOf } from './topologyLayout';

/** `local`: both ranks on this host; `out`/`in`: the hop leaves or enters the host. */
export type HopKind = 'local' | 'out' | 'in';

export interface OverlayHop {
  kind: HopKind;
  from: number;
  to: number;
  /** Topology node ids of the GPU boxes at the ends that are on this host. */
  fromNode?: string;
  toNode?: string;
  /** NET box an `out`/`in` hop goes through, when the channel lines or the dump say which. */
  netNode?: string;
  /** Host of the rank at the far end of an `out`/`in` hop; undefined when the log lacks its init line. */
  peerHost?: string;
  /** The transport NCCL printed for this pair on this channel, e.g. `P2P/CUMEM`, `NET/Socket/0`. */
  via?: string;
}

export interface OverlayRoute {
  hops: OverlayHop[];
  /** Ranks on this host whose bus id is not in the dump, so no box to draw them on. */
  unplaced: number[];
  /** Plain text for screen readers and the line under the control (escaped where it is printed). */
  description: string;
}

export interface OverlayChoice {
  comm: NcclCommunicator;
  kind: 'ring' | 'tree';
  channel: number;
  /** `0 → 1 → 2 → 3 → 0` for a ring, `0 → 1, 1 → 2` (parent → child) for a tree. */
  text: string;
  /** One per host of the drawing; undefined where the communicator has no rank on that host. */
  routes: Array<OverlayRoute | undefined>;
}

const MAX_CHANNELS = 64;
const MAX_TEXT_RANKS = 16;

/** Every ring and tree channel of `comms` that touches one of `hosts`, at most `max` of them. */
export function overlayChoices(comms: readonly NcclCommunicator[], hosts: readonly NcclHost[], topology: NcclTopology, max: number): { choices: OverlayChoice[]; dropped: number } {
  const drawing: Drawing = {
    gpuByBus: new Map(topology.nodes.filter((n) => kindOf(n.type) === 'gpu').map((n) => [n.localId, n.id])),
    nets: topology.nodes.filter((n) => kindOf(n.type) === 'net'),
  };
  const choices: OverlayChoice[] = [];
  let dropped = 0;
  for (const comm of comms) {
    const placed = new Set(comm.ranks.map((r) => r.host));
    if (!hosts.some((h) => placed.has(h.name))) continue;
    const index = indexComm(comm);
    const graphs = [
      ...comm.rings.slice(0, MAX_CHANNELS).map((r) => ({ kind: 'ring' as const, channel: r.channel, edges: ringEdges(r.order), text: ringText(r.order) })),
      ...treeChannels(comm.trees).slice(0, MAX_CHANNELS).map(({ channel, edges }) => ({ kind: 'tree' as const, channel, edges, text: treeText(edges) })),
    ];
    for (const g of graphs) {
      if (choices.length >= max) {
        dropped++;
        continue;
      }
      const routes = hosts.map((host) => (placed.has(host.name) ? route(index, g.edges, g.channel, host.name, drawing) : undefined));
      choices.push({ comm, kind: g.kind, channel: g.channel, text: g.text, routes });
    }
  }
  return { choices, dropped };
}

/** The boxes a rank can land on: GPUs by bus id, and the NET devices. */
interface Drawing {
  gpuByBus: Map<string, string>;
  nets: NcclTopology['nodes'];
}

/** Lookups built once per communicator: a ring of 512 ranks is walked once per host and channel. */
interface CommIndex {
  ranks: Map<number, NcclRank>;
  pairs: Map<string, NcclConnection[]>;
}

function indexComm(comm: NcclCommunicator): CommIndex {
  const pairs = new Map<string, NcclConnection[]>();
  for (const c of comm.connections) {
    const key = `${c.from}>${c.to}`;
    if (!pairs.has(key)) pairs.set(key, []);
    pairs.get(key)!.push(c);
  }
  return { ranks: new Map(comm.ranks.map((r) => [r.rank, r])), pairs };
}

type Edge = [number, number];

function ringEdges(order: number[]): Edge[] {
  return order.length < 2 ? [] : order.map((r, i): Edge => [r, order[(i + 1) % order.length]]);
}

/** Parent → child edges per channel; the whole-communicator `Trees` lines win over node heads' `Tree` lines. */
function treeChannels(nodes: NcclTreeNode[]): Array<{ channel: number; edges: Edge[] }> {
  const byChannel = new Map<number, NcclTreeNode[]>();
  for (const n of nodes) {
    if (!byChannel.has(n.channel)) byChannel.set(n.channel, []);
    byChannel.get(n.channel)!.push(n);
  }
  return [...byChannel].sort((a, b) => a[0] - b[0]).map(([channel, list]) => {
    const whole = list.filter((n) => n.scope === 'comm');
    const seen = new Set<string>();
    const edges: Edge[] = [];
    const add = (up: number, down: number) => {
      const key = `${up}>${down}`;
      if (up < 0 || down < 0 || up === down || seen.has(key)) return;
      seen.add(key);
      edges.push([up, down]);
    };
    for (const n of whole.length > 0 ? whole : list) {
      add(n.up, n.rank);
      n.down.forEach((d) => add(n.rank, d));
    }
    return { channel, edges };
  });
}

function ringText(order: number[]): string {
  if (order.length === 0) return '';
  const shown = order.slice(0, MAX_TEXT_RANKS).join(' → ');
  return order.length > MAX_TEXT_RANKS ? `${shown} → … (${order.length} ranks)` : `${shown} → ${order[0]}`;
}

function treeText(edges: Edge[]): string {
  const shown = edges.slice(0, MAX_TEXT_RANKS).map(([a, b]) => `${a} → ${b}`).join(', ');
  return edges.length > MAX_TEXT_RANKS ? `${shown}, … (${edges.length} edges)` : shown || 'no edges';
}

/** The line NCCL printed for a → b, preferring the one that names this channel. */
function connection(index: CommIndex, a: number, b: number, channel: number): NcclConnection | undefined {
  const pair = index.pairs.get(`${a}>${b}`) ?? [];
  return pair.find((c) => c.channels.includes(channel)) ?? pair[0];
}

/** The NET box of a connection (`NET/IB/1` is device 1, printed as `NET/<sys>-1`), or the only one there is. */
function netBox(conn: NcclConnection | undefined, nets: NcclTopology['nodes']): string | undefined {
  if (conn && conn.transport !== 'NET' && conn.transport !== 'COLLNET') return undefined;
  const dev = conn?.net?.dev;
  const named = dev !== undefined && dev >= 0 ? nets.find((n) => n.localId === dev.toString(16)) : undefined;
  return (named ?? (nets.length === 1 ? nets[0] : undefined))?.id;
}

function route(index: CommIndex, edges: Edge[], channel: number, host: string, drawing: Drawing): OverlayRoute {
  const { ranks } = index;
  const hops: OverlayHop[] = [];
  const unplaced = new Set<number>();
  const box = (rank: number) => {
    const id = drawing.gpuByBus.get(ranks.get(rank)!.busId);
    if (!id) unplaced.add(rank);
    return id;
  };
  for (const [a, b] of edges) {
    const ra = ranks.get(a);
    const rb = ranks.get(b);
    if (ra?.host !== host && rb?.host !== host) continue;
    const conn = connection(index, a, b, channel);
    const via = conn?.via;
    // A rank without an init line is on another host unless NCCL printed a host-local transport to it.
    const local = conn !== undefined && conn.transport !== 'NET' && conn.transport !== 'COLLNET';
    const aHere = ra ? ra.host === host : local;
    const bHere = rb ? rb.host === host : local;
    if (aHere && bHere) {
      if (!ra) unplaced.add(a);
      if (!rb) unplaced.add(b);
      const fromNode = ra ? box(a) : undefined;
      const toNode = rb ? box(b) : undefined;
      if (fromNode && toNode && fromNode !== toNode) hops.push({ kind: 'local', from: a, to: b, fromNode, toNode, ...(via ? { via } : {}) });
    } else {
      const node = box(aHere ? a : b);
      const peer = (aHere ? rb : ra)?.host;
      const netNode = netBox(conn, drawing.nets);
      if (node) hops.push({ kind: aHere ? 'out' : 'in', from: a, to: b, ...(aHere ? { fromNode: node } : { toNode: node }), ...(netNode ? { netNode } : {}), ...(peer ? { peerHost: peer } : {}), ...(via ? { via } : {}) });
    }
  }
  const list = [...unplaced].sort((x, y) => x - y);
  return { hops, unplaced: list, description: describe(hops, list, ranks) };
}

function describe(hops: OverlayHop[], unplaced: number[], ranks: Map<number, NcclRank>): string {
  const gpu = (r: number) => `rank ${r} (GPU ${ranks.get(r)?.cudaDev ?? '?'})`;
  const far = (r: number, host: string | undefined) => `rank ${r} on ${host ? clip(host, 120) : 'a host not in this log'}`;
  const over = (h: OverlayHop) => (h.via ? ` over ${h.via}` : '');
  const parts = hops.map((h) =>
    h.kind === 'local' ? `${gpu(h.from)} → ${gpu(h.to)}${over(h)}` : h.kind === 'out' ? `${gpu(h.from)} leaves the host → ${far(h.to, h.peerHost)}${over(h)}` : `${far(h.from, h.peerHost)} enters the host → ${gpu(h.to)}${over(h)}`,
  );
  const leaving = hops.filter((h) => h.kind !== 'local').length;
  const head = `${hops.length} hop${hops.length === 1 ? '' : 's'} on this host${leaving ? `, ${leaving} leaving or entering it (NET)` : ''}`;
  const missing = unplaced.length ? ` Not drawn: rank${unplaced.length === 1 ? '' : 's'} ${unplaced.join(', ')} (bus id not in the topology dump).` : '';
  return `${head}${parts.length ? `: ${parts.join('; ')}.` : '.'}${missing}`;
}
