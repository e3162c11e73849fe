/**
 * Views of a run's rows: the peak, the curve of one datatype/operation, and chart series
 * (bus bandwidth against message size) for report/bandwidthChart.ts.
 */
import type { NcclTestsResult, NcclTestsRow, NcclTestsRun } from './model';

/** `8 B`, `64 KiB`, `1 GiB`, the way nccl-tests sizes are usually quoted. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : Math.round(v * 10) / 10} ${units[u]}`;
}

export type Placement = 'out-of-place' | 'in-place';

export interface Peak {
  busbw: number;
  row: NcclTestsRow;
  placement: Placement;
}

export function resultOf(row: NcclTestsRow, placement: Placement): NcclTestsResult | undefined {
  return placement === 'out-of-place' ? row.outOfPlace : row.inPlace;
}

/** Highest bus bandwidth of the run, over both placements. */
export function peakBusBandwidth(run: NcclTestsRun): Peak | undefined {
  let best: Peak | undefined;
  for (const row of run.rows) {
    for (const placement of ['out-of-place', 'in-place'] as const) {
      const r = resultOf(row, placement);
      if (r && (!best || r.busbw > best.busbw)) best = { busbw: r.busbw, row, placement };
    }
  }
  return best;
}

export function largestSize(run: NcclTestsRun): number {
  return run.rows.reduce((m, r) => Math.max(m, r.size), 0);
}

/** Rows grouped by what was measured (`-d all`, `-o all` and `-r all` sweep several in one run). */
export function curves(run: NcclTestsRun): { key: string; rows: NcclTestsRow[] }[] {
  const groups = new Map<string, NcclTestsRow[]>();
  for (const row of run.rows) {
    const key = [row.type, row.redop ?? '', row.root ?? ''].join(' ').trim();
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(row);
  }
  return [...groups.entries()].map(([key, rows]) => ({ key, rows: [...rows].sort((a, b) => a.size - b.size) }));
}

export interface ChartPoint {
  bytes: number;
  busbw: number;
}

export interface ChartSeries {
  label: string;
  points: ChartPoint[];
  /** Drawn dashed: the in-place series of a run. */
  dashed?: boolean;
  /** Same colour for the two placements of one curve. */
  group?: string;
}

/** A short human name for a run: `all_reduce_perf` or `run 2`. */
export function runName(run: NcclTestsRun): string {
  return run.test ?? `run ${run.index + 1}`;
}

/**
 * Out-of-place and in-place series of every curve of a run, labelled `<label> out-of-place` /
 * `<label> in-place` (with the datatype/operation when the run measured several).
 */
export function bandwidthSeries(run: NcclTestsRun, label = runName(run)): ChartSeries[] {
  const all = curves(run);
  const out: ChartSeries[] = [];
  for (const { key, rows } of all) {
    const name = all.length > 1 ? `${label} [${key}]` : label;
    for (const placement of ['out-of-place', 'in-place'] as const) {
      const points = rows.flatMap((row) => {
        const r = resultOf(row, placement);
        return r ? [{ bytes: row.size, busbw: r.busbw }] : [];
      });
      if (points.length > 0) out.push({ label: `${name} ${placement}`, points, dashed: placement === 'in-place', group: name });
    }
  }
  return out;
}
