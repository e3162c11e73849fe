/**
 * nccl-tests output -> NcclTestsModel, line by line, so a file of any size streams through with
 * memory bounded by what it reports (rows, ranks), never by its length.
 *
 * Lines arrive wrapped like any cluster log: Open MPI `--tag-output` (`[1,0]<stdout>:`), srun
 * `--label` (`0: `), kubectl prefixes and timestamps, interleaved with NCCL_DEBUG lines from every
 * rank. The NCCL log reader's prefix splitter peels those layers; what is left is either an NCCL
 * line (a hint about transports) or nccl-tests' own text.
 *
 * A file can hold several runs (scripts that loop over tests, `mpirun` twice into one file). A run
 * starts at its version / "Collective test starting" / parameter line, or at the first row after
 * a concluded run; NCCL lines seen before a run's header belong to that run.
 */
import { lineReader, type ChunkParser } from '../ncclLog/lineSource';
import { splitLine } from '../ncclLog/prefix';
import { layoutOf, looksLikeRow, readComment, readPlain, readRow, type RowLayout } from './lines';
import { emptyHints, type NcclHints, type NcclTestsModel, type NcclTestsRun, type SourceRef } from './model';
import { addNcclLine, hasHints, mergeHints } from './ncclHints';

const MAX_RUNS = 1000;
const MAX_ROWS_PER_RUN = 100_000;
const MAX_RANKS_PER_RUN = 65_536;
const MAX_NOTES = 64;
const MAX_LAUNCHERS = 16;

export type NcclTestsParser = ChunkParser<NcclTestsModel>;

class Builder {
  readonly model: NcclTestsModel = {
    runs: [],
    nccl: emptyHints(),
    lines: { total: 0, rows: 0, comments: 0, nccl: 0, other: 0 },
    launchers: [],
  };
  private cur: NcclTestsRun | undefined;
  private layout: RowLayout | undefined;
  /** NCCL lines seen while no run is open: they belong to the next run. */
  private pending: NcclHints = emptyHints();

  line(raw: string, lineNo: number): void {
    this.model.lines.total++;
    const sp = splitLine(raw);
    for (const l of sp.launchers) {
      if (this.model.launchers.length < MAX_LAUNCHERS && !this.model.launchers.includes(l)) this.model.launchers.push(l);
    }
    const lead = sp.message.length - sp.message.trimStart().length;
    const ref: SourceRef = { line: lineNo, start: sp.messageStart + lead, end: Math.max(sp.end, sp.messageStart + lead) };
    if (sp.prefix || sp.banner) {
      this.model.lines.nccl++;
      const level = sp.prefix?.level ?? 'INFO';
      const prefixRef: SourceRef = { line: lineNo, start: sp.start, end: sp.end };
      addNcclLine(this.model.nccl, level, sp.prefix?.host, sp.message, prefixRef);
      const target = this.cur && !this.cur.concluded ? this.cur.nccl : this.pending;
      addNcclLine(target, level, sp.prefix?.host, sp.message, prefixRef);
      if (this.cur && !this.cur.concluded) this.touch(lineNo);
      return;
    }
    const text = sp.message.trimStart();
    if (text.startsWith('#')) {
      this.model.lines.comments++;
      this.comment(text, ref);
    } else if (looksLikeRow(text)) {
      this.row(text, ref);
    } else {
      this.plain(text, ref);
    }
  }

  private comment(text: string, ref: SourceRef): void {
    const c = readComment(text);
    const cur = this.cur;
    switch (c.kind) {
      case 'version': {
        const run = cur && !(cur.version || cur.test || cur.params || cur.rows.length || cur.ranks.length) ? cur : this.open(ref.line);
        run.version = compact({ tests: c.tests, ncclHeaders: c.ncclHeaders, ncclLibrary: c.ncclLibrary, ref });
        break;
      }
      case 'starting': {
        const run = cur && !cur.concluded && !(cur.test || cur.params || cur.rows.length) ? cur : this.open(ref.line);
        run.test = c.test;
        break;
      }
      case 'params': {
        const run = cur && !cur.concluded && !(cur.params || cur.rows.length) ? cur : this.open(ref.line);
        run.params = { ...c.params, ref };
        break;
      }
      case 'rank': {
        const run = cur && !cur.concluded && !cur.rows.length ? cur : this.open(ref.line);
        if (run.ranks.length < MAX_RANKS_PER_RUN) run.ranks.push(compact({ ...c.rank, ref }));
        break;
      }
      case 'columns': {
        const run = cur && !cur.concluded && !cur.rows.length ? cur : this.open(ref.line);
        run.columns = { names: c.names, ref };
        this.layout = layoutOf(c.names);
        break;
      }
      case 'outOfBounds':
        if (cur) cur.outOfBounds ??= { count: c.count, ok: c.ok, ref };
        break;
      case 'avgBusBandwidth':
        if (cur) cur.avgBusBandwidth ??= compact({ value: c.value, check: c.check, ref });
        break;
      case 'concluded':
        if (cur) {
          cur.concluded = true;
          cur.test ??= c.test;
        }
        break;
      case 'error':
        this.target(ref.line).failures.push({ text: c.text, ref });
        break;
      case 'note': {
        const run = this.target(ref.line);
        if (run.notes.length < MAX_NOTES) run.notes.push({ text: c.text, ref });
        break;
      }
      case 'other':
        return;
    }
    if (this.cur) this.touch(ref.line);
  }

  private row(text: string, ref: SourceRef): void {
    const run = this.cur && !this.cur.concluded ? this.cur : this.open(ref.line);
    const row = readRow(text, this.layout, ref);
    if (!row) {
      if (run.damagedRows.length < MAX_NOTES) run.damagedRows.push(ref);
      this.model.lines.other++;
      return;
    }
    this.model.lines.rows++;
    if (run.rows.length < MAX_ROWS_PER_RUN) run.rows.push(row);
    this.touch(ref.line);
  }

  private plain(text: string, ref: SourceRef): void {
    const p = readPlain(text);
    if (!p) {
      this.model.lines.other++;
      return;
    }
    const run = this.target(ref.line);
    if (p.kind === 'wrongReport') {
      if (run.wrongReports.length < MAX_NOTES) run.wrongReports.push({ rank: p.rank, wrong: p.wrong, ref });
    } else if (run.failures.length < MAX_NOTES) run.failures.push({ text: p.text, ref });
    this.touch(ref.line);
  }

  /** The open run, or a new one for lines that report on a run whose header we never saw. */
  private target(lineNo: number): NcclTestsRun {
    return this.cur ?? this.open(lineNo);
  }

  private touch(lineNo: number): void {
    if (this.cur) this.cur.lastLine = Math.max(this.cur.lastLine, lineNo);
  }

  private open(lineNo: number): NcclTestsRun {
    if (this.model.runs.length >= MAX_RUNS) return this.cur!;
    const run: NcclTestsRun = {
      index: this.model.runs.length,
      ranks: [],
      rows: [],
      damagedRows: [],
      wrongReports: [],
      failures: [],
      notes: [],
      concluded: false,
      nccl: emptyHints(),
      firstLine: lineNo,
      lastLine: lineNo,
    };
    if (hasHints(this.pending)) {
      mergeHints(run.nccl, this.pending);
      this.pending = emptyHints();
    }
    this.model.runs.push(run);
    this.cur = run;
    // A new run keeps the previous column layout only until it prints its own header.
    return run;
  }
}

/** Drops keys whose value is undefined, so the model survives a JSON round trip unchanged. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

const reader = lineReader(() => new Builder());

export const createNcclTestsParser: () => NcclTestsParser = reader.create;
export const parseNcclTests: (text: string) => NcclTestsModel = reader.parse;
/** Streams a file from disk (64 KiB chunks). */
export const parseNcclTestsFile: (path: string) => Promise<NcclTestsModel> = reader.parseFile;

/**
 * Cheap test for "this text is nccl-tests output" (for log detection): a parameter line, a column
 * header or a footer within the first 256 KiB.
 */
export function looksLikeNcclTests(text: string): boolean {
  const head = text.length > 262_144 ? text.slice(0, 262_144) : text;
  return /#\s*nThread \d+ nGpus \d+ minBytes \d+|#\s+size\s+count\s+type\s|#\s*Out of bounds values\s*:|#\s*Avg bus bandwidth\s*:|#\s*nccl-tests version /.test(head);
}
