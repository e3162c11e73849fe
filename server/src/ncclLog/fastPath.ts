/**
 * Byte-level checks for the lines that make up nearly all of a big log: `host:pid:tid [dev] NCCL
 * INFO msg` where msg is none of the formats the parser extracts (proxy, UDS, memory and tuning
 * chatter is 90% of an NCCL_DEBUG_SUBSYS=ALL log). The parser reads such a line straight from the
 * file buffer without decoding it to a string; every other line is decoded and takes the general
 * path (parser.ts), so these checks only have to be conservative: `mayBeRecord` must say yes for
 * every message classifyMessage (lines.ts) would not call `other` (test/unit/ncclLogFastPath.test.ts
 * checks that over the corpus and the formats of 2.18 .. 2.30).
 *
 * Only called on chunks that are pure ASCII, so one byte is one character.
 */

/** Pieces of `host:pid:tid [dev] NCCL INFO ` found by scanInfoBytes (reused, not allocated per line). */
export const BYTE_SCAN = { hostEnd: 0, knownHost: false, pid: 0, tid: 0, cudaDev: 0, messageStart: 0 };

const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** A host name already checked, with its bytes as little-endian 32-bit words for quick comparison. */
export interface KnownHost {
  bytes: Buffer;
  words: number[];
}

export function knownHost(name: string): KnownHost {
  const bytes = Buffer.from(name, 'latin1');
  const words: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) words.push(bytes.readUInt32LE(i));
  return { bytes, words };
}

/** LE words of `NCCL` and ` INF`. */
const NCCL_WORD = Buffer.from('NCCL').readUInt32LE(0);
const INF_WORD = Buffer.from(' INF').readUInt32LE(0);

/** A DataView over the chunk being read (the reader reuses one buffer, so this is rarely rebuilt). */
let viewBuffer: Buffer | undefined;
let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
function viewOf(b: Buffer): DataView<ArrayBufferLike> {
  if (b !== viewBuffer) {
    viewBuffer = b;
    view = new DataView(b.buffer, b.byteOffset, b.length);
  }
  return view;
}

/** b[start..] is `host:` for this known host (4 bytes at a time). */
function sameHost(b: Buffer, start: number, end: number, h: KnownHost): boolean {
  const n = h.bytes.length;
  if (start + n >= end || b[start + n] !== 58) return false;
  const dv = viewOf(b);
  let i = 0;
  for (let w = 0; w < h.words.length; w++, i += 4) if (dv.getUint32(start + i, true) !== h.words[w]) return false;
  for (; i < n; i++) if (b[start + i] !== h.bytes[i]) return false;
  return true;
}

let digitsValue = 0;
/** Digits at `i` (1..max, no leading zero unless alone); index after them or -1; value in digitsValue. */
function digitsAt(b: Buffer, i: number, end: number, max: number): number {
  let value = 0;
  let j = i;
  for (; j < end; j++) {
    const c = b[j];
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
  }
  const n = j - i;
  if (n === 0 || n > max || (n > 1 && b[i] === 48)) return -1;
  digitsValue = value;
  return j;
}

/**
 * `host:pid:tid [dev] NCCL INFO ` at `start`, read exactly as scanInfoPrefix (prefix.ts) reads it
 * from a string. `knownHost` (the bytes of a host name already checked) skips the host check.
 */
export function scanInfoBytes(b: Buffer, start: number, end: number, knownHost: KnownHost | undefined): boolean {
  let hostEnd = -1;
  if (knownHost !== undefined && sameHost(b, start, end, knownHost)) hostEnd = start + knownHost.bytes.length;
  if (hostEnd < 0) {
    const limit = Math.min(end, start + 256);
    for (let i = start; i < limit; i++) {
      const c = b[i];
      if (c === 58) {
        hostEnd = i;
        break;
      }
      if (c <= 32 || c >= 127 || c === 91 || c === 93) return false;
    }
    if (hostEnd <= start) return false;
  }
  const pidEnd = digitsAt(b, hostEnd + 1, end, 10);
  if (pidEnd < 0 || b[pidEnd] !== 58) return false;
  const pid = digitsValue;
  const tidEnd = digitsAt(b, pidEnd + 1, end, 10);
  if (tidEnd < 0 || tidEnd + 1 >= end || b[tidEnd] !== 32 || b[tidEnd + 1] !== 91) return false;
  const tid = digitsValue;
  const devEnd = digitsAt(b, tidEnd + 2, end, 4);
  if (devEnd < 0 || devEnd + 11 > end || b[devEnd] !== 93 || b[devEnd + 1] !== 32) return false;
  // `NCCL INFO` (devEnd + 11 <= end was checked): two 4-byte words and an `O`.
  const dv = viewOf(b);
  const n = devEnd + 2;
  if (dv.getUint32(n, true) !== NCCL_WORD || dv.getUint32(n + 4, true) !== INF_WORD || b[n + 8] !== 79) return false;
  const after = devEnd + 11;
  if (after < end && b[after] !== 32) return false;
  BYTE_SCAN.hostEnd = hostEnd;
  BYTE_SCAN.knownHost = knownHost !== undefined && hostEnd === start + knownHost.bytes.length;
  BYTE_SCAN.pid = pid;
  BYTE_SCAN.tid = tid;
  BYTE_SCAN.cudaDev = digitsValue;
  BYTE_SCAN.messageStart = after < end ? after + 1 : after;
  return true;
}

function startsWith(b: Buffer, i: number, end: number, text: string): boolean {
  if (i + text.length > end) return false;
  for (let k = 0; k < text.length; k++) if (b[i + k] !== text.charCodeAt(k)) return false;
  return true;
}

/** A naive search (the messages are short) for a text inside b[start, end). */
function includes(b: Buffer, start: number, end: number, text: string): boolean {
  const first = text.charCodeAt(0);
  for (let i = start; i + text.length <= end; i++) if (b[i] === first && startsWith(b, i, end, text)) return true;
  return false;
}

/** Formats that begin with a fixed word, by first character (see classifyMessage and its helpers). */
const STARTS: Record<string, string[]> = {
  A: ['Assigned ', 'Algorithm'],
  B: ['Bootstrap : Using', 'Bootstrap: Using'],
  C: ['Channel ', 'CollNet ', 'Connected all rings', 'Connected NVLS tree', 'Cuda failure', 'Could not get speed', 'Communicator has '],
  D: ['DMA-BUF is available'],
  F: ['Failed to '],
  G: ['GPU Direct RDMA '],
  I: ['Init', 'Initialized '],
  M: ['Multiple ranks on the same GPU', 'Max NThreads'],
  N: ['NCCL', 'NVLS comm ', 'NVLS multicast support is ', 'NET/'],
  P: ['P2P is disabled between ', 'Pattern ', 'Protocol'],
  R: ['RCCL version', 'RAS ', 'Ring '],
  S: ['Successfully loaded external network plugin '],
  T: ['Tree'],
  U: ['Using network '],
  c: ['comm ', 'cudaDriverVersion '],
  d: ['dlvsym failed on '],
  r: ['rank '],
};
const STARTS_BY_CODE: Array<string[] | undefined> = [];
for (const [first, words] of Object.entries(STARTS)) STARTS_BY_CODE[first.charCodeAt(0)] = words;

/**
 * Could the message in b[start, end) be anything but `other`? False only when no format can
 * match: it is safe to count the line and move on.
 */
export function mayBeRecord(b: Buffer, start: number, end: number): boolean {
  if (start >= end) return false;
  const c = b[start];
  // Topology, tuning and graph dumps: indentation, `+ LINK`, `=== System`, channel numbers.
  if (c === 32 || c === 43 /* + */ || c === 61 /* = */ || isDigit(c)) return true;
  if (c === 91 /* [ */) return startsWith(b, start, end, '[Rank ');
  const words = STARTS_BY_CODE[c];
  if (words !== undefined) {
    for (let k = 0; k < words.length; k++) {
      const w = words[k];
      if (!startsWith(b, start, end, w)) continue;
      // RAS prints much; only its timeout errors are incidents.
      return w !== 'RAS ' || includes(b, start, end, 'timeout error');
    }
  }
  // One pass over the first token: `TYPE/...` ids and plugins, `file:line` locations,
  // `Func: opCount`, `api comm 0x`, and tuning rows (`AllReduce |`: letters, then ` |`).
  let i = start;
  while (i < end && isLetter(b[i])) i++;
  const letters = i;
  let colon = -1;
  let slash = -1;
  for (; i < end; i++) {
    const x = b[i];
    if (x === 32) break;
    if (x === 58) {
      if (colon < 0) colon = i;
    } else if (x === 47 && slash < 0) slash = i;
  }
  if (colon > start && colon + 1 < end) {
    if (startsWith(b, colon, end, ': opCount ')) return true;
    // `file:line -> code`, `file:line (func) -> code`, `file:line Cuda failure '...'` (see classifyMessage).
    if (isDigit(b[colon + 1]) && (startsWith(b, i, end, ' -> ') || startsWith(b, i, end, ' (') || startsWith(b, i, end, ' Cuda failure'))) return true;
  }
  if (slash > start && isUpper(c)) {
    // `GPU/0-60`, `NET/0` (topology, paths) and `TUNER/Plugin`, `ENV/Plugin` (plugins).
    if (slash - start <= 4 && slash + 1 < end && isHex(b[slash + 1])) return true;
    if (slash - start <= 10 && startsWith(b, slash + 1, end, 'Plugin')) return true;
  }
  if (i < end && startsWith(b, i + 1, end, 'comm ')) return true;
  return letters > start && startsWith(b, letters, end, ' |');
}
