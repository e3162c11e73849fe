/**
 * Rebuilds the topology tree NCCL prints one node per line. Nesting is only visible through
 * indentation: a node's children start at the column where the node's own id starts (roots: 0).
 * Each process prints its tree again for every communicator, so blocks are merged per process
 * (nodes by id, links by endpoints+type) and later per host.
 */
import type { NcclPath, NcclTopoLink, NcclTopoNode, NcclTopology, SourceRef } from './model';
import type { TopoNodeToken, TopologyRecord } from './topologyLines';

const MAX_NODES = 512;
const MAX_LINKS = 2048;
const MAX_PATHS = 8192;

/** Mutable per-process (or per-host) topology with Map-backed dedup. */
export class TopologyAccumulator {
  maxBw = 0;
  totalBw = 0;
  ref: SourceRef | undefined;
  readonly nodes = new Map<string, NcclTopoNode>();
  readonly links = new Map<string, NcclTopoLink>();
  readonly paths = new Map<string, NcclPath>();

  header(maxBw: number, totalBw: number, ref: SourceRef): void {
    this.maxBw = Math.max(this.maxBw, maxBw);
    this.totalBw = Math.max(this.totalBw, totalBw);
    this.ref ??= ref;
  }

  addNode(node: NcclTopoNode): void {
    const existing = this.nodes.get(node.id);
    if (existing) {
      if (existing.rank === undefined && node.rank !== undefined) existing.rank = node.rank;
      return;
    }
    if (this.nodes.size < MAX_NODES) this.nodes.set(node.id, node);
  }

  addLink(link: NcclTopoLink): void {
    const key = `${link.from}|${link.to}|${link.type}`;
    if (!this.links.has(key) && this.links.size < MAX_LINKS) this.links.set(key, link);
  }

  addPath(path: NcclPath): void {
    const key = `${path.from}|${path.to}`;
    if (!this.paths.has(key) && this.paths.size < MAX_PATHS) this.paths.set(key, path);
  }

  mergeFrom(other: TopologyAccumulator): void {
    if (other.ref) this.header(other.maxBw, other.totalBw, other.ref);
    for (const n of other.nodes.values()) this.addNode({ ...n });
    for (const l of other.links.values()) this.addLink(l);
    for (const p of other.paths.values()) this.addPath(p);
  }

  isEmpty(): boolean {
    return this.nodes.size === 0 && this.paths.size === 0 && this.ref === undefined;
  }

  toModel(): NcclTopology {
    return {
      maxBw: this.maxBw,
      totalBw: this.totalBw,
      nodes: [...this.nodes.values()],
      links: [...this.links.values()],
      paths: [...this.paths.values()],
      ref: this.ref ?? { line: 0, start: 0, end: 0 },
    };
  }
}

function nodeFrom(token: TopoNodeToken, detail: string | undefined, ref: SourceRef): NcclTopoNode {
  const node: NcclTopoNode = { id: token.id, type: token.type, localId: token.localId, ref };
  if (token.systemId !== undefined) node.systemId = token.systemId;
  if (detail !== undefined) {
    node.detail = detail;
    if (token.type === 'GPU' && /^\d{1,9}$/.test(detail)) node.rank = Number(detail);
    if (token.type === 'NET') {
      const bw = Number(detail.split('/').pop());
      if (Number.isFinite(bw)) node.bw = bw;
    }
  }
  return node;
}

/** One open `=== System ===` block on one thread: the indentation stack of its nodes. */
export class TopologyBlock {
  private readonly stack: Array<{ childColumn: number; id: string }> = [];

  constructor(readonly target: TopologyAccumulator) {}

  /** Adds a `topoNode` record; returns false when it does not fit the block (damaged line). */
  add(record: Extract<TopologyRecord, { kind: 'topoNode' }>, ref: SourceRef): boolean {
    const node = nodeFrom(record.node, record.detail, ref);
    if (!record.link) {
      // A root (CPU, or NVS/NIC on some systems): its children are `+` lines at column 0.
      this.stack.length = 0;
      this.target.addNode(node);
      this.stack.push({ childColumn: 0, id: node.id });
      return true;
    }
    while (this.stack.length > 0 && this.stack[this.stack.length - 1].childColumn > record.indent) this.stack.pop();
    const parent = this.stack[this.stack.length - 1];
    if (!parent || parent.childColumn !== record.indent) return false;
    this.target.addNode(node);
    this.target.addLink({ from: parent.id, to: node.id, type: record.link.type, bw: record.link.bw, ref });
    this.stack.push({ childColumn: record.nodeColumn, id: node.id });
    return true;
  }
}

export function addPathRecord(target: TopologyAccumulator, record: Extract<TopologyRecord, { kind: 'path' }>, ref: SourceRef): void {
  for (const e of record.entries) {
    target.addPath({ from: record.from.id, to: e.to.id, hops: e.hops, bw: e.bw, type: e.type, ref });
  }
}
