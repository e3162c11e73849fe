/**
 * Streaming NCCL log parser: feed lines in order with `push`, get the model from `finish`.
 * Lines of many processes, threads and communicators interleave freely; all state that spans lines
 * is keyed by process (`host:pid`) or thread (`host:pid:tid`). Memory is bounded by what the log
 * describes (ranks, pairs, distinct lines) and by caps, never by its length.
 *
 * Three paths, one result: push() reads any line (classifyLine); INFO lines of a known process skip
 * the general prefix parsing (pushInfo); and parseNcclLogFile offers every line of an ASCII chunk
 * as bytes first (pushBytes), so the chatter that is most of a big log is counted without ever
 * being decoded. test/unit/ncclLogFastPath.test.ts checks that the paths agree.
 */
import { CommBudget, CommState } from './commBuilder';
import { ErrorState } from './errorBuilder';
import { latin1 } from './byteLines';
import { BYTE_SCAN, knownHost, mayBeRecord, scanInfoBytes, type KnownHost } from './fastPath';
import { IncidentState } from './incidentBuilder';
import { classifyLine, classifyMessage, type MessageRecord } from './lines';
import { forEachFileLine, forEachLine } from './lineSource';
import type { NcclEnvSetting, NcclLineCounts, NcclLogModel, NcclSubsystemEvidence, NcclVersionInfo, SourceRef } from './model';
import { NetworkState } from './networkBuilder';
import { INFO_SCAN, MAX_SCAN, scanInfoPrefix, trimmedEnd, type NcclPrefix } from './prefix';
import { ProcessState, type ThreadState } from './processState';
import { buildModel } from './modelAssembly';
import { handleRecord, PASTED } from './recordHandlers';
import { TopologyAccumulator } from './topologyBuilder';

export interface NcclLogParser {
  /**
   * Adds one line (without terminator). `lineNo` is 0-based; `lineLength` is the true length when
   * the caller cut a very long line short (the ref then still spans the whole line).
   */
  push(line: string, lineNo: number, lineLength?: number): void;
  finish(): NcclLogModel;
}

const MAX_PROCESSES = 16384;
/** Distinct messages whose record the parser remembers (see classify). */
const MAX_CACHED_RECORDS = 4096;
/**
 * Record kinds worth remembering by message text: every rank of a node prints the same topology,
 * path, graph and tuning lines (channel and ring lines differ per rank, so they are not kept).
 * Handlers treat records as read-only (they copy what they keep), so one record serves many lines.
 */
const CACHED_KINDS = new Set<MessageRecord['kind']>([
  'topoHeader', 'topoFooter', 'topoNode', 'path', 'graphPattern', 'graphChannel', 'ringOrder', 'trees',
  'tuningAlgorithms', 'tuningProtocols', 'tuningThreads', 'tuningRow',
]);
const MAX_COMMUNICATORS = 512;
const MAX_THREADS = 65536;
/** Hosts whose topology is kept (each accumulator is itself capped, see topologyBuilder.ts). */
const MAX_TOPOLOGIES = 1024;

/** The processes of one printed host name, by pid (and the name's bytes for the byte path). */
interface HostProcesses {
  host: string;
  byPid: Map<number, ProcessState>;
  bytes?: KnownHost;
}

class NcclLogBuilder implements NcclLogParser {
  lineTotal = 0;
  readonly counts: NcclLineCounts = { total: 0, nccl: 0, info: 0, warn: 0, trace: 0, call: 0, version: 0, bare: 0 };
  nccl: NcclVersionInfo | undefined;
  readonly versions = new Map<string, SourceRef>();
  cudaDriver: NcclLogModel['cudaDriver'];
  readonly processes = new Map<string, ProcessState>();
  readonly comms = new Map<string, CommState>();
  private readonly commBudget = new CommBudget();
  readonly network = new NetworkState();
  readonly errors = new ErrorState();
  readonly incidents = new IncidentState();
  readonly env = new Map<string, NcclEnvSetting>();
  readonly evidence: NcclSubsystemEvidence = { init: false, graph: false, net: false, p2pLines: false, shmLines: false, netLines: false, tuning: false, coll: false, env: false };
  droppedCommunicators = 0;
  firstLine: SourceRef | undefined;
  private threadCount = 0;
  /**
   * Topology per host (NCCL_HOSTID or host name when the dump starts): every process of a host
   * prints the same tree, so it is merged as it arrives, not kept per process.
   */
  readonly topologies = new Map<string, TopologyAccumulator>();
  private overflowProcess: ProcessState | undefined;
  /** Processes by printed host name and pid, for the INFO fast path (pushInfo). */
  private readonly hostProcesses = new Map<string, HostProcesses>();
  private lastHost: HostProcesses | undefined;
  /** Processes by pid, and `host:pid` keys of glued host names resolved to their process (gluedTwin). */
  private readonly byPid = new Map<number, ProcessState[]>();
  private readonly gluedKeys = new Map<string, ProcessState>();
  private readonly records = new Map<string, MessageRecord>();

  push(line: string, lineNo: number, lineLength = line.length): void {
    if (lineNo >= this.lineTotal) this.lineTotal = lineNo + 1;
    if (scanInfoPrefix(line, this.lastHost?.host) && this.pushInfo(line, lineNo, lineLength)) return;
    const c = classifyLine(line);
    const ref: SourceRef = { line: lineNo, start: c.start, end: lineLength > line.length ? lineLength : c.end };
    if (!this.firstLine && c.record.kind !== 'blank') this.firstLine = ref;
    if (c.prefix) {
      this.count(c.prefix.level);
      const proc = this.processOf(c.prefix, ref);
      proc.lines++;
      this.errors.tick(proc, c.record.kind === 'errorFrame', c.prefix.tid);
      if (c.prefix.level === 'WARN') this.errors.warn(proc, c.prefix, proc.key, c.message, ref, c.record.kind === 'incident' ? c.record.incident : undefined);
      handleRecord(this, c.message, c.record as MessageRecord, proc, c.prefix, ref);
    } else if (c.banner) {
      this.counts.version++;
      handleRecord(this, c.message, c.record as MessageRecord, undefined, undefined, ref);
    } else if (c.bare) {
      const record = c.record as MessageRecord;
      const inPastedBlock = this.processes.get(PASTED)?.threads.get(0)?.block !== undefined;
      if ((record.kind === 'topoNode' || record.kind === 'topoFooter') && !inPastedBlock) return;
      this.counts.bare++;
      handleRecord(this, c.message, record, this.pastedProcess(ref), { level: 'INFO', host: PASTED, pid: 0, tid: 0 }, ref);
    } else if (c.record.kind === 'appError') {
      this.errors.appError(c.record.text, c.record.codeName, ref);
    } else if (c.record.kind === 'incident') {
      this.incidents.add(c.record, c.message, 'APP', undefined, undefined, ref);
    }
  }

  /**
   * The hot path: an INFO line of a process already seen (scanInfoPrefix filled INFO_SCAN). Does
   * exactly what the general path does for such a line, without allocating the classification,
   * the prefix or the source ref unless the message is a record. Returns false to defer to it.
   */
  private pushInfo(line: string, lineNo: number, lineLength: number): boolean {
    let host = this.lastHost;
    if (!INFO_SCAN.knownHost || !host) {
      host = this.hostProcesses.get(line.slice(0, INFO_SCAN.hostEnd));
      if (!host) return false;
      this.lastHost = host;
    }
    const proc = host.byPid.get(INFO_SCAN.pid);
    if (!proc) return false;
    this.infoLine(line, lineNo, lineLength, proc, INFO_SCAN.tid, INFO_SCAN.cudaDev, INFO_SCAN.messageStart);
    return true;
  }

  /** An INFO line of a known process, its prefix already read (pushInfo, pushBytes). */
  private infoLine(line: string, lineNo: number, lineLength: number, proc: ProcessState, tid: number, cudaDev: number, messageStart: number): void {
    const end = trimmedEnd(line);
    const stop = end < MAX_SCAN ? end : MAX_SCAN;
    const message = messageStart >= stop ? '' : line.slice(messageStart, stop);
    const record = this.classify(message);
    const refEnd = lineLength > line.length ? lineLength : end;
    if (!this.firstLine) this.firstLine = { line: lineNo, start: 0, end: refEnd };
    this.counts.nccl++;
    this.counts.info++;
    proc.lines++;
    this.errors.tick(proc, record.kind === 'errorFrame', tid);
    if (record.kind === 'other') return;
    handleRecord(this, message, record, proc, { level: 'INFO', host: proc.hostname, pid: proc.pid, tid, cudaDev }, { line: lineNo, start: 0, end: refEnd });
  }

  /** classifyMessage, remembering the records of repeated dump and channel lines. */
  private classify(message: string): MessageRecord {
    const cached = this.records.get(message);
    if (cached) return cached;
    const record = classifyMessage(message);
    if (CACHED_KINDS.has(record.kind)) {
      if (this.records.size >= MAX_CACHED_RECORDS) this.records.clear();
      this.records.set(message, record);
    }
    return record;
  }

  /**
   * The hottest path, on the raw bytes of an ASCII line: an INFO line of a known process whose
   * message no format can match (mayBeRecord). Counts it exactly as push() would and returns true;
   * returns false for every other line, which then arrives through push() as a string.
   */
  pushBytes(bytes: Buffer, start: number, end: number, lineNo: number): boolean {
    if (!this.firstLine) return false;
    let host = this.lastHost;
    if (!scanInfoBytes(bytes, start, end, host?.bytes)) return false;
    if (!BYTE_SCAN.knownHost || !host) {
      host = this.hostProcesses.get(bytes.toString('latin1', start, BYTE_SCAN.hostEnd));
      if (!host) return false;
      host.bytes ??= knownHost(host.host);
      this.lastHost = host;
    }
    const proc = host.byPid.get(BYTE_SCAN.pid);
    if (!proc) return false;
    let stop = end;
    while (stop > start) {
      const c = bytes[stop - 1];
      if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
      stop--;
    }
    if (stop - start > MAX_SCAN) stop = start + MAX_SCAN;
    if (lineNo >= this.lineTotal) this.lineTotal = lineNo + 1;
    if (mayBeRecord(bytes, BYTE_SCAN.messageStart, stop)) {
      // Possibly a record: decode this one line and go on as push() would after reading its prefix.
      const { tid, cudaDev, messageStart } = BYTE_SCAN;
      this.infoLine(latin1(bytes, start, end), lineNo, end - start, proc, tid, cudaDev, messageStart - start);
      return true;
    }
    this.counts.nccl++;
    this.counts.info++;
    proc.lines++;
    this.errors.tick(proc, false, BYTE_SCAN.tid);
    return true;
  }

  finish(): NcclLogModel {
    // Lines of processes that never named a communicator: the catch-all one, as for pastes.
    for (const proc of this.processes.values()) {
      if (!proc.pending) continue;
      this.comms.delete(proc.pending.id);
      this.comm('unknown').absorb(proc.pending);
      proc.pending = undefined;
    }
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
      const glued = this.gluedKeys.get(key) ?? this.gluedTwin(prefix.host, prefix.pid);
      if (glued) return glued;
      proc = new ProcessState(key, prefix.host, prefix.pid, ref);
      this.processes.set(key, proc);
      this.registerHost(proc);
      const same = this.byPid.get(prefix.pid);
      if (same) same.push(proc);
      else this.byPid.set(prefix.pid, [proc]);
    }
    return proc;
  }

  private registerHost(proc: ProcessState): void {
    let host = this.hostProcesses.get(proc.hostname);
    if (!host) this.hostProcesses.set(proc.hostname, (host = { host: proc.hostname, byPid: new Map() }));
    host.byPid.set(proc.pid, proc);
  }

  /**
   * Processes writing to one unbuffered stream (srun/mpirun/pbs without line buffering) interleave
   * mid-line, so a line may begin with a fragment of another process's host name glued before the
   * real one (`nodeAnodeB:PID:TID`) or with only the tail of its own (`eB:PID:TID`). A new host
   * name that ends with, or is the end of, the host name of a known process with the same pid,
   * joined without a separator (`-` `.` `_` mark two real names like `gpu-node1` and `node1`),
   * is that process. The known name is the real one, unless the process was seen on no more than
   * two lines and the new name is shorter by the start of another known host name: the glued
   * fragment was its first line, and it is renamed.
   */
  private gluedTwin(name: string, pid: number): ProcessState | undefined {
    for (const known of this.byPid.get(pid) ?? []) {
      const other = known.hostname;
      if (other === name || known.hostId !== undefined) continue;
      const [longer, shorter] = other.length > name.length ? [other, name] : [name, other];
      if (shorter.length < 2 || !longer.endsWith(shorter)) continue;
      const boundary = longer.charCodeAt(longer.length - shorter.length - 1);
      if (boundary === 45 || boundary === 46 || boundary === 95) continue; // - . _
      // A process seen on more lines than a glued start has its real name already.
      const front = longer.slice(0, longer.length - shorter.length);
      const real = known.lines <= 2 && [...this.hostProcesses.keys()].some((h) => h !== longer && h !== shorter && h.startsWith(front)) ? shorter : other;
      this.gluedKeys.set(`${name}:${pid}`, known);
      if (real === name) {
        this.gluedKeys.set(`${other}:${pid}`, known);
        const left = this.hostProcesses.get(other);
        left?.byPid.delete(pid);
        if (left?.byPid.size === 0) this.hostProcesses.delete(other);
        this.lastHost = undefined;
        known.hostname = name;
        this.registerHost(known);
      }
      return known;
    }
    return undefined;
  }

  private pastedProcess(ref: SourceRef): ProcessState {
    let proc = this.processes.get(PASTED);
    if (!proc) {
      proc = new ProcessState(PASTED, PASTED, 0, ref);
      this.processes.set(PASTED, proc);
    }
    return proc;
  }

  topologyOf(proc: ProcessState): TopologyAccumulator | undefined {
    let topology = this.topologies.get(proc.host);
    if (!topology && this.topologies.size < MAX_TOPOLOGIES) {
      topology = new TopologyAccumulator();
      this.topologies.set(proc.host, topology);
    }
    return topology;
  }

  thread(proc: ProcessState, tid: number): ThreadState {
    let state = proc.threads.get(tid);
    if (!state) {
      if (this.threadCount >= MAX_THREADS) {
        for (const p of this.processes.values()) p.threads.clear();
        this.overflowProcess?.threads.clear();
        this.threadCount = 0;
      }
      state = {};
      proc.threads.set(tid, state);
      this.threadCount++;
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
      comm = new CommState(id, this.commBudget);
      this.comms.set(id, comm);
    }
    return comm;
  }

  /** The communicator a connectivity line belongs to, or the catch-all `unknown` one. */
  commOf(proc: ProcessState | undefined, prefix: NcclPrefix | undefined, localRank?: number, maxRank?: number): CommState {
    const comm = proc?.commFor(prefix?.cudaDev, localRank, maxRank);
    if (comm) return comm;
    // Before the process's first Init line (NCCL <= 2.17 names the communicator only at Init
    // COMPLETE): kept per process, and taken over by the communicator that line names.
    if (!proc || proc.key === PASTED) return this.comm('unknown');
    if (proc.pending) return proc.pending;
    const pending = this.comm(`pre:${proc.key}`);
    if (pending.id !== 'overflow') proc.pending = pending;
    return pending;
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

/**
 * Parses a log file by streaming it from disk (never reads the whole file into memory). Lines
 * the byte-level fast path can account for are never decoded (fastPath.ts).
 */
export async function parseNcclLogFile(path: string): Promise<NcclLogModel> {
  const parser = new NcclLogBuilder();
  await forEachFileLine(
    path,
    (line, lineNo, length) => parser.push(line, lineNo, length),
    undefined,
    (bytes, start, end, lineNo) => parser.pushBytes(bytes, start, end, lineNo),
  );
  return parser.finish();
}
