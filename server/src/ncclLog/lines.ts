/**
 * Classifies ONE log line into a small typed record: launcher/NCCL prefix (prefix.ts) + message
 * kind. Pure and stateless; the parser decides what a record means in context.
 *
 * Messages are dispatched by cheap `startsWith`/`includes` checks before most regexes run; every
 * regex is anchored or scans once, with bounded quantifiers and no nested repetition, so a line
 * costs linear time (formats: nccl-log-formats.md, 2.18 .. 2.30). Lines without an NCCL prefix
 * are still classified when their message is unmistakably NCCL output (users paste fragments such
 * as `NET/IB : Using [0]mlx5_0:1/RoCE ...`); those records are marked `bare`.
 */
import { classifyAppIncident, classifyInfoIncident, classifyWarnIncident, type IncidentRecord } from './incidents';
import { MAX_TEXT, splitLine, type NcclPrefix } from './prefix';
import { classifyTopologyMessage, type TopologyRecord } from './topologyLines';

export type MessageRecord =
  | TopologyRecord
  | IncidentRecord
  | { kind: 'version'; flavor: 'NCCL' | 'RCCL'; version: string; cudaRuntime?: string }
  | { kind: 'cudaDriver'; version: number }
  | { kind: 'env'; name: string; value: string }
  | { kind: 'bootstrap'; text: string }
  | { kind: 'plugin'; pluginType: string; status: 'missing' | 'loaded' | 'internal' | 'error' | 'other'; name?: string }
  | { kind: 'netPlugin'; event: 'initialized' | 'failed' | 'assigned' | 'using' | 'failed-all'; name?: string }
  | { kind: 'ibDevices'; devices: Array<{ index: number; name: string; port: number; linkLayer: string }>; relaxedOrdering: boolean; oob?: string }
  | { kind: 'ibNoDevice' }
  | { kind: 'socketDevices'; devices: Array<{ index: number; ifname: string; address: string }> }
  | { kind: 'gdr'; net?: string; enabled: boolean; hca?: string }
  | { kind: 'dmaBuf'; gpu: number }
  | { kind: 'missingSymbol'; symbol: string; library: string }
  | { kind: 'nvlsSupport'; available: boolean; dev: number }
  | { kind: 'nvlsComm' }
  | { kind: 'p2pDisabledPair'; gpuA: number; gpuB: number; nvlink: boolean }
  | { kind: 'transport'; channel: number; from: number; fromDev: string; to: number; toDev: string; side?: 'send' | 'receive'; via: string }
  | { kind: 'collnet'; channel: number; rank: number; side: 'send' | 'receive'; via: string }
  | { kind: 'channelCounts'; coll: number; collnet?: number; nvls: number; p2p: number; p2pPerPeer: number }
  | {
      kind: 'commInit';
      phase: 'START' | 'COMPLETE';
      api?: string;
      commPtr: string;
      rank: number;
      nRanks: number;
      cudaDev: number;
      nvmlDev?: number;
      busId: string;
      commId?: string;
      parent?: string;
      color?: number;
    }
  | { kind: 'commEnd'; commPtr: string; rank: number; nRanks: number; action: string }
  | { kind: 'commSummary'; commPtr: string; rank: number; nRanks: number; nNodes: number; localRanks: number; localRank: number; mnnvl: boolean }
  | { kind: 'initTimings'; rank: number; nRanks: number; total: number; parts: Record<string, number> }
  | { kind: 'connectedRings'; pxn?: boolean; gdr?: boolean }
  | { kind: 'connectedNvls' }
  | { kind: 'collOp'; op: string; commPtr: string }
  | { kind: 'errorFrame'; file: string; line: number; func?: string; code: number; thread?: string }
  | { kind: 'cudaFailure'; text: string }
  | { kind: 'other' };

/** Application-side NCCL failure text on a non-NCCL line (PyTorch, vLLM, nccl-tests). */
export interface AppErrorRecord {
  kind: 'appError';
  text: string;
  codeName?: string;
}

export interface ClassifiedLine {
  /** Column where the record starts (after launcher prefixes) and after its last non-blank. */
  start: number;
  end: number;
  launchers: string[];
  prefix?: NcclPrefix;
  /** Message text after the NCCL prefix; capped at prefix.MAX_SCAN characters. */
  message: string;
  /** The classified message; for non-NCCL lines only bare NCCL fragments or app errors. */
  record: MessageRecord | AppErrorRecord | { kind: 'text' } | { kind: 'blank' };
  /** True when the line had no NCCL prefix but its message is recognisably NCCL output. */
  bare: boolean;
  /** A prefix-less `NCCL version ...` banner (NCCL_DEBUG=VERSION, or WARN before 2.22). */
  banner: boolean;
}

// Shared records for the common no-information outcomes (saves an allocation per line).
const TEXT = { kind: 'text' } as const;
const BLANK = { kind: 'blank' } as const;
const OTHER = { kind: 'other' } as const;

// `Channel 00/0 : 0[0] -> 1[1] [send] via NET/IB/0/GDRDMA`; NCCL <= 2.6 printed `Ring 00 : ...`, and
// 2.4-era NET lines name the ranks without devices (`Ring 00 : 7 -> 8 [send] via NET/IB/0`).
const TRANSPORT =
  /^(?:Channel|Ring) (\d{1,4})(?:\/\d{1,4})? : (\d{1,9})(?:\[([0-9a-fA-F]{1,16})\])? -> (\d{1,9})(?:\[([0-9a-fA-F]{1,16})\])?(?: \[(send|receive)\])? via (.{1,300})$/;
/** Where a `via` text ends: 2.19-2.20 append ` comm 0x... nRanks N`, and wrapped pastes glue the next line after blanks. */
const VIA_TAIL = / comm 0x[0-9a-fA-F]|\s{2}/;

function viaOf(text: string): string {
  const tail = VIA_TAIL.exec(text);
  return (tail ? text.slice(0, tail.index) : text).trim();
}
const COLLNET = /^CollNet (\d{1,4})\/\d{1,4} : (\d{1,9}) \[(send|receive)\] via (.{1,300})$/;
const COMM_INIT =
  /^(?:\[Rank \d{1,9}\] )?(?:(\w{1,64}) )?comm (0x[0-9a-fA-F]{1,16}|\(nil\)) rank (\d{1,9}) n[Rr]anks (\d{1,9}) cudaDev (-?\d{1,4})(?: nvmlDev (-?\d{1,4}))? busId ([0-9a-fA-F]{1,16})(.{0,400})$/;
const COMM_SUMMARY =
  /^comm (0x[0-9a-fA-F]{1,16}) rank (\d{1,9}) nRanks (\d{1,9}) nNodes (\d{1,9}) localRanks (\d{1,9}) localRank (\d{1,9}) MNNVL (\d)/;
const INIT_TIMINGS = /^Init timings(?: - \w{1,64})?: rank (\d{1,9}) nranks (\d{1,9}) total (\d{1,9}(?:\.\d{1,9})?) \(([^)]{0,300})\)/;
const CHANNEL_COUNTS =
  /^(\d{1,4}) coll channels, (?:(\d{1,4}) collnet channels, )?(\d{1,4}) nvls channels, (\d{1,4}) p2p channels, (\d{1,4}) p2p channels per peer/;
const VERSION = /^(NCCL|RCCL) version ([0-9][^\s+]{0,40})(?:\+(?:cuda|hip)([0-9.]{1,16}))?/;
const ENV = /^(NCCL_[A-Z0-9_]{1,64}) set (?:by environment )?to (.{0,400})$/;
const PLUGIN = /^([A-Z]{2,10})\/Plugin ?: ?(.{0,400})$/;
const NET_PLUGIN = /^(Initialized|Failed to initialize|Assigned) NET plugin (\S{1,64})/;
const IB_DEVICE = /\[(\d{1,3})\]([^\s:[\]]{1,64}):(\d{1,3})(?::\d{1,3}){0,2}\/([A-Za-z]{1,16})/g;
const SOCKET_DEVICE = /\[(\d{1,3})\]([^\s:[\]]{1,64}):(\S{1,80})/g;
const IB_DEVICE_DETAIL = /^NET\/IB ?: \[(\d{1,3})\] ([^\s:]{1,64}):(?:[^\s:]{1,64}:)?(\d{1,3})\/([A-Za-z]{1,16})/;
const GDR_HCA = /^NET\/(\S{1,32}) ?: GPU Direct RDMA (Enabled|Disabled) for HCA (\d{1,4}) '([^']{0,64})'/;
const GDR_GPU = /^GPU Direct RDMA (Enabled|Disabled) for (?:HCA \d{1,4} '([^']{0,64})'|GPU ([0-9a-fA-Fx]{1,16}) \/ HCA ([0-9a-fA-Fx]{1,16})|(.{1,200}))/;
const DLVSYM = /^dlvsym failed on (\S{1,128}) - ([^\s:]{1,256})/;
const ERROR_FRAME = /^([^\s:]{1,256}):(\d{1,7})(?: \(([^)\s]{0,128})\))? -> (\d{1,4})(?: \(([^)]{0,128})\))?(?: \[([^\]]{1,64})\])?\s{0,8}$/;
const P2P_DISABLED = /^P2P is disabled between (NVLINK )?connected GPUs (\d{1,4}) and (\d{1,4})/;
const NVLS_SUPPORT = /^NVLS multicast support is (not )?available on dev (\d{1,4})/;
const CUDA_FAILURE = /Cuda failure (?:\d{1,6} )?'/;
const APP_ERROR_CODE = /\bnccl(UnhandledCudaError|SystemError|InternalError|InvalidArgument|InvalidUsage|RemoteError|Timeout)\b/;

const PLUGIN_LOADED = /Loaded (?:net |collnet |gin |rma )?(?:plugin )?(.{1,80}?) \(v\d{1,3}\)$/;

function pluginRecord(m: RegExpExecArray): MessageRecord {
  const rest = m[2];
  if (rest.startsWith('Could not find') || rest.includes('No plugin found')) {
    return { kind: 'plugin', pluginType: m[1], status: 'missing' };
  }
  const loaded = PLUGIN_LOADED.exec(rest);
  if (loaded) return { kind: 'plugin', pluginType: m[1], status: 'loaded', name: loaded[1] };
  if (rest.includes('internal')) return { kind: 'plugin', pluginType: m[1], status: 'internal' };
  if (/failed|returned|dlerror|undefined symbol/i.test(rest)) return { kind: 'plugin', pluginType: m[1], status: 'error' };
  return { kind: 'plugin', pluginType: m[1], status: 'other' };
}

function commInitRecord(m: RegExpExecArray): MessageRecord | undefined {
  const tail = m[8];
  const base = {
    commPtr: m[2],
    rank: Number(m[3]),
    nRanks: Number(m[4]),
  };
  const phase = tail.endsWith('Init START') ? 'START' : tail.endsWith('Init COMPLETE') ? 'COMPLETE' : undefined;
  if (!phase) {
    const end = /- (\w{1,32}) (COMPLETE|START)/.exec(tail);
    return end ? { kind: 'commEnd', ...base, action: `${end[1]} ${end[2]}` } : undefined;
  }
  const commId = /commId 0x([0-9a-fA-F]{1,16})/.exec(tail);
  const parent = /parent (0x[0-9a-fA-F]{1,16}|\(nil\))/.exec(tail);
  const color = /color (-?\d{1,10})/.exec(tail);
  return {
    kind: 'commInit',
    phase,
    api: m[1],
    ...base,
    cudaDev: Number(m[5]),
    nvmlDev: m[6] !== undefined ? Number(m[6]) : undefined,
    busId: m[7].toLowerCase().replace(/^0+(?=.)/, ''),
    commId: commId ? `0x${commId[1].toLowerCase()}` : undefined,
    parent: parent?.[1],
    color: color ? Number(color[1]) : undefined,
  };
}

function netRecord(message: string): MessageRecord | undefined {
  if (message.startsWith('NET/IB')) {
    if (message.includes('No device found')) return { kind: 'ibNoDevice' };
    const detail = IB_DEVICE_DETAIL.exec(message);
    if (detail) {
      const device = { index: Number(detail[1]), name: detail[2], port: Number(detail[3]), linkLayer: detail[4] };
      return { kind: 'ibDevices', devices: [device], relaxedOrdering: false };
    }
    const using = message.indexOf(' Using');
    if (using >= 0 && using < 10) {
      const oobAt = message.indexOf('; OOB ');
      const list = message.slice(using + 6, oobAt >= 0 ? oobAt : undefined);
      const devices = [...list.matchAll(IB_DEVICE)].map((d) => ({ index: Number(d[1]), name: d[2], port: Number(d[3]), linkLayer: d[4] }));
      return { kind: 'ibDevices', devices, relaxedOrdering: list.includes('[RO]'), oob: oobAt >= 0 ? message.slice(oobAt + 6) : undefined };
    }
  }
  if (message.startsWith('NET/Socket') && /^NET\/Socket ?: Using/.test(message)) {
    const devices = [...message.matchAll(SOCKET_DEVICE)].map((d) => ({ index: Number(d[1]), ifname: d[2], address: d[3] }));
    return { kind: 'socketDevices', devices };
  }
  const hca = GDR_HCA.exec(message);
  if (hca) return { kind: 'gdr', net: hca[1], enabled: hca[2] === 'Enabled', hca: hca[4] };
  const plugin = PLUGIN.exec(message);
  return plugin ? pluginRecord(plugin) : undefined;
}

const isUpper = (c: number) => c >= 65 && c <= 90;
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * `comm 0x...` at the start, after `[Rank N] `, or after one word (`ncclCommInitRank comm 0x...`):
 * the only places COMM_INIT / COMM_SUMMARY can match.
 */
function startsWithComm(message: string, c: number): boolean {
  return c === 91 /* [ */ || message.startsWith('comm ') || message.startsWith('comm ', message.indexOf(' ') + 1);
}

/**
 * Classifies the message part of an NCCL line (everything after `NCCL INFO `). Checks run in a
 * fixed order and each is gated by where its format can start: the first character, the first
 * `:` (back-traces `file:line -> code`, `Func: opCount`) or the first `/` (`TYPE/Plugin`). Only
 * single-character searches scan the message (they run at memchr speed; a search for a pattern
 * that starts with a space does not), so the many messages no format matches cost little.
 */
export function classifyMessage(message: string): MessageRecord {
  let m: RegExpExecArray | null;
  const c = message.charCodeAt(0);
  if (c === 67 /* C */ || c === 82 /* R */) {
    if ((message.startsWith('Channel ') || message.startsWith('Ring ')) && message.includes(' via ')) {
      if ((m = TRANSPORT.exec(message))) {
        const side = m[6] as 'send' | 'receive' | undefined;
        return { kind: 'transport', channel: Number(m[1]), from: Number(m[2]), fromDev: m[3] ?? '', to: Number(m[4]), toDev: m[5] ?? '', side, via: viaOf(m[7]) };
      }
      return OTHER;
    }
  }
  if (c === 67 /* C */) {
    if (message.startsWith('CollNet ') && (m = COLLNET.exec(message))) {
      return { kind: 'collnet', channel: Number(m[1]), rank: Number(m[2]), side: m[3] as 'send' | 'receive', via: m[4].trim() };
    }
  }
  const colon = message.indexOf(':');
  if (startsWithComm(message, c)) {
    if ((m = COMM_INIT.exec(message))) return commInitRecord(m) ?? OTHER;
    if ((m = COMM_SUMMARY.exec(message))) {
      return { kind: 'commSummary', commPtr: m[1], rank: Number(m[2]), nRanks: Number(m[3]), nNodes: Number(m[4]), localRanks: Number(m[5]), localRank: Number(m[6]), mnnvl: m[7] !== '0' };
    }
  }
  if (colon > 0 && message.startsWith(': opCount ', colon)) {
    const op = /^(\w{1,32}): opCount [0-9a-fA-F]{1,16} /.exec(message);
    const ptr = / comm (0x[0-9a-fA-F]{1,16}) \[nranks=/.exec(message);
    if (op && ptr) return { kind: 'collOp', op: op[1], commPtr: ptr[1] };
  }
  if (c === 78 /* N */ && message.startsWith('NVLS comm ')) return { kind: 'nvlsComm' };
  // Every net record's format starts with an upper-case word: `NET/...`, `NET/Plugin`, `TUNER/Plugin`.
  if (isUpper(c)) {
    const slash = message.indexOf('/');
    if (slash > 1 && (message.startsWith('NET/') || (slash <= 10 && message.startsWith('Plugin', slash + 1)))) {
      const net = netRecord(message);
      if (net) return net;
    }
  }
  if (c === 78 /* N */ && message.startsWith('NCCL_') && (m = ENV.exec(message))) {
    // Integer params echo `%lld.`; strip that period but keep paths/names intact.
    const value = /^-?\d{1,20}\.$/.test(m[2]) ? m[2].slice(0, -1) : m[2];
    return { kind: 'env', name: m[1], value };
  }
  // `file:line -> code` back-traces and `file:line Cuda failure '...'` lines start with a location:
  // a first word (no space) that holds the first `:` followed by a digit, then ` -> `, ` (func)`
  // (2.30.7's INFO_LOC) or ` Cuda failure`.
  let located = false;
  if (colon > 0 && isDigit(message.charCodeAt(colon + 1))) {
    const space = message.indexOf(' ', colon);
    located =
      message.lastIndexOf(' ', colon) < 0 &&
      space > 0 &&
      (message.startsWith(' -> ', space) || message.startsWith(' (', space) || message.startsWith(' Cuda failure', space));
  }
  if (located && (m = ERROR_FRAME.exec(message))) {
    return { kind: 'errorFrame', file: m[1], line: Number(m[2]), func: m[3] || undefined, code: Number(m[4]), thread: m[6] };
  }
  if (c === 73 /* I */ && message.startsWith('Init timings') && (m = INIT_TIMINGS.exec(message))) {
    const parts: Record<string, number> = {};
    for (const p of m[4].matchAll(/(\w{1,32}) (\d{1,9}(?:\.\d{1,9})?)/g)) parts[p[1]] = Number(p[2]);
    return { kind: 'initTimings', rank: Number(m[1]), nRanks: Number(m[2]), total: Number(m[3]), parts };
  }
  if (isDigit(c) && (m = CHANNEL_COUNTS.exec(message))) {
    return { kind: 'channelCounts', coll: Number(m[1]), collnet: m[2] !== undefined ? Number(m[2]) : undefined, nvls: Number(m[3]), p2p: Number(m[4]), p2pPerPeer: Number(m[5]) };
  }
  if (c === 67 /* C */) {
    if (message.startsWith('Connected all rings')) {
      const flags = /PXN (\d) GDR (\d)/.exec(message);
      return { kind: 'connectedRings', pxn: flags ? flags[1] !== '0' : undefined, gdr: flags ? flags[2] !== '0' : undefined };
    }
    if (message.startsWith('Connected NVLS tree')) return { kind: 'connectedNvls' };
  }
  if ((c === 78 /* N */ || c === 82) /* R */ && message.startsWith('CCL version ', 1) && (m = VERSION.exec(message))) {
    return { kind: 'version', flavor: m[1] as 'NCCL' | 'RCCL', version: m[2], cudaRuntime: m[3] };
  }
  if (c === 99 /* c */ && message.startsWith('cudaDriverVersion ')) return { kind: 'cudaDriver', version: Number(message.slice(18).trim()) || 0 };
  if (c === 66 /* B */ && /^Bootstrap ?: Using/.test(message)) return { kind: 'bootstrap', text: message.replace(/^Bootstrap ?: Using ?/, '').slice(0, MAX_TEXT) };
  if ((c === 73 /* I */ || c === 70 /* F */ || c === 65) /* A */ && (m = NET_PLUGIN.exec(message))) {
    const event = m[1] === 'Initialized' ? 'initialized' : m[1] === 'Assigned' ? 'assigned' : 'failed';
    return { kind: 'netPlugin', event, name: m[2] };
  }
  if (c === 85 /* U */ && message.startsWith('Using network ')) return { kind: 'netPlugin', event: 'using', name: message.slice(14).trim() };
  if (c === 70 /* F */ && message.startsWith('Failed to initialize any NET plugin')) return { kind: 'netPlugin', event: 'failed-all' };
  if (c === 83 /* S */ && message.startsWith('Successfully loaded external network plugin ')) {
    return { kind: 'plugin', pluginType: 'NET', status: 'loaded', name: message.slice(44).trim() };
  }
  if (c === 71 /* G */ && message.startsWith('GPU Direct RDMA ') && (m = GDR_GPU.exec(message))) return { kind: 'gdr', enabled: m[1] === 'Enabled', hca: m[2] ?? m[4] };
  if (c === 68 /* D */ && message.startsWith('DMA-BUF is available on GPU device ')) return { kind: 'dmaBuf', gpu: Number(message.slice(35)) || 0 };
  if (c === 100 /* d */ && message.startsWith('dlvsym failed on ') && (m = DLVSYM.exec(message))) return { kind: 'missingSymbol', symbol: m[1], library: m[2] };
  if (c === 80 /* P */ && message.startsWith('P2P is disabled between ') && (m = P2P_DISABLED.exec(message))) {
    return { kind: 'p2pDisabledPair', nvlink: m[1] !== undefined, gpuA: Number(m[2]), gpuB: Number(m[3]) };
  }
  if (c === 78 /* N */ && message.startsWith('NVLS multicast support is ') && (m = NVLS_SUPPORT.exec(message))) return { kind: 'nvlsSupport', available: m[1] === undefined, dev: Number(m[2]) };
  if ((c === 67 /* C */ || located) && message.includes('Cuda failure') && CUDA_FAILURE.test(message)) return { kind: 'cudaFailure', text: message.slice(0, MAX_TEXT) };
  const incident = classifyInfoIncident(message);
  if (incident) return incident;
  return classifyTopologyMessage(message) ?? OTHER;
}

/** Kinds distinctive enough to accept from a line that lost its NCCL prefix (pasted fragments). */
const BARE_KINDS = new Set<string>([
  'version', 'transport', 'collnet', 'commInit', 'commSummary', 'channelCounts', 'ibDevices', 'socketDevices',
  'gdr', 'dmaBuf', 'missingSymbol', 'plugin', 'topoHeader', 'path', 'graphPattern', 'ring', 'netTree', 'trees', 'initTimings', 'incident',
]);

/** WARN texts distinctive enough to recognise without their prefix (pasted from a WARN line). */
const BARE_WARN_STARTS = ['NET/IB', 'Duplicate GPU detected', 'Mismatched NCCL version', 'socketProgress', 'socketPollConnect', 'socketStartConnect', 'ncclOsSocketProgressOpt', 'NET/Socket : socket progress error', 'Cannot initialize CollNet'];

/** Application-side failure lines: `NCCL error in: ...`, `ncclInternalError: ...`, vLLM's `NCCL error: ...`. */
function appError(message: string): AppErrorRecord | undefined {
  const hasNcclError = message.includes('NCCL error') || message.includes('NCCL failure');
  const code = APP_ERROR_CODE.exec(message);
  if (!hasNcclError && !code) return undefined;
  if (!hasNcclError && !/^nccl\w{1,32}:/.test(message.trimStart())) return undefined;
  return { kind: 'appError', text: message.trim().slice(0, MAX_TEXT), codeName: code ? `nccl${code[1]}` : undefined };
}

/** `[misc/socket.cc:71 ]NCCL WARN <text>` with host:pid:tid cut off: where the WARN text starts (0: not such a line). */
const CUT_WARN = /^(?:\S{1,256}:\d{1,7} )?NCCL WARN /;
function cutWarnStart(message: string): number {
  const m = message.includes('NCCL WARN ') ? CUT_WARN.exec(message) : null;
  return m ? m[0].length : 0;
}

function bareWarnIncident(message: string): IncidentRecord | undefined {
  return BARE_WARN_STARTS.some((p) => message.startsWith(p)) ? classifyWarnIncident(message) : undefined;
}

/** Classifies one line (without its terminator). Never throws; unknown input becomes `text`. */
export function classifyLine(line: string): ClassifiedLine {
  const split = splitLine(line);
  const out: ClassifiedLine = {
    start: split.start,
    end: split.end,
    launchers: split.launchers,
    prefix: split.prefix,
    message: split.message,
    record: TEXT,
    bare: false,
    banner: false,
  };
  if (split.prefix) {
    const level = split.prefix.level;
    out.record = level === 'CALL' ? OTHER : level === 'WARN' ? (classifyWarnIncident(split.message) ?? classifyMessage(split.message)) : classifyMessage(split.message);
  } else if (split.banner) {
    out.banner = true;
    out.record = classifyMessage(split.message);
  } else if (split.end <= split.messageStart || /^\s*$/.test(split.message)) {
    out.record = BLANK;
  } else {
    // `NCCL INFO Channel ...` with the host:pid:tid part cut off (grep | cut, or a tidied paste).
    const bareLevel = split.message.startsWith('NCCL INFO ') ? 10 : 0;
    const record = classifyMessage(bareLevel ? split.message.slice(bareLevel) : split.message);
    const distinctive = BARE_KINDS.has(record.kind) && !(record.kind === 'trees' && record.entries.length === 0);
    // Topology child lines only count inside a pasted topology block; the parser checks that.
    const cutWarn = distinctive ? 0 : cutWarnStart(split.message);
    const warnIncident = distinctive ? undefined : bareWarnIncident(split.message) ?? (cutWarn ? classifyWarnIncident(split.message.slice(cutWarn)) : undefined);
    if (distinctive || record.kind === 'topoNode' || record.kind === 'topoFooter' || warnIncident) {
      out.record = warnIncident ?? record;
      if (bareLevel && !warnIncident) out.message = split.message.slice(bareLevel);
      else if (cutWarn && warnIncident) out.message = split.message.slice(cutWarn);
      out.bare = true;
    } else {
      out.record = classifyAppIncident(split.message) ?? appError(split.message) ?? TEXT;
    }
  }
  return out;
}
