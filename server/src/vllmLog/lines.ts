/**
 * Splits one line of a vLLM server log into its wrappers and its record.
 *
 * vLLM's formatter is `%(levelname)s %(asctime)s [%(fileinfo)s:%(lineno)d] %(message)s` with
 * `%m-%d %H:%M:%S` dates (`INFO 05-01 17:08:28 [core.py:109] ...`); releases before ~0.6.4 printed
 * `%(filename)s:%(lineno)d]` without the opening bracket (`INFO 03-20 10:00:00 llm_engine.py:123] ...`),
 * VLLM_LOGGING_PREFIX may put text in front, and the coloured formatter wraps fields in ANSI codes
 * (pasted either raw or in caret notation, `^[[1;36m(EngineCore_DP0 pid=1)^[[0;0m ...^M`).
 * Multi-line messages repeat the whole prefix on every line.
 *
 * In front of that sit the wrappers: the worker-process prefix vLLM writes itself
 * (`(EngineCore_DP0 pid=187) `, `(VllmWorker rank=0 pid=12) `, `(Worker_TP1 pid=9) `), Ray's
 * (`(RayWorkerWrapper pid=1, ip=10.0.0.2) `), docker compose and kubectl timestamps
 * (`2026-05-01 19:08:06.490 | `, `[vllm]   | `), and the launchers the NCCL log reader knows
 * (torchrun, Open MPI, srun, kubectl --prefix, journald). NCCL's own lines are recognised too, so the
 * caller can skip them.
 */
import { splitLine } from '../ncclLog/prefix';

/** Longest text kept of a line: vLLM's engine config line runs to several KB. */
export const MAX_MESSAGE = 65536;

export type VllmLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

export interface VllmLine {
  /** Column where the record (or the plain text) starts, after all wrappers. */
  start: number;
  /** Column after the last non-blank character. */
  end: number;
  /** Process prefixes peeled off, e.g. `EngineCore_DP0 pid=187`. */
  processes: string[];
  /** Present when the line is a vLLM log record. */
  record?: { level: VllmLevel; date: string; time: string; file: string; line: number };
  /** The line comes from NCCL (`host:pid:tid [dev] NCCL INFO ...`). */
  nccl?: { level: string };
  /** The message of a record, or the whole text of a plain line (capped at MAX_MESSAGE). */
  message: string;
}

const ANSI = /\x1b\[[0-9;]{0,32}[A-Za-z]/g;
/** The same codes pasted as caret notation (`cat -v`, some log viewers): `^[[1;36m`, and `^M` for CR. */
const CARET = /\^\[\[[0-9;]{0,32}[A-Za-z]|\^M$/g;
const RECORD = /(?:\[[\w.-]{1,32}\] )?(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL) (\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:[.,]\d{1,6})? (?:\[([^\]\s]{1,256}):(\d{1,7})\]|([^\]\s]{1,256}):(\d{1,7})\]) ?/y;
const PROCESS = /\(([^()\n]{1,160}?(?:\([^()\n]{0,40}\)[^()\n]{0,40})?)\)[ \t]?/y;
const STAMP_PIPE = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?[ \t]{1,8}(?:\|[ \t]?)?/y;
const SERVICE_PIPE = /(?:\[[\w.-]{1,64}\]|[\w.-]{1,64})[ \t]{1,64}\|[ \t]?/y;
const MAX_LAYERS = 8;
/** Ray's log deduplication appends ` [repeated 7x across cluster]` to a line it folded. */
const RAY_REPEAT = /\s\[repeated \d{1,9}x across cluster\]\s*$/;

function at(re: RegExp, s: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(s);
}

/** Column after the last non-blank character. */
function trimmedEnd(s: string): number {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
    end--;
  }
  return end;
}

export function splitVllmLine(raw: string): VllmLine {
  let s = raw.length > MAX_MESSAGE ? raw.slice(0, MAX_MESSAGE) : raw;
  const coloured = s.includes('\x1b') || s.includes('^[[') || s.endsWith('^M');
  if (coloured) s = s.replace(ANSI, '').replace(CARET, '');
  const end = coloured ? raw.length : trimmedEnd(raw);
  const processes: string[] = [];
  let pos = 0;
  // Pasted logs are often indented (a code block inside a Markdown list, a quoted reply): skip the
  // indent when a record or a process prefix follows it; other indented lines keep it (tracebacks).
  const indent = /^[ \t]{1,16}/.exec(s);
  if (indent && (at(RECORD, s, indent[0].length) || /^\([^()\n]{1,160}\bpid=\d/.test(s.slice(indent[0].length, indent[0].length + 170)))) pos = indent[0].length;
  for (let layer = 0; layer <= MAX_LAYERS; layer++) {
    const rec = at(RECORD, s, pos);
    if (rec) return record(rec, s, coloured ? 0 : pos, end, processes);
    if (layer === MAX_LAYERS) break;
    const next = peel(s, pos, processes);
    if (next === undefined) {
      const sp = splitLine(s.slice(pos));
      for (const l of sp.launchers) if (/\bpid=\d/.test(l) && processes.length < MAX_LAYERS) processes.push(l);
      if (sp.prefix) return { start: coloured ? 0 : pos + sp.start, end, processes, nccl: { level: sp.prefix.level }, message: sp.message };
      if (sp.start === 0) break;
      pos += sp.start;
      continue;
    }
    pos = next;
  }
  const stop = Math.min(s.length, coloured ? s.length : end);
  return { start: coloured ? 0 : pos, end: Math.max(end, pos), processes, message: pos < stop ? s.slice(pos, stop).replace(RAY_REPEAT, '').trimEnd() : '' };
}

function record(m: RegExpExecArray, s: string, start: number, end: number, processes: string[]): VllmLine {
  const level = (m[1] === 'WARN' ? 'WARNING' : m[1]) as VllmLevel;
  const file = m[4] ?? m[6];
  const line = Number(m[5] ?? m[7]);
  const msgStart = RECORD.lastIndex;
  return {
    start,
    end: Math.max(end, start),
    processes,
    record: { level, date: m[2], time: m[3], file, line },
    message: s.slice(msgStart).replace(RAY_REPEAT, '').trimEnd(),
  };
}

/** Peels one vLLM-specific wrapper at `pos`; undefined when none is there. */
function peel(s: string, pos: number, processes: string[]): number | undefined {
  let m = at(PROCESS, s, pos);
  if (m) {
    const label = m[1].trim();
    const next = PROCESS.lastIndex;
    // `(name pid=1)` is always a process prefix, and so are vLLM's short names (`Engine (DP0)`,
    // `Worker_TP1`); other parentheses only when a vLLM record follows them.
    const vllmName = /^(?:Engine|Worker|API|VllmWorker|RayWorker)[\w]{0,40}(?: \([\w-]{1,20}\))?$/.test(label);
    if (/\bpid=\d/.test(label) || vllmName || at(RECORD, s, next)) {
      if (processes.length < MAX_LAYERS) processes.push(label);
      return next;
    }
  }
  if ((m = at(STAMP_PIPE, s, pos)) && STAMP_PIPE.lastIndex > pos) return STAMP_PIPE.lastIndex;
  if ((m = at(SERVICE_PIPE, s, pos)) && SERVICE_PIPE.lastIndex > pos) return SERVICE_PIPE.lastIndex;
  return undefined;
}
