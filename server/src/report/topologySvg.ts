/**
 * One host's topology as inline SVG (no external resources, colours from CSS classes so the VS Code
 * theme applies). Nodes are focusable groups; the page script highlights a node's links on focus.
 * The same facts are always in the tables beside it, so the drawing is never the only source.
 */
import type { NcclTopoNode, NcclTopology } from '../ncclLog/model';
import { clip, formatNumber, html, type SafeHtml } from './html';
import { BOX_W, boxHeight, layoutTopology, type LaidLink, type LaidNode, type NodeKind, type TopologyLayout } from './topologyLayout';

export interface NodeText {
  /** Box lines, first one bold. Clipped to fit the box. */
  lines: string[];
  /** Full description for the tooltip and screen readers. */
  description: string;
}

export interface TopologySvgOptions {
  /** Unique per page, used for element ids and data attributes. */
  idPrefix: string;
  title: string;
  text: (node: NcclTopoNode, kind: NodeKind) => NodeText;
  /** Drawn over the nodes (ring/tree paths, overlaySvg.ts): needs the geometry and the element id of each node. */
  overlay?: (layout: TopologyLayout, ids: ReadonlyMap<string, string>) => SafeHtml;
}

/** Characters that fit a box: 11px monospace below, 13px bold on the first line. */
const MAX_CHARS = 19;
const MAX_CHARS_BOLD = 15;
const TYPE_CLASS: Record<string, string> = { NVL: 'nvl', PCI: 'pci', NET: 'net', SYS: 'sys', C2C: 'c2c' };

export const linkClass = (type: string) => TYPE_CLASS[type.toUpperCase()] ?? 'other';

export function renderTopologySvg(topology: NcclTopology, options: TopologySvgOptions): SafeHtml {
  const texts = new Map<string, NodeText>();
  const textOf = (n: NcclTopoNode, kind: NodeKind) => {
    let t = texts.get(n.id);
    if (!t) texts.set(n.id, (t = options.text(n, kind)));
    return t;
  };
  const layout = layoutTopology({ topology, lineCount: (n, kind) => textOf(n, kind).lines.length });
  const ids = new Map(layout.nodes.map((n, i) => [n.node.id, `${options.idPrefix}-n${i}`]));
  const titleId = `${options.idPrefix}-title`;
  const links = layout.links.map((l) => renderLink(l, ids));
  // One tab stop per drawing (roving tabindex): arrow keys, Home and End move between the boxes.
  const nodes = layout.nodes.map((n, i) => renderNode(n, ids.get(n.node.id)!, textOf(n.node, n.kind), i === 0));
  const note = layout.unlabelled > 0 ? html`<p class="note">${layout.unlabelled} NVLink connections between GPUs are drawn without labels; the links table lists each with its bandwidth.</p>` : '';
  return html`<figure class="topo-figure"><svg class="topo" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="group" aria-labelledby="${titleId}"><title id="${titleId}">${options.title}</title><g class="links">${links}</g><g class="nodes">${nodes}</g>${options.overlay ? html`<g class="overlays">${options.overlay(layout, ids)}</g>` : ''}</svg>${note}</figure>`;
}

function renderLink(l: LaidLink, ids: Map<string, string>): SafeHtml {
  const label = `${l.link.type} ${formatNumber(l.link.bw)}`;
  const text = l.label ? html`<text x="${round(l.label.x)}" y="${round(l.label.y)}" text-anchor="${l.label.anchor}">${label}</text>` : '';
  return html`<g class="link ${linkClass(l.link.type)}" data-a="${ids.get(l.link.from) ?? ''}" data-b="${ids.get(l.link.to) ?? ''}"><title>${`${l.link.from} → ${l.link.to}: ${label} GB/s`}</title><path d="${l.d}"/>${text}</g>`;
}

function renderNode(n: LaidNode, id: string, t: NodeText, tabStop: boolean): SafeHtml {
  const left = n.x - n.w / 2;
  // A very wide NVSwitch bar is labelled at its left end, not off-screen in its middle.
  const wide = n.w > 6 * BOX_W;
  const tx = wide ? left + 12 : n.x;
  const lines = t.lines.map((line, i) => html`<text x="${round(tx)}" y="${round(n.y + 19 + i * 15)}" text-anchor="${wide ? 'start' : 'middle'}" class="${i === 0 ? 'l1' : 'l2'}">${clip(line, wide ? 60 : i === 0 ? MAX_CHARS_BOLD : MAX_CHARS)}</text>`);
  const h = boxHeight(t.lines.length);
  return html`<g class="node ${n.kind}" id="${id}" data-node="${id}" tabindex="${tabStop ? '0' : '-1'}" role="img" aria-label="${clip(t.description, 300)}"><title>${clip(t.description, 300)}</title><rect x="${round(left)}" y="${round(n.y)}" width="${round(n.w)}" height="${h}" rx="6"/>${lines}</g>`;
}

const round = (n: number) => Math.round(n * 10) / 10;
