/**
 * A fast path for the YAML that Kubernetes manifests are written in: block mappings and
 * sequences (indentless ones too), one-line plain and quoted scalars, one-line flow sequences and
 * mappings of such scalars, literal and simple folded block scalars, comments and blank lines.
 * It builds the very nodes the `yaml` library would (same classes, values, types and ranges;
 * comments are not attached to nodes, as nothing reads them there), in
 * one pass over the lines with no token or CST objects, which makes a large manifest several times
 * cheaper to parse. Scalars are made in blockScalars.ts.
 *
 * Anything outside that subset — nested flow collections, anchors, aliases, tags, complex keys,
 * multi-line plain or quoted scalars, escapes, tabs, CR, directives, comments not aligned with
 * what follows them, or any error — makes it give up (`undefined`) and the caller parses the
 * chunk with the full `yaml` parser instead. It never guesses: test/unit/yamlBlockSubset.test.ts
 * compares its output with `yaml`'s node for node on every fixture and on thousands of generated
 * manifests, and whole analyses with and without it.
 */
import { Document, type Node, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { CollectionFactory, pair, scalar } from './blockNodes';
import { COLON, DASH, DQUOTE, HASH, NEWLINE, OUTSIDE, outside, PlainScalars, plainStartInvalid, quotedScalar, quoteEnd, SPACE, SQUOTE } from './blockScalars';

/** Far deeper than any manifest, far shallower than the stack. */
const MAX_DEPTH = 64;

class BlockSubsetParser {
  /** Per line: start offset, end offset (the `\n` or the end), column of the first non-space, kind. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly indents: number[] = [];
  /** 0 blank, 1 comment only, 2 content. */
  private readonly kinds: number[] = [];
  private collections!: CollectionFactory;
  private scalars!: PlainScalars;
  /** Collections open around the current line; deep nesting is left to the guarded full parser. */
  private depth = 0;
  /** Whether the scalar made last (in document order) was the null of an empty `key:`. */
  private lastWasEmpty = false;

  constructor(
    private readonly src: string,
    private readonly base: number,
  ) {
    let start = 0;
    while (start <= src.length) {
      let end = src.indexOf('\n', start);
      if (end < 0) end = src.length;
      let i = start;
      while (i < end && src.charCodeAt(i) === SPACE) i++;
      this.starts.push(start);
      this.ends.push(end);
      this.indents.push(i - start);
      this.kinds.push(i === end ? 0 : src.charCodeAt(i) === HASH ? 1 : 2);
      if (end === src.length) break;
      start = end + 1;
    }
    // Where a comment line belongs (and so whose range it extends) depends on its indentation in
    // ways the subset does not model; a comment aligned with the content that follows it (or at
    // column 0 after the last content) belongs to nothing, which is how manifests are written.
    let nextIndent = 0;
    for (let i = this.kinds.length - 1; i >= 0; i--) {
      if (this.kinds[i] === 2) nextIndent = this.indents[i];
      else if (this.kinds[i] === 1 && this.indents[i] !== nextIndent) outside();
    }
  }

  parse(options: object): Document.Parsed | undefined {
    const { src } = this;
    let first = 0;
    let docStart = false;
    if (src.startsWith('---')) {
      // `---` alone (or with a comment); content on the marker line is left to the full parser.
      const rest = src.slice(3, this.ends[0]);
      if (rest.trim() !== '' && !/^ +#/.test(rest)) outside();
      docStart = true;
      first = 1;
    }
    const li = this.nextContent(first);
    if (li < 0) return undefined; // an empty document: rare, and its positions are fiddly
    const docStartOffset = docStart ? this.base : this.abs(this.starts[li]);
    const doc = new Document(undefined, options) as Document.Parsed;
    this.collections = new CollectionFactory(doc.schema);
    this.scalars = new PlainScalars(doc.schema, doc.options);
    if (docStart) doc.directives.docStart = true;
    const [contents, after] = this.block(li, this.indents[li], -1);
    if (after >= 0) outside(); // content left over at a lower indentation than the first line
    doc.contents = contents as typeof doc.contents;
    const contentEnd = contents.range![2];
    // Only blank and comment lines may follow; they end the document, except after a final empty
    // value, whose document `yaml` ends where that value is.
    doc.range = [docStartOffset, contentEnd, this.lastWasEmpty ? contentEnd : this.base + src.length];
    return doc;
  }

  /** The first line at or after `li` with content, or -1. */
  private nextContent(li: number): number {
    for (let i = li; i < this.kinds.length; i++) if (this.kinds[i] === 2) return i;
    return -1;
  }

  private abs(i: number): number {
    return this.base + i;
  }

  /** After the value on line `li`: the offset past its `\n`. */
  private lineAfter(li: number): number {
    return this.ends[li] < this.src.length ? this.ends[li] + 1 : this.ends[li];
  }

  /**
   * A block node whose first character is at `pos` on line `li`, with its parent at `parentIndent`.
   * Returns the node and the next content line that does not belong to it (-1 at the end).
   */
  private block(li: number, pos: number, parentIndent: number): [Node, number] {
    const at = this.starts[li] + pos;
    if (this.isDash(at)) return this.sequence(li, pos, false);
    if (!this.isFlowStart(at) && this.keyEnd(at) >= 0) return this.mapping(li, pos);
    const [value, after] = this.value(li, at, parentIndent);
    const next = this.nextContent(after);
    if (next >= 0 && this.indents[next] > parentIndent) outside(); // a multi-line scalar
    return [value, next];
  }

  /** `[` or `{`: a flow collection (as a key it would be a complex key, which flowCollection refuses). */
  private isFlowStart(at: number): boolean {
    const c = this.src.charCodeAt(at);
    return c === 91 || c === 123;
  }

  private isDash(at: number): boolean {
    const c = this.src.charCodeAt(at + 1);
    return this.src.charCodeAt(at) === DASH && (c === SPACE || c === NEWLINE || Number.isNaN(c));
  }

  /** A block sequence whose `-` indicators are in column `col`; `indentless` when it is a map value at the map's own indent. */
  private sequence(li: number, col: number, indentless: boolean): [YAMLSeq, number] {
    if (++this.depth > MAX_DEPTH) outside();
    const seq = this.collections.seq();
    const seqStart = this.abs(this.starts[li] + col);
    let end = seqStart;
    let line = li;
    let next: number;
    for (;;) {
      const dash = this.starts[line] + col;
      const v = this.skipSpaces(dash + 1, this.ends[line]);
      let item: Node;
      if (v === this.ends[line] || this.src.charCodeAt(v) === HASH) {
        const below = this.nextContent(line + 1);
        if (below < 0 || this.indents[below] <= col) outside(); // an empty item
        [item, next] = this.nested(below);
      } else {
        [item, next] = this.block(line, v - this.starts[line], col);
      }
      seq.items.push(item);
      end = item.range![2];
      if (next < 0 || this.indents[next] < col) break;
      if (this.indents[next] > col) outside();
      if (!this.isDash(this.starts[next] + col)) {
        if (!indentless) outside();
        break; // the indentless sequence ends at its map's next key
      }
      line = next;
    }
    seq.range = [seqStart, end, end];
    this.depth--;
    return [seq, next];
  }

  /** A collection that starts on its own line below its parent (a scalar there would be multi-line plain). */
  private nested(li: number): [Node, number] {
    const col = this.indents[li];
    const at = this.starts[li] + col;
    if (this.isDash(at)) return this.sequence(li, col, false);
    if (this.keyEnd(at) >= 0) return this.mapping(li, col);
    return outside();
  }

  /** A block mapping whose keys start in column `col`. */
  private mapping(li: number, col: number): [YAMLMap, number] {
    if (++this.depth > MAX_DEPTH) outside();
    const map = this.collections.map();
    const mapStart = this.abs(this.starts[li] + col);
    let line = li;
    let end = mapStart;
    for (;;) {
      const at = this.starts[line] + col;
      const colon = this.keyEnd(at);
      if (colon < 0) outside();
      const key = this.keyScalar(at, colon);
      const v = this.skipSpaces(colon + 1, this.ends[line]);
      let value: Node;
      let next: number;
      if (v === this.ends[line] || this.src.charCodeAt(v) === HASH) {
        if (v < this.ends[line]) outside(); // a comment after `key:`: the full parser places it
        const below = this.nextContent(line + 1);
        if (below >= 0 && this.indents[below] > col) {
          [value, next] = this.nested(below);
        } else if (below >= 0 && this.indents[below] === col && this.isDash(this.starts[below] + col)) {
          [value, next] = this.sequence(below, col, true);
        } else {
          value = this.emptyScalar(v);
          next = below;
          // Nothing but blank lines may sit between an empty value and the next key.
          for (let i = line + 1; i < (below < 0 ? this.kinds.length : below); i++) if (this.kinds[i] !== 0) outside();
        }
      } else {
        if (this.isDash(v) || (!this.isFlowStart(v) && this.keyEnd(v) >= 0)) outside(); // `a: - b` or `a: b: c`
        let after: number;
        [value, after] = this.value(line, v, col);
        next = this.nextContent(after);
        if (next >= 0 && this.indents[next] > col) outside(); // a multi-line scalar
      }
      map.items.push(pair(key, value));
      end = value.range![2];
      if (next < 0 || this.indents[next] < col) {
        map.range = [mapStart, end, end];
        this.depth--;
        return [map, next];
      }
      if (this.indents[next] > col) outside();
      line = next;
    }
  }

  private skipSpaces(i: number, end: number): number {
    while (i < end && this.src.charCodeAt(i) === SPACE) i++;
    return i;
  }

  /**
   * If a mapping key starts at `at`, the offset of its `:` indicator, else -1. Keys are one-line
   * plain or quoted scalars directly followed by `:` and a space or the end of the line.
   */
  private keyEnd(at: number): number {
    const { src } = this;
    const c = src.charCodeAt(at);
    let i: number;
    if (c === DQUOTE || c === SQUOTE) {
      i = quoteEnd(this.src, at);
      if (i < 0) return -1;
    } else {
      i = at;
    }
    for (; i < src.length; i++) {
      const ch = src.charCodeAt(i);
      if (ch === NEWLINE) return -1;
      if (ch === COLON) {
        const after = src.charCodeAt(i + 1);
        if (after === SPACE || after === NEWLINE || Number.isNaN(after)) return i;
      } else if (ch === HASH && src.charCodeAt(i - 1) === SPACE) return -1;
      else if (c === DQUOTE || c === SQUOTE) return -1; // something between the closing quote and `:`
    }
    return -1;
  }


  private keyScalar(at: number, colon: number): Scalar {
    const { src } = this;
    const c = src.charCodeAt(at);
    if (c === DQUOTE || c === SQUOTE) {
      const close = quoteEnd(this.src, at);
      if (close !== colon) outside(); // space between the closing quote and `:`
      return quotedScalar(this.src, at, close, [this.abs(at), this.abs(close), this.abs(close)]);
    }
    if (src.charCodeAt(colon - 1) === SPACE || plainStartInvalid(this.src, at)) outside();
    return this.scalars.make(src.slice(at, colon), [this.abs(at), this.abs(colon), this.abs(colon)], true);
  }


  /**
   * A value starting at `at` on line `li` under a parent in column `parentIndent`: a one-line flow
   * collection, a block scalar, or a one-line scalar. Returns it and the first line after it.
   */
  private value(li: number, at: number, parentIndent: number): [Node, number] {
    const c = this.src.charCodeAt(at);
    if (c === 91 || c === 123) return [this.flowCollection(li, at), li + 1]; // [ {
    if (c === 124 || c === 62) return this.blockScalar(li, at, parentIndent); // | >
    return [this.inlineScalar(li, at), li + 1];
  }

  /**
   * `[a, "b", 3]` or `{name: x, key: "y"}` on one line, of one-line scalars (what `command:`,
   * `args:` and `secretKeyRef:` often are). Nested collections and empty values are left out.
   */
  private flowCollection(li: number, at: number): YAMLSeq | YAMLMap {
    const { src } = this;
    const lineEnd = this.ends[li];
    const isMap = src.charCodeAt(at) === 123; // {
    const closer = isMap ? 125 : 93; // } ]
    const collection = isMap ? this.collections.map() : this.collections.seq();
    collection.flow = true;
    let i = this.skipSpaces(at + 1, lineEnd);
    while (src.charCodeAt(i) !== closer) {
      let key: Scalar | undefined;
      if (isMap) {
        const colon = this.flowKeyEnd(i, lineEnd);
        key = this.keyScalar(i, colon);
        i = this.skipSpaces(colon + 1, lineEnd);
      }
      const [item, afterSpaces] = this.flowScalar(i, lineEnd, closer);
      if (key) (collection as YAMLMap).items.push(pair(key, item));
      else (collection as YAMLSeq).items.push(item);
      const sep = src.charCodeAt(afterSpaces);
      if (sep === 44) i = this.skipSpaces(afterSpaces + 1, lineEnd); // ,
      else if (sep === closer) i = afterSpaces;
      else outside(); // runs onto the next line, or something after an item
    }
    const close = i + 1;
    const rest = this.skipSpaces(close, lineEnd);
    if (rest < lineEnd && (src.charCodeAt(rest) !== HASH || rest === close)) outside();
    collection.range = [this.abs(at), this.abs(close), this.abs(this.lineAfter(li))];
    this.lastWasEmpty = false;
    return collection;
  }

  /** The `:` after a flow mapping key at `at` (plain or quoted, directly followed by `: `). */
  private flowKeyEnd(at: number, lineEnd: number): number {
    const { src } = this;
    let i = at;
    const c = src.charCodeAt(at);
    if (c === DQUOTE || c === SQUOTE) {
      i = quoteEnd(this.src, at);
      if (i < 0) outside();
    } else {
      while (i < lineEnd && !(src.charCodeAt(i) === COLON && src.charCodeAt(i + 1) === SPACE)) {
        if (/[,[\]{}#]/.test(src[i])) outside();
        i++;
      }
    }
    if (src.charCodeAt(i) !== COLON || src.charCodeAt(i + 1) !== SPACE) outside();
    return i;
  }

  /** A scalar item of a flow collection at `at`, and the offset after the spaces that follow it. */
  private flowScalar(at: number, lineEnd: number, closer: number): [Scalar, number] {
    const { src } = this;
    const c = src.charCodeAt(at);
    let valueEnd: number;
    let node: Scalar;
    if (c === DQUOTE || c === SQUOTE) {
      valueEnd = quoteEnd(this.src, at);
      if (valueEnd < 0) outside();
      node = quotedScalar(this.src, at, valueEnd, [0, 0, 0]);
    } else {
      if (at >= lineEnd || plainStartInvalid(this.src, at)) outside();
      valueEnd = at;
      for (let i = at; i < lineEnd; i++) {
        const ch = src.charCodeAt(i);
        if (ch === 44 || ch === closer) break; // , or the closing bracket
        // Other flow indicators, `: ` pairs and comments inside an item are left to the full parser.
        if (ch === 91 || ch === 93 || ch === 123 || ch === 125 || (ch === COLON && /[ ,\]}]/.test(src[i + 1] ?? ' ')) || (ch === HASH && src.charCodeAt(i - 1) === SPACE)) outside();
        if (ch !== SPACE) valueEnd = i + 1;
      }
      node = this.scalars.make(src.slice(at, valueEnd), [0, 0, 0], false);
    }
    const afterSpaces = this.skipSpaces(valueEnd, lineEnd);
    node.range = [this.abs(at), this.abs(valueEnd), this.abs(afterSpaces)];
    return [node, afterSpaces];
  }

  /**
   * `|`, `|-`, `>` or `>-` and the more-indented lines below. Folded scalars only when every line
   * has the same indentation and none is blank (then folding is joining with spaces); explicit
   * indentation, keep chomping and leading blank lines are left to the full parser.
   */
  private blockScalar(li: number, at: number, parentIndent: number): [Scalar, number] {
    const { src } = this;
    const folded = src.charCodeAt(at) === 62;
    let h = at + 1;
    const strip = src.charCodeAt(h) === DASH;
    if (strip) h++;
    const rest = this.skipSpaces(h, this.ends[li]);
    if (rest < this.ends[li] && (src.charCodeAt(rest) !== HASH || rest === h)) outside();
    const first = li + 1;
    if (first >= this.kinds.length || this.kinds[first] === 0 || this.indents[first] <= parentIndent) outside();
    const indent = this.indents[first];
    let last = first;
    let line = first;
    for (; line < this.kinds.length; line++) {
      const blank = this.kinds[line] === 0;
      if (blank ? this.ends[line] - this.starts[line] > indent : this.indents[line] < indent) {
        if (blank) outside(); // spaces beyond the indentation are content: rare, and subtle
        break;
      }
      if (!blank) last = line;
      if (folded && (blank || this.indents[line] !== indent)) outside();
    }
    if (this.ends[last] === src.length) outside(); // no final line break
    const lines: string[] = [];
    for (let i = first; i <= last; i++) lines.push(this.kinds[i] === 0 ? '' : src.slice(this.starts[i] + indent, this.ends[i]));
    const value = lines.join(folded ? ' ' : '\n') + (strip ? '' : '\n');
    const node = scalar(value);
    const end = this.abs(this.lineAfter(last));
    node.range = [this.abs(at), end, end];
    node.source = value;
    node.type = folded ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL';
    this.lastWasEmpty = false;
    return [node, last + 1];
  }

  /** A one-line scalar value starting at `at` on line `li`, running to the end of that line. */
  private inlineScalar(li: number, at: number): Scalar {
    const { src } = this;
    const lineEnd = this.ends[li];
    const c = src.charCodeAt(at);
    let valueEnd: number;
    let node: Scalar;
    this.lastWasEmpty = false;
    if (c === DQUOTE || c === SQUOTE) {
      valueEnd = quoteEnd(this.src, at);
      if (valueEnd < 0) outside(); // continues on the next line
      const rest = this.skipSpaces(valueEnd, lineEnd);
      if (rest < lineEnd && (src.charCodeAt(rest) !== HASH || rest === valueEnd)) outside();
      node = quotedScalar(this.src, at, valueEnd, [this.abs(at), this.abs(valueEnd), this.abs(this.lineAfter(li))]);
    } else {
      if (plainStartInvalid(this.src, at)) outside();
      valueEnd = at;
      for (let i = at; i < lineEnd; i++) {
        const ch = src.charCodeAt(i);
        if (ch === HASH && src.charCodeAt(i - 1) === SPACE) break; // a comment
        if (ch !== SPACE) valueEnd = i + 1;
      }
      node = this.scalars.make(src.slice(at, valueEnd), [this.abs(at), this.abs(valueEnd), this.abs(this.lineAfter(li))], false);
    }
    return node;
  }



  /** The null of `key:` with nothing after it: placed after the `:` and the spaces that follow. */
  private emptyScalar(at: number): Scalar {
    this.lastWasEmpty = true;
    return this.scalars.make('', [this.abs(at), this.abs(at), this.abs(at)], false);
  }
}

/**
 * Parses one `---` chunk (ranges offset by `base`) if it lies within the block subset; otherwise
 * `undefined`, and the caller uses the full parser.
 */
export function parseBlockSubset(source: string, base: number, options: object): Document.Parsed | undefined {
  if (source.includes('\t') || source.includes('\r') || source.startsWith('...') || source.startsWith('%')) return undefined;
  try {
    return new BlockSubsetParser(source, base).parse(options);
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}
