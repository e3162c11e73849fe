/**
 * A shell lexer that is faithful enough for deployment scripts: it splits a script into simple
 * commands made of words, removes quotes the way bash does, and remembers for every character of a
 * word's value where it came from in the source, so that a finding about `FOO` inside
 * `"NCCL_DEBUG_SUBSYS=INIT,FOO"` underlines exactly `FOO`.
 *
 * It is not a full bash parser: control structures are seen as commands whose first word is a
 * reserved word (the invocation layer skips those), and expansions are kept verbatim and marked
 * dynamic, because their value is unknown until run time and must never be guessed.
 */

export interface Word {
  /** Source offsets of the whole word, [start, end). */
  start: number;
  end: number;
  /** The word after quote removal; expansions (`$X`, `$(...)`, backticks) are kept as written. */
  value: string;
  /** offsets[i] is the source offset of the character that produced value[i]. */
  offsets: number[];
  /** Value index ranges [from, to) that are expansions, whose run-time text is unknown. */
  expansions: Array<[number, number]>;
}

/**
 * Most words are written without quotes or escapes, so value[i] sits at start + i: their offset
 * table is only built if someone asks for it, which keeps the lexer from allocating one number per
 * character of the script.
 */
class LexedWord implements Word {
  private table: number[] | undefined;

  constructor(
    public start: number,
    public end: number,
    public value: string,
    offsets: number[] | undefined,
    public expansions: Array<[number, number]>,
  ) {
    this.table = offsets;
  }

  get offsets(): number[] {
    if (!this.table) {
      this.table = new Array<number>(this.value.length);
      for (let i = 0; i < this.value.length; i++) this.table[i] = this.start + i;
    }
    return this.table;
  }

  set offsets(value: number[]) {
    this.table = value;
  }
}

export interface SimpleCommand {
  words: Word[];
  start: number;
  end: number;
}

export interface Comment {
  /** Offset of the `#`. */
  start: number;
  end: number;
  text: string;
}

export interface HereDoc {
  /** Offsets of the body, without the delimiter line. */
  start: number;
  end: number;
  /** A quoted delimiter (`<<'EOF'`) means the body is literal text. */
  literal: boolean;
}

export interface LexedScript {
  commands: SimpleCommand[];
  comments: Comment[];
  hereDocs: HereDoc[];
}

/** Lines and commands beyond these are not analysed: a guard against pathological input. */
const MAX_NESTING = 64;

const REDIRECT_START = new Set(['<', '>']);

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
}

/** Characters that never need special handling inside a word: letters, digits and `-_./:,=+@%`. */
function isPlain(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 58) || code === 45 || code === 95 || code === 46 || code === 47 || code === 44 || code === 61 || code === 43 || code === 64 || code === 37
  );
}

function isMeta(c: string): boolean {
  return isBlank(c) || c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')' || c === '<' || c === '>';
}

/** True when the word's value at [from, to) overlaps an expansion. */
export function hasExpansion(word: Word, from = 0, to = word.value.length): boolean {
  return word.expansions.some(([a, b]) => a < to && b > from);
}

/** Source range [start, end) of the value slice [from, to) of a word. */
export function valueRange(word: Word, from: number, to: number): [number, number] {
  if (word.value.length === 0) return [word.start, word.end];
  const a = Math.min(Math.max(from, 0), word.value.length - 1);
  const b = Math.min(Math.max(to, a + 1), word.value.length);
  return [word.offsets[a], word.offsets[b - 1] + 1];
}

class Lexer {
  private pos = 0;
  private readonly commands: SimpleCommand[] = [];
  private readonly comments: Comment[] = [];
  private readonly hereDocs: HereDoc[] = [];
  private words: Word[] = [];
  private pendingHereDocs: Array<{ delimiter: string; stripTabs: boolean; literal: boolean }> = [];
  /** Set after a redirection operator: the next word is its target, not an argument. */
  private skipNextWord = false;

  constructor(
    private readonly src: string,
    private readonly base: number,
  ) {}

  run(): LexedScript {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src[this.pos];
      if (isBlank(c)) {
        this.pos++;
      } else if (c === '\\' && src[this.pos + 1] === '\n') {
        this.pos += 2;
      } else if (c === '\\' && src[this.pos + 1] === '\r' && src[this.pos + 2] === '\n') {
        this.pos += 3;
      } else if (c === '#') {
        this.readComment();
      } else if (c === '\n') {
        this.pos++;
        this.endCommand();
        this.readHereDocBodies();
      } else if (c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
        this.pos++;
        while (this.pos < src.length && (src[this.pos] === c || (c === '|' && src[this.pos] === '&'))) this.pos++;
        this.endCommand();
      } else if (REDIRECT_START.has(c)) {
        this.readRedirection();
      } else {
        const word = this.readWord();
        if (this.skipNextWord) {
          this.skipNextWord = false;
        } else if (word.value.length > 0 || word.end > word.start) {
          this.words.push(word);
        }
      }
    }
    this.endCommand();
    return { commands: this.commands, comments: this.comments, hereDocs: this.hereDocs };
  }

  private endCommand(): void {
    if (this.words.length > 0) {
      const words = this.words;
      this.commands.push({ words, start: words[0].start, end: words[words.length - 1].end });
    }
    this.words = [];
    this.skipNextWord = false;
  }

  private readComment(): void {
    const start = this.pos;
    let end = this.src.indexOf('\n', start);
    if (end < 0) end = this.src.length;
    const text = this.src.slice(start, end).replace(/\r$/, '');
    this.comments.push({ start: this.base + start, end: this.base + start + text.length, text });
    this.pos = end;
  }

  private readRedirection(): void {
    const src = this.src;
    // `2>` and `2>&1`: a pure number just before the operator is a file descriptor, not a word.
    const last = this.words[this.words.length - 1];
    if (last && last.end === this.base + this.pos && /^\d+$/.test(last.value)) this.words.pop();
    const c = src[this.pos];
    let op = c;
    this.pos++;
    while (this.pos < src.length && '<>&|-'.includes(src[this.pos]) && op.length < 3) {
      op += src[this.pos];
      this.pos++;
    }
    if (op.startsWith('<<') && !op.startsWith('<<<')) {
      while (this.pos < src.length && isBlank(src[this.pos])) this.pos++;
      const delim = this.readWord();
      const literal = /['"\\]/.test(src.slice(delim.start - this.base, delim.end - this.base));
      if (delim.value) this.pendingHereDocs.push({ delimiter: delim.value, stripTabs: op.endsWith('-'), literal });
      return;
    }
    // `>&2` / `<&-`: the operator already holds its target.
    if (/&\d*$|&-$/.test(op) && op !== '&>') {
      while (this.pos < src.length && /[0-9-]/.test(src[this.pos])) this.pos++;
      return;
    }
    this.skipNextWord = true;
  }

  private readHereDocBodies(): void {
    const src = this.src;
    for (const doc of this.pendingHereDocs) {
      const bodyStart = this.pos;
      let bodyEnd = src.length;
      while (this.pos < src.length) {
        let lineEnd = src.indexOf('\n', this.pos);
        if (lineEnd < 0) lineEnd = src.length;
        let line = src.slice(this.pos, lineEnd).replace(/\r$/, '');
        if (doc.stripTabs) line = line.replace(/^\t+/, '');
        if (line === doc.delimiter) {
          bodyEnd = this.pos;
          this.pos = Math.min(lineEnd + 1, src.length);
          break;
        }
        this.pos = Math.min(lineEnd + 1, src.length);
        if (lineEnd === src.length) bodyEnd = src.length;
      }
      this.hereDocs.push({ start: this.base + bodyStart, end: this.base + bodyEnd, literal: doc.literal });
    }
    this.pendingHereDocs = [];
  }

  /** Reads one word starting at pos; stops at an unquoted metacharacter. */
  private readWord(): Word {
    const src = this.src;
    const start = this.pos;
    // Most words are plain characters up to a blank: made directly, without the tables below.
    let plainEnd = start;
    while (plainEnd < src.length && isPlain(src.charCodeAt(plainEnd))) plainEnd++;
    if (plainEnd > start && (plainEnd === src.length || (isMeta(src[plainEnd]) && !(src[plainEnd] === '(' && src[plainEnd - 1] === '=')))) {
      this.pos = plainEnd;
      return new LexedWord(this.base + start, this.base + plainEnd, src.slice(start, plainEnd), undefined, []);
    }
    let value = '';
    // Undefined while every character so far sits at start + index (see LexedWord).
    let offsets: number[] | undefined;
    const expansions: Array<[number, number]> = [];
    const materialise = (): number[] => {
      if (!offsets) {
        offsets = new Array<number>(value.length);
        for (let i = 0; i < value.length; i++) offsets[i] = this.base + start + i;
      }
      return offsets;
    };
    const push = (text: string, at: number) => {
      if (offsets || at - start !== value.length) {
        const table = materialise();
        for (let i = 0; i < text.length; i++) table.push(this.base + at + i);
      }
      value += text;
    };
    const pushExpansion = (from: number, to: number) => {
      const vStart = value.length;
      push(src.slice(from, to), from);
      expansions.push([vStart, value.length]);
    };

    while (this.pos < src.length) {
      const c = src[this.pos];
      if (c === '\\') {
        const next = src[this.pos + 1];
        if (next === '\n') {
          this.pos += 2;
        } else if (next === '\r' && src[this.pos + 2] === '\n') {
          this.pos += 3;
        } else if (next === undefined) {
          push('\\', this.pos);
          this.pos++;
        } else {
          push(next, this.pos + 1);
          this.pos += 2;
        }
      } else if (c === "'") {
        const close = src.indexOf("'", this.pos + 1);
        const end = close < 0 ? src.length : close;
        push(src.slice(this.pos + 1, end), this.pos + 1);
        this.pos = close < 0 ? src.length : close + 1;
      } else if (c === '"') {
        this.readDoubleQuoted(push, pushExpansion);
      } else if (c === '$' && src[this.pos + 1] === "'") {
        const table = materialise();
        this.readAnsiC(table, (s) => (value += s));
      } else if (c === '$' || c === '`') {
        const end = this.expansionEnd(this.pos);
        pushExpansion(this.pos, end);
        this.pos = end;
      } else if (c === '(' && value.endsWith('=') && expansions.length === 0) {
        // Array assignment `a=(x y)`: keep the whole parenthesised list in this word.
        const end = this.balancedEnd(this.pos, '(', ')', 0);
        push(src.slice(this.pos, end), this.pos);
        this.pos = end;
      } else if (isMeta(c)) {
        break;
      } else {
        // Fast path: a run of plain characters is copied in one piece (most of every script).
        let end = this.pos + 1;
        while (end < src.length && isPlain(src.charCodeAt(end))) end++;
        push(src.slice(this.pos, end), this.pos);
        this.pos = end;
      }
    }
    return new LexedWord(this.base + start, this.base + this.pos, value, offsets, expansions);
  }

  private readDoubleQuoted(push: (t: string, at: number) => void, pushExpansion: (a: number, b: number) => void): void {
    const src = this.src;
    this.pos++;
    while (this.pos < src.length && src[this.pos] !== '"') {
      const c = src[this.pos];
      const next = src[this.pos + 1];
      if (c === '\\' && next !== undefined && '$`"\\\n'.includes(next)) {
        if (next !== '\n') push(next, this.pos + 1);
        this.pos += 2;
      } else if ((c === '$' && /[({A-Za-z_0-9@*#?$!-]/.test(src[this.pos + 1] ?? '')) || c === '`') {
        const end = this.expansionEnd(this.pos);
        pushExpansion(this.pos, end);
        this.pos = end;
      } else {
        push(c, this.pos);
        this.pos++;
      }
    }
    if (this.pos < src.length) this.pos++; // closing quote
  }

  private readAnsiC(offsets: number[], append: (s: string) => void): void {
    const src = this.src;
    const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v' };
    this.pos += 2;
    while (this.pos < src.length && src[this.pos] !== "'") {
      if (src[this.pos] === '\\' && this.pos + 1 < src.length) {
        const mapped = escapes[src[this.pos + 1]];
        offsets.push(this.base + this.pos + 1);
        append(mapped ?? src[this.pos + 1]);
        this.pos += 2;
      } else {
        offsets.push(this.base + this.pos);
        append(src[this.pos]);
        this.pos++;
      }
    }
    if (this.pos < src.length) this.pos++;
  }

  /** End offset (exclusive) of the expansion that starts at `at` (`$`, `${`, `$(`, `$((` or a backtick). */
  private expansionEnd(at: number): number {
    const src = this.src;
    if (src[at] === '`') {
      let i = at + 1;
      while (i < src.length && src[i] !== '`') i += src[i] === '\\' ? 2 : 1;
      return Math.min(i + 1, src.length);
    }
    const next = src[at + 1];
    if (next === '(') return this.balancedEnd(at + 1, '(', ')', 0);
    if (next === '{') return this.balancedEnd(at + 1, '{', '}', 0);
    const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(src.slice(at + 1, at + 1 + 256));
    return at + 1 + (m ? m[0].length : 0);
  }

  /** End offset after the bracket that closes the one at `at`, skipping quotes and nested expansions. */
  private balancedEnd(at: number, open: string, close: string, depth: number): number {
    const src = this.src;
    if (depth > MAX_NESTING) return src.length;
    let level = 0;
    let i = at;
    while (i < src.length) {
      const c = src[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === "'" && open !== '{') {
        const close2 = src.indexOf("'", i + 1);
        i = close2 < 0 ? src.length : close2 + 1;
        continue;
      }
      if (c === '"') {
        i++;
        while (i < src.length && src[i] !== '"') {
          if (src[i] === '\\') i++;
          else if (src[i] === '$' && (src[i + 1] === '(' || src[i + 1] === '{')) {
            i = this.balancedEnd(i + 1, src[i + 1], src[i + 1] === '(' ? ')' : '}', depth + 1) - 1;
          }
          i++;
        }
        i++;
        continue;
      }
      if (c === open) level++;
      else if (c === close) {
        level--;
        if (level === 0) return i + 1;
      }
      i++;
    }
    return src.length;
  }
}

/**
 * Splits a shell script into simple commands. `base` is added to every offset, so a script embedded
 * in a larger document (a `--command` string, a YAML block) maps straight back into it.
 */
export function lexShell(src: string, base = 0): LexedScript {
  return new Lexer(src, base).run();
}
