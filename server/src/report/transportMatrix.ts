/**
 * The GPU-pair transport matrix of one communicator: which transport each directed rank pair uses
 * (P2P/CUMEM, P2P/IPC, SHM, NET/IB/GDRDMA, NET/Socket, ...), with fallbacks marked in text and
 * colour. "Fallback" follows findings.ts: TCP anywhere, SHM between NVLink-connected GPUs; NET/IB
 * without GPU Direct RDMA between nodes is "degraded".
 */
import type { NcclCommunicator, NcclConnection, NcclLogModel } from '../ncclLog/model';
import { classifyPairs, type PairInfo } from '../ncclLog/pairs';
import { clip, formatNumber, html, joinHtml, table, type SafeHtml } from './html';

export type CellStatus = 'ok' | 'fallback' | 'degraded' | 'neutral';

interface PairCell {
  /** Transport family -> its verdict for this pair. */
  families: Map<string, CellStatus>;
  status: CellStatus;
  notes: string[];
  via: string[];
  channels: Set<number>;
}

/** Largest communicator drawn as a full matrix; bigger ones get the per-transport table only. */
export const MAX_MATRIX_RANKS = 64;

/** classifyPairs once per model: the page asks per communicator and per host. */
const pairCache = new WeakMap<NcclLogModel, PairInfo[]>();
function pairsOf(model: NcclLogModel): PairInfo[] {
  let pairs = pairCache.get(model);
  if (!pairs) pairCache.set(model, (pairs = classifyPairs(model)));
  return pairs;
}

const STATUS_ORDER: Record<CellStatus, number> = { ok: 0, neutral: 1, degraded: 2, fallback: 3 };
const STATUS_TEXT: Record<CellStatus, string> = { ok: 'expected', neutral: 'normal', degraded: 'degraded', fallback: 'fallback' };

/** `P2P/CUMEM`, `SHM`, `NET/IB/GDRDMA`, `NET/Socket`, ... */
export function transportFamily(conn: NcclConnection): string {
  switch (conn.transport) {
    case 'P2P':
      return `P2P/${(conn.mode ?? '').split(' ')[0] || '?'}`;
    case 'SHM':
      return 'SHM';
    case 'COLLNET':
      return 'CollNet';
    case 'NVLS':
      return 'NVLS';
    case 'NET': {
      const name = conn.net?.name ?? '?';
      if (name.toLowerCase() === 'ib') return conn.net?.gdr ? 'NET/IB/GDRDMA' : 'NET/IB';
      if (name.toLowerCase() === 'socket') return 'NET/Socket';
      return `NET/${name}${conn.net?.gdr ? '/GDRDMA' : ''}`;
    }
    default:
      return conn.via.split('/')[0] || 'other';
  }
}

function judge(p: PairInfo): { status: CellStatus; note?: string } {
  const family = transportFamily(p.conn);
  if (family === 'NET/Socket') {
    return { status: 'fallback', note: p.sameHost === true ? 'TCP between GPUs of one host' : 'TCP instead of RDMA (NET/IB)' };
  }
  if (family === 'SHM') {
    if (p.nvlink) return { status: 'fallback', note: `SHM through host memory although the GPUs are NVLink-connected${p.nvlinkBw !== undefined ? ` (${formatNumber(p.nvlinkBw)} GB/s)` : ''}` };
    return { status: 'neutral', note: p.topologyKnown ? 'no NVLink between these GPUs' : 'topology unknown' };
  }
  if (p.conn.transport === 'NET' && p.sameHost === true && p.nvlink) return { status: 'fallback', note: 'network between NVLink-connected GPUs of one host' };
  // NCCL's own IB transport, built in (`IB`) or as the external plugin (`IBext`, `IBext_v8`, ...).
  if (p.conn.transport === 'NET' && isIbNet(p.conn.net?.name) && !p.conn.net?.gdr && p.sameHost !== true) return { status: 'degraded', note: 'no GPU Direct RDMA: staged through host memory' };
  // An external net plugin (EFA, gIB, ...) may be fine; the log alone cannot say.
  if (p.conn.transport === 'NET' && !family.startsWith('NET/IB')) return { status: 'neutral', note: `network plugin ${p.conn.net?.name ?? '?'}` };
  if (p.conn.transport === 'OTHER') return { status: 'neutral' };
  return { status: 'ok' };
}

const isIbNet = (name: string | undefined) => /^ib(?:ext)?(?:_v\d+)?$/i.test(name ?? '');

/** Cells keyed `from|to`, plus the ranks of the communicator in order. */
export function pairCells(model: NcclLogModel, comm: NcclCommunicator): { cells: Map<string, PairCell>; ranks: number[] } {
  const cells = new Map<string, PairCell>();
  const pairs = pairsOf(model).filter((p) => p.comm === comm && p.conn.to >= 0 && p.conn.from >= 0);
  for (const p of pairs) {
    const key = `${p.conn.from}|${p.conn.to}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { families: new Map(), status: 'ok', notes: [], via: [], channels: new Set() }));
    const family = transportFamily(p.conn);
    const verdict = judge(p);
    cell.families.set(family, worse(cell.families.get(family) ?? 'ok', verdict.status));
    if (!cell.via.includes(p.conn.via)) cell.via.push(p.conn.via);
    p.conn.channels.forEach((c) => cell.channels.add(c));
    cell.status = worse(cell.status, verdict.status);
    if (verdict.note && !cell.notes.includes(verdict.note)) cell.notes.push(verdict.note);
  }
  const ranks = new Set(comm.ranks.map((r) => r.rank));
  for (const c of comm.connections) {
    if (c.from >= 0) ranks.add(c.from);
    if (c.to >= 0) ranks.add(c.to);
  }
  return { cells, ranks: [...ranks].sort((a, b) => a - b) };
}

const worse = (a: CellStatus, b: CellStatus): CellStatus => (STATUS_ORDER[b] > STATUS_ORDER[a] ? b : a);

const MARK: Record<CellStatus, string> = { ok: '', neutral: '', degraded: '⚠ ', fallback: '⚠ ' };

function cellHtml(cell: PairCell | undefined, from: number, to: number): SafeHtml {
  if (from === to) return html`<td class="self" aria-label="same rank">·</td>`;
  if (!cell) return html`<td class="none"><span class="sr-only">no channel between these ranks</span></td>`;
  const title = `${from} → ${to}: ${cell.via.join(', ')}; ${cell.channels.size} channel(s)${cell.notes.length ? `; ${cell.notes.join('; ')}` : ''}`;
  const status = cell.status === 'ok' || cell.status === 'neutral' ? '' : html`<span class="sr-only"> (${STATUS_TEXT[cell.status]}: ${cell.notes.join('; ')})</span>`;
  return html`<td class="t ${cell.status}" title="${clip(title, 500)}">${MARK[cell.status]}${[...cell.families.keys()].join(' + ')}${status}</td>`;
}

export function rankLabel(comm: NcclCommunicator, rank: number): string {
  const r = comm.ranks.find((x) => x.rank === rank);
  return r ? `${r.host} · GPU ${r.cudaDev}` : '';
}

export function renderMatrix(model: NcclLogModel, comm: NcclCommunicator, idPrefix: string): SafeHtml {
  const { cells, ranks } = pairCells(model, comm);
  if (cells.size === 0) return html`<p class="note">No <code>Channel … via …</code> lines for this communicator, so the transports are unknown (NCCL_DEBUG_SUBSYS needs INIT and NET, or no collective ran yet).</p>`;
  const summary = renderFamilyTable(cells);
  const partial = comm.nRanks > ranks.length ? html`<p class="note">Channel lines name ${ranks.length} of the ${comm.nRanks} ranks: the log holds only part of this communicator.</p>` : '';
  if (ranks.length > MAX_MATRIX_RANKS) return html`${summary}${partial}<p class="note">${ranks.length} ranks: the full matrix is left out; the table above counts every pair.</p>`;
  // Fewer pairs than ranks (a partial paste): a matrix would be almost all empty cells, so list the pairs.
  if (cells.size < ranks.length) return html`${summary}${partial}${renderPairList(comm, cells, idPrefix)}`;
  const head = ranks.map((r) => html`<th scope="col" title="${clip(rankLabel(comm, r), 200)}">${r}</th>`);
  const rows = ranks.map((from) => html`<tr><th scope="row" title="${clip(rankLabel(comm, from), 200)}">${from}<span class="sub">${clip(rankLabel(comm, from), 28)}</span></th>${ranks.map((to) => cellHtml(cells.get(`${from}|${to}`), from, to))}</tr>`);
  return html`${summary}${partial}<div class="table-wrap"><table class="matrix" id="${idPrefix}-matrix"><caption>Transport from rank (row) to rank (column); ⚠ marks a fallback or degraded path</caption><thead><tr><th scope="col">from \\ to</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

const MAX_PAIR_ROWS = 256;

function renderPairList(comm: NcclCommunicator, cells: Map<string, PairCell>, idPrefix: string): SafeHtml {
  const pairs = [...cells].map(([key, cell]) => ({ key, cell, from: Number(key.split('|')[0]), to: Number(key.split('|')[1]) })).sort((a, b) => a.from - b.from || a.to - b.to);
  const rows = pairs.slice(0, MAX_PAIR_ROWS).map(({ cell, from, to }) => {
    const where = [rankLabel(comm, from), rankLabel(comm, to)].some(Boolean) ? html`<span class="sub">${clip(rankLabel(comm, from) || '?', 60)} → ${clip(rankLabel(comm, to) || '?', 60)}</span>` : '';
    return html`<tr><th scope="row">${from} → ${to}${where}</th>${cellHtml(cell, from, to)}<td>${cell.channels.size}</td></tr>`;
  });
  const more = pairs.length > MAX_PAIR_ROWS ? html`<p class="note">${pairs.length - MAX_PAIR_ROWS} more pairs not listed.</p>` : '';
  return html`<div class="table-wrap"><table class="pairs" id="${idPrefix}-matrix"><caption>Rank pairs seen in Channel lines; ⚠ marks a fallback or degraded path</caption><thead><tr><th scope="col">From → to</th><th scope="col">Transport</th><th scope="col">Channels</th></tr></thead><tbody>${rows}</tbody></table></div>${more}`;
}

function renderFamilyTable(cells: Map<string, PairCell>): SafeHtml {
  const families = new Map<string, { pairs: number; status: CellStatus; notes: Set<string> }>();
  for (const cell of cells.values()) {
    for (const [f, status] of cell.families) {
      const entry = families.get(f) ?? { pairs: 0, status: 'ok' as CellStatus, notes: new Set<string>() };
      entry.pairs++;
      entry.status = worse(entry.status, status);
      cell.notes.forEach((n) => entry.notes.add(n));
      families.set(f, entry);
    }
  }
  const rows = [...families].map(([f, e]) => [
    html`<span class="t ${e.status}">${MARK[e.status]}${f}</span>`,
    e.pairs,
    html`<span class="status-${e.status}">${STATUS_TEXT[e.status]}</span>`,
    [...e.notes].join('; ') || describeFamily(f),
  ]);
  return table('Transports used (directed rank pairs)', ['Transport', 'Pairs', 'Verdict', 'Meaning'], rows, 'families');
}

export function describeFamily(family: string): string {
  if (family.startsWith('P2P/CUMEM')) return 'GPU to GPU directly (NVLink or PCIe), cuMem buffers';
  if (family.startsWith('P2P/IPC')) return 'GPU to GPU directly, legacy CUDA IPC buffers';
  if (family.startsWith('P2P/direct')) return 'GPU to GPU inside one process';
  if (family.startsWith('P2P/MNNVL')) return 'multi-node NVLink';
  if (family.startsWith('P2P')) return 'GPU to GPU peer access';
  if (/^NET\/IB(?:ext(?:_v\d+)?)?\/GDRDMA$/i.test(family)) return 'RDMA with GPU Direct (NIC reads GPU memory)';
  if (/^NET\/IB(?:ext(?:_v\d+)?)?$/i.test(family)) return 'RDMA (InfiniBand/RoCE), staged through host memory';
  if (family === 'NVLS') return 'NVLink SHARP (NVSwitch multicast)';
  if (family === 'CollNet') return 'in-network reduction (SHARP)';
  return 'network transport';
}

/** How a host's GPUs actually talk to each other, fallbacks first (empty without channel lines). */
export function hostTransports(model: NcclLogModel, host: string): SafeHtml | '' {
  return transportItems(model, (p) => p.fromRank?.host === host && p.toRank?.host === host);
}

/** One line under a host's drawing. */
export function hostTransportLine(model: NcclLogModel, host: string): SafeHtml | '' {
  const items = hostTransports(model, host);
  return items ? html`<p class="host-transports">GPU pairs on this host use: ${items}</p>` : '';
}

/** The same for traffic between hosts (shown once above the host drawings). */
export function interHostTransportLine(model: NcclLogModel): SafeHtml | '' {
  const items = transportItems(model, (p) => p.sameHost === false);
  return items ? html`<p class="host-transports">Between hosts, GPU pairs use: ${items}</p>` : '';
}

function transportItems(model: NcclLogModel, keep: (p: PairInfo) => boolean): SafeHtml | '' {
  const families = new Map<string, { pairs: Set<string>; status: CellStatus }>();
  for (const p of pairsOf(model)) {
    if (p.conn.to < 0 || !keep(p)) continue;
    const family = transportFamily(p.conn);
    const entry = families.get(family) ?? { pairs: new Set<string>(), status: 'ok' as CellStatus };
    entry.pairs.add(`${p.comm.id}|${p.conn.from}|${p.conn.to}`);
    entry.status = worse(entry.status, judge(p).status);
    families.set(family, entry);
  }
  if (families.size === 0) return '';
  const items = [...families].sort((a, b) => STATUS_ORDER[b[1].status] - STATUS_ORDER[a[1].status]).map(([f, e]) =>
    html`<span class="t ${e.status}">${MARK[e.status]}${f}</span> ${e.pairs.size} pair${e.pairs.size === 1 ? '' : 's'}${e.status === 'fallback' || e.status === 'degraded' ? html` (<span class="status-${e.status}">${STATUS_TEXT[e.status]}</span>)` : ''}`);
  return joinHtml(items, html`<span class="sep"> · </span>`);
}
