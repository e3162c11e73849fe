/**
 * Per-communicator parts of the topology page besides the matrix: channel counts, graph search
 * results, rings and trees (identical channels grouped), and the algorithm/protocol tuning table.
 */
import type { NcclCommunicator, NcclTreeNode, NcclTuningTable } from '../ncclLog/model';
import { clip, formatNumber, html, table, type SafeHtml } from './html';

const MAX_ORDER = 64;
const MAX_GROUPS = 32;

/** `0-11, 14, 16-17` */
export function channelRanges(channels: number[]): string {
  const sorted = [...new Set(channels)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}–${sorted[j]}` : `${sorted[i]}`);
    i = j;
  }
  return parts.join(', ');
}

/** Groups channels with the same rendering: [[text, channels]]. */
function groupChannels(entries: Array<{ channel: number; text: string }>): Array<{ text: string; channels: number[] }> {
  const groups = new Map<string, number[]>();
  for (const e of entries) groups.set(e.text, [...(groups.get(e.text) ?? []), e.channel]);
  return [...groups].map(([text, channels]) => ({ text, channels }));
}

function ringText(order: number[]): string {
  const shown = order.slice(0, MAX_ORDER);
  const more = order.length > MAX_ORDER ? ` → … (${order.length - MAX_ORDER} more)` : ` → ${order[0]}`;
  return shown.join(' → ') + more;
}

export function renderRings(comm: NcclCommunicator): SafeHtml {
  if (comm.rings.length === 0) return html`<p class="note">No ring lines for this communicator.</p>`;
  const groups = groupChannels(comm.rings.map((r) => ({ channel: r.channel, text: ringText(r.order) })));
  const rows = groups.slice(0, MAX_GROUPS).map((g) => [channelRanges(g.channels), html`<span class="path">${g.text}</span>`]);
  const more = groups.length > MAX_GROUPS ? html`<p class="note">${groups.length - MAX_GROUPS} more distinct rings not shown.</p>` : '';
  return html`${table(`Rings (${comm.rings.length} channel${comm.rings.length === 1 ? '' : 's'})`, ['Channels', 'Rank order'], rows, 'rings')}${more}`;
}

/** `0 → 1 → (2, 3 → 4)`: the tree below `root` as text; a rank seen twice (damaged log) stops the walk. */
function treeText(root: number, down: Map<number, number[]>, seen = new Set<number>()): string {
  seen.add(root);
  const kids = (down.get(root) ?? []).filter((k) => !seen.has(k));
  if (kids.length === 0) return String(root);
  const inner = kids.map((k) => treeText(k, down, seen));
  return `${root} → ${kids.length === 1 ? inner[0] : `(${inner.join(', ')})`}`;
}

function treesOfScope(nodes: NcclTreeNode[]): Array<{ channel: number; text: string }> {
  const byChannel = new Map<number, NcclTreeNode[]>();
  for (const n of nodes) byChannel.set(n.channel, [...(byChannel.get(n.channel) ?? []), n]);
  return [...byChannel].sort((a, b) => a[0] - b[0]).map(([channel, list]) => {
    const down = new Map<number, number[]>();
    for (const n of list) down.set(n.rank, n.down.filter((d) => d >= 0));
    const roots = list.filter((n) => n.up < 0 || !list.some((m) => m.rank === n.up)).map((n) => n.rank);
    const shown = [...new Set(roots)].sort((a, b) => a - b).map((r) => treeText(r, down));
    return { channel, text: shown.join(' | ') };
  });
}

export function renderTrees(comm: NcclCommunicator): SafeHtml {
  const whole = comm.trees.filter((t) => t.scope === 'comm');
  const net = comm.trees.filter((t) => t.scope === 'net');
  if (whole.length === 0 && net.length === 0) return html`<p class="note">No tree lines for this communicator.</p>`;
  const part = (nodes: NcclTreeNode[], caption: string) => {
    if (nodes.length === 0) return '';
    const groups = groupChannels(treesOfScope(nodes));
    const rows = groups.slice(0, MAX_GROUPS).map((g) => [channelRanges(g.channels), html`<span class="path">${clip(g.text, 2000)}</span>`]);
    return table(caption, ['Channels', 'Root → children'], rows, 'trees');
  };
  return html`${part(whole, 'Trees (whole communicator, from Trees lines)')}${part(net, 'Inter-node trees (Tree lines of node heads)')}`;
}

export function renderChannelCounts(comm: NcclCommunicator): SafeHtml {
  const c = comm.channelCounts;
  if (!c) return html`<p class="note">No channel count line (<code>… coll channels, … p2p channels …</code>).</p>`;
  const extra = [comm.ringPxn !== undefined ? `ring PXN ${comm.ringPxn ? 'on' : 'off'}` : '', comm.ringGdr !== undefined ? `ring GDR ${comm.ringGdr ? 'on' : 'off'}` : ''].filter(Boolean).join(', ');
  return html`<dl class="counts"><div><dt>coll</dt><dd>${c.coll}</dd></div>${c.collnet !== undefined ? html`<div><dt>collnet</dt><dd>${c.collnet}</dd></div>` : ''}<div><dt>nvls</dt><dd>${c.nvls}</dd></div><div><dt>p2p</dt><dd>${c.p2p}</dd></div><div><dt>p2p per peer</dt><dd>${c.p2pPerPeer}</dd></div></dl>${extra ? html`<p class="note">${extra}</p>` : ''}`;
}

export function renderGraphs(comm: NcclCommunicator): SafeHtml | '' {
  if (comm.graphs.length === 0) return '';
  const seen = new Set<string>();
  const rows = comm.graphs
    .filter((g) => {
      const key = `${g.host}|${g.pattern}|${g.nChannels}|${g.bwIntra}|${g.typeIntra}|${g.typeInter}`;
      return !seen.has(key) && seen.add(key) !== undefined;
    })
    .slice(0, MAX_GROUPS)
    .map((g) => [`${g.patternName} (${g.pattern})`, clip(g.host, 60), g.nChannels, `${formatNumber(g.bwIntra)} / ${formatNumber(g.bwInter)}`, `${g.typeIntra} / ${g.typeInter}`, clip((g.channels[0] ?? []).join(' '), 200)]);
  return table('Graph search results (bandwidth GB/s and path type: intra-node / inter-node)', ['Pattern', 'Host', 'Channels', 'Bandwidth', 'Path type', 'Channel 0'], rows, 'graphs');
}

/** Tuning table: one row per collective, bandwidth (GB/s) and latency (µs) per algorithm/protocol. */
export function renderTuning(tuning: NcclTuningTable | undefined): SafeHtml | '' {
  if (!tuning || tuning.cells.length === 0) return '';
  const algos = unique(tuning.cells.map((c) => c.algorithm)).filter((a) => tuning.cells.some((c) => c.algorithm === a && c.bwGBs > 0));
  const disabled = unique(tuning.cells.map((c) => c.algorithm)).filter((a) => !algos.includes(a));
  const protos = unique(tuning.cells.map((c) => c.protocol));
  const funcs = unique(tuning.cells.map((c) => c.func));
  const cell = (f: string, a: string, p: string) => tuning.cells.find((c) => c.func === f && c.algorithm === a && c.protocol === p);
  const head1 = algos.map((a) => html`<th scope="colgroup" colspan="${protos.length}">${a}</th>`);
  const head2 = algos.map(() => protos.map((p) => html`<th scope="col">${p}</th>`));
  const rows = funcs.map((f) => {
    const best = Math.max(...tuning.cells.filter((c) => c.func === f).map((c) => c.bwGBs));
    const tds = algos.map((a) => protos.map((p) => {
      const c = cell(f, a, p);
      if (!c || c.bwGBs === 0) return html`<td class="off" title="disabled">–</td>`;
      return html`<td class="${c.bwGBs === best ? 'best' : ''}" title="${`${f} ${a}/${p}: ${formatNumber(c.bwGBs)} GB/s, ${formatNumber(c.latencyUs)} µs`}">${formatNumber(c.bwGBs)}<span class="sub">${formatNumber(c.latencyUs)} µs</span></td>`;
    }));
    return html`<tr><th scope="row">${f}</th>${tds}</tr>`;
  });
  const note = disabled.length ? html`<p class="note">Disabled for every collective (bandwidth 0): ${disabled.join(', ')}.</p>` : '';
  return html`<div class="table-wrap"><table class="tuning"><caption>Algorithm / protocol model: bandwidth GB/s (latency µs), best per collective highlighted</caption><thead><tr><th scope="col" rowspan="2">Collective</th>${head1}</tr><tr>${head2}</tr></thead><tbody>${rows}</tbody></table></div>${note}`;
}

const unique = (xs: string[]) => [...new Set(xs)];
