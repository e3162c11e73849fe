/**
 * What one classified line means for the model (everything but the multi-line dumps, which
 * dumpHandlers.ts handles): versions, environment echo, communicators and ranks, channel lines,
 * incidents and back-trace frames. State lives in the builder (parser.ts).
 */
import type { MessageRecord } from './lines';
import type { SourceRef } from './model';
import { handleDump } from './dumpHandlers';
import type { NcclLogBuilder } from './parser';
import type { NcclPrefix } from './prefix';
import type { ProcessState } from './processState';

/** Record kinds NetworkState keeps (networkBuilder.ts). */
const NETWORK_KINDS = new Set<MessageRecord['kind']>(['bootstrap', 'plugin', 'netPlugin', 'ibDevices', 'ibNoDevice', 'socketDevices', 'gdr', 'dmaBuf', 'missingSymbol', 'nvlsSupport', 'p2pDisabledPair']);
/** Key of the pseudo-process for lines that lost their NCCL prefix (pasted fragments). */
export const PASTED = 'unknown';

export function handleRecord(b: NcclLogBuilder, message: string, r: MessageRecord, proc: ProcessState | undefined, prefix: NcclPrefix | undefined, ref: SourceRef): void {
  if (NETWORK_KINDS.has(r.kind) && b.network.add(r, message, proc?.key, ref)) {
    b.evidence.net = true;
    return;
  }
  const tid = prefix?.tid ?? 0;
  switch (r.kind) {
    case 'version':
      b.nccl ??= { flavor: r.flavor, version: r.version, ...(r.cudaRuntime ? { cudaRuntime: r.cudaRuntime } : {}), ref };
      if (!b.versions.has(r.version)) b.versions.set(r.version, ref);
      if (proc && proc.key !== PASTED) {
        proc.versionRef ??= ref;
        proc.version ??= r.version;
      }
      return;
    case 'incident': {
      const known = proc !== undefined && proc.key !== PASTED;
      b.incidents.add(r, message, prefix?.level ?? 'INFO', known ? proc.key : undefined, known ? prefix?.cudaDev : undefined, ref);
      return;
    }
    case 'cudaDriver':
      b.cudaDriver ??= { version: r.version, text: `${Math.floor(r.version / 1000)}.${Math.floor((r.version % 1000) / 10)}`, ref };
      return;
    case 'env': {
      b.evidence.env = true;
      const setting = b.env.get(r.name);
      if (!setting) b.env.set(r.name, { name: r.name, value: r.value, count: 1, values: [r.value], ref });
      else {
        setting.count++;
        if (!setting.values.includes(r.value) && setting.values.length < 8) setting.values.push(r.value);
      }
      if (r.name === 'NCCL_HOSTID' && proc) proc.hostId = r.value;
      return;
    }
    case 'commInit': {
      b.evidence.init = true;
      if (!proc) return;
      const parentKey = r.parent ? (proc.byPointer(r.parent)?.comm.id ?? `${proc.key}/${r.parent}`) : undefined;
      const id = r.commId ?? (parentKey ? `split:${parentKey}:${r.color ?? 0}` : `ptr:${proc.key}/${r.commPtr}`);
      const comm = b.comm(id);
      if (r.commId) comm.commId = r.commId;
      comm.noteRanks(r.nRanks);
      proc.join(comm, r.commPtr, r.rank, r.nRanks, r.cudaDev);
      if (proc.pending) {
        if (proc.pending !== comm) {
          b.comms.delete(proc.pending.id);
          comm.absorb(proc.pending);
        }
        proc.pending = undefined;
      }
      const rank = comm.ranks.get(r.rank) ?? { rank: r.rank, nRanks: r.nRanks, process: proc.key, host: proc.hostname, pid: proc.pid, cudaDev: r.cudaDev, busId: r.busId };
      Object.assign(rank, { nRanks: r.nRanks, process: proc.key, pid: proc.pid, cudaDev: r.cudaDev, busId: r.busId, commPtr: r.commPtr });
      if (r.nvmlDev !== undefined) rank.nvmlDev = r.nvmlDev;
      if (r.api) rank.api = r.api;
      if (r.phase === 'START') rank.initStart ??= ref;
      else {
        rank.initComplete ??= ref;
        proc.initComplete = true;
      }
      comm.ranks.set(r.rank, rank);
      return;
    }
    case 'commSummary': {
      b.evidence.init = true;
      const m = proc?.byPointer(r.commPtr);
      const comm = m?.comm ?? b.commOf(proc, prefix, r.rank, r.nRanks - 1);
      comm.noteRanks(r.nRanks);
      comm.nNodes ??= r.nNodes;
      comm.localRanks ??= r.localRanks;
      comm.mnnvl ??= r.mnnvl;
      const rank = comm.ranks.get(r.rank);
      if (rank) rank.localRank = r.localRank;
      return;
    }
    case 'commEnd': {
      const rank = proc?.byPointer(r.commPtr)?.comm.ranks.get(r.rank);
      if (rank) rank.end = { action: r.action, ref };
      return;
    }
    case 'initTimings': {
      const rank = b.commOf(proc, prefix, r.rank, r.nRanks - 1).ranks.get(r.rank);
      if (rank) rank.initTimings = { total: r.total, parts: r.parts, ref };
      return;
    }
    case 'collOp': {
      b.evidence.coll = true;
      const m = proc?.byPointer(r.commPtr);
      if (m && proc) proc.touch(m);
      return;
    }
    case 'channelCounts':
      b.evidence.init = true;
      b.commOf(proc, prefix).channelCounts ??= { coll: r.coll, ...(r.collnet !== undefined ? { collnet: r.collnet } : {}), nvls: r.nvls, p2p: r.p2p, p2pPerPeer: r.p2pPerPeer, ref };
      return;
    case 'connectedRings': {
      const comm = b.commOf(proc, prefix);
      if (r.pxn !== undefined) comm.ringPxn ??= r.pxn;
      if (r.gdr !== undefined) comm.ringGdr ??= r.gdr;
      return;
    }
    case 'connectedNvls':
    case 'nvlsComm':
      b.commOf(proc, prefix).nvlsConnected = true;
      return;
    case 'transport': {
      const local = r.side === 'receive' ? r.to : r.from;
      b.commOf(proc, prefix, local, Math.max(r.from, r.to)).addConnection(r, ref);
      const head = r.via.slice(0, 3).toUpperCase();
      if (head === 'P2P') b.evidence.p2pLines = true;
      else if (head === 'SHM' || r.via.startsWith('direct shared memory')) b.evidence.shmLines = true;
      else if (head === 'NET') b.evidence.netLines = true;
      return;
    }
    case 'collnet':
      b.commOf(proc, prefix, r.rank).addConnection({ from: r.rank, to: -1, fromDev: '', toDev: '', side: r.side, channel: r.channel, via: r.via }, ref);
      return;
    case 'errorFrame':
      if (proc) b.errors.frame(proc, proc.key, tid, prefix?.cudaDev, r, ref);
      return;
    case 'cudaFailure':
      if (proc && prefix?.level !== 'WARN') b.errors.cause(proc, r.text, ref);
      return;
    default:
      if (proc) handleDump(b, r, proc, tid, prefix, ref);
  }
}
