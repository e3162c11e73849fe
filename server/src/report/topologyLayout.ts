/**
 * Places one host's NCCL topology on a grid, org-chart style: CPUs on top, PCI switches below them
 * by depth, GPUs and NICs on one row, NET devices under their NIC, NVSwitches at the bottom spanning
 * the GPUs they connect. The tree is the printed PCI/NET hierarchy; NVLink, SYS (CPU-CPU) and
 * anything else are drawn as cross links. Pure geometry: topologySvg.ts turns it into markup.
 */
import type { NcclTopoLink, NcclTopoNode, NcclTopology } from '../ncclLog/model';

export type NodeKind = 'cpu' | 'pci' | 'gpu' | 'nic' | 'net' | 'nvs' | 'other';

export interface LaidNode {
  node: NcclTopoNode;
  kind: NodeKind;
  /** Centre x, top y, size. */
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LaidLink {
  link: NcclTopoLink;
  /** SVG path data. */
  d: string;
  label?: { x: number; y: number; anchor: 'start' | 'middle' };
}

export interface TopologyLayout {
  nodes: LaidNode[];
  links: LaidLink[];
  width: number;
  height: number;
  /** Links drawn without a label because there are too many to label (GPU-GPU NVLink meshes). */
  unlabelled: number;
}

export const BOX_W = 136;
const SLOT = 164;
const ROW_GAP = 56;
const MARGIN = 16;
const LINE_H = 15;
const MAX_ARC_LABELS = 6;

const KINDS: Record<string, NodeKind> = { CPU: 'cpu', PCI: 'pci', GPU: 'gpu', NIC: 'nic', NET: 'net', NVS: 'nvs' };

export function kindOf(type: string): NodeKind {
  return KINDS[type.toUpperCase()] ?? 'other';
}

export const boxHeight = (lines: number) => 10 + lines * LINE_H;

/** Tree edges: who may parent whom in the drawing. NVLink, SYS and loops are always cross links. */
function isTreeEdge(link: NcclTopoLink, from: NodeKind, to: NodeKind): boolean {
  if (link.type === 'NVL' || link.type === 'SYS' || link.type === 'LOC' || link.from === link.to) return false;
  if (to === 'cpu' || to === 'nvs') return false;
  if (from === 'nic') return to === 'net';
  return from === 'cpu' || from === 'pci' || from === 'other';
}

interface Tree {
  children: Map<string, string[]>;
  roots: string[];
  treeLinks: Set<NcclTopoLink>;
}

function buildTree(nodes: NcclTopoNode[], links: NcclTopoLink[], kinds: Map<string, NodeKind>): Tree {
  const out = new Map<string, NcclTopoLink[]>();
  for (const l of links) out.set(l.from, [...(out.get(l.from) ?? []), l]);
  const children = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  const treeLinks = new Set<NcclTopoLink>();
  const reached = new Set<string>();
  const roots: string[] = [];
  const visit = (root: string) => {
    roots.push(root);
    reached.add(root);
    const queue = [root];
    for (let i = 0; i < queue.length; i++) {
      for (const l of out.get(queue[i]) ?? []) {
        if (reached.has(l.to) || !kinds.has(l.to) || !isTreeEdge(l, kinds.get(l.from)!, kinds.get(l.to)!)) continue;
        reached.add(l.to);
        treeLinks.add(l);
        children.get(l.from)!.push(l.to);
        queue.push(l.to);
      }
    }
  };
  for (const n of nodes) if (kinds.get(n.id) === 'cpu') visit(n.id);
  for (const n of nodes) if (!reached.has(n.id) && kinds.get(n.id) !== 'nvs') visit(n.id);
  return { children, roots, treeLinks };
}

/** Row of each tree node: CPUs/switches by depth, GPUs and NICs on one row, NETs below it. */
function assignRows(tree: Tree, kinds: Map<string, NodeKind>): { rows: Map<string, number>; endpointRow: number } {
  const depth = new Map<string, number>();
  const walk = (id: string, d: number) => {
    depth.set(id, d);
    for (const c of tree.children.get(id) ?? []) walk(c, d + 1);
  };
  tree.roots.forEach((r) => walk(r, 0));
  const endpoint = (id: string) => ['gpu', 'nic'].includes(kinds.get(id)!) || (kinds.get(id) === 'other' && (tree.children.get(id)?.length ?? 0) === 0);
  let interiorMax = -1;
  for (const [id, d] of depth) if (!endpoint(id) && kinds.get(id) !== 'net') interiorMax = Math.max(interiorMax, d);
  const endpointRow = interiorMax + 1;
  const rows = new Map<string, number>();
  for (const [id, d] of depth) rows.set(id, endpoint(id) ? endpointRow : kinds.get(id) === 'net' ? endpointRow + 1 : d);
  return { rows, endpointRow };
}

/** Leaves get consecutive slots in depth-first order; parents sit centred over their children. */
function assignColumns(tree: Tree): { cols: Map<string, number>; slots: number } {
  const cols = new Map<string, number>();
  let next = 0;
  const walk = (id: string): number => {
    const kids = tree.children.get(id) ?? [];
    if (kids.length === 0) {
      cols.set(id, next++);
      return cols.get(id)!;
    }
    const xs = kids.map(walk);
    cols.set(id, (xs[0] + xs[xs.length - 1]) / 2);
    return cols.get(id)!;
  };
  tree.roots.forEach(walk);
  return { cols, slots: next };
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);
const undirected = (l: NcclTopoLink) => (l.from < l.to ? `${l.from}|${l.to}|${l.type}` : `${l.to}|${l.from}|${l.type}`);

export interface LayoutInput {
  topology: NcclTopology;
  /** Number of text lines in each node's box. */
  lineCount: (node: NcclTopoNode, kind: NodeKind) => number;
}

export function layoutTopology({ topology, lineCount }: LayoutInput): TopologyLayout {
  const nodes = dedupe(topology.nodes);
  const kinds = new Map(nodes.map((n) => [n.id, kindOf(n.type)]));
  const links = topology.links.filter((l) => kinds.has(l.from) && kinds.has(l.to));
  const tree = buildTree(nodes, links, kinds);
  const { rows, endpointRow } = assignRows(tree, kinds);
  const { cols, slots } = assignColumns(tree);
  const crossLinks = dedupeLinks(links.filter((l) => !tree.treeLinks.has(l) && l.type !== 'LOC' && l.from !== l.to));
  const arcs = crossLinks.filter((l) => l.type === 'NVL' && kinds.get(l.from) === 'gpu' && kinds.get(l.to) === 'gpu');
  const cpuArcs = crossLinks.filter((l) => kinds.get(l.from) === 'cpu' && kinds.get(l.to) === 'cpu');
  const nvsList = nodes.filter((n) => kinds.get(n.id) === 'nvs');

  const height = (n: NcclTopoNode) => boxHeight(lineCount(n, kinds.get(n.id)!));
  const xOf = (col: number) => MARGIN + col * SLOT + SLOT / 2;
  const spans = switchSpans(nvsList, links, cols, slots, xOf);
  const netXs = nodes.filter((n) => kinds.get(n.id) === 'net' && cols.has(n.id)).map((n) => xOf(cols.get(n.id)!));
  // A single NVSwitch shares the NET row when no NET box is in its way: a more compact drawing.
  const switchOnNetRow = spans.size === 1 && [...spans.values()].every((sp) => netXs.every((x) => x + BOX_W / 2 + 12 < sp.left || x - BOX_W / 2 - 12 > sp.right));

  // CPU-CPU links: neighbours get a straight line (its label above the boxes when the gap is too
  // narrow for it), the others an arc over the row whose height grows with the number of CPUs spanned,
  // so arcs and their labels do not lie on each other.
  const cpuOrder = nodes.filter((n) => kinds.get(n.id) === 'cpu' && cols.has(n.id)).map((n) => n.id).sort((a, b) => cols.get(a)! - cols.get(b)!);
  const cpuSpan = (l: NcclTopoLink) => Math.abs(cpuOrder.indexOf(l.from) - cpuOrder.indexOf(l.to));
  const maxSpan = Math.max(0, ...cpuArcs.map(cpuSpan));
  const narrowCpuLabel = cpuArcs.some((l) => cpuSpan(l) === 1 && Math.abs(xOf(cols.get(l.from)!) - xOf(cols.get(l.to)!)) - BOX_W < labelWidth(l) + 8);
  const topRoom = maxSpan > 1 ? cpuApex(maxSpan) + 16 : narrowCpuLabel ? 14 : 8;
  const rowCount = Math.max(endpointRow + 2, ...[...rows.values()].map((r) => r + 1));
  const rowHeights = Array.from({ length: rowCount }, (_, r) => Math.max(0, ...nodes.filter((n) => rows.get(n.id) === r).map(height)));
  if (switchOnNetRow) rowHeights[endpointRow + 1] = Math.max(rowHeights[endpointRow + 1], ...nvsList.map(height));
  const arcRoom = arcs.length > 0 ? Math.min(150, 24 + Math.max(...arcs.map((l) => Math.abs(cols.get(l.from)! - cols.get(l.to)!))) * 26) : 0;
  const rowTop: number[] = [];
  let y = MARGIN + topRoom;
  for (let r = 0; r < rowCount; r++) {
    rowTop.push(y);
    if (rowHeights[r] > 0 || r <= endpointRow) y += rowHeights[r] + ROW_GAP;
    if (r === endpointRow) y += arcRoom;
  }
  const laid = new Map<string, LaidNode>();
  for (const n of nodes) {
    if (rows.has(n.id)) laid.set(n.id, { node: n, kind: kinds.get(n.id)!, x: xOf(cols.get(n.id)!), y: rowTop[rows.get(n.id)!], w: BOX_W, h: height(n) });
  }
  if (switchOnNetRow) y = rowTop[endpointRow + 1];
  for (const nvs of nvsList) {
    const sp = spans.get(nvs.id)!;
    laid.set(nvs.id, { node: nvs, kind: 'nvs', x: (sp.left + sp.right) / 2, y, w: sp.right - sp.left, h: height(nvs) });
    y += height(nvs) + ROW_GAP;
  }
  const placed = [...laid.values()];
  const width = MARGIN * 2 + Math.max(SLOT, ...placed.map((n) => n.x + n.w / 2 + (SLOT - BOX_W) / 2 - MARGIN));
  const totalHeight = Math.max(...placed.map((n) => n.y + n.h), 0) + MARGIN;
  const drawn = [
    ...links.filter((l) => tree.treeLinks.has(l)).map((l) => treeLink(l, laid)),
    ...crossLinks.map((l) => crossLink(l, laid, arcs.length <= MAX_ARC_LABELS, cpuSpan(l))),
  ].filter((l): l is LaidLink => l !== undefined);
  return { nodes: placed, links: drawn, width, height: totalHeight, unlabelled: arcs.length > MAX_ARC_LABELS ? arcs.length : 0 };
}

/** Horizontal extent of each NVSwitch: under the GPUs it connects, or a spare slot of its own. */
function switchSpans(nvsList: NcclTopoNode[], links: NcclTopoLink[], cols: Map<string, number>, slots: number, xOf: (col: number) => number): Map<string, { left: number; right: number }> {
  const spans = new Map<string, { left: number; right: number }>();
  let spare = slots;
  for (const nvs of nvsList) {
    const peers = links.filter((l) => l.type === 'NVL' && (l.to === nvs.id || l.from === nvs.id)).map((l) => cols.get(l.to === nvs.id ? l.from : l.to)).filter((c): c is number => c !== undefined);
    const xs = peers.length > 0 ? peers.map(xOf) : [xOf(spare++)];
    spans.set(nvs.id, { left: Math.min(...xs) - BOX_W / 2, right: Math.max(...xs) + BOX_W / 2 });
  }
  return spans;
}

function dedupe(nodes: NcclTopoNode[]): NcclTopoNode[] {
  const seen = new Set<string>();
  return nodes.filter((n) => !seen.has(n.id) && seen.add(n.id) !== undefined);
}

/** One drawing per connection: NCCL prints NVLink and SYS links from both ends. */
function dedupeLinks(links: NcclTopoLink[]): NcclTopoLink[] {
  const seen = new Set<string>();
  return links.filter((l) => !seen.has(undirected(l)) && seen.add(undirected(l)) !== undefined);
}

/** Rise of the arc between CPUs `span` places apart (above the CPU row). */
const cpuApex = (span: number) => 24 + 16 * span;

/** Width of a link label (`SYS 10`) in the drawing's 11px font, estimated: labels are short ASCII. */
export const labelWidth = (l: NcclTopoLink) => 6.5 * `${l.type} ${Math.round(l.bw * 100) / 100}`.length;

function treeLink(link: NcclTopoLink, laid: Map<string, LaidNode>): LaidLink | undefined {
  const p = laid.get(link.from);
  const c = laid.get(link.to);
  if (!p || !c) return undefined;
  const top = c.y;
  const d = p.x === c.x ? `M${fmt(p.x)} ${fmt(p.y + p.h)}V${fmt(top)}` : `M${fmt(p.x)} ${fmt(p.y + p.h)}V${fmt(p.y + p.h + 16)}H${fmt(c.x)}V${fmt(top)}`;
  return { link, d, label: { x: c.x + 5, y: top - 7, anchor: 'start' } };
}

function crossLink(link: NcclTopoLink, laid: Map<string, LaidNode>, labelArcs: boolean, cpuSpan: number): LaidLink | undefined {
  const a = laid.get(link.from);
  const b = laid.get(link.to);
  if (!a || !b) return undefined;
  if (a.kind === 'nvs' || b.kind === 'nvs') {
    const [g, s] = a.kind === 'nvs' ? [b, a] : [a, b];
    return { link, d: `M${fmt(g.x)} ${fmt(g.y + g.h)}V${fmt(s.y)}`, label: { x: g.x + 5, y: s.y - 7, anchor: 'start' } };
  }
  if (a.kind === 'gpu' && b.kind === 'gpu' && link.type === 'NVL') {
    const depth = Math.min(140, 22 + Math.abs(a.x - b.x) * 0.16);
    const base = Math.max(a.y + a.h, b.y + b.h);
    const mid = (a.x + b.x) / 2;
    return { link, d: `M${fmt(a.x)} ${fmt(a.y + a.h)}Q${fmt(mid)} ${fmt(base + depth * 2)} ${fmt(b.x)} ${fmt(b.y + b.h)}`, ...(labelArcs ? { label: { x: mid, y: base + depth + 13, anchor: 'middle' as const } } : {}) };
  }
  if (a.kind === 'cpu' && b.kind === 'cpu') {
    const [l, r] = a.x < b.x ? [a, b] : [b, a];
    const mid = (l.x + r.x) / 2;
    if (cpuSpan <= 1) {
      const cy = Math.min(l.y + l.h, r.y + r.h) / 2 + Math.max(l.y, r.y) / 2;
      const gap = r.x - r.w / 2 - (l.x + l.w / 2);
      // Between neighbours one slot apart the gap is narrower than the label: it goes above the boxes.
      const y = gap >= labelWidth(link) + 8 ? cy - 6 : Math.min(l.y, r.y) - 5;
      return { link, d: `M${fmt(l.x + l.w / 2)} ${fmt(cy)}H${fmt(r.x - r.w / 2)}`, label: { x: mid, y, anchor: 'middle' } };
    }
    const apex = cpuApex(cpuSpan);
    const top = Math.min(l.y, r.y);
    return { link, d: `M${fmt(l.x)} ${fmt(l.y)}Q${fmt(mid)} ${fmt(top - 2 * apex)} ${fmt(r.x)} ${fmt(r.y)}`, label: { x: mid, y: top - apex - 4, anchor: 'middle' } };
  }
  const ay = a.y + a.h / 2;
  const by = b.y + b.h / 2;
  return { link, d: `M${fmt(a.x)} ${fmt(ay)}L${fmt(b.x)} ${fmt(by)}`, label: { x: (a.x + b.x) / 2 + 4, y: (ay + by) / 2 - 4, anchor: 'start' } };
}
