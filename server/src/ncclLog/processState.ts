/**
 * What the parser remembers per process and per thread, and how it decides which communicator a
 * line belongs to. NCCL's channel/ring/tree/tuning lines carry no communicator id; they belong to
 * the communicator the printing process is initialising or using on that CUDA device. We keep the
 * process's memberships most-recent-first and prefer the one whose rank matches the line's local
 * rank (a vLLM worker has a world, a TP and a PP communicator on the same GPU).
 */
import type { CommState, PendingGraph } from './commBuilder';
import type { ProcessErrorState } from './errorBuilder';
import type { NcclTuningTable, ProcessKey, SourceRef } from './model';
import type { TopologyBlock } from './topologyBuilder';

const MAX_MEMBERSHIPS = 32;

export interface Membership {
  comm: CommState;
  rank: number;
  nRanks: number;
  cudaDev: number;
}

export class ProcessState implements ProcessErrorState {
  hostId: string | undefined;
  versionRef: SourceRef | undefined;
  version: string | undefined;
  readonly cudaDevs = new Set<number>();
  /** Lines printed (a glued host name is told from the real one by it, see the parser's gluedTwin). */
  lines = 0;
  initComplete = false;
  /** Connectivity lines printed before the process's first communicator was named (CommState.absorb). */
  pending: CommState | undefined;
  fatalErrors = 0;
  cause: ProcessErrorState['cause'];
  openChain: ProcessErrorState['openChain'];
  openChainTid: number | undefined;
  /** Multi-line dump state per thread id (see the parser's MAX_THREADS). */
  readonly threads = new Map<number, ThreadState>();
  /** Most recent first. */
  private readonly memberships: Membership[] = [];
  private readonly byPtr = new Map<string, Membership>();

  constructor(
    readonly key: ProcessKey,
    /** The printed host name; corrected once if the first line was glued to another process's (see the parser's gluedTwin). */
    public hostname: string,
    readonly pid: number,
    readonly firstRef: SourceRef,
  ) {}

  get host(): string {
    return this.hostId ?? this.hostname;
  }

  /** Records that this process holds `rank` of `comm` (Init START/COMPLETE) and makes it current. */
  join(comm: CommState, commPtr: string, rank: number, nRanks: number, cudaDev: number): Membership {
    let m = this.byPtr.get(commPtr);
    if (!m || m.comm !== comm) {
      m = { comm, rank, nRanks, cudaDev };
      this.byPtr.set(commPtr, m);
    }
    this.touch(m);
    this.cudaDevs.add(cudaDev);
    return m;
  }

  byPointer(commPtr: string): Membership | undefined {
    return this.byPtr.get(commPtr);
  }

  /** Moves a membership to the front (a collective on it just ran). */
  touch(m: Membership): void {
    const i = this.memberships.indexOf(m);
    if (i >= 0) this.memberships.splice(i, 1);
    this.memberships.unshift(m);
    if (this.memberships.length > MAX_MEMBERSHIPS) this.memberships.pop();
  }

  /**
   * The communicator a connectivity line belongs to: on `cudaDev`, whose rank is `localRank` and
   * large enough for `maxRank`; else any membership with that rank; else the most recent one.
   */
  commFor(cudaDev: number | undefined, localRank?: number, maxRank?: number): CommState | undefined {
    // Plain loops: this runs for every channel, ring and tree line.
    const list = this.memberships;
    let anyFit: CommState | undefined;
    let onDevice: CommState | undefined;
    for (const m of list) {
      const fits = (localRank === undefined || m.rank === localRank) && (maxRank === undefined || m.nRanks > maxRank);
      if (fits && m.cudaDev === cudaDev) return m.comm;
      if (fits) anyFit ??= m.comm;
      if (m.cudaDev === cudaDev) onDevice ??= m.comm;
    }
    return anyFit ?? onDevice ?? list[0]?.comm;
  }

}

/** Per-thread state for the multi-line dumps (one thread prints one dump at a time). */
export interface ThreadState {
  block?: TopologyBlock;
  graph?: PendingGraph;
  tuning?: { table?: NcclTuningTable; algorithms: string[]; protocols: string[]; lastLine: number };
}
