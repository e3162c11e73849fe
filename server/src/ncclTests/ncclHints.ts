/**
 * The few NCCL log lines that explain a bandwidth figure: which transport carried the channels,
 * which network NCCL chose, which NCCL_* variables were set, and WARNs. The full NCCL log analysis
 * lives in ncclLog/; here we only need enough to name the likely cause of a slow run.
 */
import type { NcclHints, NcclTransportKind, SourceRef } from './model';

const MAX_WARNS = 20;
const MAX_HOSTS = 64;
const MAX_ENV = 64;

const ENV = /^(NCCL_[A-Z0-9_]{1,64}) set by environment to (\S{0,256})/;
const CHANNEL = /^Channel \d{1,4}\/\d{1,4} : \d{1,7}\[[0-9a-fx]{1,16}\] -> \d{1,7}\[[0-9a-fx]{1,16}\](?: \[(?:send|receive)\])? via (\S{1,64})/;
const NETWORK = /^Using network (\S{1,32})/;
const NNODES = /\bnRanks \d{1,7} nNodes (\d{1,7})\b/;
const VERSION = /^NCCL version (\S{1,64})/;

export function transportKind(via: string): NcclTransportKind {
  if (via.startsWith('P2P')) return 'P2P';
  if (via.startsWith('SHM')) return 'SHM';
  if (/^NET\/IB/i.test(via)) return 'NET/IB';
  if (/^NET\/Socket/i.test(via)) return 'NET/Socket';
  if (via.startsWith('NET')) return 'NET';
  if (/^COLLNET/i.test(via)) return 'CollNet';
  if (/^NVLS/i.test(via)) return 'NVLS';
  return 'other';
}

/** Records one NCCL line (level and message already split off by the prefix reader). */
export function addNcclLine(hints: NcclHints, level: string, host: string | undefined, message: string, ref: SourceRef): void {
  if (level === 'WARN') {
    hints.warnLines++;
    if (hints.warns.length < MAX_WARNS) hints.warns.push({ text: message.slice(0, 512), ref });
  } else hints.infoLines++;
  if (host && hints.hosts.length < MAX_HOSTS && !hints.hosts.includes(host)) hints.hosts.push(host);
  let m: RegExpExecArray | null;
  if ((m = CHANNEL.exec(message))) {
    const via = m[1];
    const existing = hints.transports.find((t) => t.via === via);
    if (existing) existing.count++;
    else hints.transports.push({ kind: transportKind(via), via, count: 1, ref });
  } else if ((m = ENV.exec(message))) {
    if (hints.env.length < MAX_ENV && !hints.env.some((e) => e.name === m![1])) hints.env.push({ name: m[1], value: m[2].replace(/\.$/, ''), ref });
  } else if ((m = NETWORK.exec(message))) {
    hints.network ??= { name: m[1], ref };
    if (hints.network.name.toLowerCase() !== 'ib' && m[1].toLowerCase() === 'ib') hints.network = { name: m[1], ref };
  } else if (/^NET\/IB ?: ?No device found/.test(message)) {
    hints.ibNoDevice ??= ref;
  } else if (/P2P is disabled between/.test(message)) {
    if (hints.p2pDisabled.length < MAX_WARNS) hints.p2pDisabled.push({ text: message.slice(0, 512), ref });
  } else if ((m = VERSION.exec(message))) {
    hints.version ??= m[1];
  } else if ((m = NNODES.exec(message))) {
    hints.nNodes = Math.max(hints.nNodes ?? 0, Number(m[1]));
  }
}

/** Folds `from` into `into` (a run's hints into the file's, or lines seen before a run into it). */
export function mergeHints(into: NcclHints, from: NcclHints): void {
  into.infoLines += from.infoLines;
  into.warnLines += from.warnLines;
  into.version ??= from.version;
  for (const h of from.hosts) if (into.hosts.length < MAX_HOSTS && !into.hosts.includes(h)) into.hosts.push(h);
  for (const e of from.env) if (into.env.length < MAX_ENV && !into.env.some((x) => x.name === e.name)) into.env.push(e);
  for (const t of from.transports) {
    const existing = into.transports.find((x) => x.via === t.via);
    if (existing) existing.count += t.count;
    else into.transports.push({ ...t });
  }
  if (from.network && (!into.network || from.network.name.toLowerCase() === 'ib')) into.network = from.network;
  into.ibNoDevice ??= from.ibNoDevice;
  for (const p of from.p2pDisabled) if (into.p2pDisabled.length < MAX_WARNS) into.p2pDisabled.push(p);
  if (from.nNodes !== undefined) into.nNodes = Math.max(into.nNodes ?? 0, from.nNodes);
  for (const w of from.warns) if (into.warns.length < MAX_WARNS) into.warns.push(w);
}

export function hasHints(h: NcclHints): boolean {
  return h.infoLines + h.warnLines > 0;
}
