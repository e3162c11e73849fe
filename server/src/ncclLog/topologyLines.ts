/**
 * Classifiers for the structured dumps NCCL prints piecewise with `INFO("%s")`: the topology tree
 * (`=== System : maxBw ...`), the path matrix, graph-search results, ring/tree connectivity and the
 * algorithm/protocol tuning table. Each function looks at one message and returns a record or
 * undefined; state across lines (tree nesting, which block a line belongs to) lives in the parser.
 *
 * Formats: nccl-log-formats.md sections 7-9 and 12, covering 2.18 (`GPU/18000`, `NET/0`) through
 * 2.30 (`GPU/0-18000`, NET nodes with collSupport). Lists are split on spaces and each token checked
 * by an anchored regex instead of one regex with a repeated group, to keep matching linear.
 */

export interface TopoNodeToken {
  id: string;
  type: string;
  systemId?: string;
  localId: string;
}

export type TopologyRecord =
  | { kind: 'topoHeader'; maxBw: number; totalBw: number }
  | { kind: 'topoFooter' }
  | {
      kind: 'topoNode';
      /** Column of the `+` (links) or of the node id (roots), relative to the message. */
      indent: number;
      /** Column where the node id starts: children of this node are indented to it. */
      nodeColumn: number;
      link?: { type: string; bw: number };
      node: TopoNodeToken;
      detail?: string;
    }
  | { kind: 'path'; from: TopoNodeToken; entries: Array<{ to: TopoNodeToken; hops: number; bw: number; type: string }> }
  | {
      kind: 'graphPattern';
      pattern: number;
      crossNic: number;
      nChannels: number;
      bwIntra: number;
      bwInter: number;
      typeIntra: string;
      typeInter: string;
      sameChannels: number;
    }
  | { kind: 'graphChannel'; channel: number; nodes: string[] }
  | { kind: 'ringOrder'; channel: number; order: number[] }
  | { kind: 'ring'; channel: number; prev: number; rank: number; next: number }
  | { kind: 'trees'; entries: Array<{ channel: number; down: number[]; rank: number; up: number }> }
  | { kind: 'netTree'; channel: number; up: number; rank: number; down: number[] }
  | { kind: 'tuningAlgorithms'; algorithms: string[] }
  | { kind: 'tuningProtocols'; protocols: string[] }
  | { kind: 'tuningThreads'; threads: number[] }
  | { kind: 'tuningRow'; func: string; cells: Array<{ latencyUs: number; bwGBs: number }> };

const NODE_TOKEN = /^([A-Z]{2,4})\/([0-9a-fA-F]{1,16})(?:-([0-9a-fA-F]{1,16}))?$/;

/** Normalises a hex id the way NCCL prints `%lx`: lowercase, no leading zeros. */
export function normalizeHexId(hex: string): string {
  const lower = hex.toLowerCase().replace(/^0+/, '');
  return lower === '' ? '0' : lower;
}

export function parseNodeToken(token: string): TopoNodeToken | undefined {
  const m = NODE_TOKEN.exec(token);
  if (!m) return undefined;
  // <= 2.20 printed one upper-case id (`GPU/18000`); 2.21+ prints `systemId-localId`.
  const hasSystem = m[3] !== undefined;
  const localId = normalizeHexId(hasSystem ? m[3] : m[2]);
  const systemId = hasSystem ? normalizeHexId(m[2]) : undefined;
  return { id: `${m[1]}/${systemId !== undefined ? `${systemId}-` : ''}${localId}`, type: m[1], systemId, localId };
}

// NCCL <= 2.11 called the two figures maxWidth / totalWidth.
const HEADER = /^=== System : max(?:Bw|Width) (\d{1,9}(?:\.\d{1,9})?) total(?:Bw|Width) (\d{1,9}(?:\.\d{1,9})?) ===/;
const LINK = /^( {0,512})\+ ([A-Z0-9]{2,4})\[(\d{1,9}(?:\.\d{1,9})?)\] - (\S{3,40})(?: \(([^)]{0,200})\))?/;
const ROOT = /^(\S{3,40})(?: \(([^)]{0,200})\))?(?: \[[^\]]{0,40}\])?$/;
const PATH_START = /^(\S{3,40}) :/;
const PATH_ENTRY = /^\((\d{1,4})\/(\d{1,9}(?:\.\d{1,9})?)\/([A-Z0-9]{2,4})\)$/;
const PATTERN =
  /^Pattern (\d{1,3}), crossNic (\d{1,3}), nChannels (\d{1,4}), bw (\d{1,9}(?:\.\d{1,9})?)\/(\d{1,9}(?:\.\d{1,9})?), type ([A-Z0-9]{2,4})\/([A-Z0-9]{2,4}), sameChannels (\d{1,3})/;
const GRAPH_CHANNEL = /^ {0,4}(\d{1,4}) :(.*)$/;
const RING_ORDER = /^Channel (\d{1,4})\/(\d{1,4}) :(.*)$/;
const RING = /^Ring (\d{1,4}) : (-?\d{1,9}) -> (-?\d{1,9}) -> (-?\d{1,9})$/;
const TREE_ENTRY = /\[(\d{1,4})\] (-?\d{1,9})\/(-?\d{1,9})\/(-?\d{1,9})->(-?\d{1,9})->(-?\d{1,9})/g;
const NET_TREE = /^Tree (\d{1,4}) : (-?\d{1,9}) -> (-?\d{1,9}) -> (-?\d{1,9})\/(-?\d{1,9})\/(-?\d{1,9})$/;
const TUNING_ROW = /^ {0,16}([A-Za-z]{2,24}) \|(.*)$/;
const TUNING_CELL = /^\s{0,16}(\d{1,9}(?:\.\d{1,9})?)\/\s{0,16}(\d{1,9}(?:\.\d{1,9})?)\s{0,16}$/;

function tokens(text: string): string[] {
  return text.split(' ').filter((t) => t !== '');
}

function topoNode(message: string): TopologyRecord | undefined {
  const link = LINK.exec(message);
  if (link) {
    const node = parseNodeToken(link[4]);
    if (!node) return undefined;
    const nodeColumn = link[1].length + message.slice(link[1].length).indexOf(link[4]);
    return {
      kind: 'topoNode',
      indent: link[1].length,
      nodeColumn,
      link: { type: link[2], bw: Number(link[3]) },
      node,
      detail: link[5],
    };
  }
  const root = ROOT.exec(message);
  if (!root) return undefined;
  const node = parseNodeToken(root[1]);
  return node ? { kind: 'topoNode', indent: 0, nodeColumn: 0, node, detail: root[2] } : undefined;
}

function pathLine(message: string): TopologyRecord | undefined {
  const start = PATH_START.exec(message);
  if (!start) return undefined;
  const from = parseNodeToken(start[1]);
  if (!from) return undefined;
  const parts = tokens(message.slice(start[0].length));
  if (parts.length % 2 !== 0) return undefined;
  const entries: Array<{ to: TopoNodeToken; hops: number; bw: number; type: string }> = [];
  for (let i = 0; i < parts.length; i += 2) {
    const to = parseNodeToken(parts[i]);
    const info = PATH_ENTRY.exec(parts[i + 1]);
    if (!to || !info) return undefined;
    entries.push({ to, hops: Number(info[1]), bw: Number(info[2]), type: info[3] });
  }
  return { kind: 'path', from, entries };
}

function tuningLine(message: string): TopologyRecord | undefined {
  const bar = message.indexOf('|');
  if (bar < 0) return undefined;
  const head = message.slice(0, bar).trim();
  const cells = message
    .slice(bar + 1)
    .split('|')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  if (head === 'Algorithm') return { kind: 'tuningAlgorithms', algorithms: cells };
  if (head === 'Protocol') return { kind: 'tuningProtocols', protocols: cells };
  if (head === 'Max NThreads') {
    const threads = cells.map(Number);
    return threads.every(Number.isFinite) ? { kind: 'tuningThreads', threads } : undefined;
  }
  const row = TUNING_ROW.exec(message);
  if (!row) return undefined;
  const parsed: Array<{ latencyUs: number; bwGBs: number }> = [];
  for (const cell of row[2].split('|')) {
    if (cell.trim() === '') continue;
    const m = TUNING_CELL.exec(cell);
    if (!m) return undefined;
    parsed.push({ latencyUs: Number(m[1]), bwGBs: Number(m[2]) });
  }
  return parsed.length > 0 ? { kind: 'tuningRow', func: row[1], cells: parsed } : undefined;
}

function numbers(text: string): number[] | undefined {
  const out: number[] = [];
  for (const t of tokens(text)) {
    if (t === '...') break; // rank list truncated at 128 characters
    if (!/^-?\d{1,9}$/.test(t)) return undefined;
    out.push(Number(t));
  }
  return out;
}

/** Topology/graph/ring/tuning records, or undefined when the message is none of them. */
export function classifyTopologyMessage(message: string): TopologyRecord | undefined {
  const first = message.charCodeAt(0);
  if (message.startsWith('=== System')) {
    const m = HEADER.exec(message);
    return m ? { kind: 'topoHeader', maxBw: Number(m[1]), totalBw: Number(m[2]) } : undefined;
  }
  if (first === 61 /* = */) return /^={10,200}$/.test(message) ? { kind: 'topoFooter' } : undefined;
  if (message.includes('|')) return tuningLine(message);
  if (message.startsWith('Pattern ')) {
    const m = PATTERN.exec(message);
    if (!m) return undefined;
    return {
      kind: 'graphPattern',
      pattern: Number(m[1]),
      crossNic: Number(m[2]),
      nChannels: Number(m[3]),
      bwIntra: Number(m[4]),
      bwInter: Number(m[5]),
      typeIntra: m[6],
      typeInter: m[7],
      sameChannels: Number(m[8]),
    };
  }
  if (message.startsWith('Channel ')) {
    const m = RING_ORDER.exec(message);
    const order = m ? numbers(m[3]) : undefined;
    return m && order ? { kind: 'ringOrder', channel: Number(m[1]), order } : undefined;
  }
  if (message.startsWith('Ring ')) {
    const m = RING.exec(message);
    return m ? { kind: 'ring', channel: Number(m[1]), prev: Number(m[2]), rank: Number(m[3]), next: Number(m[4]) } : undefined;
  }
  if (message.startsWith('Trees')) {
    const entries: Array<{ channel: number; down: number[]; rank: number; up: number }> = [];
    for (const m of message.matchAll(TREE_ENTRY)) {
      entries.push({ channel: Number(m[1]), down: [Number(m[2]), Number(m[3]), Number(m[4])], rank: Number(m[5]), up: Number(m[6]) });
    }
    return { kind: 'trees', entries };
  }
  if (message.startsWith('Tree ')) {
    const m = NET_TREE.exec(message);
    if (!m) return undefined;
    return { kind: 'netTree', channel: Number(m[1]), up: Number(m[2]), rank: Number(m[3]), down: [Number(m[4]), Number(m[5]), Number(m[6])] };
  }
  if (first === 32 /* space */ || (first >= 48 && first <= 57)) {
    const m = GRAPH_CHANNEL.exec(message);
    if (m) {
      const nodes = tokens(m[2]);
      if (nodes.length > 0 && nodes.every((t) => NODE_TOKEN.test(t))) {
        return { kind: 'graphChannel', channel: Number(m[1]), nodes: nodes.map((t) => parseNodeToken(t)?.id ?? t) };
      }
    }
  }
  if (first === 32 || first === 43 /* + */) return topoNode(message);
  if (first >= 65 && first <= 90 && message.includes('/')) {
    return message.includes(' :') ? pathLine(message) : topoNode(message);
  }
  return undefined;
}
