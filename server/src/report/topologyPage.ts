/**
 * The NCCL topology page: one self-contained HTML document for `rvn topology --html` and the VS Code
 * webview. Strict CSP (nonce on the one <style> and <script>, nothing remote), every log-derived
 * string escaped by html.ts, theme colours from VS Code variables, readable with scripts off.
 */
import type { NcclCommunicator, NcclHost, NcclLogModel } from '../ncclLog/model';
import { PASTED } from '../ncclLog/recordHandlers';
import { formatNcclLogSummary, summarizeNcclLog, type NcclLogSummary } from '../ncclLog/summary';
import type { Finding } from '../protocol/findings';
import { renderChannelCounts, renderGraphs, renderRings, renderTrees, renderTuning } from './commSections';
import { renderHost, renderSameHosts, renderUndumpedHosts, topologySignature } from './hostSection';
import { clip, clipLong, escapeHtml, html, inlineAsset, joinHtml, lineRef, SafeHtml, table, type HtmlPart } from './html';
import { OVERLAY_CSS, OVERLAY_SCRIPT } from './overlayAssets';
import { buildOverlay } from './overlaySvg';
import { PAGE_CSS, PAGE_SCRIPT } from './pageAssets';
import { interHostTransportLine, pairCells, renderMatrix } from './transportMatrix';
import { BANDWIDTH_CHART_CSS, renderBandwidthChartSvg, type BandwidthSeries } from './bandwidthChart';

export { escapeHtml };

export interface TopologyPageLog {
  name: string;
  model: NcclLogModel;
  findings: Finding[];
  /** nccl-tests results in the same file: drawn as a bus-bandwidth chart beside the topology. */
  bandwidth?: BandwidthSeries[];
  /** What vLLM configured, when the file holds its start-up lines (one line per fact). */
  vllmSummary?: string;
}

export interface TopologyPageOptions {
  /** Fresh per page (crypto.randomBytes); placed on the <style> and <script> and in the CSP. */
  nonce: string;
  /** The webview's `cspSource`, allowed for styles, images and fonts. */
  cspSource?: string;
  /** A file of its own (title, footer) rather than a VS Code webview. */
  standalone: boolean;
}

const MAX_HOSTS_OPEN = 8;
const MAX_HOSTS_DRAWN = 1024;
/** Ring/tree overlays cost markup per drawing; hosts past this many are rarely looked at one by one. */
const MAX_OVERLAY_DRAWINGS = 16;
const MAX_COMMUNICATORS = 32;
const SEVERITY_MARK: Record<string, string> = { error: '✖', warning: '⚠', info: 'ℹ', hint: '·' };

export function renderTopologyHtml(models: TopologyPageLog[], options: TopologyPageOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{8,256}$/.test(options.nonce)) throw new Error('renderTopologyHtml: the nonce must be 8-256 base64 characters');
  // VS Code's cspSource is a list of sources, e.g. `'self' https://*.vscode-cdn.net` in code-server.
  if (options.cspSource !== undefined && !/^(?:'self'|[^\s;,'"<>&]+)(?: (?:'self'|[^\s;,'"<>&]+))*$/.test(options.cspSource)) throw new Error('renderTopologyHtml: invalid cspSource');
  const src = options.cspSource ? ` ${options.cspSource}` : '';
  // Safe unescaped: the nonce and source were checked above to hold no quote, bracket or `&`.
  const csp = new SafeHtml(`default-src 'none'; style-src 'nonce-${options.nonce}'${src}; script-src 'nonce-${options.nonce}'; img-src data:${src}; font-src${src || " 'none'"}; base-uri 'none'; form-action 'none'`);
  const title = models.length === 1 ? `NCCL topology: ${clip(models[0].name, 120)}` : `NCCL topology: ${models.length} logs`;
  const logs = models.map((m, i) => renderLog(m, i));
  const nav = models.length > 1 ? html`<nav class="logs" aria-label="Logs"><ul>${models.map((m, i) => html`<li><a href="#log${i}">${clip(m.name, 80)}</a></li>`)}</ul></nav>` : '';
  const empty = models.length === 0 ? html`<p class="note">No logs given.</p>` : '';
  const footer = options.standalone ? html`<footer>Generated offline by <code>rvn topology</code>. Everything above comes from the log text; nothing was fetched.</footer>` : '';
  const page = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style nonce="${options.nonce}">${inlineAsset(PAGE_CSS)}${inlineAsset(OVERLAY_CSS)}${inlineAsset(BANDWIDTH_CHART_CSS)}</style></head>
<body class="${options.standalone ? 'standalone' : 'webview'}"><header class="page"><h1>NCCL topology</h1><p>${models.length} log${models.length === 1 ? '' : 's'}</p><div id="toolbar" class="toolbar" hidden><button type="button" data-toggle="open">Expand all</button><button type="button" data-toggle="close">Collapse all</button></div></header>
${nav}<main>${empty}${logs}</main>${footer}
<script nonce="${options.nonce}">${inlineAsset(PAGE_SCRIPT)}${inlineAsset(OVERLAY_SCRIPT)}</script>
</body></html>
`;
  return page.value;
}

function section(id: string, heading: HtmlPart, body: HtmlPart, open = true): SafeHtml {
  return html`<details class="sec" id="${id}"${open ? html` open` : ''}><summary><h3>${heading}</h3></summary><div class="body">${body}</div></details>`;
}

function renderLog(log: TopologyPageLog, index: number): SafeHtml {
  const id = `log${index}`;
  const summary = summarizeNcclLog(log.model, log.findings);
  const hosts = log.model.hosts.filter((h) => h.processes.length > 0 || h.topology);
  const comms = log.model.communicators.slice(0, MAX_COMMUNICATORS);
  const more = log.model.communicators.length - comms.length;
  return html`<section class="log" id="${id}" data-log="${index}" aria-labelledby="${id}-h">
<h2 id="${id}-h">${clip(log.name, 300)}</h2>
<p class="status status-${summary.status}">${summary.statusText}</p>
${facts(log.model, summary)}
${envTable(log.model)}
${section(`${id}-findings`, html`Findings (${log.findings.length})`, findingsTable(log.findings))}
${log.vllmSummary ? section(`${id}-vllm`, 'vLLM configuration', html`<pre>${clipLong(log.vllmSummary, 20_000)}</pre>`) : ''}
${log.bandwidth?.length ? section(`${id}-bandwidth`, 'nccl-tests: bus bandwidth', new SafeHtml(renderBandwidthChartSvg(log.bandwidth, { title: 'Bus bandwidth (GB/s) against message size', idPrefix: `${id}-bw` }))) : ''}
${section(`${id}-topology`, html`Topology (${hosts.length} host${hosts.length === 1 ? '' : 's'})`, renderHosts(log.model, hosts, comms, id))}
${comms.map((c, i) => section(`${id}-c${i}`, commHeading(c), renderComm(log.model, c, `${id}-c${i}`)))}
${more > 0 ? html`<p class="note">${more} more communicator(s) not shown.</p>` : ''}
${section(`${id}-summary`, 'Text summary', html`<pre>${formatNcclLogSummary(summary).map((l) => `${clipLong(l, 2000)}\n`)}</pre>`, false)}
</section>`;
}

function fact(label: string, value: HtmlPart): SafeHtml {
  return html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
}

function facts(model: NcclLogModel, s: NcclLogSummary): SafeHtml {
  const version = model.nccl ? `${model.nccl.flavor} ${model.nccl.version}${model.nccl.cudaRuntime ? ` (CUDA ${model.nccl.cudaRuntime})` : ''}` : 'not logged';
  const versions = model.ncclVersions.length > 1 ? ` — processes disagree: ${model.ncclVersions.join(', ')}` : '';
  const hostNames = model.hosts.filter((h) => h.processes.length > 0).map((h) => clip(h.name, 60));
  const hosts = hostNames.length > 12 ? `${hostNames.slice(0, 12).join(', ')} and ${hostNames.length - 12} more` : hostNames.join(', ') || 'unknown';
  const flag = (v: boolean | undefined) => (v === undefined ? 'unknown' : v ? 'yes' : 'no');
  const bw = s.nvlink.bandwidthGBs;
  const nvlink = bw === undefined ? flag(s.nvlink.active) : s.nvlink.active === false ? `no, although the topology has ${bw} GB/s per GPU` : `${flag(s.nvlink.active)} (${bw} GB/s per GPU)`;
  const rdma = s.rdma.active === false && !s.rdma.needed ? 'not needed (single node)' : `${flag(s.rdma.active)}${s.rdma.gdr !== undefined ? `, GPU Direct RDMA ${flag(s.rdma.gdr)}` : ''}`;
  // A paste may hold the Init lines of a few ranks of a larger communicator: say how many of how many.
  const largest = model.communicators.reduce((n, c) => Math.max(n, c.nRanks), 0);
  const ranks = largest > s.ranks ? (s.ranks > 0 ? `${s.ranks} logged, of communicators up to ${largest}` : `not logged, communicators up to ${largest}`) : String(s.ranks);
  return html`<dl class="facts">${fact('NCCL version', version + versions)}${fact('CUDA driver', model.cudaDriver?.text ?? 'not logged')}${fact(`Hosts (${s.hosts})`, hosts)}${fact('Ranks', `${ranks}${s.nodes ? ` on ${s.nodes} node${s.nodes === 1 ? '' : 's'}` : ''}`)}${fact('Communicators', s.communicators)}${fact('Processes', s.processes)}${fact('Network', network(model))}${fact('NVLink in use', nvlink)}${fact('RDMA (NET/IB) in use', rdma)}${s.nvls ? fact('NVLS', html`<span class="nvls">NVLink SHARP channels set up</span>`) : ''}</dl>`;
}

function envTable(model: NcclLogModel): SafeHtml | '' {
  if (model.env.length === 0) return '';
  const rows = model.env.map((e) => [e.name, clipLong(e.values.join(' | '), 500), e.count, lineRef(e.ref.line + 1)]);
  return html`<details class="tables"><summary>Settings NCCL echoed from the environment (${model.env.length})</summary>${table('Variables as NCCL read them (all distinct values)', ['Variable', 'Value', 'Processes', 'Line'], rows, 'env')}</details>`;
}

function network(model: NcclLogModel): string {
  const using = model.network.netPluginEvents.find((e) => e.event === 'using')?.name;
  const failed = model.network.netPluginEvents.some((e) => e.event === 'failed-all');
  const ib = [...new Set(model.network.ib.flatMap((e) => e.devices.map((d) => `${d.name}:${d.port}/${d.linkLayer}`)))];
  const socket = [...new Set(model.network.socket.flatMap((e) => e.devices.map((d) => d.ifname)))];
  const devices = (using?.toLowerCase() === 'socket' ? socket : ib.length ? ib : socket).slice(0, 8).map((d) => clip(d, 40));
  if (failed) return 'no NET plugin could start';
  if (!using && devices.length === 0) return 'not logged';
  return `${using ? clip(using, 40) : 'devices'}${devices.length ? ` (${devices.join(', ')})` : ''}`;
}

function findingsTable(findings: Finding[]): SafeHtml {
  if (findings.length === 0) return html`<p class="note">No findings: nothing in this log looks wrong.</p>`;
  const rows = findings.map((f) => {
    const line = f.range.start.line + 1;
    return html`<tr><td class="sev sev-${f.severity}"><span aria-hidden="true">${SEVERITY_MARK[f.severity] ?? ''} </span>${f.severity}</td><td>${lineRef(line)}</td><td class="rule">${f.rule}</td><td class="msg">${clipLong(f.message, 4000)}</td></tr>`;
  });
  return html`<div class="table-wrap"><table class="findings"><caption>Findings in line order</caption><thead><tr><th scope="col">Severity</th><th scope="col">Line</th><th scope="col">Rule</th><th scope="col">Message</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function renderHosts(model: NcclLogModel, hosts: NcclLogModel['hosts'], comms: NcclCommunicator[], id: string): SafeHtml {
  if (hosts.length === 0) return html`<p class="note">No hosts known: the log has no NCCL INFO lines with a host prefix.</p>`;
  // Identically built nodes are drawn once; the others are listed under the first one's drawing.
  const groups = new Map<string, { first: { name: string; id: string }; same: Array<{ host: NcclHost; id: string }> }>();
  const order: Array<{ host: NcclHost; id: string; signature?: string }> = [];
  const undumped: Array<{ host: NcclHost; id: string }> = [];
  hosts.slice(0, MAX_HOSTS_DRAWN).forEach((host, i) => {
    const hostId = `${id}-h${i}`;
    // Hosts without a dump share one table instead of a heading and the same note each.
    if (!host.topology || host.topology.nodes.length === 0) return void undumped.push({ host, id: hostId });
    const signature = topologySignature(host.topology);
    const group = signature === undefined ? undefined : groups.get(signature);
    if (group) group.same.push({ host, id: hostId });
    else {
      if (signature !== undefined) groups.set(signature, { first: { name: host.name, id: hostId }, same: [] });
      order.push({ host, id: hostId, ...(signature !== undefined ? { signature } : {}) });
    }
  });
  const drawn = order.map(({ host, id: hostId, signature }, i) => {
    const group = signature === undefined ? undefined : groups.get(signature);
    // The drawing stands for every host of its group: the overlay places each one's ranks on it.
    const members = [host, ...(group?.same.map((s) => s.host) ?? [])];
    const overlay = host.topology && i < MAX_OVERLAY_DRAWINGS ? buildOverlay(comms, members, host.topology, hostId) : undefined;
    const body = html`${renderHost(model, host, hostId, overlay)}${group && group.same.length > 0 ? renderSameHosts(model, group.same, group.first) : ''}`;
    return i < MAX_HOSTS_OPEN ? body : html`<details class="host-more"><summary>Host ${clip(host.name, 120)}</summary>${body}</details>`;
  });
  const rest = hosts.length > MAX_HOSTS_DRAWN ? html`<p class="note">${hosts.length - MAX_HOSTS_DRAWN} more hosts not shown: ${joinHtml(hosts.slice(MAX_HOSTS_DRAWN).map((h) => clip(h.name, 60)), ', ')}.</p>` : '';
  return html`${interHostTransportLine(model)}${drawn}${undumped.length > 0 ? renderUndumpedHosts(model, undumped, drawn.length > 0) : ''}${rest}`;
}

function commHeading(c: NcclCommunicator): string {
  const name = c.commId ?? (c.id === 'unknown' ? 'communicator of unknown id' : c.id);
  const nodes = c.nNodes !== undefined ? `, ${c.nNodes} node${c.nNodes === 1 ? '' : 's'}` : '';
  return `Communicator ${clip(name, 80)} (${c.nRanks} rank${c.nRanks === 1 ? '' : 's'}${nodes})`;
}

function renderComm(model: NcclLogModel, c: NcclCommunicator, id: string): SafeHtml {
  const nvls = c.nvlsConnected || (c.channelCounts?.nvls ?? 0) > 0 ? html`<p class="nvls">NVLS (NVLink SHARP through NVSwitch multicast) is set up for this communicator${c.channelCounts?.nvls ? ` on ${c.channelCounts.nvls} channels` : ''}.</p>` : '';
  const graphs = renderGraphs(c);
  const tuning = renderTuning(c.tuning);
  if (!nvls && !graphs && !tuning && !c.channelCounts && c.rings.length === 0 && c.trees.length === 0 && pairCells(model, c).cells.size === 0) {
    // Only Init lines (a partial paste, or a log cut before the first collective): one line, not six empty headings.
    const seen = c.ranks.length > 0 ? ` ${c.ranks.length} of its ${c.nRanks} ranks logged Init lines${hostsOf(c)}.` : '';
    return html`<p class="note">No Channel, ring, tree or channel-count lines for this communicator, so its transports and paths are unknown (NCCL_DEBUG_SUBSYS needs INIT and NET, or no collective ran before the log ended).${seen}</p>${c.dropped > 0 ? html`<p class="note">${c.dropped} entries of this communicator were dropped by the parser's caps.</p>` : ''}`;
  }
  return html`<h4>GPU-pair transports</h4>${nvls}${renderMatrix(model, c, id)}
<div class="grid"><div><h4>Channels</h4>${renderChannelCounts(c)}</div><div><h4>Rings</h4>${renderRings(c)}</div><div><h4>Trees</h4>${renderTrees(c)}</div></div>
${graphs ? html`<h4>Graph search</h4>${graphs}` : ''}
${tuning ? html`<h4>Algorithm / protocol bandwidth</h4>${tuning}` : ''}
${c.dropped > 0 ? html`<p class="note">${c.dropped} entries of this communicator were dropped by the parser's caps.</p>` : ''}`;
}

function hostsOf(c: NcclCommunicator): string {
  const hosts = [...new Set(c.ranks.map((r) => r.host))].filter((h) => h !== PASTED);
  if (hosts.length === 0) return '';
  return ` (on ${hosts.slice(0, 4).map((h) => clip(h, 60)).join(', ')}${hosts.length > 4 ? ` and ${hosts.length - 4} more hosts` : ''})`;
}
