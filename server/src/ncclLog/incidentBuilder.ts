/**
 * Keeps incident lines (incidents.ts) once per kind and text shape: every rank of a failing job
 * prints the same timeout or IB error with its own addresses and numbers, so numbers and hex are
 * ignored when grouping. Entries, sources and devices are capped; memory stays flat.
 */
import type { IncidentRecord } from './incidents';
import type { NcclIncident, ProcessKey, SourceRef } from './model';
import { MAX_TEXT } from './prefix';

const MAX_INCIDENTS = 256;
const MAX_SOURCES = 64;
const MAX_RANKS = 64;
const MAX_DEVICES = 32;

/** The text with numbers, hex values and peer addresses blanked: lines of one shape group together. */
export function incidentShape(text: string): string {
  return text.slice(0, 160).replace(/0x[0-9a-fA-F]{1,16}|\d{1,20}/g, '#');
}

export class IncidentState {
  private readonly entries = new Map<string, NcclIncident>();
  dropped = 0;

  add(record: IncidentRecord, text: string, level: NcclIncident['level'], process: ProcessKey | undefined, cudaDev: number | undefined, ref: SourceRef): void {
    const key = `${record.incident}|${incidentShape(text)}`;
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= MAX_INCIDENTS) {
        this.dropped++;
        return;
      }
      entry = { kind: record.incident, text: text.trim().slice(0, MAX_TEXT), level, count: 0, sources: [], ranks: [], devices: [], ref };
      if (record.peer !== undefined) entry.peer = record.peer;
      if (record.device !== undefined) entry.device = record.device;
      if (record.status !== undefined) entry.status = record.status;
      this.entries.set(key, entry);
    }
    entry.count++;
    if (process !== undefined && entry.sources.length < MAX_SOURCES && !entry.sources.some((s) => s.process === process && s.cudaDev === cudaDev)) {
      entry.sources.push(cudaDev !== undefined ? { process, cudaDev } : { process });
    }
    for (const r of record.ranks ?? []) if (entry.ranks.length < MAX_RANKS && !entry.ranks.includes(r)) entry.ranks.push(r);
    if (record.device !== undefined && entry.devices.length < MAX_DEVICES && !entry.devices.includes(record.device)) entry.devices.push(record.device);
  }

  values(): NcclIncident[] {
    return [...this.entries.values()];
  }
}
