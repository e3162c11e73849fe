/**
 * One host of the topology page: the drawing, then the same facts as tables (devices, links, the
 * GPU/NIC path matrix) for screen readers and for copying. Box labels combine the topology dump
 * with the ranks (CUDA device of each bus id) and the network lines (interface/HCA of each NET dev).
 */
import { PASTED } from '../ncclLog/recordHandlers';
import type { NcclHost, NcclLogModel, NcclRank, NcclTopoNode, NcclTopology } from '../ncclLog/model';
import { clip, clipLong, formatNumber, html, lineRef, pciAddress, shortPci, table, type SafeHtml } from './html';
import type { TopologyOverlay } from './overlaySvg';
import type { NodeKind } from './topologyLayout';
import { kindOf } from './topologyLayout';
import { linkClass, renderTopologySvg, type NodeText } from './topologySvg';
import { hostTransportLine, hostTransports } from './transportMatrix';

const ARCH: Record<string, string> = { '1': 'x86', '2': 'POWER', '3': 'ARM', '4': 'mixed' };
const VENDOR: Record<string, string> = { '1': 'Intel', '2': 'AMD', '3': 'Zhaoxin', '4': 'mixed' };
const MAX_PATH_NODES = 32;

/** Facts about the host that the topology dump does not carry. */
interface HostFacts {
  gpus: Map<string, NcclRank>;
  nets: Map<string, string>;
}

function hostFacts(model: NcclLogModel, host: NcclHost): HostFacts {
  const gpus = new Map<string, NcclRank>();
  for (const comm of [...model.communicators].sort((a, b) => b.ranks.length - a.ranks.length)) {
    for (const r of comm.ranks) if (r.host === host.name && !gpus.has(r.busId)) gpus.set(r.busId, r);
  }
  return { gpus, nets: netNames(model, host) };
}

/** NET device index -> `mlx5_0:1/RoCE` or `eth0`, from the IB/Socket device lines of this host's processes. */
function netNames(model: NcclLogModel, host: NcclHost): Map<string, string> {
  const mine = (processes: string[]) => processes.length === 0 || processes.some((p) => host.processes.includes(p));
  const using = model.network.netPluginEvents.find((e) => e.event === 'using' && mine(e.processes))?.name?.toLowerCase();
  const ib = model.network.ib.filter((e) => mine(e.processes)).flatMap((e) => e.devices.map((d) => [String(d.index), `${d.name}:${d.port}/${d.linkLayer}`] as const));
  const socket = model.network.socket.filter((e) => mine(e.processes)).flatMap((e) => e.devices.map((d) => [String(d.index), d.ifname] as const));
  const chosen = using === 'socket' ? socket : using === 'ib' ? ib : ib.length > 0 ? ib : socket;
  return new Map(chosen);
}

const numaOf = (localId: string) => (/^f{8,}$/i.test(localId) || !/^[0-9a-f]+$/i.test(localId) ? undefined : parseInt(localId, 16));

function nodeText(n: NcclTopoNode, kind: NodeKind, facts: HostFacts, topology: NcclTopology): NodeText {
  switch (kind) {
    case 'cpu': {
      const numa = numaOf(n.localId);
      const [arch, vendor] = (n.detail ?? '').split('/');
      const what = [ARCH[arch], VENDOR[vendor]].filter(Boolean).join(' · ');
      return { lines: [`CPU${numa !== undefined ? ` NUMA ${numa}` : ''}`, ...(what ? [what] : [])], description: `CPU (${n.id})${numa !== undefined ? `, NUMA node ${numa}` : ''}${what ? `, ${what}` : ''}` };
    }
    case 'pci':
      return { lines: ['PCI switch', shortPci(n.localId)], description: `PCI switch ${pciAddress(n.localId)} (${n.id})` };
    case 'gpu': {
      const r = facts.gpus.get(n.localId);
      const dev = r ? ` ${r.cudaDev}` : '';
      const rank = n.rank ?? r?.rank;
      return {
        lines: [`GPU${dev}`, ...(rank !== undefined ? [`rank ${rank}`] : []), shortPci(n.localId)],
        description: `GPU${dev} (${n.id}), bus ${pciAddress(n.localId)}${rank !== undefined ? `, rank ${rank}` : ''}${r?.nvmlDev !== undefined ? `, NVML ${r.nvmlDev}` : ''}`,
      };
    }
    case 'nic':
      return { lines: [n.localId.length >= 3 ? 'NIC' : `NIC ${n.localId}`, ...(n.localId.length >= 3 ? [shortPci(n.localId)] : [])], description: `NIC (${n.id})${n.localId.length >= 3 ? `, bus ${pciAddress(n.localId)}` : ''}` };
    case 'net': {
      const name = facts.nets.get(n.localId);
      const bw = n.bw ?? topology.links.find((l) => l.to === n.id && l.type === 'NET')?.bw;
      return {
        lines: [`NET ${n.localId}`, ...(name ? [name] : []), ...(bw !== undefined ? [`${formatNumber(bw)} GB/s`] : [])],
        description: `Network device (${n.id})${name ? `, ${name}` : ''}${bw !== undefined ? `, ${formatNumber(bw)} GB/s` : ''}`,
      };
    }
    case 'nvs':
      return { lines: ['NVSwitch'], description: `NVSwitch (${n.id})` };
    default:
      return { lines: [n.type, n.localId], description: `${n.id}${n.detail ? ` (${n.detail})` : ''}` };
  }
}

/** `overlay`: ring/tree paths to offer over the drawing (its picker goes above it). */
export function renderHost(model: NcclLogModel, host: NcclHost, idPrefix: string, overlay?: TopologyOverlay): SafeHtml {
  const names = host.hostnames.filter((h) => h !== host.name);
  // Lines pasted without the `host:pid:tid` prefix belong to a host the log does not name.
  const name = host.name === PASTED ? html`<span class="unnamed">(host not named: lines without a host prefix)</span>` : clip(host.name, 120);
  const heading = html`<h3 id="${idPrefix}">Host ${name}${names.length ? html` <span class="sub">hostname ${clip(names.join(', '), 120)} (NCCL_HOSTID)</span>` : ''}</h3>`;
  const meta = html`<p class="meta">${host.processes.length} process${host.processes.length === 1 ? '' : 'es'}${host.topology ? html` · maxBw ${formatNumber(host.topology.maxBw)} GB/s · totalBw ${formatNumber(host.topology.totalBw)} GB/s · dump at line ${host.topology.ref.line + 1}` : ''}</p>`;
  const t = host.topology;
  if (!t || t.nodes.length === 0) {
    return html`<section class="host">${heading}${meta}<p class="note">No topology dump for this host (<code>=== System : maxBw … ===</code>): add GRAPH to NCCL_DEBUG_SUBSYS.</p></section>`;
  }
  const facts = hostFacts(model, host);
  const text = (n: NcclTopoNode, kind: NodeKind) => nodeText(n, kind, facts, t);
  if (!t.nodes.some((n) => kindOf(n.type) === 'gpu')) {
    // A dump cut short (a partial paste, a truncated log): a drawing of a lone CPU or switch says nothing.
    const counts = new Map<string, number>();
    for (const n of t.nodes) counts.set(n.type, (counts.get(n.type) ?? 0) + 1);
    const only = [...counts].map(([type, n]) => `${n} ${clip(type, 20)}`).join(', ');
    return html`<section class="host" aria-labelledby="${idPrefix}">${heading}${meta}<p class="note">The topology dump names no GPU (only ${only}): it was probably cut short, so it is not drawn; its devices and links are listed below.</p>${hostTransportLine(model, host.name)}<details class="tables" open><summary>Devices, links and paths as tables</summary>${devicesTable(t, text)}${linksTable(t)}${pathsTable(t)}</details></section>`;
  }
  const svg = renderTopologySvg(t, { idPrefix, title: `Topology of host ${clip(host.name, 120)}`, text, ...(overlay ? { overlay: overlay.svg } : {}) });
  const tables = html`<details class="tables"><summary>Devices, links and paths as tables</summary>${devicesTable(t, text)}${linksTable(t)}${pathsTable(t)}</details>`;
  return html`<section class="host" aria-labelledby="${idPrefix}">${heading}${meta}${legend()}${overlay?.control ?? ''}${svg}${hostTransportLine(model, host.name)}${tables}</section>`;
}

function legend(): SafeHtml {
  const item = (cls: string, label: string) => html`<li><svg width="28" height="10" aria-hidden="true" class="swatch"><g class="link ${cls}"><path d="M1 5H27"/></g></svg>${label}</li>`;
  return html`<ul class="legend" aria-label="Link types">${item('nvl', 'NVL: NVLink')}${item('pci', 'PCI: PCIe')}${item('net', 'NET: network')}${item('sys', 'SYS: CPU interconnect')}${item('c2c', 'C2C: chip-to-chip')}</ul>`;
}

function devicesTable(t: NcclTopology, text: (n: NcclTopoNode, k: NodeKind) => NodeText): SafeHtml {
  const rows = t.nodes.map((n) => [n.id, kindOf(n.type) === 'other' ? n.type : kindOf(n.type).toUpperCase(), clipLong(text(n, kindOf(n.type)).description, 400), n.detail ? clipLong(n.detail, 200) : '', lineRef(n.ref.line + 1)]);
  return table('Devices', ['Node', 'Type', 'Description', 'Details as printed', 'Line'], rows, 'devices');
}

function linksTable(t: NcclTopology): SafeHtml {
  const rows = t.links.map((l) => [l.from, l.to, html`<span class="lt ${linkClass(l.type)}">${l.type}</span>`, formatNumber(l.bw), lineRef(l.ref.line + 1)]);
  return table('Links (bandwidth GB/s)', ['From', 'To', 'Type', 'GB/s', 'Line'], rows, 'links');
}

function pathsTable(t: NcclTopology): SafeHtml | '' {
  if (t.paths.length === 0) return '';
  const ends = [...new Set(t.paths.map((p) => p.from))].filter((id) => /^(GPU|NET|NIC)/i.test(id)).slice(0, MAX_PATH_NODES);
  const targets = [...new Set(t.paths.map((p) => p.to))].filter((id) => ends.includes(id));
  const path = (a: string, b: string) => t.paths.find((p) => p.from === a && p.to === b);
  const head = targets.map((id) => html`<th scope="col">${id}</th>`);
  const rows = ends.map((a) => html`<tr><th scope="row">${a}</th>${targets.map((b) => {
    const p = path(a, b);
    return p ? html`<td class="p-${p.type.toLowerCase()}" title="${`${p.hops} hop(s)`}">${p.type} ${formatNumber(p.bw)}</td>` : html`<td>–</td>`;
  })}</tr>`);
  return html`<div class="table-wrap"><table class="paths"><caption>Paths NCCL computed (type and GB/s)</caption><thead><tr><th scope="col">from \\ to</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** Devices and links without the printing process's ranks: equal for identically built nodes. */
export function topologySignature(t: NcclTopology | undefined): string | undefined {
  if (!t || t.nodes.length === 0) return undefined;
  return JSON.stringify([t.nodes.map((n) => [n.id, n.type === 'GPU' ? '' : (n.detail ?? '')]), t.links.map((l) => [l.from, l.to, l.type, l.bw])]);
}

/** Hosts whose topology equals one drawn above: one table pointing at the drawing, with their own transports. */
export function renderSameHosts(model: NcclLogModel, hosts: Array<{ host: NcclHost; id: string }>, same: { name: string; id: string }): SafeHtml {
  const rows = hosts.map(({ host, id }) => [
    html`<span id="${id}">${clip(host.name, 120)}</span>`,
    host.processes.length,
    hostTransports(model, host.name) || 'none seen in Channel lines',
    host.topology ? lineRef(host.topology.ref.line + 1) : '',
  ]);
  const caption = html`${hosts.length} more host${hosts.length === 1 ? '' : 's'} with the same devices and links as <a href="#${same.id}">host ${clip(same.name, 120)}</a>`;
  return html`<section class="host same">${table(caption, ['Host', 'Processes', 'GPU pairs on the host use', 'Dump line'], rows, 'same-hosts')}</section>`;
}

/** Hosts whose processes printed no topology dump: one table (with each host's transports) and one hint. */
export function renderUndumpedHosts(model: NcclLogModel, hosts: Array<{ host: NcclHost; id: string }>, othersDrawn: boolean): SafeHtml {
  const rows = hosts.map(({ host, id }) => [
    html`<span id="${id}">${clip(host.name, 120)}</span>${host.hostnames.some((h) => h !== host.name) ? html`<span class="sub">hostname ${clip(host.hostnames.filter((h) => h !== host.name).join(', '), 120)}</span>` : ''}`,
    host.processes.length,
    hostTransports(model, host.name) || 'none seen in Channel lines',
  ]);
  const caption = `${hosts.length} host${hosts.length === 1 ? '' : 's'} without a topology dump${othersDrawn ? ' (the others are drawn above)' : ''}`;
  return html`<section class="host undumped"><p class="note">No topology dump (<code>=== System : maxBw … ===</code>) for ${hosts.length === 1 ? 'this host' : 'these hosts'}, so there is nothing to draw: add GRAPH to NCCL_DEBUG_SUBSYS.</p>${table(caption, ['Host', 'Processes', 'GPU pairs on the host use'], rows, 'undumped-hosts')}</section>`;
}
