/**
 * Ring and tree paths drawn over one host's topology drawing, and the control that picks one. Each
 * distinct route becomes one hidden `<g class="overlay">` in the SVG (channels with the same path
 * share it); an `<option>` names, per host of the drawing, which group to show. The page script
 * (overlayAssets.ts) only toggles classes, so every log string here goes through `html` escaping.
 */
import type { NcclCommunicator, NcclHost, NcclTopology } from '../ncclLog/model';
import { clip, html, type SafeHtml } from './html';
import { overlayChoices, type OverlayChoice, type OverlayHop, type OverlayRoute } from './overlayRoutes';
import type { LaidNode, TopologyLayout } from './topologyLayout';

export interface TopologyOverlay {
  /** The picker, legend and live description, placed above the drawing. */
  control: SafeHtml;
  /** The path groups, drawn over the nodes once the layout is known. */
  svg: (layout: TopologyLayout, ids: ReadonlyMap<string, string>) => SafeHtml;
}

const MAX_CHOICES = 256;
/** Distinct drawn paths per drawing: bounds the page (a 64-node log would otherwise carry megabytes of paths). */
const MAX_ROUTES = 192;
/** Hosts of one drawing whose ranks can be shown; the others share the same boxes anyway. */
const MAX_HOSTS = 16;
const HOST_CHARS = 24;

/** The overlay for one drawing standing for `group` (the first is the one drawn), or undefined when no ring or tree touches them. */
export function buildOverlay(comms: readonly NcclCommunicator[], group: readonly NcclHost[], topology: NcclTopology, idPrefix: string): TopologyOverlay | undefined {
  const hosts = group.slice(0, MAX_HOSTS);
  const { choices, dropped } = overlayChoices(comms, hosts, topology, MAX_CHOICES);
  if (choices.length === 0) return undefined;
  const { options, routes, over } = shareRoutes(choices, idPrefix);
  const groups = [...options].map(([comm, list]) => html`<optgroup label="${commLabel(comm)}">${list}</optgroup>`);
  const pickId = `${idPrefix}-ov`;
  const hostPick = hosts.length > 1 ? html`<label>ranks of host <select class="overlay-host">${hosts.map((h) => html`<option>${clip(h.name, 80)}</option>`)}</select></label>` : '';
  const shown = group.length > hosts.length ? ` (the first ${hosts.length} can be picked)` : '';
  const same = group.length > 1 ? html`<p class="note">This drawing stands for ${group.length} hosts with the same devices${shown}; the ranks of the host picked are placed on its GPUs by PCI bus id (the rank numbers inside the boxes are those of ${clip(group[0].name, 120)}).</p>` : '';
  const more = dropped + over > 0 ? html`<p class="note">${dropped + over} more ring/tree channels not offered.</p>` : '';
  const control = html`<div class="overlay-ctl" hidden><label for="${pickId}">Highlight a path</label> <select id="${pickId}" class="overlay-pick"><option value="">None</option>${groups}</select>${hostPick}${legend()}${same}${more}<p class="overlay-desc" aria-live="polite"></p></div>`;
  return { control, svg: (layout, ids) => html`${routes.map(({ id, route }) => renderRoute(id, route, layout, ids))}` };
}

/**
 * One `<option>` per choice, naming per host the group to show; one group per distinct route, so 24
 * channels with the same ring cost one drawing, not 24. Choices past the route budget are left out.
 */
function shareRoutes(choices: OverlayChoice[], idPrefix: string): { options: Map<NcclCommunicator, SafeHtml[]>; routes: Array<{ id: string; route: OverlayRoute }>; over: number } {
  const unique = new Map<string, { id: string; route: OverlayRoute }>();
  const options = new Map<NcclCommunicator, SafeHtml[]>();
  let over = 0;
  for (const c of choices) {
    const keys = c.routes.map((r) => (r ? JSON.stringify(r) : undefined));
    if (unique.size + new Set(keys.filter((k) => k !== undefined && !unique.has(k))).size > MAX_ROUTES) {
      over++;
      continue;
    }
    const ids = keys.map((k, i) => {
      if (k === undefined) return '-';
      if (!unique.has(k)) unique.set(k, { id: `${idPrefix}-o${unique.size}`, route: c.routes[i]! });
      return unique.get(k)!.id;
    });
    const label = `${c.kind === 'ring' ? 'Ring' : 'Tree'}, channel ${c.channel}: ${c.text}`;
    options.set(c.comm, [...(options.get(c.comm) ?? []), html`<option value="${`${c.kind}-${c.channel}`}" data-overlays="${ids.join(' ')}">${clip(label, 110)}</option>`]);
  }
  return { options, routes: [...unique.values()], over };
}

function commLabel(c: NcclCommunicator): string {
  return `Communicator ${clip(c.commId ?? c.id, 40)} (${c.nRanks} rank${c.nRanks === 1 ? '' : 's'})`;
}

function legend(): SafeHtml {
  const swatch = (cls: string) => html`<svg width="28" height="10" aria-hidden="true" class="swatch"><g class="ov-hop ${cls}"><path class="ov-line" d="M1 5H27"/></g></svg>`;
  return html`<ul class="legend overlay-legend" aria-label="Path overlay"><li>${swatch('local')}GPU → GPU on this host</li><li>${swatch('leaves net')}through the network (NET); a hop that leaves or enters the host is labelled with the rank and host at the other end</li></ul>`;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/** A filled arrowhead at `tip`, pointing away from `from`. */
function head(tip: [number, number], from: [number, number]): string {
  const [dx, dy] = [tip[0] - from[0], tip[1] - from[1]];
  const len = Math.hypot(dx, dy) || 1;
  const [ux, uy] = [dx / len, dy / len];
  const base = [tip[0] - ux * 9, tip[1] - uy * 9];
  return `M${r1(tip[0])} ${r1(tip[1])}L${r1(base[0] - uy * 4.5)} ${r1(base[1] + ux * 4.5)}L${r1(base[0] + uy * 4.5)} ${r1(base[1] - ux * 4.5)}Z`;
}

interface Shape {
  d: string;
  arrow: string;
  label: { x: number; y: number; anchor: 'start' | 'middle' | 'end'; text: string };
}

/** GPU → GPU: rightward hops arc over the boxes, leftward ones under them, so a ring reads as a loop and a → b never hides b → a. */
function localShape(a: LaidNode, b: LaidNode, h: OverlayHop): Shape {
  const dir = b.x >= a.x ? 1 : -1;
  const above = dir > 0;
  const [sx, ex] = [a.x + dir * 8, b.x - dir * 8];
  const [sy, ey] = above ? [a.y, b.y] : [a.y + a.h, b.y + b.h];
  const lift = Math.min(40, 16 + Math.abs(ex - sx) * 0.05);
  const edge = above ? Math.min(sy, ey) : Math.max(sy, ey);
  // The apex of a quadratic is halfway to its control point; keep it inside the drawing.
  const cy = above ? Math.max(edge - 2 * lift, 8 - edge) : edge + 2 * lift;
  const mid = (sx + ex) / 2;
  const labelY = above ? (edge + cy) / 2 - 4 : (edge + cy) / 2 + 12;
  return { d: `M${r1(sx)} ${r1(sy)}Q${r1(mid)} ${r1(cy)} ${r1(ex)} ${r1(ey)}`, arrow: head([ex, ey], [mid, cy]), label: { x: mid, y: labelY, anchor: 'middle', text: `${h.from} → ${h.to}` } };
}

/** GPU ↔ NET box (or a short stub when the drawing has no NET box for it), labelled with the far end. */
function netShape(gpu: LaidNode, net: LaidNode | undefined, h: OverlayHop, stack: number): Shape {
  const far = `${h.kind === 'out' ? h.to : h.from} @ ${clip(h.peerHost ?? 'other host', HOST_CHARS)}`;
  const gx = gpu.x + (h.kind === 'out' ? 24 : -24);
  const gy = gpu.y + gpu.h;
  const [nx, ny] = net ? [net.x + (h.kind === 'out' ? -14 : 14), net.y] : [gx, gy + 40];
  const [sx, sy, ex, ey] = h.kind === 'out' ? [gx, gy, nx, ny] : [nx, ny, gx, gy];
  const bend = net ? 44 : 0;
  const c1: [number, number] = h.kind === 'out' ? [sx, sy + bend] : [sx, sy - bend];
  const c2: [number, number] = h.kind === 'out' ? [ex, ey - bend] : [ex, ey + bend];
  const d = `M${r1(sx)} ${r1(sy)}C${r1(c1[0])} ${r1(c1[1])} ${r1(c2[0])} ${r1(c2[1])} ${r1(ex)} ${r1(ey)}`;
  const y = ny - 6 - stack * 14 + (net ? 0 : 16);
  const label = h.kind === 'out' ? { x: nx - 4, y, anchor: 'end' as const, text: `→ ${far}` } : { x: nx + 4, y, anchor: 'start' as const, text: `${far} →` };
  return { d, arrow: head([ex, ey], c2[0] === ex && c2[1] === ey ? [sx, sy] : c2), label };
}

/** Overlay labels are 11px bold: about 7px a character (log text is mostly ASCII host names and numbers). */
const overlayTextWidth = (text: string) => 7 * text.length;

/** Moves a label sideways so that it stays inside the drawing (a NET box in the first column puts `→ 2 @ host` left of x = 0). */
function keepInside(label: Shape['label'], width: number): Shape['label'] {
  const w = overlayTextWidth(label.text);
  const left = label.anchor === 'end' ? label.x - w : label.anchor === 'middle' ? label.x - w / 2 : label.x;
  const shift = left < 4 ? 4 - left : left + w > width - 4 ? Math.max(4 - left, width - 4 - (left + w)) : 0;
  return shift === 0 ? label : { ...label, x: label.x + shift };
}

function renderRoute(id: string, route: OverlayRoute, layout: TopologyLayout, ids: ReadonlyMap<string, string>): SafeHtml {
  const laid = new Map(layout.nodes.map((n) => [n.node.id, n]));
  const stacks = new Map<string, number>();
  const onPath = new Set<string>();
  const hops = route.hops.map((h) => {
    const a = h.fromNode ? laid.get(h.fromNode) : undefined;
    const b = h.toNode ? laid.get(h.toNode) : undefined;
    const net = h.netNode ? laid.get(h.netNode) : undefined;
    let shape: Shape | undefined;
    if (h.kind === 'local' && a && b) shape = localShape(a, b, h);
    else if (h.kind !== 'local' && (a ?? b)) {
      // Labels at the same NET box (or stub) and direction are stacked, not drawn over each other.
      const key = `${h.netNode ?? (a ?? b)!.node.id}|${h.kind}`;
      stacks.set(key, (stacks.get(key) ?? -1) + 1);
      shape = netShape((a ?? b)!, net, h, stacks.get(key)!);
    }
    if (!shape) return '';
    for (const n of [h.fromNode, h.toNode, net ? h.netNode : undefined]) if (n && ids.has(n)) onPath.add(ids.get(n)!);
    // Dashed: through the network, whether it leaves the host or (NCCL_P2P/SHM disabled) loops back into it.
    const throughNet = h.kind !== 'local' || /^(NET|COLLNET)/i.test(h.via ?? '');
    const peer = clip(h.peerHost ?? 'another host', 120);
    const title = `rank ${h.from} → rank ${h.to}${h.kind === 'out' ? ` on ${peer}` : h.kind === 'in' ? ` from ${peer}` : ''}${h.via ? ` over ${h.via}` : ''}`;
    const l = keepInside(shape.label, layout.width);
    return html`<g class="ov-hop ${h.kind === 'local' ? 'local' : 'leaves'}${throughNet ? ' net' : ''}" data-ranks="${`${h.from} ${h.to}`}" data-from="${(h.fromNode && ids.get(h.fromNode)) || ''}" data-to="${(h.toNode && ids.get(h.toNode)) || ''}"><title>${title}</title><path class="halo" d="${shape.d}"/><path class="ov-line" d="${shape.d}"/><path class="ov-head" d="${shape.arrow}"/><text x="${r1(l.x)}" y="${r1(l.y)}" text-anchor="${l.anchor}">${l.text}</text></g>`;
  });
  return html`<g class="overlay" data-overlay="${id}" data-nodes="${[...onPath].join(' ')}" data-desc="${route.description}">${hops}</g>`;
}
