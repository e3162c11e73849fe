/**
 * Streaming NCCL log parser: feed lines in order with `push`, get the model from `finish`.
 * Lines of many processes, threads and communicators interleave freely; all state that spans lines
 * is keyed by process (`host:pid`) or thread (`host:pid:tid`). Memory is bounded by what the log
 * describes (ranks, pairs, distinct lines), never by its length.
 */
import { CommState } from './commBuilder';
import { handleDump } from './dumpHandlers';
import { ErrorState } from './errorBuilder';
import { classifyLine, type ClassifiedLine, type MessageRecord } from './lines';
import { forEachFileLine, forEachLine } from './lineSource';
import type { NcclEnvSetting, NcclLineCounts, NcclLogModel, NcclSubsystemEvidence, NcclVersionInfo, SourceRef } from './model';
import { NetworkState } from './networkBuilder';
import type { NcclPrefix } from './prefix';
import { ProcessState, type ThreadState } from './processState';
import { buildModel } from './modelAssembly';

export interface NcclLogParser {
  /**
   * Adds one line (without terminator). `lineNo` is 0-based; `lineLength` is the true length when
   * the caller cut a very long line short (the ref then still spans the whole line).
   */
  push(line: string, lineNo: number, lineLength?: number): void;
  finish(): NcclLogModel;
}

const MAX_PROCESSES = 16384;
const MAX_COMMUNICATORS = 512;
const MAX_THREADS = 65536;
/** Key of the pseudo-process for lines that lost their NCCL prefix (pasted fragments). */
const PASTED = 'unknown';

class NcclLogBuilder implements NcclLogParser {
  lineTotal = 0;
  readonly counts: NcclLineCounts = { total: 0, nccl: 0, info: 0, warn: 0, trace: 0, call: 0, version: 0, bare: 0 };
  nccl: NcclVersionInfo | undefined;
  readonly versions = new Set<string>();
  cudaDriver: NcclLogModel['cudaDriver'];
  readonly processes = new Map<string, ProcessState>();
  readonly comms = new Map<string, CommState>();
  readonly network = new NetworkState();
  readonly errors = new ErrorState();
  readonly env = new Map<string, NcclEnvSetting>();
  readonly evidence: NcclSubsystemEvidence = { init: false, graph: false, net: false, p2pLines: false, shmLines: false, netLines: false, tuning: false, coll: false, env: false };
  droppedCommunicators = 0;
  firstLine: SourceRef | undefined;
  readonly threads = new Map<string, ThreadState>();
  private overflowProcess: ProcessState | undefined;

  push(line: string, lineNo: number, lineLength = line.length): void {
    this.lineTotal = Math.max(this.lineTotal, lineNo + 1);
    const c = classifyLine(line);
    const ref: SourceRef = { line: lineNo, start: c.start, end: lineLength > line.length ? lineLength : c.end };
    if (!this.firstLine && c.record.kind !== 'blank') this.firstLine = ref;
    if (c.prefix) {
      this.count(c.prefix.level);
      const proc = this.processOf(c.prefix, ref);
      this.errors.tick(proc, c.record.kind === 'errorFrame', c.prefix.tid);
      if (c.prefix.level === 'WARN') this.errors.warn(proc, c.prefix, proc.key, c.message, ref);
      this.handle(c, c.record as MessageRecord, proc, c.prefix, ref);
    } else if (c.banner) {
      this.counts.version++;
      this.handle(c, c.record as MessageRecord, undefined, undefined, ref);
    } else if (c.bare) {
      const record = c.record as MessageRecord;
      const inPastedBlock = this.threads.get(`${PASTED}:0`)?.block !== undefined;
      if ((record.kind === 'topoNode' || record.kind === 'topoFooter') && !inPastedBlock) return;
      this.counts.bare++;
      this.handle(c, record, this.pastedProcess(ref), { level: 'INFO', host: PASTED, pid: 0, tid: 0 }, ref);
    } else if (c.record.kind === 'appError') {
      this.errors.appError(c.record.text, c.record.codeName, ref);
    }
  }

  finish(): NcclLogModel {
    return buildModel(this);
  }

  private count(level: NcclPrefix['level']): void {
    this.counts.nccl++;
    if (level === 'INFO') this.counts.info++;
    else if (level === 'WARN') this.counts.warn++;
    else if (level === 'TRACE') this.counts.trace++;
    else this.counts.call++;
  }

  private processOf(prefix: NcclPrefix, ref: SourceRef): ProcessState {
    const key = `${prefix.host}:${prefix.pid}`;
    let proc = this.processes.get(key);
    if (!proc) {
      if (this.processes.size >= MAX_PROCESSES) {
        this.overflowProcess ??= new ProcessState('other', 'other', 0, ref);
        return this.overflowProcess;
      }
      proc = new ProcessState(key, prefix.host, prefix.pid, ref);
      this.processes.set(key, proc);
    }
    return proc;
  }

  private pastedProcess(ref: SourceRef): ProcessState {
    let proc = this.processes.get(PASTED);
    if (!proc) {
      proc = new ProcessState(PASTED, PASTED, 0, ref);
      this.processes.set(PASTED, proc);
    }
    return proc;
  }

  thread(proc: ProcessState, tid: number): ThreadState {
    const key = `${proc.key}:${tid}`;
    let state = this.threads.get(key);
    if (!state) {
      if (this.threads.size >= MAX_THREADS) this.threads.clear();
      state = {};
      this.threads.set(key, state);
    }
    return state;
  }

  comm(id: string): CommState {
    let comm = this.comms.get(id);
    if (!comm) {
      if (this.comms.size >= MAX_COMMUNICATORS) {
        this.droppedCommunicators++;
        id = 'overflow';
        comm = this.comms.get(id);
        if (comm) return comm;
      }
      comm = new CommState(id);
      this.comms.set(id, comm);
    }
    return comm;
  }

  /** The communicator a connectivity line belongs to, or the catch-all `unknown` one. */
  commOf(proc: ProcessState | undefined, prefix: NcclPrefix | undefined, localRank?: number, maxRank?: number): CommState {
    return proc?.commFor(prefix?.cudaDev, localRank, maxRank) ?? this.comm('unknown');
  }

  private handle(c: ClassifiedLine, r: MessageRecord, proc: ProcessState | undefined, prefix: NcclPrefix | undefined, ref: SourceRef): void {
    if (this.network.add(r, c.message, proc?.key, ref)) {
      this.evidence.net = true;
      return;
    }
    const tid = prefix?.tid ?? 0;
    switch (r.kind) {
      case 'version':
        this.nccl ??= { flavor: r.flavor, version: r.version, ...(r.cudaRuntime ? { cudaRuntime: r.cudaRuntime } : {}), ref };
        this.versions.add(r.version);
        if (proc) proc.versionRef ??= ref;
        return;
      case 'cudaDriver':
        this.cudaDriver ??= { version: r.version, text: `${Math.floor(r.version / 1000)}.${Math.floor((r.version % 1000) / 10)}`, ref };
        return;
      case 'env': {
        this.evidence.env = true;
        const setting = this.env.get(r.name);
        if (!setting) this.env.set(r.name, { name: r.name, value: r.value, count: 1, values: [r.value], ref });
        else {
          setting.count++;
          if (!setting.values.includes(r.value) && setting.values.length < 8) setting.values.push(r.value);
        }
        if (r.name === 'NCCL_HOSTID' && proc) proc.hostId = r.value;
        return;
      }
      case 'commInit': {
        this.evidence.init = true;
        if (!proc) return;
        const parentKey = r.parent ? (proc.byPointer(r.parent)?.comm.id ?? `${proc.key}/${r.parent}`) : undefined;
        const id = r.commId ?? (parentKey ? `split:${parentKey}:${r.color ?? 0}` : `ptr:${proc.key}/${r.commPtr}`);
        const comm = this.comm(id);
        if (r.commId) comm.commId = r.commId;
        comm.noteRanks(r.nRanks);
        proc.join(comm, r.commPtr, r.rank, r.nRanks, r.cudaDev);
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
        this.evidence.init = true;
        const m = proc?.byPointer(r.commPtr);
        const comm = m?.comm ?? this.commOf(proc, prefix, r.rank, r.nRanks - 1);
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
        const rank = this.commOf(proc, prefix, r.rank, r.nRanks - 1).ranks.get(r.rank);
        if (rank) rank.initTimings = { total: r.total, parts: r.parts, ref };
        return;
      }
      case 'collOp': {
        this.evidence.coll = true;
        const m = proc?.byPointer(r.commPtr);
        if (m && proc) proc.touch(m);
        return;
      }
      case 'channelCounts':
        this.evidence.init = true;
        this.commOf(proc, prefix).channelCounts ??= { coll: r.coll, ...(r.collnet !== undefined ? { collnet: r.collnet } : {}), nvls: r.nvls, p2p: r.p2p, p2pPerPeer: r.p2pPerPeer, ref };
        return;
      case 'connectedRings': {
        const comm = this.commOf(proc, prefix);
        if (r.pxn !== undefined) comm.ringPxn ??= r.pxn;
        if (r.gdr !== undefined) comm.ringGdr ??= r.gdr;
        return;
      }
      case 'connectedNvls':
      case 'nvlsComm':
        this.commOf(proc, prefix).nvlsConnected = true;
        return;
      case 'transport': {
        const local = r.side === 'receive' ? r.to : r.from;
        this.commOf(proc, prefix, local, Math.max(r.from, r.to)).addConnection(r, ref);
        if (/^P2P/i.test(r.via)) this.evidence.p2pLines = true;
        else if (/^SHM/i.test(r.via)) this.evidence.shmLines = true;
        else if (/^NET/i.test(r.via)) this.evidence.netLines = true;
        return;
      }
      case 'collnet':
        this.commOf(proc, prefix, r.rank).addConnection({ from: r.rank, to: -1, fromDev: '', toDev: '', side: r.side, channel: r.channel, via: r.via }, ref);
        return;
      case 'errorFrame':
        if (proc) this.errors.frame(proc, proc.key, tid, prefix?.cudaDev, r, ref);
        return;
      case 'cudaFailure':
        if (proc && prefix?.level !== 'WARN') this.errors.cause(proc, r.text, ref);
        return;
      default:
        if (proc) handleDump(this, r, proc, tid, prefix, ref);
    }
  }

}

export type { NcclLogBuilder };

export function createNcclLogParser(): NcclLogParser {
  return new NcclLogBuilder();
}

/** Parses a whole log held in memory. */
export function parseNcclLog(text: string): NcclLogModel {
  const parser = new NcclLogBuilder();
  forEachLine(text, (line, lineNo, length) => parser.push(line, lineNo, length));
  return parser.finish();
}

/** Parses a log file by streaming it from disk (never reads the whole file into memory). */
export async function parseNcclLogFile(path: string): Promise<NcclLogModel> {
  const parser = new NcclLogBuilder();
  await forEachFileLine(path, (line, lineNo, length) => parser.push(line, lineNo, length));
  return parser.finish();
}
