/**
 * Splits a file's bytes into lines, the way LineSplitter (lineSource.ts) splits text: `\r\n`, `\n`
 * and a lone `\r` end a line, a leading BOM is dropped, a last line without terminator counts,
 * lines longer than MAX_KEPT_LINE are cut and their true length (UTF-16 units) is passed along.
 *
 * Why bytes: line ends are found with Buffer.indexOf (memchr speed) and each line is decoded on
 * its own. A chunk decoded as one big string would be retained by every substring the model
 * keeps (V8 slices share their parent), so memory would grow with the log. A line's own string
 * is never more than one line. Chunks that are pure ASCII (nearly all NCCL output) decode with
 * latin1, which is exact for ASCII and twice as fast as UTF-8.
 */
import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';

/** Longest line (UTF-16 units) handed to the parser; longer lines are cut, their length kept. */
export const MAX_KEPT_LINE = 65536;

export type LineSink = (line: string, lineNo: number, length: number) => void;

/**
 * Offered every whole line of a pure-ASCII chunk before it is decoded: returns true when it
 * handled the line from the bytes, false to receive it as a string through the LineSink.
 */
export type RawLineSink = (bytes: Buffer, start: number, end: number, lineNo: number) => boolean;

interface FastSlices {
  latin1Slice?(start: number, end: number): string;
  utf8Slice?(start: number, end: number): string;
}

/** Node's own slice methods skip toString's argument checks; fall back when a runtime lacks them. */
const PROTO = Buffer.prototype as unknown as FastSlices;
export const latin1 = typeof PROTO.latin1Slice === 'function' ? (b: Buffer, s: number, e: number) => (b as unknown as Required<FastSlices>).latin1Slice(s, e) : (b: Buffer, s: number, e: number) => b.toString('latin1', s, e);
const utf8 = typeof PROTO.utf8Slice === 'function' ? (b: Buffer, s: number, e: number) => (b as unknown as Required<FastSlices>).utf8Slice(s, e) : (b: Buffer, s: number, e: number) => b.toString('utf8', s, e);

/** Bytes kept of an over-long line: enough for MAX_KEPT_LINE characters of any UTF-8. */
const KEEP_BYTES = MAX_KEPT_LINE * 4;

export class ByteLineSplitter {
  private lineNo = 0;
  private started = false;
  private pendingCR = false;
  /** Bytes of a line that continues into the next chunk (up to KEEP_BYTES). */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** Characters of an over-long line beyond the kept bytes, counted as they stream past. */
  private overflow: StringDecoder | undefined;
  private overflowChars = 0;

  constructor(
    private readonly sink: LineSink,
    private readonly raw?: RawLineSink,
  ) {}

  /** Feeds `view` (a chunk; the splitter copies what it keeps). */
  feed(view: Buffer): void {
    const n = view.length;
    if (n === 0) return;
    let p = 0;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (view[0] === 10) p = 1; // the \n of a \r\n split across chunks
    }
    const ascii = isAscii(view);
    let cr = view.indexOf(13, p);
    while (p < n) {
      let j = view.indexOf(10, p);
      if (cr >= 0 && cr < p) cr = view.indexOf(13, p);
      if (cr >= 0 && (j < 0 || cr < j)) j = cr;
      if (j < 0) {
        this.keep(view, p, n);
        return;
      }
      if (this.carryBytes === 0 && this.overflow === undefined && j - p <= MAX_KEPT_LINE) {
        // The common case: a whole line inside this chunk (as many characters as bytes, or fewer).
        if (ascii) {
          if (this.raw && this.started && this.raw(view, p, j, this.lineNo)) this.lineNo++;
          else this.emit(latin1(view, p, j), j - p);
        } else {
          const line = utf8(view, p, j);
          this.emit(line, line.length);
        }
      } else {
        this.keep(view, p, j);
        this.flush();
      }
      if (view[j] === 13) {
        if (j + 1 >= n) {
          this.pendingCR = true;
          return;
        }
        p = view[j + 1] === 10 ? j + 2 : j + 1;
      } else p = j + 1;
    }
  }

  /** Flushes a last line that had no terminator. */
  end(): void {
    if (this.carryBytes > 0 || this.overflow !== undefined) this.flush(true);
  }

  private keep(view: Buffer, from: number, to: number): void {
    if (to <= from) return;
    const room = KEEP_BYTES - this.carryBytes;
    const kept = Math.min(room, to - from);
    if (kept > 0) {
      let stop = from + kept;
      // Cut a full line's worth at a character boundary, so the kept part decodes cleanly.
      if (stop < to) while (stop > from && (view[stop] & 0xc0) === 0x80) stop--;
      this.carry.push(Buffer.from(view.subarray(from, stop)));
      this.carryBytes += stop - from;
      from = stop;
      if (from < to) this.carryBytes = KEEP_BYTES;
    }
    if (from < to) {
      this.overflow ??= new StringDecoder('utf8');
      this.overflowChars += this.overflow.write(view.subarray(from, to)).length;
    }
  }

  private flush(atEnd = false): void {
    const bytes = this.carry.length === 1 ? this.carry[0] : Buffer.concat(this.carry);
    let text = isAscii(bytes) ? latin1(bytes, 0, bytes.length) : utf8(bytes, 0, bytes.length);
    let length = text.length;
    if (this.overflow) length += this.overflowChars + this.overflow.end().length;
    this.carry = [];
    this.carryBytes = 0;
    this.overflow = undefined;
    this.overflowChars = 0;
    if (text.length > MAX_KEPT_LINE) text = text.slice(0, MAX_KEPT_LINE);
    // A file that is only a BOM has no line at all.
    if (atEnd && !this.started && text === '\ufeff' && length === 1) return;
    this.emit(text, length);
  }

  private emit(line: string, length: number): void {
    if (!this.started) {
      this.started = true;
      if (line.charCodeAt(0) === 0xfeff) {
        line = line.slice(1);
        length--;
      }
    }
    this.sink(line, this.lineNo++, length);
  }
}
