/**
 * What a file of nccl-tests output (`all_reduce_perf`, `all_gather_perf`, `sendrecv_perf`, ...)
 * says, as plain JSON-serialisable data: one entry per run (a file may hold several, one after the
 * other or from `-d all` sweeps), each with its parameters, ranks, result rows and footer, plus what
 * interleaved `NCCL_DEBUG=INFO` lines reveal about the transport NCCL picked.
 *
 * Every fact keeps a SourceRef (0-based line, UTF-16 columns after launcher prefixes) so findings
 * and the editor can point at the line it came from.
 */

export interface SourceRef {
  line: number;
  start: number;
  end: number;
}

/** `# nThread 1 nGpus 2 minBytes 8 maxBytes 1073741824 step: 2(factor) warmup iters: 1 iters: 20 ...` */
export interface NcclTestsParams {
  nThread?: number;
  nGpus?: number;
  minBytes?: number;
  maxBytes?: number;
  step?: number;
  stepKind?: 'factor' | 'bytes';
  warmupIters?: number;
  iters?: number;
  aggIters?: number;
  /** `validation:` (datacheck iterations; 0 = results are not checked, `#wrong` reads N/A). */
  validation?: number;
  /** `graph:` CUDA graph launches (-G). */
  graph?: number;
  unalign?: number;
  /** Any other `name: value` pair on the line (side_work, work_sms, direction, ...). */
  extra: Record<string, string>;
  ref: SourceRef;
}

/** `#  Rank  0 Group  0 Pid   1338 on         vm device  0 [0000:00:06] NVIDIA H200` */
export interface NcclTestsRank {
  rank: number;
  group?: number;
  pid: number;
  host: string;
  /** CUDA device index on its host. */
  device: number;
  /** As printed: `0000:00:06` (recent) or `0x07` (older releases). */
  busId: string;
  /** `prop.name`: `NVIDIA H200`, `NVIDIA A100-SXM4-80GB`, ... */
  gpu: string;
  ref: SourceRef;
}

/** One placement (out-of-place or in-place) of one result row. */
export interface NcclTestsResult {
  /** Microseconds (`time`, or `cputime` with -C). */
  time: number;
  /** GB/s. */
  algbw: number;
  /** GB/s, normalised so it compares with the hardware's link bandwidth. */
  busbw: number;
  /** Wrong elements; null for `N/A` (validation off, or a placement that is not checked). */
  wrong: number | null;
  /** Releases before 2.13 printed the largest error (`error` column) instead of a count. */
  maxError?: number;
  /** Further columns of the layout (`copybw`, per-iteration `i_min`, `i_max`, `i_p99`, `i_cv%`). */
  extra?: Record<string, number>;
}

export interface NcclTestsRow {
  /** Bytes. */
  size: number;
  /** Elements. */
  count: number;
  type: string;
  /** `sum`, `prod`, `max`, `min`, `avg`, `none`, ... (absent in old layouts that have no column). */
  redop?: string;
  /** `-1` when the collective has no root. */
  root?: number;
  /** Absent when the row has only the in-place part (trace replay). */
  outOfPlace?: NcclTestsResult;
  inPlace?: NcclTestsResult;
  /** `-T` timestamp column. */
  timestamp?: string;
  ref: SourceRef;
}

export interface NcclTestsNote {
  text: string;
  ref: SourceRef;
}

/** Which transport NCCL used between GPUs, from `Channel xx/y : a[b] -> c[d] via ...` lines. */
export type NcclTransportKind = 'P2P' | 'SHM' | 'NET/IB' | 'NET/Socket' | 'NET' | 'CollNet' | 'NVLS' | 'other';

export interface NcclTransportUse {
  kind: NcclTransportKind;
  /** The text after `via`, e.g. `P2P/CUMEM/read`, `NET/IB/0/GDRDMA`. */
  via: string;
  count: number;
  /** First line that used it. */
  ref: SourceRef;
}

/** What interleaved NCCL log lines (NCCL_DEBUG=INFO/WARN) say about the run. */
export interface NcclHints {
  infoLines: number;
  warnLines: number;
  /** `NCCL version 2.28.9+cuda13.0` -> `2.28.9+cuda13.0`. */
  version?: string;
  /** Host names from NCCL's line prefix. */
  hosts: string[];
  /** `NCCL_P2P_DISABLE set by environment to 1` and friends (first echo of each name). */
  env: { name: string; value: string; ref: SourceRef }[];
  transports: NcclTransportUse[];
  /** `Using network Socket` / `Using network IB`. */
  network?: { name: string; ref: SourceRef };
  /** `NET/IB : No device found.` */
  ibNoDevice?: SourceRef;
  /** `P2P is disabled between connected GPUs ...` */
  p2pDisabled: NcclTestsNote[];
  /** Largest `nNodes` of a `comm ... nRanks N nNodes M` line. */
  nNodes?: number;
  /** First WARN texts (capped). */
  warns: NcclTestsNote[];
}

export interface NcclTestsRun {
  /** 0-based position in the file. */
  index: number;
  /** `# Collective test starting: all_reduce_perf`; absent in releases that do not print it. */
  test?: string;
  /** `# nccl-tests version 2.19.6 nccl-headers=22809 nccl-library=22809` */
  version?: { tests: string; ncclHeaders?: number; ncclLibrary?: number; ref: SourceRef };
  params?: NcclTestsParams;
  ranks: NcclTestsRank[];
  /** Column names of the table header (`size count type redop root time algbw busbw #wrong ...`). */
  columns?: { names: string[]; ref: SourceRef };
  rows: NcclTestsRow[];
  /** Lines that began like a result row but could not be read (truncated, damaged). */
  damagedRows: SourceRef[];
  /** `# Out of bounds values : 0 OK` */
  outOfBounds?: { count: number; ok: boolean; ref: SourceRef };
  /** `# Avg bus bandwidth    : 85.1732 ` (with OK/FAILED when a threshold was given). */
  avgBusBandwidth?: { value: number; check?: 'OK' | 'FAILED'; ref: SourceRef };
  /** `rank=1 #wrong=1024` lines printed when validation finds wrong elements. */
  wrongReports: { rank: number; wrong: number; ref: SourceRef }[];
  /** `Test NCCL failure`, `Test CUDA failure`, `Test failure`, `Test timeout`, `# error:` lines. */
  failures: NcclTestsNote[];
  /** Other informative comment lines: blocking mode, memory usage, reduced maxBytes, JSON output. */
  notes: NcclTestsNote[];
  /** `# Collective test concluded: ...` was seen. */
  concluded: boolean;
  nccl: NcclHints;
  /** First and last line that belong to the run. */
  firstLine: number;
  lastLine: number;
}

export interface NcclTestsModel {
  runs: NcclTestsRun[];
  /** NCCL log lines over the whole file. */
  nccl: NcclHints;
  lines: { total: number; rows: number; comments: number; nccl: number; other: number };
  /** Launcher prefixes seen (`1,0` for Open MPI, `0` for srun --label, pod names, ...), first 16. */
  launchers: string[];
}

export function emptyHints(): NcclHints {
  return { infoLines: 0, warnLines: 0, hosts: [], env: [], transports: [], p2pDisabled: [], warns: [] };
}
