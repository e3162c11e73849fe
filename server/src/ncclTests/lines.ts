/**
 * Reads single lines of nccl-tests output: the `#` header and footer lines its report functions
 * print, and the result rows. The shapes follow nccl-tests' own format strings across releases:
 *
 * - header: `# nThread %d nGpus %d minBytes %ld maxBytes %ld step: %ld(%s) warmup iters: %d iters: %d
 *   [agg iters: %d] validation: %d [graph: %d] [unalign: %d] ...`;
 * - ranks: `#  Rank %2d Group %2d Pid %6d on %10s device %2d [%04x:%02x:%02x] %s`, older
 *   `#   Rank %2d Pid %6d on %10s device %2d [0x%02x] %s` (no Group);
 * - the column header names the columns, which changed over time (a `root` column, `#wrong` instead
 *   of `error`, `copybw`, per-iteration `i_*` columns, `cputime`, a `timestamp`), so rows are read by
 *   the names in the last header seen;
 * - numbers are printed to fit a width: `%7.2f`, then fewer decimals, then `%.1e` (`1.2e+04`);
 *   `#wrong` is `%g` (`1e+06` for large counts) or `N/A`.
 *
 * Every regex is anchored and free of nested quantifiers; callers pass at most a few KB per line.
 */
import type { NcclTestsParams, NcclTestsRank, NcclTestsResult, NcclTestsRow, SourceRef } from './model';

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d{1,3})?$/;
const INTEGER = /^-?\d{1,19}$/;
const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CLOCK = /^\d{2}:\d{2}:\d{2}$/;

/** A finite number as printed by nccl-tests, or undefined. */
export function readNumber(token: string | undefined): number | undefined {
  if (token === undefined || !NUMBER.test(token)) return undefined;
  const n = Number(token);
  return Number.isFinite(n) ? n : undefined;
}

function readInteger(token: string | undefined): number | undefined {
  return token !== undefined && INTEGER.test(token) ? Number(token) : undefined;
}

export type CommentLine =
  | { kind: 'version'; tests: string; ncclHeaders?: number; ncclLibrary?: number }
  | { kind: 'starting'; test: string }
  | { kind: 'concluded'; test: string }
  | { kind: 'params'; params: Omit<NcclTestsParams, 'ref'> }
  | { kind: 'rank'; rank: Omit<NcclTestsRank, 'ref'> }
  | { kind: 'columns'; names: string[] }
  | { kind: 'outOfBounds'; count: number; ok: boolean }
  | { kind: 'avgBusBandwidth'; value: number; check?: 'OK' | 'FAILED' }
  | { kind: 'error'; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'other' };

const VERSION = /^#\s*nccl-tests version (\S{1,64})(?: nccl-headers=(\d{1,9}))?(?: nccl-library=(\d{1,9}))?/;
const STARTING = /^#\s*Collective test starting: (\S{1,128})/;
const CONCLUDED = /^#\s*Collective test concluded: (\S{1,128})/;
const RANK = /^#\s{1,8}Rank\s{1,8}(\d{1,7})\s{1,8}(?:Group\s{1,8}(-?\d{1,7})\s{1,8})?Pid\s{1,8}(\d{1,10})\s{1,8}on\s{1,64}(\S{1,1024})\s{1,8}device\s{1,8}(\d{1,4})\s{1,8}\[([^\]]{0,128})\]\s{0,8}(.{0,1024})$/;
const OUT_OF_BOUNDS = /^#\s*Out of bounds values\s{0,32}:\s{0,8}(\d{1,19})\s{0,8}(OK|FAILED)?/;
const AVG_BW = /^#\s*Avg bus bandwidth\s{0,32}:\s{0,8}(\S{1,32})\s{0,8}(OK|FAILED)?/;
const ERROR = /^#\s*error: (.{0,1024})/;
const NOTE = /^#\s*(Blocking Enabled|Per-Iteration Report|Parallel Init Enabled|GPU memory usage|Reducing maxBytes|Writing JSON output|skipping json output)(.{0,512})/;

/** Classifies a line that starts with `#` (after launcher prefixes). */
export function readComment(text: string): CommentLine {
  let m: RegExpExecArray | null;
  if ((m = VERSION.exec(text))) {
    return { kind: 'version', tests: m[1], ncclHeaders: m[2] ? Number(m[2]) : undefined, ncclLibrary: m[3] ? Number(m[3]) : undefined };
  }
  if ((m = STARTING.exec(text))) return { kind: 'starting', test: m[1] };
  if ((m = CONCLUDED.exec(text))) return { kind: 'concluded', test: m[1] };
  if (/^#\s*nThread \d/.test(text)) return { kind: 'params', params: readParams(text) };
  if ((m = RANK.exec(text))) {
    return {
      kind: 'rank',
      rank: {
        rank: Number(m[1]),
        group: m[2] !== undefined ? Number(m[2]) : undefined,
        pid: Number(m[3]),
        host: m[4],
        device: Number(m[5]),
        busId: m[6],
        gpu: m[7].trim(),
      },
    };
  }
  if ((m = OUT_OF_BOUNDS.exec(text))) {
    const count = Number(m[1]);
    return { kind: 'outOfBounds', count, ok: m[2] ? m[2] === 'OK' : count === 0 };
  }
  if ((m = AVG_BW.exec(text))) {
    const value = readNumber(m[1]);
    if (value !== undefined) return { kind: 'avgBusBandwidth', value, check: m[2] as 'OK' | 'FAILED' | undefined };
    return { kind: 'other' };
  }
  if ((m = ERROR.exec(text))) return { kind: 'error', text: m[1].trim() };
  if ((m = NOTE.exec(text))) return { kind: 'note', text: `${m[1]}${m[2]}`.trim() };
  const names = readColumnNames(text);
  if (names) return { kind: 'columns', names };
  return { kind: 'other' };
}

const PARAM_INT: [keyof NcclTestsParams, RegExp][] = [
  ['nThread', /\bnThread (\d{1,9})/],
  ['nGpus', /\bnGpus (\d{1,9})/],
  ['minBytes', /\bminBytes (\d{1,19})/],
  ['maxBytes', /\bmaxBytes (\d{1,19})/],
  ['warmupIters', /\bwarmup iters: (\d{1,9})/],
  ['iters', /(?<!warmup |agg )\biters: (\d{1,9})/],
  ['aggIters', /\bagg iters: (\d{1,9})/],
  ['validation', /\bvalidation: (\d{1,9})/],
  ['graph', /\bgraph: (\d{1,9})/],
  ['unalign', /\bunalign: (\d{1,9})/],
];
const KNOWN_LABELS = new Set(['step', 'warmup iters', 'iters', 'agg iters', 'validation', 'graph', 'unalign']);

function readParams(text: string): Omit<NcclTestsParams, 'ref'> {
  const params: Omit<NcclTestsParams, 'ref'> = { extra: {} };
  for (const [key, re] of PARAM_INT) {
    const m = re.exec(text);
    if (m) (params as Record<string, unknown>)[key] = Number(m[1]);
  }
  const step = /\bstep: (\d{1,19})\((factor|bytes)\)/.exec(text);
  if (step) {
    params.step = Number(step[1]);
    params.stepKind = step[2] as 'factor' | 'bytes';
  }
  // Later releases append `side_work: 0 work_sms: 0 direction: H2D` and the like.
  const pair = /([a-z_][a-z_ ]{0,30}[a-z_]): (\S{1,64})/g;
  let m: RegExpExecArray | null;
  let guard = 0;
  while ((m = pair.exec(text)) && guard++ < 64) {
    const label = m[1].trim();
    if (!KNOWN_LABELS.has(label)) params.extra[label] = m[2];
  }
  return params;
}

/** The column-name line of the table header, e.g. `#  size  count  type  redop  root  time  algbw ...`. */
function readColumnNames(text: string): string[] | undefined {
  if (text.length > 1024) return undefined;
  const names = text.slice(1).trim().split(/\s+/);
  if (names[0] !== 'size' || names[1] !== 'count' || !names.includes('busbw')) return undefined;
  if (!names.some((n) => n === 'time' || n === 'cputime')) return undefined;
  return names;
}

/** How a row's tokens map to fields, from the column names (or a default for headerless fragments). */
export interface RowLayout {
  leading: string[];
  group: string[];
  groups: number;
  timestamp: boolean;
}

const isTimeName = (n: string) => n === 'time' || n === 'cputime';

export function layoutOf(names: readonly string[] | undefined): RowLayout | undefined {
  if (!names) return undefined;
  const first = names.findIndex(isTimeName);
  if (first < 0) return undefined;
  const leading = names.slice(0, first);
  const rest = names.slice(first).filter((n) => n !== 'timestamp');
  const second = rest.findIndex((n, i) => i > 0 && isTimeName(n));
  const group = second < 0 ? rest : rest.slice(0, second);
  const groups = Math.max(1, Math.round(rest.length / group.length));
  return { leading, group, groups, timestamp: names.includes('timestamp') };
}

/** Does the line look like a result row at all (a size and a count first)? */
export function looksLikeRow(text: string): boolean {
  return /^\s{0,64}\d{1,19}\s{1,64}\d{1,19}\s{1,64}[A-Za-z]/.test(text);
}

/**
 * Reads one result row; undefined when the line is not a complete row under the layout (truncated
 * or damaged lines must not yield half a measurement).
 */
export function readRow(text: string, layout: RowLayout | undefined, ref: SourceRef): NcclTestsRow | undefined {
  if (text.length > 2048) return undefined;
  const tokens = text.trim().split(/\s+/);
  if (tokens.length > 64) return undefined;
  let timestamp: string | undefined;
  const n = tokens.length;
  if (n >= 2 && DATE.test(tokens[n - 2]) && CLOCK.test(tokens[n - 1])) {
    timestamp = `${tokens[n - 2]} ${tokens[n - 1]}`;
    tokens.length = n - 2;
  }
  const size = readInteger(tokens[0]);
  const count = readInteger(tokens[1]);
  if (size === undefined || count === undefined || !TYPE_NAME.test(tokens[2] ?? '')) return undefined;
  const row: NcclTestsRow = { size, count, type: tokens[2], ref };
  if (timestamp) row.timestamp = timestamp;
  const effective = layout ?? guessLayout(tokens);
  if (!effective) return undefined;
  for (let i = 3; i < effective.leading.length; i++) {
    const name = effective.leading[i];
    const token = tokens[i];
    if (token === undefined) return undefined;
    if (name === 'redop') row.redop = token;
    else if (name === 'root') {
      const root = readInteger(token);
      if (root === undefined) return undefined;
      row.root = root;
    }
  }
  const values = tokens.slice(effective.leading.length);
  const g = effective.group.length;
  if (values.length === g * effective.groups) {
    const results: NcclTestsResult[] = [];
    for (let k = 0; k < effective.groups; k++) {
      const r = readResult(values.slice(k * g, (k + 1) * g), effective.group);
      if (!r) return undefined;
      results.push(r);
    }
    if (effective.groups >= 2) {
      row.outOfPlace = results[0];
      row.inPlace = results[1];
    } else row.outOfPlace = results[0];
  } else if (layout && effective.groups === 2 && values.length === g) {
    // nccl-tests leaves the out-of-place part blank when it only replays in-place.
    const r = readResult(values, effective.group);
    if (!r) return undefined;
    row.inPlace = r;
  } else return undefined;
  return row;
}

/** Without a column header: size count type [redop] [root] and exactly two groups of four values. */
function guessLayout(tokens: string[]): RowLayout | undefined {
  const leading = ['size', 'count', 'type'];
  let i = 3;
  if (tokens[i] !== undefined && readNumber(tokens[i]) === undefined && tokens[i] !== 'N/A') {
    leading.push('redop');
    i++;
  }
  const rest = tokens.length - i;
  if (rest === 9 && readInteger(tokens[i]) !== undefined) leading.push('root');
  else if (rest !== 8) return undefined;
  return { leading, group: ['time', 'algbw', 'busbw', '#wrong'], groups: 2, timestamp: false };
}

function readResult(values: string[], names: string[]): NcclTestsResult | undefined {
  let time: number | undefined;
  let algbw: number | undefined;
  let busbw: number | undefined;
  let wrong: number | null | undefined;
  let maxError: number | undefined;
  let extra: Record<string, number> | undefined;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const token = values[i];
    if (name === '#wrong' || name === 'error') {
      if (token === 'N/A') {
        if (name === '#wrong') wrong = null;
        continue;
      }
      const v = readNumber(token);
      if (v === undefined) return undefined;
      if (name === '#wrong') wrong = v;
      else maxError = v;
      continue;
    }
    const v = readNumber(token);
    if (v === undefined) {
      if (token === 'N/A' && !['time', 'cputime', 'algbw', 'busbw'].includes(name)) continue;
      return undefined;
    }
    if (isTimeName(name)) time = v;
    else if (name === 'algbw') algbw = v;
    else if (name === 'busbw') busbw = v;
    else (extra ??= {})[name] = v;
  }
  if (time === undefined || algbw === undefined || busbw === undefined) return undefined;
  const result: NcclTestsResult = { time, algbw, busbw, wrong: wrong ?? null };
  if (maxError !== undefined) result.maxError = maxError;
  if (extra) result.extra = extra;
  return result;
}

/** `rank=1 #wrong=1024` (validation), the Test ... failure/timeout lines of the error macros. */
export type PlainLine = { kind: 'wrongReport'; rank: number; wrong: number } | { kind: 'failure'; text: string } | undefined;

const WRONG_REPORT = /^\s{0,8}rank=(\d{1,7}) #wrong=(\d{1,19})/;
const FAILURE = /(?:^|: )Test (?:CUDA |NCCL )?(?:failure|timeout)\b.{0,1024}|^Invalid number of GPUs.{0,512}|^Incompatible NCCL versions.{0,512}/;

export function readPlain(text: string): PlainLine {
  let m = WRONG_REPORT.exec(text);
  if (m) return { kind: 'wrongReport', rank: Number(m[1]), wrong: Number(m[2]) };
  m = FAILURE.exec(text);
  if (m) return { kind: 'failure', text: text.trim().slice(0, 1024) };
  return undefined;
}
