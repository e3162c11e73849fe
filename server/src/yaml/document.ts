/**
 * Parses a (possibly multi-document, possibly Helm-templated) YAML file into `yaml` documents with
 * exact source ranges. Helm `{{ ... }}` actions are masked before parsing, keeping every offset:
 * a line that is only an action becomes blank, an action inside a value becomes a `${...}`
 * placeholder of the same length, which later stages treat like any unknown expansion.
 * Aliases are never expanded, so an alias bomb costs nothing.
 */
import { Composer, isNode, Parser, visit, YAMLParseError, type Document } from 'yaml';
import type { CommentText } from '../analysis/directives';
import { parseBlockSubset } from './blockSubset';

export interface ParsedYaml {
  /** The text the parser saw (Helm actions masked); same length as the original. */
  masked: string;
  documents: Document.Parsed[];
  comments: CommentText[];
  /** Offsets [start, end) of masked Helm actions. */
  templates: Array<[number, number]>;
}

const ACTION = /\{\{-?[\s\S]*?-?\}\}/g;

export function maskHelm(text: string): { masked: string; templates: Array<[number, number]> } {
  const templates: Array<[number, number]> = [];
  if (!text.includes('{{')) return { masked: text, templates };
  let masked = '';
  let last = 0;
  for (const m of text.matchAll(ACTION)) {
    const start = m.index!;
    const end = start + m[0].length;
    templates.push([start, end]);
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    let lineEnd = text.indexOf('\n', end);
    if (lineEnd < 0) lineEnd = text.length;
    const before = text.slice(lineStart, start);
    const lastOnLine = /^\s*$/.test(text.slice(end, lineEnd));
    const aloneOnLine = /^\s*$/.test(before) && lastOnLine;
    masked += text.slice(last, start);
    // Keep newlines inside a multi-line action so line numbers stay right.
    const body = m[0].replace(/[^\n]/g, ' ');
    const blank = aloneOnLine || m[0].length < 3 || (lastOnLine && opensBlock(text, before, lineEnd));
    masked += blank ? body : `\${${body.slice(2, -1).replace(/ /g, 'h')}}`;
    last = end;
  }
  return { masked: masked + text.slice(last), templates };
}

/**
 * `key: {{ include "labels" . | nindent 6 }}` followed by more-indented lines: the action renders
 * on the lines below (it starts with a newline), so the key holds a block and the action is blank.
 */
function opensBlock(text: string, before: string, lineEnd: number): boolean {
  if (!/^\s*(?:-\s+)?[^\s#][^#]*:\s*$/.test(before)) return false;
  const indent = before.length - before.trimStart().length;
  let at = lineEnd;
  while (at < text.length) {
    const next = text.indexOf('\n', at + 1);
    const line = text.slice(at + 1, next < 0 ? text.length : next);
    at = next < 0 ? text.length : next;
    const rest = line.replace(ACTION, '');
    if (/^\s*(?:#.*)?$/.test(rest)) continue; // blank, a comment, or only actions
    return line.length - line.trimStart().length > indent;
  }
  return false;
}

/**
 * A masked action line at the top of a block scalar reads as a more-indented empty line, which YAML
 * rejects; Helm (or Jinja in a ConfigMap) never leaves that line behind, so the error is not real.
 */
function maskedLeadingLine(e: YAMLParseError, text: string, masked: string): boolean {
  if (!e.message.includes('more-indented leading empty lines')) return false;
  const lineStart = masked.lastIndexOf('\n', e.pos[0] - 1) + 1;
  const indent = e.pos[0] - lineStart;
  let masks = 0;
  for (let end = lineStart - 1; end > 0; ) {
    const start = masked.lastIndexOf('\n', end - 1) + 1;
    const line = masked.slice(start, end).replace(/\r$/, '');
    if (!/^[ \t]*$/.test(line)) break;
    if (line.length > indent) {
      if (/^\s*$/.test(text.slice(start, end))) return false; // a genuinely over-indented blank line
      masks++;
    }
    end = start - 1;
  }
  return masks > 0;
}

/** `#` comments: at a line start or after a blank, outside quotes (good enough for directives). */
function findComments(text: string): CommentText[] {
  const out: CommentText[] = [];
  const re = /(^|[ \t])(#[^\n]*)/gm;
  for (const m of text.matchAll(re)) {
    const start = m.index! + m[1].length;
    const before = text.slice(text.lastIndexOf('\n', start - 1) + 1, start);
    // A `#` after an odd number of quotes on the line is inside a string.
    if ((before.split('"').length - 1) % 2 === 1 || (before.split("'").length - 1) % 2 === 1) continue;
    out.push({ start, text: m[2].replace(/\r$/, '') });
  }
  return out;
}

/**
 * Parsed documents of a previous version of the file, keyed by their text. An edit re-parses only
 * the `---` document it touched: parsing is most of the cost of a large manifest.
 */
export type YamlParseCache = Map<string, ChunkParse & { base: number }>;

/** A chunk's documents, and the text they were parsed from (see joinUnderIndentedQuotes). */
interface ChunkParse {
  documents: Document.Parsed[];
  source: string;
}

const SEPARATOR = /^(?:---|\.\.\.)(?=[ \t\r]|$)/gm;

/** Splits at document markers, each chunk starting at its `---` line. */
export function chunks(text: string): Array<[number, number]> {
  const starts = [0];
  for (const m of text.matchAll(SEPARATOR)) if (m.index! > 0) starts.push(m.index!);
  return starts.map((s, i) => [s, i + 1 < starts.length ? starts[i + 1] : text.length]);
}

/** Moves every range of parsed documents by `delta` characters. */
function shift(documents: Document.Parsed[], delta: number): void {
  if (delta === 0) return;
  for (const doc of documents) {
    doc.range = doc.range.map((n) => n + delta) as typeof doc.range;
    for (const e of [...doc.errors, ...doc.warnings]) e.pos = [e.pos[0] + delta, e.pos[1] + delta];
    visit(doc, (_key, node) => {
      if (isNode(node) && node.range) node.range = node.range.map((n) => n + delta) as typeof node.range;
    });
  }
}

export const OPTIONS = { uniqueKeys: false, strict: false, prettyErrors: false } as const;

/** Deeper than this, the `yaml` parser may exhaust the stack in a way V8 cannot recover from. */
const MAX_NESTING = 200;

/**
 * A cheap upper bound of a chunk's nesting: flow brackets, indentation, and `- - -` chains.
 * Real manifests stay far below it; a document above it is reported, not parsed.
 */
function tooDeep(source: string): boolean {
  let flow = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++flow > MAX_NESTING) return true;
    } else if ((c === 93 || c === 125) && flow > 0) flow--;
  }
  for (const m of source.matchAll(/^([ -]*)/gm)) if (m[1].length > MAX_NESTING * 4) return true;
  return false;
}

/** Tests switch the fast path off to compare whole analyses made with and without it. */
export const yamlParsing = { blockSubset: true };

/**
 * Parses one chunk with ranges that are already offsets into the whole file: by the fast path
 * when the chunk is plain block YAML (most manifests), else by the full parser.
 */
function parseAt(source: string, start: number): ChunkParse {
  const fast = yamlParsing.blockSubset ? parseBlockSubset(source, start, OPTIONS) : undefined;
  if (fast) return { documents: [fast], source };
  const documents = parseWithYaml(source, start);
  const joined = joinUnderIndentedQuotes(source, documents, start);
  if (joined) {
    const again = parseWithYaml(joined, start);
    if (again.every((d) => d.errors.length === 0)) return { documents: again, source: joined };
  }
  return { documents, source };
}

/**
 * kubectl (go-yaml) and PyYAML accept a multi-line quoted scalar whose continuation lines are no
 * more indented than its key, as Multus' own examples write `config: '{` … `}'`; the YAML spec
 * and the `yaml` library do not, and report the quote unclosed. Kubernetes reads such a file, so
 * rvn must too: the scalar's line breaks become the spaces they fold to (same length, so every
 * offset holds) and the chunk is parsed again; only a clean second parse is kept. Returns the
 * joined text, or undefined when no unclosed quote was reported.
 */
function joinUnderIndentedQuotes(source: string, documents: Document.Parsed[], start: number): string | undefined {
  const unclosed = documents.flatMap((d) => d.errors).filter((e) => e.code === 'MISSING_CHAR' && /^Missing closing .?quote/.test(e.message));
  // Real files have one or two; junk with hundreds is not worth a second parse.
  if (unclosed.length > 16) return undefined;
  let out = source;
  for (const e of unclosed) {
    // `yaml` reports the end of the scalar's first line: its opening quote is the nearest quote
    // before that which starts a scalar (after a blank, `:`, `-`, `[`, `{` or `,`).
    const pos = e.pos[0] - start;
    let at = pos - 1;
    while (at >= 0 && pos - at < 4096 && !((out[at] === '"' || out[at] === "'") && (at === 0 || /[\s:[{,-]/.test(out[at - 1])))) at--;
    const end = at >= 0 ? closingQuote(out, at) : -1;
    if (end < pos) continue;
    out = out.slice(0, at) + out.slice(at, end).replace(/[\r\n]/g, ' ') + out.slice(end);
  }
  return out === source ? undefined : out;
}

/** The offset of the quote closing the quoted scalar that opens at `at`, or -1. */
function closingQuote(text: string, at: number): number {
  const q = text[at];
  if (q !== '"' && q !== "'") return -1;
  // A quoted value runs a few lines, not a whole file: give up well before that.
  for (let i = at + 1; i < text.length && i - at < 65536; i++) {
    const c = text[i];
    if (q === '"' && c === '\\') i++;
    else if (c === q && q === "'" && text[i + 1] === "'") i++;
    else if (c === q) return i;
  }
  return -1;
}

/** The full `yaml` parser on one chunk (also the reference the fast path is tested against). */
export function parseWithYaml(source: string, start: number): Document.Parsed[] {
  if (tooDeep(source)) return [tooDeepDocument(source, start)];
  const parser = new Parser();
  parser.offset = start; // the parser counts from here, so every token and node range is absolute
  return [...new Composer(OPTIONS).compose(parser.parse(source), true, start + source.length)];
}

export function parseYaml(text: string, previous?: YamlParseCache, next?: YamlParseCache): ParsedYaml {
  const { masked, templates } = maskHelm(text);
  const documents: Document.Parsed[] = [];
  // The text each chunk was parsed from; differs from `masked` only where quotes were joined.
  const parsedFrom: string[] = [];
  let joined = false;
  for (const [start, end] of chunks(masked)) {
    const source = masked.slice(start, end);
    const cached = previous?.get(source) ?? next?.get(source);
    let chunk: ChunkParse;
    if (cached && !next?.has(source)) {
      chunk = cached;
      shift(chunk.documents, start - cached.base);
    } else {
      chunk = parseAt(source, start);
    }
    for (const doc of chunk.documents) if (doc.errors.length) doc.errors = doc.errors.filter((e) => !maskedLeadingLine(e, text, masked));
    next?.set(source, { ...chunk, base: start });
    documents.push(...chunk.documents);
    parsedFrom.push(chunk.source);
    joined ||= chunk.source !== source;
  }
  return { masked: joined ? parsedFrom.join('') : masked, documents, comments: findComments(text), templates };
}

/** An empty document carrying one error, for a chunk nested too deeply to parse safely. */
function tooDeepDocument(source: string, start: number): Document.Parsed {
  const [doc] = [...new Composer(OPTIONS).compose(new Parser().parse(''), true, start)];
  doc.range = [start, start + source.length, start + source.length];
  doc.errors.push(new YAMLParseError([start, start + Math.min(source.length, 1)], 'BAD_INDENT', `nested more than ${MAX_NESTING} levels deep; not parsed`));
  return doc;
}
