/**
 * Turns text - a whole string or a stream of chunks - into lines numbered the way the editor
 * numbers them: `\r\n`, `\n` and a lone `\r` all end a line (like VS Code and the LSP text
 * document), a leading BOM is dropped, a last line without terminator still counts.
 *
 * Lines longer than MAX_KEPT_LINE are cut before they reach the parser (the classifier reads far
 * less anyway) and the true length is passed along, so one 1 GB line without newline costs
 * MAX_KEPT_LINE characters of memory, not 1 GB.
 */
import { open } from 'node:fs/promises';
import { ByteLineSplitter, MAX_KEPT_LINE, type LineSink, type RawLineSink } from './byteLines';

export { MAX_KEPT_LINE, type LineSink, type RawLineSink };

const EOL = /[\r\n]/g;

export class LineSplitter {
  private carry = '';
  private carryLength = 0;
  private lineNo = 0;
  private started = false;
  private pendingCR = false;

  constructor(private readonly sink: LineSink) {}

  feed(text: string): void {
    let i = 0;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (this.pendingCR && i < text.length) {
      this.pendingCR = false;
      if (text.charCodeAt(i) === 10) i++; // the \n of a \r\n split across chunks
    }
    // Most logs end lines with \n only: then a plain indexOf walk finds every line end.
    if (text.indexOf('\r', i) < 0) {
      this.feedLf(text, i);
      return;
    }
    while (i < text.length) {
      EOL.lastIndex = i;
      const m = EOL.exec(text);
      if (!m) {
        this.append(text, i, text.length);
        return;
      }
      const j = m.index;
      this.append(text, i, j);
      this.emit();
      if (text.charCodeAt(j) === 13) {
        if (j + 1 < text.length) {
          i = text.charCodeAt(j + 1) === 10 ? j + 2 : j + 1;
          continue;
        }
        this.pendingCR = true;
      }
      i = j + 1;
    }
  }

  /** `text` from `i` has no \r: lines end at \n. Whole lines go to the sink as slices, no copies. */
  private feedLf(text: string, i: number): void {
    let j = text.indexOf('\n', i);
    if (j < 0) {
      this.append(text, i, text.length);
      return;
    }
    if (this.carryLength > 0) {
      this.append(text, i, j);
      this.emit();
      i = j + 1;
      j = text.indexOf('\n', i);
    }
    const sink = this.sink;
    while (j >= 0) {
      const length = j - i;
      sink(length > MAX_KEPT_LINE ? text.slice(i, i + MAX_KEPT_LINE) : text.slice(i, j), this.lineNo++, length);
      i = j + 1;
      j = text.indexOf('\n', i);
    }
    if (i < text.length) this.append(text, i, text.length);
  }

  /** Flushes a last line that had no terminator. */
  end(): void {
    if (this.carryLength > 0) this.emit();
  }

  private append(text: string, from: number, to: number): void {
    if (to <= from) return;
    const room = MAX_KEPT_LINE - this.carry.length;
    if (room > 0) this.carry += text.slice(from, Math.min(to, from + room));
    this.carryLength += to - from;
  }

  private emit(): void {
    this.sink(this.carry, this.lineNo++, this.carryLength);
    this.carry = '';
    this.carryLength = 0;
  }
}

export function forEachLine(text: string, sink: LineSink): void {
  const splitter = new LineSplitter(sink);
  splitter.feed(text);
  splitter.end();
}

const CHUNK = 1 << 20;

/**
 * Reads a file from disk in chunks (1 MiB) into one reused buffer and splits it into lines as
 * bytes (byteLines.ts); never holds more than one chunk plus one capped line.
 */
export async function forEachFileLine(path: string, sink: LineSink, chunkSize = CHUNK, raw?: RawLineSink): Promise<void> {
  const splitter = new ByteLineSplitter(sink, raw);
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkSize);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, chunkSize, null);
      if (bytesRead === 0) break;
      splitter.feed(bytesRead === chunkSize ? buffer : buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  splitter.end();
}

/** Something that reads a log line by line and keeps its result in `model`. */
export interface LineModelBuilder<M> {
  line(text: string, lineNo: number): void;
  readonly model: M;
}

export interface ChunkParser<M> {
  /** Feeds the next chunk of text (any split, even inside a line or a `\r\n`). */
  feed(chunk: string): void;
  /** Flushes the last line and returns the model; the parser must not be fed afterwards. */
  end(): M;
}

/** The three ways to run a line-based reader: fed in chunks, over a string, streamed from a file. */
export function lineReader<M>(make: () => LineModelBuilder<M>) {
  const create = (): ChunkParser<M> => {
    const builder = make();
    const splitter = new LineSplitter((line, lineNo) => builder.line(line, lineNo));
    return {
      feed: (chunk) => splitter.feed(chunk),
      end: () => {
        splitter.end();
        return builder.model;
      },
    };
  };
  return {
    create,
    parse(text: string): M {
      const p = create();
      p.feed(text);
      return p.end();
    },
    async parseFile(path: string): Promise<M> {
      const builder = make();
      await forEachFileLine(path, (line, lineNo) => builder.line(line, lineNo));
      return builder.model;
    },
  };
}
