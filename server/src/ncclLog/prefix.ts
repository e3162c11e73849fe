/**
 * Splits one log line into launcher prefixes, NCCL's own prefix and the message.
 *
 * Real logs arrive wrapped by whatever launched the job: torchrun (`[rank3]:`, `[default0]:`),
 * Open MPI (`[1,0]<stdout>:`), srun --label (`0: `), Ray/vLLM workers
 * (`(RayWorkerWrapper pid=123, ip=10.0.0.1)`), kubectl --prefix (`[pod/name/container]`),
 * kubectl/docker --timestamps, docker compose (`svc-1  | `), journald, ANSI colours and NUL padding
 * left by log rotation. We peel at most MAX_LAYERS of them, retrying NCCL's prefix after each.
 *
 * Every regex is sticky (`y`), anchored at the current position, and uses only bounded or
 * negated character classes without nested quantifiers, so a line costs linear time; and only
 * the first MAX_SCAN characters of a line are ever examined (NCCL itself truncates at 1024 bytes).
 */

export const MAX_SCAN = 4096;
/** Longest message text kept for a record (WARN texts, error lines). */
export const MAX_TEXT = 512;
const MAX_LAYERS = 8;

export type NcclLevel = 'INFO' | 'WARN' | 'TRACE' | 'CALL';

export interface NcclPrefix {
  level: NcclLevel;
  host: string;
  pid: number;
  tid: number;
  /** `[%d]`: the CUDA device of the logging thread (not the rank). */
  cudaDev?: number;
  /** WARN timestamp (2.26+, `NCCL_DEBUG_TIMESTAMP_LEVELS`). */
  timestamp?: string;
  /** WARN/TRACE source location: `bootstrap.cc:114`, 2.30.7+ also `(function)`. */
  file?: string;
  srcLine?: number;
  func?: string;
}

export interface SplitLine {
  /** Column where the record starts once launcher prefixes are removed. */
  start: number;
  /** Column after the last non-blank character of the whole (uncapped) line. */
  end: number;
  /** Labels of the launcher prefixes peeled off, outermost first (e.g. `rank3`, `pod/x/c`). */
  launchers: string[];
  prefix?: NcclPrefix;
  /** A bare `NCCL version 2.28.9+cuda13.0` banner (NCCL_DEBUG=VERSION prints it without prefix). */
  banner?: boolean;
  /** Text after NCCL's prefix, or after the launcher prefixes for non-NCCL lines (capped). */
  message: string;
  messageStart: number;
}

// The WARN timestamp must look like a date/time (digits then a separator) so `[pod/x/c] ` or
// mpirun's `[7] ` are not mistaken for it; host names exclude control characters (NUL padding).
// The host may be empty (`:pid:tid [dev] NCCL INFO`: gethostname() gave nothing, as in some
// containers). The WARN location is `file:line`, or a net plugin's function name there: a C name
// (`nccl_net_ofi_rdma_init:7978`) or a C++ signature with its return type
// (`int nccl_net_ofi_create_plugin(nccl_net_ofi_plugin_t**):259`, aws-ofi-nccl).
const NCCL_PREFIX =
  /(?:\[(\d{1,4}[-/:. ][^\]\n]{0,60})\] )?([^\s:[\]\x00-\x1f]{0,255}):(\d{1,10}):(\d{1,10}) (?:\[(-?\d{1,4})\] )?(?:\d{1,12}\.\d{1,9} )?(?:((?:[\w:<>*&]{1,64} )?[\w:~<>]{1,256}\([^)\n]{0,256}\)|\S{1,512}):(\d{1,7}) (?:\(([^)\s]{0,256})\) )?)?NCCL (INFO|WARN|TRACE|CALL)(?: |$)/y;
const BLANKS = /[ \t]{1,256}/y;

const BANNER = /(?:NCCL|RCCL) version \d/y;

interface LauncherPattern {
  re: RegExp;
  /** Which capture group names the layer (0 = whole match). */
  label: number;
}

// Order matters only for speed: the most common wrappers first.
const LAUNCHERS: LauncherPattern[] = [
  { re: /\x1b\[[0-9;]{0,32}[A-Za-z]/y, label: -1 }, // ANSI colour (Ray, kubectl stern)
  { re: /[\u0000\ufeff]{1,4096}/y, label: -1 }, // NUL padding from copytruncate, stray BOM
  { re: /\[([A-Za-z_]{0,32}\d{1,7})\]:\s?/y, label: 1 }, // torchrun [rank3]: / [default0]:
  { re: /\[(\d{1,9},\d{1,9})\]<(?:stdout|stderr)>:\s?/y, label: 1 }, // Open MPI --tag-output
  { re: /\(([A-Za-z_][\w.:-]{0,80} pid=\d{1,10}(?:, ip=[0-9A-Fa-f.:]{1,64})?)\)\s?/y, label: 1 }, // Ray / vLLM
  { re: /\[((?:pod|deployment|job|statefulset|replicaset|daemonset)\/[^\]\s]{1,400})\]\s?/y, label: 1 }, // kubectl --prefix
  { re: /(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)\s/y, label: 1 }, // --timestamps
  { re: /(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:\d{2}))(?=[A-Za-z])/y, label: 1 }, // ISO time glued to the text (table cells)
  { re: /\[(\d{4}-\d{2}-\d{2}[T ][\d:.,]{5,20}(?:Z|[+-]\d{2}:?\d{2})?)\]\s?/y, label: 1 }, // bracketed timestamp
  { re: /[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} ([\w.-]{1,64} [\w./-]{1,64}(?:\[\d{1,10}\])?): /y, label: 1 }, // journald
  { re: /\s{0,8}(\d{1,7}): /y, label: 1 }, // srun --label
  { re: /\[(\d{1,7})\] /y, label: 1 }, // mpirun -prepend-rank
  { re: /([\w.-]{1,64})\s{1,32}(?:\||>>) /y, label: 1 }, // docker compose `svc-1  | `, collectors' `worker-9 >> `
  { re: /\s{0,8}\|\s{1,8}/y, label: -1 }, // a column of a pasted log table (CloudWatch `  | <time> | `)
];

/** Where scanInfoPrefix found the pieces of `host:pid:tid [dev] NCCL INFO ` (reused, not allocated per line). */
export interface InfoPrefixScan {
  /** End of the host name (the `:` after it). */
  hostEnd: number;
  /** The line starts with the `knownHost` passed in. */
  knownHost: boolean;
  pid: number;
  tid: number;
  cudaDev: number;
  /** Where the message starts. */
  messageStart: number;
}

export const INFO_SCAN: InfoPrefixScan = { hostEnd: 0, knownHost: false, pid: 0, tid: 0, cudaDev: 0, messageStart: 0 };

/** Value of the digits at `i` (1..max of them, no leading zero unless alone) in DIGITS, index after them or -1. */
const DIGITS = { value: 0 };
function digitsAt(line: string, i: number, max: number): number {
  let value = 0;
  let j = i;
  for (; j < line.length; j++) {
    const c = line.charCodeAt(j);
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
  }
  const n = j - i;
  if (n === 0 || n > max || (n > 1 && line.charCodeAt(i) === 48)) return -1;
  DIGITS.value = value;
  return j;
}

/**
 * The fast path for the line shape that makes up nearly all of a log: `host:pid:tid [dev] NCCL INFO `
 * at column 0, with a plain ASCII host name. Fills INFO_SCAN and returns true only when NCCL_PREFIX
 * (and so splitLine) would read exactly the same prefix; anything else (WARN, TRACE, timestamps,
 * launcher prefixes, odd host names) returns false and takes the general path. `knownHost` is a
 * host name already checked: a line that starts with it followed by `:` skips the character check.
 */
export function scanInfoPrefix(line: string, knownHost = ''): boolean {
  let hostEnd = knownHost.length;
  const known = hostEnd > 0 && line.charCodeAt(hostEnd) === 58 && line.startsWith(knownHost);
  if (!known) {
    hostEnd = line.indexOf(':');
    if (hostEnd <= 0 || hostEnd > 255) return false;
    for (let i = 0; i < hostEnd; i++) {
      const c = line.charCodeAt(i);
      if (c <= 32 || c >= 127 || c === 91 || c === 93) return false;
    }
  }
  const pidEnd = digitsAt(line, hostEnd + 1, 10);
  if (pidEnd < 0 || line.charCodeAt(pidEnd) !== 58) return false;
  const pid = DIGITS.value;
  const tidEnd = digitsAt(line, pidEnd + 1, 10);
  if (tidEnd < 0 || line.charCodeAt(tidEnd) !== 32 || line.charCodeAt(tidEnd + 1) !== 91 /* [ */) return false;
  const tid = DIGITS.value;
  const devEnd = digitsAt(line, tidEnd + 2, 4);
  if (devEnd < 0 || line.charCodeAt(devEnd) !== 93 /* ] */ || line.charCodeAt(devEnd + 1) !== 32) return false;
  if (!line.startsWith('NCCL INFO', devEnd + 2)) return false;
  const after = devEnd + 11;
  if (after < line.length && line.charCodeAt(after) !== 32) return false;
  INFO_SCAN.hostEnd = hostEnd;
  INFO_SCAN.knownHost = known;
  INFO_SCAN.pid = pid;
  INFO_SCAN.tid = tid;
  INFO_SCAN.cudaDev = DIGITS.value;
  INFO_SCAN.messageStart = after < line.length ? after + 1 : after;
  return true;
}

/** Column after the last non-blank character (blank: space, tab, CR, LF). */
export function trimmedEnd(line: string): number {
  let end = line.length;
  while (end > 0) {
    const c = line.charCodeAt(end - 1);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
    end--;
  }
  return end;
}

function matchNcclPrefix(s: string, pos: number): { prefix: NcclPrefix; next: number } | undefined {
  NCCL_PREFIX.lastIndex = pos;
  const m = NCCL_PREFIX.exec(s);
  if (!m) return undefined;
  const prefix: NcclPrefix = {
    level: m[9] as NcclLevel,
    host: m[2],
    pid: Number(m[3]),
    tid: Number(m[4]),
  };
  if (m[1] !== undefined) prefix.timestamp = m[1];
  if (m[5] !== undefined) prefix.cudaDev = Number(m[5]);
  if (m[6] !== undefined) {
    prefix.file = m[6];
    prefix.srcLine = Number(m[7]);
    if (m[8]) prefix.func = m[8];
  }
  return { prefix, next: NCCL_PREFIX.lastIndex };
}

/** Peels launcher prefixes and NCCL's prefix off one line (without its line terminator). */
export function splitLine(line: string): SplitLine {
  const s = line.length > MAX_SCAN ? line.slice(0, MAX_SCAN) : line;
  let end = trimmedEnd(line);
  if (line.charCodeAt(end - 1) === 93 /* ] */) end = withoutRayRepeat(line, end);
  const launchers: string[] = [];
  let pos = 0;
  for (let layer = 0; layer <= MAX_LAYERS; layer++) {
    // Blanks before NCCL's prefix (e.g. after an ANSI reset) are skipped only when the prefix
    // follows; otherwise they stay, because a pasted topology line's indentation is its nesting.
    BLANKS.lastIndex = pos;
    const afterBlanks = BLANKS.test(s) ? BLANKS.lastIndex : pos;
    let nccl = matchNcclPrefix(s, pos);
    if (!nccl && afterBlanks > pos) {
      nccl = matchNcclPrefix(s, afterBlanks);
      if (nccl) pos = afterBlanks;
    }
    if (nccl) {
      return {
        start: pos,
        end,
        launchers,
        prefix: nccl.prefix,
        message: cap(s, nccl.next, end),
        messageStart: nccl.next,
      };
    }
    for (const at of afterBlanks > pos ? [pos, afterBlanks] : [pos]) {
      BANNER.lastIndex = at;
      if (BANNER.test(s)) return { start: at, end, launchers, banner: true, message: cap(s, at, end), messageStart: at };
    }
    if (layer === MAX_LAYERS) break;
    const peeled = peelLauncher(s, pos) ?? peelLineNumber(s, pos);
    if (!peeled) break;
    if (peeled.label) launchers.push(peeled.label);
    pos = peeled.next;
  }
  return { start: pos, end: Math.max(end, pos), launchers, message: cap(s, pos, end), messageStart: pos };
}

const RAY_REPEAT = / \[repeated \d{1,9}x across cluster\]$/;

/**
 * Ray's log deduplication appends ` [repeated 15x across cluster]` to a line it printed once for
 * many workers; the NCCL message ends before it.
 */
function withoutRayRepeat(line: string, end: number): number {
  const at = line.lastIndexOf(' [repeated ', end);
  return at > 0 && RAY_REPEAT.test(line.slice(at, end)) ? at : end;
}

const LINE_NUMBER = /[ \t]{0,8}\d{1,9}(?:[ \t]{1,8}|:[ \t]?)/y;

/**
 * An editor's or `cat -n`'s line number (`451 host:pid:tid [6] NCCL INFO ...`). A bare number is
 * also how result rows and many other lines start, so it is peeled only when NCCL's prefix or
 * banner follows it directly.
 */
function peelLineNumber(s: string, pos: number): { next: number; label?: string } | undefined {
  LINE_NUMBER.lastIndex = pos;
  if (!LINE_NUMBER.test(s)) return undefined;
  const next = LINE_NUMBER.lastIndex;
  BANNER.lastIndex = next;
  return matchNcclPrefix(s, next) || BANNER.test(s) ? { next } : undefined;
}

function peelLauncher(s: string, pos: number): { next: number; label?: string } | undefined {
  for (const { re, label } of LAUNCHERS) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (m && re.lastIndex > pos) {
      return { next: re.lastIndex, label: label >= 0 ? m[label] : undefined };
    }
  }
  return undefined;
}

function cap(s: string, from: number, end: number): string {
  const stop = Math.min(s.length, end);
  return from >= stop ? '' : s.slice(from, stop);
}
