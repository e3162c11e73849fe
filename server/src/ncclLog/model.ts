/**
 * The NCCL debug-log model: everything `parser.ts` learns from an NCCL_DEBUG=INFO log, as plain
 * JSON-serialisable data (no Maps, no classes) so the LSP server can hand it to the webview and
 * the CLI can print it as JSON. Every fact keeps a `SourceRef` so the editor can link back.
 *
 * Repeated facts (every rank prints the same plugin/NIC lines) are aggregated: one entry with the
 * first occurrence's ref and a `count`, never one entry per line - a 1 GB log keeps a flat model.
 */
import type { NcclNetwork } from './networkModel';
import type { NcclHost } from './topologyModel';

/** Where a fact came from: 0-based line, UTF-16 columns of the NCCL record on that line. */
export interface SourceRef {
  line: number;
  start: number;
  end: number;
}

/** `hostname:pid`, the identity of one process in the log (tids are threads of it). */
export type ProcessKey = string;

// Host topology and network facts live in their own files; re-exported so `model.ts` stays the
// one import for consumers.
export type * from './topologyModel';
export type * from './networkModel';

export interface NcclVersionInfo {
  flavor: 'NCCL' | 'RCCL';
  /** e.g. `2.28.9` */
  version: string;
  /** CUDA (or HIP) version NCCL was built against, from `+cuda13.0`. */
  cudaRuntime?: string;
  ref: SourceRef;
}

export interface NcclProcess {
  key: ProcessKey;
  /** Host name as printed (truncated at the first `.` by NCCL). */
  hostname: string;
  pid: number;
  /** NCCL_HOSTID echoed by this process, which overrides the hostname for node grouping. */
  hostId?: string;
  /** Host this process is grouped under: hostId ?? hostname. */
  host: string;
  /** CUDA devices of the communicators this process initialised. */
  cudaDevs: number[];
  firstRef: SourceRef;
  versionRef?: SourceRef;
  /** NCCL version this process printed (`NCCL version ...` with its prefix). */
  ncclVersion?: string;
  /** True once any of its ranks logged Init COMPLETE. */
  initComplete: boolean;
  /** Fatal error chains (WARN followed by `file:line -> code`) logged by this process. */
  fatalErrors: number;
}

export interface NcclInitTimings {
  total: number;
  /** kernels, alloc, bootstrap, allgathers, topo, graphs, connections, rest (seconds). */
  parts: Record<string, number>;
  ref: SourceRef;
}

export interface NcclRank {
  rank: number;
  nRanks: number;
  process: ProcessKey;
  host: string;
  pid: number;
  cudaDev: number;
  nvmlDev?: number;
  /** PCI bus id as NCCL prints it (`%lx`, lowercase, no leading zeros), e.g. `60` or `18000`. */
  busId: string;
  /** API that created it: ncclCommInitRank, ncclCommInitRankConfig, ncclCommSplit, ... */
  api?: string;
  commPtr?: string;
  localRank?: number;
  initStart?: SourceRef;
  initComplete?: SourceRef;
  initTimings?: NcclInitTimings;
  /** `Destroy COMPLETE`, `Abort START`, ... */
  end?: { action: string; ref: SourceRef };
}

export type TransportKind = 'P2P' | 'SHM' | 'NET' | 'COLLNET' | 'NVLS' | 'OTHER';

/**
 * One transport between a pair of ranks of a communicator, aggregated over channels and over
 * the send/receive lines both sides print: `Channel 00/0 : 0[0] -> 1[1] via P2P/CUMEM`.
 */
export interface NcclConnection {
  from: number;
  to: number;
  /** Device in brackets: NVML index (2.18.3+) or bus id (2.18.1), as printed. */
  fromDev: string;
  toDev: string;
  transport: TransportKind;
  /** The `via` text without per-side noise, e.g. `P2P/CUMEM`, `NET/IB/0/GDRDMA`, `SHM/direct/direct`. */
  via: string;
  /** P2P mode (CUMEM, IPC, direct pointer, MNNVL, indirect) or SHM mode. */
  mode?: string;
  /** NET only. */
  net?: { name: string; dev: number; proxyRank?: number; gdr: boolean; shared: boolean; pci: boolean };
  /** Channel numbers this pair uses with this transport (connIndex ignored). */
  channels: number[];
  sides: Array<'send' | 'receive'>;
  lineCount: number;
  ref: SourceRef;
}

export interface NcclRing {
  channel: number;
  /** Rank order around the ring, from `Channel 00/24 : 0 1 2 3` or rebuilt from `Ring` lines. */
  order: number[];
  ref: SourceRef;
}

export interface NcclTreeNode {
  channel: number;
  rank: number;
  up: number;
  down: number[];
  /** `Trees [c] d0/d1/d2->me->up` (whole tree) or `Tree c : up -> me -> d0/d1/d2` (inter-node). */
  scope: 'comm' | 'net';
  ref: SourceRef;
}

export interface NcclGraph {
  /** 1 balanced tree, 2 split tree, 3 tree, 4 ring, 5 NVLS, 6 CollNet direct. */
  pattern: number;
  patternName: string;
  crossNic: number;
  nChannels: number;
  bwIntra: number;
  bwInter: number;
  typeIntra: string;
  typeInter: string;
  sameChannels: number;
  host: string;
  /** Node ids per search channel, e.g. [["GPU/0-60","GPU/0-70"]]. */
  channels: string[][];
  ref: SourceRef;
}

export interface NcclTuningCell {
  func: string;
  algorithm: string;
  protocol: string;
  latencyUs: number;
  /** 0 means the combination is disabled. */
  bwGBs: number;
}

export interface NcclTuningTable {
  maxThreads: Array<{ algorithm: string; protocol: string; threads: number }>;
  cells: NcclTuningCell[];
  ref: SourceRef;
}

export interface NcclChannelCounts {
  coll: number;
  collnet?: number;
  nvls: number;
  p2p: number;
  p2pPerPeer: number;
  ref: SourceRef;
}

export interface NcclCommunicator {
  /** commId (`0x...`) when printed, else a synthetic key (`split:...`, `unknown`). */
  id: string;
  commId?: string;
  nRanks: number;
  nNodes?: number;
  localRanks?: number;
  mnnvl?: boolean;
  ranks: NcclRank[];
  channelCounts?: NcclChannelCounts;
  connections: NcclConnection[];
  rings: NcclRing[];
  trees: NcclTreeNode[];
  graphs: NcclGraph[];
  tuning?: NcclTuningTable;
  /** From `Connected all rings, use ring PXN %d GDR %d` (2.24+). */
  ringPxn?: boolean;
  ringGdr?: boolean;
  /** `Connected NVLS tree` or NVLS comm lines seen. */
  nvlsConnected?: boolean;
  /** Entries dropped by the per-communicator caps. */
  dropped: number;
}

export interface NcclEnvSetting {
  name: string;
  value: string;
  /** Processes that echoed it (count) and the distinct values seen. */
  count: number;
  values: string[];
  ref: SourceRef;
}

export interface NcclWarn {
  text: string;
  /** Set when the WARN is one of the incidents below (then `nccl-log/warn` leaves it to that rule). */
  incident?: NcclIncidentKind;
  process?: ProcessKey;
  cudaDev?: number;
  file?: string;
  srcLine?: number;
  func?: string;
  timestamp?: string;
  ref: SourceRef;
}

/** A `file:line -> code` back-trace started right after a WARN of the same process. */
export interface NcclErrorChain {
  process: ProcessKey;
  cudaDev?: number;
  code: number;
  codeName: string;
  frames: Array<{ file: string; line: number; func?: string }>;
  thread?: string;
  cause?: string;
  causeRef?: SourceRef;
  ref: SourceRef;
}

/** Problems a single line reports (incidents.ts); the finding ids without the `nccl-log/` prefix. */
export type NcclIncidentKind =
  | 'timeout'
  | 'ib-error'
  | 'duplicate-gpu'
  | 'socket-speed-default'
  | 'nvls-unavailable'
  | 'collnet-failure'
  | 'connection-closed'
  | 'version-mismatch';

/** Incident lines aggregated by kind and text shape (numbers and addresses ignored). */
export interface NcclIncident {
  kind: NcclIncidentKind;
  /** Text of the first line of this shape: the message after NCCL's prefix, or the application line. */
  text: string;
  /** Printed by NCCL (INFO / WARN) or by the application around it (APP). */
  level: 'INFO' | 'WARN' | 'TRACE' | 'CALL' | 'APP';
  count: number;
  /** Processes (and the CUDA device of the printing thread) that printed it, capped. */
  sources: Array<{ process: ProcessKey; cudaDev?: number }>;
  /** Ranks named by the lines (`rank 3 and rank 7`, `[Rank 2]`). */
  ranks: number[];
  /** Remote address, HCA / interface / bus id, IB status named by the first line. */
  peer?: string;
  device?: string;
  status?: string;
  /** Distinct devices (interfaces, HCAs) over all lines of this shape, capped. */
  devices: string[];
  ref: SourceRef;
}

/** An application-side NCCL failure line (PyTorch / vLLM exception text), deduplicated by text. */
export interface NcclAppError {
  text: string;
  codeName?: string;
  count: number;
  ref: SourceRef;
}

export interface NcclLineCounts {
  total: number;
  nccl: number;
  info: number;
  warn: number;
  trace: number;
  call: number;
  version: number;
  /** Lines without an NCCL prefix whose message still looked like NCCL output (pasted fragments). */
  bare: number;
}

/** Which NCCL_DEBUG_SUBSYS areas left evidence in the log (decides what can be answered). */
export interface NcclSubsystemEvidence {
  init: boolean;
  graph: boolean;
  net: boolean;
  p2pLines: boolean;
  shmLines: boolean;
  netLines: boolean;
  tuning: boolean;
  coll: boolean;
  env: boolean;
}

export interface NcclLogModel {
  schema: 1;
  lines: NcclLineCounts;
  /** First non-blank line: where log-wide findings anchor when no better line exists. */
  firstLine?: SourceRef;
  nccl?: NcclVersionInfo;
  /** Distinct versions in order of appearance (more than one when processes disagree). */
  ncclVersions: string[];
  /** First line of each entry of `ncclVersions`. */
  ncclVersionRefs: SourceRef[];
  cudaDriver?: { version: number; text: string; ref: SourceRef };
  hosts: NcclHost[];
  processes: NcclProcess[];
  communicators: NcclCommunicator[];
  network: NcclNetwork;
  env: NcclEnvSetting[];
  warnings: NcclWarn[];
  warnCount: number;
  errors: NcclErrorChain[];
  appErrors: NcclAppError[];
  incidents: NcclIncident[];
  subsystems: NcclSubsystemEvidence;
  /** Items dropped by caps (so consumers can say "and N more"). */
  dropped: { warnings: number; errors: number; appErrors: number; communicators: number; aggregated: number; incidents: number };
}
