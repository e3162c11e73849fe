/**
 * Keeps repeated log lines once. Every rank prints the same plugin, NIC and GDR lines, so the model
 * stores one entry per distinct text with a count, the first ref and a few process names. Entry
 * and process lists are capped so memory stays flat however long the log is.
 */
import type { NcclAggregatedLine, ProcessKey, SourceRef } from './model';

const MAX_PROCESSES_PER_ENTRY = 16;

export class LineAggregator<T extends NcclAggregatedLine> {
  private readonly entries = new Map<string, T>();
  /** Lines not stored because the aggregator was full. */
  dropped = 0;

  constructor(private readonly maxEntries = 256) {}

  /**
   * Counts `text` once more; `create` builds the entry (with its extra fields) the first time.
   * Returns the entry, or undefined when the cap dropped it.
   */
  add(text: string, process: ProcessKey | undefined, ref: SourceRef, create: (base: NcclAggregatedLine) => T): T | undefined {
    let entry = this.entries.get(text);
    if (!entry) {
      if (this.entries.size >= this.maxEntries) {
        this.dropped++;
        return undefined;
      }
      entry = withoutUndefined(create({ text, count: 0, processes: [], ref }));
      this.entries.set(text, entry);
    }
    entry.count++;
    if (process !== undefined && entry.processes.length < MAX_PROCESSES_PER_ENTRY && !entry.processes.includes(process)) {
      entry.processes.push(process);
    }
    return entry;
  }

  values(): T[] {
    return [...this.entries.values()];
  }
}

/** Drops keys whose value is undefined so the model survives a JSON round trip unchanged. */
export function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
